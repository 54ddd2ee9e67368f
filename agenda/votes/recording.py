"""Recording a meeting live: the steps the console's screens and the API share, one rule each.

The console reads its forms and the API its JSON bodies; both then call these, so a motion,
a roll call, attendance or a disposition is checked and recorded the same way wherever it
comes from, and refused in the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from agenda.db import utcnow
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.display import DISPOSITION_LABELS, number_of
from agenda.meetings.models import Meeting
from agenda.meetings.rules import Disposition, recording_refusal
from agenda.text import plural
from agenda.votes import rules
from agenda.votes.attendance import AttendanceRow, record_rows
from agenda.votes.consent import adopt_on_consent
from agenda.votes.endings import record_died
from agenda.votes.models import Motion, Vote
from agenda.votes.operations import VoteRefused, move_motion, present_members, record_roll_call
from agenda.votes.outcomes import set_disposition

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.meetings.models import AgendaItem

# Motions that name the motion they amend, substitute or reconsider.
PARENT_KINDS = frozenset(
    {rules.MotionKind.AMENDMENT, rules.MotionKind.SUBSTITUTE, rules.MotionKind.RECONSIDER}
)


def closed_refusal(meeting: Meeting, *, correcting: bool = False) -> VoteRefused | None:
    """Return why the live record of this meeting takes no change now, or None.

    Motions, roll calls and attendance are taken in session; corrections and dispositions
    (`correcting`) also after adjournment.
    """
    refusal = recording_refusal(meeting.status, correcting=correcting)
    return VoteRefused(refusal) if refusal else None


def ensure_recording(meeting: Meeting, *, correcting: bool = False) -> None:
    """Refuse a change to the live record of a meeting that is not in session."""
    if refusal := closed_refusal(meeting, correcting=correcting):
        raise refusal


def save_attendance(meeting: Meeting, rows: Sequence[AttendanceRow], *, actor: User | None) -> int:
    """Record every member's row at once; any row's problem saves nothing (each stays beside
    its member). Returns how many of them are in the room now, as the console's header counts.
    """
    ensure_recording(meeting)
    record_rows(meeting, rows, actor=actor)
    if any(row.errors for row in rows):
        raise Refused("Attendance was not saved; correct the members marked.")
    return len(present_members(meeting, utcnow()) & {row.person_id for row in rows})


def put_motion(
    item: AgendaItem,
    *,
    kind: rules.MotionKind,
    text: str,
    mover_id: int,
    seconder_id: int | None,
    threshold: str | None,
    parent_id: int | None,
    continued_to_id: int | None,
    died: bool,
    actor: User | None,
) -> Motion:
    """Put a moved and seconded motion before the body, or record one that died unseconded.

    Only amendments, substitutes and reconsiderations name a parent motion, and only a motion
    to continue names the later meeting; an empty text takes the kind's usual words.
    """
    ensure_recording(item.section.meeting)
    parent = db.session.get(Motion, parent_id) if parent_id and kind in PARENT_KINDS else None
    move = record_died if died else move_motion
    return move(
        item, kind=kind, mover_id=mover_id,
        text=text.strip() or rules.default_motion_text(kind, number_of(item)),
        seconder_id=seconder_id, threshold=threshold,
        parent=parent if kind in PARENT_KINDS else None,
        continued_to_id=continued_to_id if kind is rules.MotionKind.CONTINUE else None,
        actor=actor,
    )  # fmt: skip


def take_roll_call(
    motion: Motion,
    ballots: list[rules.Ballot],
    *,
    dispose: bool,
    actor: User | None,
    problems: Iterable[str] = (),
) -> tuple[Vote, str]:
    """Record a roll call and what follows it; return the vote and what followed, in words.

    `problems` are those found reading the ballots (nothing is recorded when there are any);
    `dispose` asks for a main motion's result to decide its item too.
    """
    ensure_recording(motion.agenda_item.section.meeting)
    if problems := list(problems):
        raise VoteRefused(*problems)
    vote = record_roll_call(motion, ballots, actor=actor)
    return vote, follow_vote(vote, dispose=dispose, actor=actor)


def follow_vote(vote: Vote, *, dispose: bool, actor: User | None) -> str:
    """After a vote: a consent motion adopts its items; a main motion may decide its item.

    Returns what followed as a sentence (with a leading space), or "" when nothing did.
    """
    motion = vote.motion
    item = motion.agenda_item
    if adopted := adopt_on_consent(vote, actor=actor):
        return f" Adopted on the consent agenda: {plural(len(adopted), 'item')}."
    if not (dispose and rules.decides_item(motion.kind) and item.disposition is None):
        return ""
    if rules.tie_continues_item(vote.rules_snapshot, motion.kind, vote.yes_count, vote.no_count):
        return " Under the body's rules the tie continues the item: record it as continued."
    outcome = rules.item_outcome(vote.result, vote.fallback_result)
    set_disposition(item, outcome, motion=motion, actor=actor)
    return f" Item {number_of(item)}: {DISPOSITION_LABELS[outcome].lower()}."


def dispose_item(
    item: AgendaItem,
    disposition: Disposition,
    *,
    continued_to_id: int | None,
    motion_id: int | None,
    actor: User | None,
) -> AgendaItem | None:
    """Record how the item ended, decided by one of its voted motions if named.

    Returns the new item on the later meeting when the item is continued there.
    """
    ensure_recording(item.section.meeting, correcting=True)
    later = db.session.get(Meeting, continued_to_id) if continued_to_id else None
    motion = db.session.get(Motion, motion_id) if motion_id else None
    if motion_id and (motion is None or motion.agenda_item_id != item.id or motion.vote is None):
        raise VoteRefused(
            f"Choose a motion on item {number_of(item)} that was voted on.", field="motion"
        )
    return set_disposition(item, disposition, continued_to=later, motion=motion, actor=actor)
