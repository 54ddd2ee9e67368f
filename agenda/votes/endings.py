"""Motions that end without a vote: withdrawn by the mover, voided by the clerk, or unseconded."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from agenda.audit.operations import record_event
from agenda.db import utcnow
from agenda.meetings.rules import MeetingStatus
from agenda.meetings.signals import is_record_frozen
from agenda.votes import rules
from agenda.votes.facts import motion_fact
from agenda.votes.models import Motion
from agenda.votes.operations import VoteRefused, is_pending, move_motion

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.meetings.models import AgendaItem


def end_motion(
    motion: Motion,
    ending: rules.MotionEnding,
    *,
    reason: str,
    actor: User | None,
    at: datetime | None = None,
) -> Motion:
    """Record that a motion ended before its vote, and why; raise VoteRefused if it cannot."""
    meeting = motion.agenda_item.section.meeting
    if meeting.status is not MeetingStatus.IN_PROGRESS:
        raise VoteRefused("Motions are withdrawn or voided while the meeting is in session.")
    if is_record_frozen(meeting.id):
        raise VoteRefused("The minutes of this meeting are approved; its record is frozen.")
    children = [m for m in motion.agenda_item.motions if m.parent_id == motion.id]
    problems = rules.ending_problems(
        ending,
        reason=reason,
        ended=motion.ending,
        is_voted=motion.vote is not None,
        is_seconded=motion.seconder_id is not None,
        pending_motions=sum(1 for m in children if is_pending(m)),
    )
    if problems:
        field = "reason" if problems[-1].startswith("Give the reason") else None
        raise VoteRefused(*problems, field=field)
    motion.ending = ending
    motion.ending_reason = reason.strip() or None
    motion.ended_at = at or utcnow()
    motion.ended_by_id = actor.id if actor is not None else None
    details: dict[str, Any] = {"ending": ending.value, "reason": motion.ending_reason}
    if ending is rules.MotionEnding.WITHDRAWN:
        details["on_behalf_of"] = motion.mover_id
    record_event(
        f"motion.{ending.value}", motion, actor=actor, details=details, facts=motion_fact(motion)
    )
    return motion


def record_died(
    item: AgendaItem,
    *,
    kind: rules.MotionKind,
    text: str,
    mover_id: int,
    seconder_id: int | None,
    actor: User | None,
    at: datetime | None = None,
    **moved: Any,
) -> Motion:
    """Record a motion that was moved, found no second, and died for lack of one."""
    motion = move_motion(
        item, kind=kind, text=text, mover_id=mover_id, seconder_id=seconder_id,
        actor=actor, at=at, unseconded=True, **moved,
    )  # fmt: skip
    return end_motion(motion, rules.MotionEnding.DIED, reason="", actor=actor, at=at)
