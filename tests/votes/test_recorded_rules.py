"""Charter rules on recorded votes: the roll at the vote, the snapshot kept with it, and what
follows (corrections, dispositions, disclosures), through the operations on a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from agenda.bodies.rules import AbstentionPolicy, PresidingVote, SeatBase
from agenda.extensions import db
from agenda.meetings.models import Attendance
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import Disposition, MeetingStatus
from agenda.minutes.models import Disclosure
from agenda.votes.operations import (
    VoteRefused,
    move_motion,
    record_roll_call,
    record_unanimous_consent,
)
from agenda.votes.outcomes import correct_ballot
from agenda.votes.rules import (
    AttendanceStatus,
    Ballot,
    BallotValue,
    Condition,
    MotionKind,
    MotionResult,
    ThresholdRule,
    Trigger,
    parse_spec,
    snapshot_sentence,
)
from tests.conftest import count_rows

START = datetime(2026, 7, 7, 21, 0, tzinfo=UTC)
AT = START + timedelta(hours=1)
YES, NO, ABSTAIN, RECUSED, NOT_VOTING = (
    BallotValue.YES,
    BallotValue.NO,
    BallotValue.ABSTAIN,
    BallotValue.RECUSED,
    BallotValue.NOT_VOTING,
)


@pytest.fixture
def sitting(make_body, make_meeting):
    """Make a body with `settings`, in session, members present except `absent` (0-based)."""

    def make(absent=(), *, left_unexcused=(), quasi_judicial=False, **settings):
        body = make_body(**settings)
        meeting = make_meeting(body=body, scheduled_at=START, status=MeetingStatus.IN_PROGRESS)
        people = [m.person for m in body.memberships]
        for i, person in enumerate(people):
            if i in left_unexcused:
                stay = Attendance(
                    person_id=person.id,
                    status=AttendanceStatus.PRESENT,
                    left_at=START + timedelta(minutes=30),
                )
            elif i in absent:
                stay = Attendance(person_id=person.id, status=AttendanceStatus.ABSENT)
            else:
                stay = Attendance(person_id=person.id, status=AttendanceStatus.PRESENT)
            meeting.attendance.append(stay)
        item = add_item(section_titled(meeting, "Resolutions"), title="An item", actor=None)
        item.is_quasi_judicial = quasi_judicial
        db.session.commit()
        return meeting, item, people

    return make


def motion_on(item, people, threshold=None, kind=MotionKind.MAIN):
    return move_motion(
        item,
        kind=kind,
        text="Move to adopt.",
        mover_id=people[5].id,
        seconder_id=people[1].id,
        actor=None,
        threshold=threshold,
        at=AT - timedelta(minutes=5),
    )


def roll(people, values):
    """Ballots in seat order; recusals and abstentions carry a reason."""
    return [
        Ballot(p.id, v, "Owns the lot next door" if v in (RECUSED, ABSTAIN) else None)
        for p, v in zip(people, values, strict=True)
    ]


def test_a_vote_keeps_the_rule_it_was_decided_under_when_the_body_changes(sitting):
    """A later change of the body's settings never changes a recorded result (issue 11)."""
    meeting, item, people = sitting(abstention_policy=AbstentionPolicy.ALLOWED)
    motion = motion_on(item, people, threshold="majority:present_voting")
    vote = record_roll_call(
        motion, roll(people, [YES, YES, YES, NO, NO, ABSTAIN, ABSTAIN]), actor=None, at=AT
    )
    db.session.commit()
    assert vote.result is MotionResult.FAILED  # 3 of 7 present, 4 required
    assert vote.rules_snapshot["threshold"] == "majority:present_voting"
    assert vote.rules_snapshot["rules"]["abstention_policy"] == "allowed"

    # The body then adopts Kentucky's rule: abstentions counted with the majority.
    meeting.body.abstention_policy = AbstentionPolicy.WITH_MAJORITY
    db.session.commit()
    correct_ballot(vote, people[4].id, new_value=YES, why="Misheard at the dais", actor=None)
    db.session.commit()
    # Decided again under the snapshot: 4-1 with two abstentions not counted, 4 required.
    assert (vote.yes_count, vote.no_count, vote.abstain_count) == (4, 1, 2)
    assert vote.result is MotionResult.PASSED
    assert snapshot_sentence(vote.rules_snapshot) == (
        "Rule: majority of members present; quorum 4 of 7 seats; abstentions are not counted."
    )


def test_a_quasi_judicial_abstention_is_recorded_without_a_form_8b(sitting):
    """Fla. Stat. 286.012: abstaining to keep a quasi-judicial hearing fair; no Form 8B is due,
    while a recusal for a conflict still opens one."""
    _, item, people = sitting(quasi_judicial=True)
    vote = record_roll_call(
        motion_on(item, people),
        roll(people, [YES, YES, YES, YES, NO, ABSTAIN, YES]),
        actor=None,
        at=AT,
    )
    db.session.commit()
    assert vote.result is MotionResult.PASSED
    assert count_rows(Disclosure) == 0

    other = add_item(item.section, title="Another hearing", actor=None)
    other.is_quasi_judicial = True
    record_roll_call(
        motion_on(other, people),
        roll(people, [YES, YES, YES, YES, NO, RECUSED, NO]),
        actor=None,
        at=AT,
    )
    db.session.commit()
    assert count_rows(Disclosure) == 1


def test_outside_a_quasi_judicial_hearing_the_florida_rule_refuses_the_abstention(sitting):
    _, item, people = sitting()
    with pytest.raises(VoteRefused) as refused:
        record_roll_call(
            motion_on(item, people),
            roll(people, [YES, YES, YES, YES, NO, ABSTAIN, YES]),
            actor=None,
            at=AT,
        )
    assert "cannot abstain" in refused.value.messages[0]


def test_a_mayor_who_votes_only_on_a_tie_breaks_one(sitting):
    """N.C.G.S. 160A-69: the mayor votes only when the council is equally divided."""
    settings = {
        "presiding_seat": 1,
        "presiding_vote": PresidingVote.TIE_ONLY,
        "is_presiding_seat_counted": False,
        "abstention_policy": AbstentionPolicy.ALLOWED,
    }
    _, item, people = sitting(**settings)
    tie = roll(people, [YES, YES, YES, YES, NO, NO, NO])[1:]
    with pytest.raises(VoteRefused):  # the six others are 3-3 only without the mayor's vote...
        record_roll_call(
            motion_on(item, people, "majority:cast"),
            [Ballot(people[0].id, YES), *roll(people[1:], [YES, YES, YES, NO, NO, YES])],
            actor=None,
            at=AT,
        )
    vote = record_roll_call(
        motion_on(item, people, "majority:cast"),
        [Ballot(people[0].id, YES), *tie],
        actor=None,
        at=AT,
    )
    assert (vote.yes_count, vote.no_count) == (4, 3)
    assert vote.result is MotionResult.PASSED
    assert "presiding, broke a tie" in vote.explanation


def test_without_objection_a_mayor_who_votes_only_on_ties_is_recorded_not_voting(sitting):
    _, item, people = sitting(presiding_seat=1, presiding_vote=PresidingVote.TIE_ONLY)
    vote = record_unanimous_consent(motion_on(item, people), actor=None, at=AT)
    values = {b.person_id: b.value for b in vote.ballots}
    assert values[people[0].id] is NOT_VOTING
    assert (vote.yes_count, vote.no_count) == (6, 0)


def test_an_emergency_ordinance_failing_as_such_passes_as_an_ordinary_one(sitting):
    """One motion, two results: four-fifths as an emergency measure, else a majority."""
    rule = ThresholdRule(
        parse_spec("4/5:full"),
        fallback=parse_spec("majority:full"),
        name="an emergency ordinance",
        fallback_name="an ordinary ordinance",
    )
    _, item, people = sitting()
    vote = record_roll_call(
        motion_on(item, people, rule.code),
        roll(people, [YES, YES, YES, YES, YES, NO, NO]),
        actor=None,
        at=AT,
    )
    assert vote.result is MotionResult.FAILED
    assert vote.fallback_result is MotionResult.PASSED
    assert vote.explanation == (
        "Failed as an emergency ordinance 5-2 (6 votes required: four-fifths of the full body"
        " of 7 seats). Passed as an ordinary ordinance (4 votes required: majority of the full"
        " body of 7 seats)"
    )


def test_off_agenda_action_needs_unanimity_when_few_are_present(sitting):
    """Cal. Gov. Code 54954.2(b)(2): two-thirds of members present, or all of them when fewer
    than two-thirds of the body are present: 4 of 7 present, all four must agree."""
    rule = ThresholdRule(
        parse_spec("2/3:present_voting"),
        conditions=(Condition(Trigger.FEW_PRESENT, parse_spec("all:present_voting")),),
        citation="Cal. Gov. Code 54954.2(b)(2)",
    )
    _, item, people = sitting(absent=(1, 2, 3), abstention_policy=AbstentionPolicy.ALLOWED)
    ballots = [
        Ballot(p.id, BallotValue.ABSENT) if i in (1, 2, 3) else Ballot(p.id, YES)
        for i, p in enumerate(people)
    ]
    ballots[6] = Ballot(people[6].id, NO)
    mover = move_motion(
        item,
        kind=MotionKind.MAIN,
        text="Add the item.",
        mover_id=people[5].id,
        seconder_id=people[4].id,
        actor=None,
        threshold=rule.code,
        at=AT - timedelta(minutes=5),
    )
    vote = record_roll_call(mover, ballots, actor=None, at=AT)
    assert vote.required == 4
    assert vote.result is MotionResult.FAILED
    assert "Cal. Gov. Code 54954.2(b)(2)" in vote.explanation


def test_a_tie_with_members_absent_leaves_the_item_for_continuation(sitting):
    _, item, people = sitting(absent=(6,), is_tie_continued=True)
    vote = record_roll_call(
        motion_on(item, people, "majority:cast"),
        [*roll(people[:6], [YES, YES, YES, NO, NO, NO]), Ballot(people[6].id, BallotValue.ABSENT)],
        actor=None,
        at=AT,
    )
    assert vote.result is MotionResult.FAILED
    assert "continued to a later meeting" in vote.explanation
    assert item.disposition is None


def test_vacant_seats_leave_a_filled_seat_body_and_its_quorum(make_body, make_meeting):
    """N.C.G.S. 160A-74: quorum is a majority of the actual membership, vacant seats excluded:
    with 2 of 7 seats vacant, 3 members make a quorum."""
    body = make_body(seat_base=SeatBase.FILLED, abstention_policy=AbstentionPolicy.ALLOWED)
    for membership in body.memberships[5:]:
        membership.ends_on = date(2021, 1, 1)
    meeting = make_meeting(body=body, scheduled_at=START, status=MeetingStatus.IN_PROGRESS)
    people = [m.person for m in body.memberships[:5]]
    meeting.attendance = [
        Attendance(
            person_id=p.id, status=AttendanceStatus.PRESENT if i < 3 else AttendanceStatus.ABSENT
        )
        for i, p in enumerate(people)
    ]
    item = add_item(section_titled(meeting, "Resolutions"), title="An item", actor=None)
    db.session.commit()
    motion = move_motion(
        item,
        kind=MotionKind.MAIN,
        text="Move.",
        mover_id=people[0].id,
        seconder_id=people[1].id,
        actor=None,
        threshold="majority:full",
        at=AT - timedelta(minutes=5),
    )
    ballots = [Ballot(p.id, YES if i < 3 else BallotValue.ABSENT) for i, p in enumerate(people)]
    vote = record_roll_call(motion, ballots, actor=None, at=AT)
    assert vote.result is MotionResult.PASSED
    assert vote.required == 3
    assert vote.explanation == (
        "Passed 3-0 (3 votes required: majority of the full body of 5 filled seats (2 vacant))"
    )
    assert vote.rules_snapshot["vacancies"] == 2


def test_a_member_who_left_unexcused_counts_present_and_yes(sitting):
    """N.C.G.S. 160A-74, 160A-75: withdrawn without being excused, counted present and yes."""
    _, item, people = sitting(
        left_unexcused=(6,),
        is_unexcused_departure_present=True,
        abstention_policy=AbstentionPolicy.SILENCE_AS_YES,
    )
    away = Ballot(people[6].id, BallotValue.ABSENT)
    ballots = [*roll(people[:6], [YES, YES, NO, NO, NO, ABSTAIN]), away]
    vote = record_roll_call(motion_on(item, people, "majority:cast"), ballots, actor=None, at=AT)
    assert (vote.yes_count, vote.no_count) == (4, 3)
    assert vote.result is MotionResult.PASSED
    assert "counted yes (N.C.G.S. 160A-75)" in vote.explanation
    assert "left without being excused counted present and yes" in vote.explanation


def test_the_main_motion_decides_the_item_by_its_fallback(sitting, app):
    """The console proposes adopting an item whose motion passed only under the fallback."""
    from agenda.votes.forms import disposition_form

    rule = ThresholdRule(
        parse_spec("4/5:full"),
        fallback=parse_spec("majority:full"),
        name="an emergency ordinance",
        fallback_name="an ordinary ordinance",
    )
    _, item, people = sitting()
    motion = motion_on(item, people, rule.code)
    record_roll_call(motion, roll(people, [YES, YES, YES, YES, YES, NO, NO]), actor=None, at=AT)
    db.session.commit()
    with app.test_request_context():
        form = disposition_form(item.motions, [], formdata=None)
    assert form.disposition.data is Disposition.ADOPTED
