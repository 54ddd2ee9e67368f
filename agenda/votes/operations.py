"""Motions and roll calls: check the body's rules, store ballots and the decided tally."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from agenda.audit.operations import record_event
from agenda.bodies.models import Body, Membership
from agenda.bodies.queries import member_names, voting_settings
from agenda.db import utcnow
from agenda.errors import Conflict, Refused
from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.meetings.queries import seated_on_meeting_date
from agenda.meetings.rules import MeetingStatus
from agenda.meetings.signals import is_record_frozen
from agenda.votes import rules
from agenda.votes.facts import motion_fact, vote_fact
from agenda.votes.models import Ballot, Motion, Vote
from agenda.votes.signals import ballots_recorded

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.meetings.models import AgendaItem


class VoteRefused(Refused):
    """The rules refuse this motion or roll call."""


class AlreadyRecorded(Conflict):
    """The roll call on this motion is already stored (a double submit or another clerk)."""


def voting_rules(body: Body) -> rules.VotingRules:
    """Return a body's stored settings as the rules engine's value."""
    return rules.VotingRules(**voting_settings(body))


def _records(meeting: Meeting) -> list[rules.AttendanceRecord]:
    return [
        rules.AttendanceRecord(
            a.person_id, a.status, a.arrived_at, a.left_at, a.is_remote, a.is_excused
        )
        for a in meeting.attendance
    ]


def present_members(meeting: Meeting, at: datetime) -> frozenset[int]:
    """Return the ids of the people present at `at` (in the room or remote)."""
    return rules.present_at(_records(meeting), at)


def roll_at(meeting: Meeting, at: datetime, seated: list[Membership] | None = None) -> rules.Roll:
    """Return the facts a vote at `at` is decided on: seats, vacancies, presiding, presence."""
    body = meeting.body
    seated = seated_on_meeting_date(meeting) if seated is None else seated
    where = rules.presence_at(_records(meeting), at)
    filled = {m.seat for m in seated}
    seats = max(body.seats, len(filled))
    presiding = next((m.person_id for m in seated if m.seat == body.presiding_seat), None)
    return rules.Roll(
        seats=seats,
        vacancies=seats - len(filled),
        presence={m.person_id: where.get(m.person_id, rules.Presence.ABSENT) for m in seated},
        presiding_id=presiding,
    )


def item_default_threshold(item: AgendaItem, kind: rules.MotionKind) -> str:
    """Return the threshold a motion of `kind` on `item` starts with, by its body's defaults."""
    return rules.default_threshold(
        kind,
        is_legislation=item.matter_id is not None,
        matter_type=item.matter.matter_type if item.matter is not None else None,
        overrides=item.section.meeting.body.default_thresholds,
    )


def move_motion(
    item: AgendaItem,
    *,
    kind: rules.MotionKind,
    text: str,
    mover_id: int,
    seconder_id: int | None,
    actor: User | None,
    threshold: str | None = None,
    parent: Motion | None = None,
    continued_to_id: int | None = None,
    at: datetime | None = None,
    unseconded: bool = False,
) -> Motion:
    """Put a moved and seconded motion before the body; raise VoteRefused if out of order.

    `unseconded` records a motion nobody seconded, which then dies for lack of a second.
    """
    meeting = item.section.meeting
    at = at or utcnow()
    seated = seated_on_meeting_date(meeting)
    names = member_names(seated)
    present = present_members(meeting, at) & set(names)
    problems = []
    if meeting.status is not MeetingStatus.IN_PROGRESS:
        problems.append("Motions are made while the meeting is in session.")
    if is_record_frozen(meeting.id):
        problems.append("The minutes of this meeting are approved; its record is frozen.")
    if not text.strip():
        problems.append("Write the motion's text.")
    if mover_id not in present:
        problems.append(f"{names.get(mover_id, 'The mover')} is not present and cannot move.")
    if unseconded:
        if seconder_id is not None:
            problems.append(
                "This motion was seconded; only a motion without a second dies for lack of one."
            )
    elif seconder_id is None:
        problems.append(
            "The motion has no second; it cannot be voted on. "
            "Record it as died for lack of a second instead."
        )
    elif seconder_id == mover_id:
        problems.append("The mover cannot second their own motion.")
    elif seconder_id not in present:
        problems.append(f"{names.get(seconder_id, 'The seconder')} is not present to second.")
    problems += _parent_problems(kind, item, parent, mover_id)
    if kind is rules.MotionKind.CONTINUE:
        later = db.session.get(Meeting, continued_to_id) if continued_to_id else None
        if later is None:
            problems.append("Choose the meeting the item is continued to.")
        elif later.body_id != meeting.body_id or later.scheduled_at <= meeting.scheduled_at:
            problems.append("An item is continued to a later meeting of the same body.")
    if threshold is not None and not rules.is_threshold(threshold):
        problems.append("Choose a threshold from the list.")
    if problems:
        raise VoteRefused(*problems)
    position = len(item.motions) + 1
    motion = Motion(
        agenda_item=item,
        position=position,
        kind=kind,
        text=text.strip(),
        mover_id=mover_id,
        seconder_id=seconder_id,
        threshold=threshold or item_default_threshold(item, kind),
        parent=parent,
        continued_to_id=continued_to_id,
        created_at=at,
    )
    db.session.add(motion)
    db.session.flush()
    record_event(
        "motion.create",
        motion,
        actor=actor,
        details={"kind": kind.value, "text": text},
        facts=motion_fact(motion),
    )
    return motion


def _parent_problems(
    kind: rules.MotionKind, item: AgendaItem, parent: Motion | None, mover_id: int
) -> list[str]:
    if kind in {rules.MotionKind.AMENDMENT, rules.MotionKind.SUBSTITUTE}:
        if parent is None or parent.agenda_item_id != item.id:
            return ["An amendment needs the pending motion on this item that it amends."]
        if parent.vote is not None:
            return ["That motion has already been voted on; it can no longer be amended."]
        if parent.ending is not None:
            return [f"That motion was {rules.ENDING_WORDS[parent.ending]}; it cannot be amended."]
    if kind is rules.MotionKind.RECONSIDER:
        if parent is None or parent.vote is None or parent.agenda_item_id != item.id:
            return ["A motion to reconsider needs a motion on this item that was voted on."]
        ballots = [rules.Ballot(b.person_id, b.value) for b in parent.vote.ballots]
        if not rules.can_move_reconsideration(ballots, parent.vote.result, mover_id):
            return [
                "Only a member who voted on the prevailing side may move to reconsider "
                "(Robert's Rules of Order)."
            ]
    return []


def record_roll_call(
    motion: Motion,
    ballots: list[rules.Ballot],
    *,
    actor: User | None,
    at: datetime | None = None,
) -> Vote:
    """Decide and store a roll call; raise VoteRefused (or AlreadyRecorded) and store nothing."""
    return _decide(motion, lambda roll, settings: ballots, rules.VoteMethod.ROLL_CALL, actor, at)


def record_unanimous_consent(
    motion: Motion,
    *,
    actor: User | None,
    recusals: Mapping[int, str] | None = None,
    at: datetime | None = None,
) -> Vote:
    """Carry a motion without objection: every member present yes, decided by the same rules."""
    body = motion.agenda_item.section.meeting.body
    if not body.is_unanimous_consent_allowed:
        raise VoteRefused(
            f"The {body.name} does not carry motions without objection; take a roll call."
        )
    recusals = recusals or {}
    return _decide(
        motion,
        lambda roll, settings: rules.consent_ballots(
            roll.present,
            recusals,
            presiding_id=roll.presiding_id if settings.has_presiding_seat else None,
            presiding_vote=settings.presiding_vote,
        ),
        rules.VoteMethod.UNANIMOUS_CONSENT,
        actor,
        at,
    )


def is_pending(motion: Motion) -> bool:
    """Tell whether a motion still awaits its vote: not voted, not withdrawn, voided or died."""
    return motion.vote is None and motion.ending is None


def _decide(
    motion: Motion,
    ballots_of: Callable[[rules.Roll, rules.VotingRules], list[rules.Ballot]],
    method: rules.VoteMethod,
    actor: User | None,
    at: datetime | None,
) -> Vote:
    meeting: Meeting = motion.agenda_item.section.meeting
    at = at or utcnow()
    if motion.vote is not None:
        raise AlreadyRecorded(_already(motion.vote))
    if motion.ending is not None:
        raise VoteRefused(
            f"Motion {motion.position} was {rules.ENDING_WORDS[motion.ending]}; it takes no vote."
        )
    if meeting.status is not MeetingStatus.IN_PROGRESS:
        raise VoteRefused("Roll calls are taken while the meeting is in session.")
    if is_record_frozen(meeting.id):
        raise VoteRefused("The minutes of this meeting are approved; its votes are frozen.")
    pending = [m for m in motion.agenda_item.motions if m.parent_id == motion.id and is_pending(m)]
    if pending and motion.kind is not rules.MotionKind.RECONSIDER:
        raise VoteRefused("Vote on the pending amendment first; it is decided before the motion.")
    seated = seated_on_meeting_date(meeting)
    roll = roll_at(meeting, at, seated)
    settings = voting_rules(meeting.body)
    ballots = ballots_of(roll, settings)
    given = {b.person_id for b in ballots}
    # Seated members who are not present are recorded as absent, so the record is complete.
    ballots = ballots + [
        rules.Ballot(m.person_id, rules.BallotValue.ABSENT)
        for m in seated
        if m.person_id not in roll.present and m.person_id not in given
    ]
    quasi_judicial = motion.agenda_item.is_quasi_judicial
    try:
        outcome = rules.decide(
            settings,
            threshold=motion.threshold,
            roll=roll,
            ballots=ballots,
            names=member_names(seated),
            kind=motion.kind,
            quasi_judicial=quasi_judicial,
        )
    except rules.RuleViolation as violation:
        raise VoteRefused(*(f"{m}." for m in violation.messages)) from None
    if not outcome.has_quorum:
        raise VoteRefused(f"{outcome.explanation}. A vote cannot be recorded without a quorum.")
    if method is rules.VoteMethod.UNANIMOUS_CONSENT and not outcome.carried:
        raise VoteRefused(
            f"Without objection the motion would still fail: {outcome.explanation}. "
            "Take a roll call."
        )
    vote = Vote(
        motion_id=motion.id,
        method=method,
        yes_count=outcome.yes,
        no_count=outcome.no,
        abstain_count=outcome.abstain,
        recused_count=outcome.recused,
        absent_count=outcome.absent,
        required=outcome.required,
        result=outcome.result,
        fallback_result=outcome.fallback_result,
        explanation=outcome.explanation,
        rules_snapshot=rules.snapshot(
            settings, motion.threshold, roll, kind=motion.kind, quasi_judicial=quasi_judicial
        ),
        recorded_at=at,
        recorded_by_id=actor.id if actor is not None else None,
        ballots=[
            Ballot(person_id=b.person_id, value=b.value, reason=b.reason, is_excused=b.excused)
            for b in ballots
        ],
    )
    # A savepoint turns a concurrent insert by another clerk into a clear refusal.
    try:
        with db.session.begin_nested():
            db.session.add(vote)
    except sa.exc.IntegrityError:
        db.session.expire(motion)
        raise AlreadyRecorded(
            "Another clerk recorded this roll call a moment ago; reload to see it."
        ) from None
    db.session.refresh(motion)
    ballots_recorded.send(vote, meeting=meeting)
    details = {"motion_id": motion.id, "tally": outcome.tally, "result": outcome.result.value}
    if outcome.fallback_result is not None:
        details["fallback_result"] = outcome.fallback_result.value
    if method is not rules.VoteMethod.ROLL_CALL:
        details["method"] = method.value
    record_event("vote.record", vote, actor=actor, details=details, facts=vote_fact(vote))
    return vote


def _already(vote: Vote) -> str:
    return f"This roll call is already recorded: {vote.explanation}."
