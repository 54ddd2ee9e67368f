"""The consent agenda: one motion and one roll call adopt every item of a consent section.

At the meeting, any item can be pulled from the consent agenda to be taken up on its own;
then one motion covers the items left (fixed when it is moved), and when its roll call
passes each of them is adopted by that vote, with its own disposition and history.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from agenda.audit.operations import record_event
from agenda.db import utcnow
from agenda.extensions import db
from agenda.meetings.display import number_of
from agenda.meetings.facts import item_fact
from agenda.meetings.models import AgendaItem, AgendaSection
from agenda.meetings.rules import Disposition, MeetingStatus
from agenda.text import shorten
from agenda.votes import rules
from agenda.votes.facts import motion_fact
from agenda.votes.models import Motion, Vote
from agenda.votes.operations import VoteRefused, is_pending, move_motion
from agenda.votes.outcomes import set_disposition
from agenda.votes.queries import covering, remaining

if TYPE_CHECKING:
    from agenda.auth.models import User

NOTE_MAX = 500


def _standing(motion: Motion | None) -> bool:
    """Whether a consent motion still stands: waiting for its roll call, or passed."""
    if motion is None:
        return False
    return is_pending(motion) or (
        motion.vote is not None and motion.vote.result is rules.MotionResult.PASSED
    )


def pull_from_consent(
    item: AgendaItem, *, note: str, actor: User | None, at: datetime | None = None
) -> None:
    """Take an item off the consent agenda, to be moved and voted on by itself."""
    meeting = item.section.meeting
    number = number_of(item)
    note = note.strip()
    if not item.section.is_consent:
        raise VoteRefused(f"Item {number} is not on the consent agenda.")
    if meeting.status is not MeetingStatus.IN_PROGRESS:
        raise VoteRefused("Items are pulled from the consent agenda at the meeting, in session.")
    if item.pulled_from_consent_at is not None:
        raise VoteRefused(f"Item {number} was already pulled from the consent agenda.")
    if _standing(covering(item)):
        raise VoteRefused(
            "The consent agenda has already been moved; items are pulled before the motion."
        )
    if len(note) > NOTE_MAX:
        raise VoteRefused(f"Keep the note under {NOTE_MAX} characters.", field="note")
    item.pulled_from_consent_at = at or utcnow()
    item.pulled_note = note
    db.session.flush()
    record_event(
        "agenda_item.pull_from_consent",
        item,
        actor=actor,
        details={"item": number, "note": note},
        facts=item_fact(item),
    )


def move_consent(
    section: AgendaSection,
    *,
    mover_id: int,
    seconder_id: int | None,
    actor: User | None,
    at: datetime | None = None,
) -> Motion:
    """Move to approve the consent agenda: one motion covering every item left on it."""
    if not section.is_consent:
        raise VoteRefused(f"{section.title} is not a consent section.")
    covered = remaining(section)
    if not covered:
        raise VoteRefused("No item is left on the consent agenda to approve.")
    if any(_standing(covering(i)) for i in covered):
        raise VoteRefused("The consent agenda has already been moved.")
    numbers = ", ".join(number_of(i) for i in covered)
    motion = move_motion(
        covered[0],
        kind=rules.MotionKind.MAIN,
        text=shorten(f"Approve the consent agenda: items {numbers}.", 2000),
        mover_id=mover_id,
        seconder_id=seconder_id,
        threshold=rules.default_threshold(
            rules.MotionKind.MAIN,
            is_legislation=any(i.matter_id is not None for i in covered),
            overrides=covered[0].section.meeting.body.default_thresholds,
        ),
        actor=actor,
        at=at,
    )
    motion.consent_items = covered
    db.session.flush()
    record_event(
        "motion.consent",
        motion,
        actor=actor,
        details={"items": [i.id for i in covered]},
        facts=motion_fact(motion),
    )
    return motion


def adopt_on_consent(vote: Vote, *, actor: User | None) -> list[AgendaItem]:
    """After a consent motion's roll call passes, adopt each item it covers by that vote."""
    motion = vote.motion
    if not motion.consent_items or vote.result is not rules.MotionResult.PASSED:
        return []
    for item in motion.consent_items:
        set_disposition(item, Disposition.ADOPTED, motion=motion, actor=actor)
    return list(motion.consent_items)
