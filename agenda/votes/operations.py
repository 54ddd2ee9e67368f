"""Record roll calls: check the body's rules, store ballots and the decided tally."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from agenda.audit.operations import record_event
from agenda.bodies.models import Body
from agenda.bodies.queries import roster
from agenda.db import utcnow
from agenda.extensions import db
from agenda.votes import rules
from agenda.votes.models import Ballot, Motion, Vote

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.meetings.models import Meeting


def voting_rules(body: Body) -> rules.VotingRules:
    """Return a body's stored settings as the rules engine's value."""
    return rules.VotingRules(
        seats=body.seats,
        quorum_rule=body.quorum_rule,
        quorum_fixed=body.quorum_fixed,
        abstention_policy=body.abstention_policy,
        recused_count_for_quorum=body.is_recused_counted_for_quorum,
    )


def record_roll_call(
    motion: Motion,
    ballots: list[rules.Ballot],
    *,
    actor: User | None,
    at: datetime | None = None,
) -> Vote:
    """Decide and store a roll call on `motion`; raise rules.RuleViolation if refused."""
    meeting: Meeting = motion.agenda_item.section.meeting
    body = meeting.body
    at = at or utcnow()
    local_day = meeting.scheduled_at.astimezone(ZoneInfo(meeting.timezone)).date()
    seated = roster(body.id, local_day)
    present = rules.present_at(
        (
            rules.AttendanceRecord(a.person_id, a.status, a.arrived_at, a.left_at)
            for a in meeting.attendance
        ),
        at,
    )
    # Seated members who are not present are recorded as absent, so the record is complete.
    given = {b.person_id for b in ballots}
    ballots = ballots + [
        rules.Ballot(m.person_id, rules.BallotValue.ABSENT)
        for m in seated
        if m.person_id not in present and m.person_id not in given
    ]
    outcome = rules.decide(
        voting_rules(body),
        threshold=motion.threshold,
        roster_ids=[m.person_id for m in seated],
        present_ids=present,
        ballots=ballots,
        names={m.person_id: f"{m.title} {m.person.name}" for m in seated},
    )
    vote = Vote(
        motion=motion,
        yes_count=outcome.yes,
        no_count=outcome.no,
        abstain_count=outcome.abstain,
        recused_count=outcome.recused,
        absent_count=outcome.absent,
        required=outcome.required,
        result=outcome.result,
        explanation=outcome.explanation,
        recorded_at=at,
        recorded_by_id=actor.id if actor is not None else None,
        ballots=[Ballot(person_id=b.person_id, value=b.value, reason=b.reason) for b in ballots],
    )
    db.session.add(vote)
    db.session.flush()
    record_event(
        "vote.record",
        vote,
        actor=actor,
        details={"motion_id": motion.id, "tally": outcome.tally, "result": outcome.result.value},
    )
    return vote
