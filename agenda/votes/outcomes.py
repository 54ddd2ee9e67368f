"""What follows a vote: an item's disposition, continuation to a later meeting, corrections."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from agenda.audit.operations import record_event
from agenda.bodies.queries import member_names
from agenda.db import utcnow
from agenda.extensions import db
from agenda.matters.operations import add_history
from agenda.matters.rules import MatterAction, MatterStatus
from agenda.meetings.facts import item_fact
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.publishing import note_agenda_change
from agenda.meetings.queries import seated_on_meeting_date
from agenda.meetings.rules import HELD_STATUSES, Disposition, is_agenda_editable, item_number
from agenda.meetings.session import adjourn
from agenda.meetings.signals import is_record_frozen
from agenda.text import plural
from agenda.votes import rules
from agenda.votes.facts import vote_fact
from agenda.votes.models import BallotCorrection, Motion, Vote
from agenda.votes.operations import VoteRefused, is_pending, roll_at, voting_rules
from agenda.votes.signals import ballots_recorded, item_disposed

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.bodies.models import Membership

# What a disposition does to the legislation the item carries.
MATTER_EFFECTS: dict[Disposition, tuple[MatterAction, MatterStatus] | None] = {
    Disposition.ADOPTED: (MatterAction.ADOPTED, MatterStatus.ADOPTED),
    Disposition.FAILED: (MatterAction.FAILED, MatterStatus.FAILED),
    Disposition.CONTINUED: (MatterAction.CONTINUED, MatterStatus.ON_AGENDA),
    Disposition.TABLED: (MatterAction.TABLED, MatterStatus.ON_AGENDA),
    Disposition.WITHDRAWN: (MatterAction.WITHDRAWN, MatterStatus.WITHDRAWN),
    Disposition.RECEIVED_AND_FILED: None,
}


# A disposition that says the opposite of the vote that decided it.
CONTRADICTIONS = frozenset(
    {
        (Disposition.ADOPTED, rules.MotionResult.FAILED),
        (Disposition.FAILED, rules.MotionResult.PASSED),
    }
)


def adjourn_meeting(
    meeting: Meeting, *, actor: User | None, confirmed: bool, at: datetime | None = None
) -> None:
    """Adjourn a meeting in progress; with motions or items left open, only once confirmed."""
    items = [item for section in meeting.sections for item in section.items]
    open_motions = sum(1 for item in items for m in item.motions if is_pending(m))
    undecided = sum(1 for item in items if item.disposition is None)
    if (open_motions or undecided) and not confirmed:
        left = []
        if open_motions:
            left.append(f"{plural(open_motions, 'motion')} without a roll call")
        if undecided:
            left.append(f"{plural(undecided, 'item')} without an outcome")
        raise VoteRefused(
            f"The meeting has {' and '.join(left)}. Tick the box to adjourn all the same.",
            field="confirm",
        )
    adjourn(meeting, actor=actor, at=at)


def ensure_held(meeting: Meeting) -> None:
    """Refuse changes to the record of a meeting not yet held, or whose minutes are approved."""
    if meeting.status not in HELD_STATUSES:
        raise VoteRefused("Only a meeting in session or adjourned has a record to change.")
    if is_record_frozen(meeting.id):
        raise VoteRefused("The minutes of this meeting are approved; its record is frozen.")


def set_disposition(
    item: AgendaItem,
    disposition: Disposition,
    *,
    actor: User | None,
    continued_to: Meeting | None = None,
    motion: Motion | None = None,
) -> AgendaItem | None:
    """Record how an item ended; a continued item joins the later meeting's agenda.

    The areas above hear of it (`item_disposed`): adopting an "approval of minutes" item
    approves the latest draft of those minutes.

    Returns the new item on the later meeting when the item is continued.
    """
    meeting = item.section.meeting
    ensure_held(meeting)
    vote = motion.vote if motion is not None else None
    if vote is not None and (disposition, vote.result) in CONTRADICTIONS:
        raise VoteRefused(
            f"The deciding motion {vote.result.value}; the item cannot be recorded as "
            f"{disposition.value}."
        )
    new_item = None
    if disposition is Disposition.CONTINUED:
        new_item = _continue(item, meeting, continued_to, actor=actor)
    item.disposition = disposition
    item.continued_to_id = continued_to.id if disposition is Disposition.CONTINUED else None
    effect = MATTER_EFFECTS[disposition]
    if item.matter is not None and effect is not None:
        action, status = effect
        item.matter.status = status
        add_history(
            item.matter,
            action,
            occurred_at=vote.recorded_at if vote is not None else None,
            meeting_id=meeting.id,
            agenda_item_id=item.id,
            motion_id=motion.id if motion is not None else None,
            note=_history_note(vote, motion),
        )
    item_disposed.send(item, motion=motion, actor=actor)
    db.session.flush()
    record_event(
        "agenda_item.disposition",
        item,
        actor=actor,
        details={"disposition": disposition.value, "continued_to": item.continued_to_id},
        facts=item_fact(item),
    )
    return new_item


def _history_note(vote: Vote | None, motion: Motion | None) -> str:
    if vote is None or motion is None:
        return ""
    if motion.consent_items:
        return f"On the consent agenda: {vote.explanation}"
    return vote.explanation


def _continue(
    item: AgendaItem, meeting: Meeting, later: Meeting | None, *, actor: User | None
) -> AgendaItem:
    if later is None:
        raise VoteRefused("Choose the meeting the item is continued to.")
    if later.body_id != meeting.body_id or later.scheduled_at <= meeting.scheduled_at:
        raise VoteRefused("An item is continued to a later meeting of the same body.")
    if not is_agenda_editable(later.status):
        raise VoteRefused("That meeting's agenda can no longer change.")
    if item.matter is not None and any(
        other.section.meeting_id == later.id for other in item.matter.agenda_items
    ):
        raise VoteRefused(f"{item.matter.file_number} is already on that meeting's agenda.")
    try:
        section = section_titled(later, item.section.title)
    except LookupError:
        section = later.sections[-1]
    new_item = add_item(
        section,
        title=item.title,
        matter=item.matter,
        description=item.description,
        is_quasi_judicial=item.is_quasi_judicial,
        actor=actor,
    )
    number = item_number(section.position, new_item.position)
    note_agenda_change(later, f"Added item {number}: {item.title} (continued)", actor=actor)
    return new_item


def correct_ballot(
    vote: Vote,
    person_id: int,
    *,
    new_value: rules.BallotValue,
    why: str,
    actor: User | None,
    reason: str | None = None,
    excused: bool = False,
    at: datetime | None = None,
) -> BallotCorrection:
    """Correct one recorded ballot, keeping the old value, who changed it, when and why.

    The vote is decided again under the rules it was first decided under (its snapshot), so a
    later change of the body's settings never changes a corrected result.
    """
    meeting = vote.motion.agenda_item.section.meeting
    ensure_held(meeting)
    if not why.strip():
        raise VoteRefused("Say why the vote is corrected; the correction is part of the record.")
    ballot = next((b for b in vote.ballots if b.person_id == person_id), None)
    if ballot is None:
        raise VoteRefused("That member has no ballot on this roll call.")
    if (
        ballot.value is new_value
        and (ballot.reason or None) == (reason or None)
        and ballot.is_excused == excused
    ):
        raise VoteRefused("The corrected vote is the same as the recorded one.")
    corrected = [
        rules.Ballot(b.person_id, new_value, reason, excused)
        if b.person_id == person_id
        else rules.Ballot(b.person_id, b.value, b.reason, b.is_excused)
        for b in vote.ballots
    ]
    seated = seated_on_meeting_date(meeting)
    settings, threshold, roll, kind, quasi_judicial = decided_under(vote, seated)
    try:
        outcome = rules.decide(
            settings,
            threshold=threshold,
            roll=roll,
            ballots=corrected,
            names=member_names(seated),
            kind=kind,
            quasi_judicial=quasi_judicial,
        )
    except rules.RuleViolation as violation:
        raise VoteRefused(*(f"{m}." for m in violation.messages)) from None
    correction = BallotCorrection(
        ballot_id=ballot.id,
        old_value=ballot.value,
        new_value=new_value,
        old_reason=ballot.reason,
        why=why.strip(),
        corrected_at=at or utcnow(),
        corrected_by_id=actor.id if actor is not None else None,
    )
    db.session.add(correction)
    ballot.value, ballot.reason, ballot.is_excused = new_value, reason, excused
    _store_outcome(vote, outcome)
    if vote.rules_snapshot is None:
        vote.rules_snapshot = rules.snapshot(
            settings, threshold, roll, kind=kind, quasi_judicial=quasi_judicial
        )
    db.session.flush()
    ballots_recorded.send(vote, meeting=meeting)
    record_event(
        "vote.correct",
        vote,
        actor=actor,
        details={
            "person_id": person_id,
            "old": correction.old_value.value,
            "new": new_value.value,
            "why": correction.why,
            "tally": outcome.tally,
        },
        facts=vote_fact(vote),
    )
    return correction


def _store_outcome(vote: Vote, outcome: rules.Outcome) -> None:
    vote.yes_count, vote.no_count = outcome.yes, outcome.no
    vote.abstain_count, vote.recused_count = outcome.abstain, outcome.recused
    vote.absent_count, vote.required = outcome.absent, outcome.required
    vote.result, vote.explanation = outcome.result, outcome.explanation
    vote.fallback_result = outcome.fallback_result


def decided_under(
    vote: Vote, seated: list[Membership]
) -> tuple[rules.VotingRules, str, rules.Roll, rules.MotionKind, bool]:
    """Return the settings, threshold, facts, motion kind and hearing kind a vote is decided on.

    A vote with a snapshot keeps the rules it was recorded under; an older one (before
    snapshots) is decided under the body's settings, as it always was.
    """
    snap = vote.rules_snapshot
    if snap:
        return (
            rules.rules_from_snapshot(snap),
            snap["threshold"],
            rules.roll_from_snapshot(snap),
            rules.MotionKind(snap.get("kind", vote.motion.kind.value)),
            bool(snap.get("quasi_judicial")),
        )
    meeting = vote.motion.agenda_item.section.meeting
    return (
        voting_rules(meeting.body),
        vote.motion.threshold,
        roll_at(meeting, vote.recorded_at, seated),
        vote.motion.kind,
        vote.motion.agenda_item.is_quasi_judicial,
    )
