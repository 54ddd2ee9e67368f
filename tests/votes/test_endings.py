"""Motions that end without a vote, and votes without objection, through the operations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agenda.extensions import db
from agenda.meetings.models import Attendance
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import MeetingStatus
from agenda.votes.endings import end_motion, record_died
from agenda.votes.models import Motion, Vote
from agenda.votes.operations import (
    VoteRefused,
    move_motion,
    record_roll_call,
    record_unanimous_consent,
)
from agenda.votes.rules import (
    AttendanceStatus,
    Ballot,
    BallotValue,
    MotionEnding,
    MotionKind,
    consent_ballots,
    ending_problems,
)
from tests.conftest import count_rows
from tests.votes.test_roll_call import START, all_votes, motion_on

AT = START + timedelta(hours=1)


@pytest.fixture
def dais(make_body, make_meeting):
    """A 7-seat Florida body in session with everyone present, and one item."""
    body = make_body()
    meeting = make_meeting(body=body, scheduled_at=START, status=MeetingStatus.IN_PROGRESS)
    people = [m.person for m in body.memberships]
    meeting.attendance = [
        Attendance(person_id=p.id, status=AttendanceStatus.PRESENT) for p in people
    ]
    item = add_item(section_titled(meeting, "Resolutions"), title="A resolution", actor=None)
    db.session.commit()
    return meeting, item, people


def ended(item, people, ending: MotionEnding) -> Motion:
    if ending is MotionEnding.DIED:
        return record_died(item, kind=MotionKind.MAIN, text="Move to adopt.",
                           mover_id=people[5].id, seconder_id=None, actor=None, at=AT)  # fmt: skip
    return end_motion(motion_on(item, people), ending, reason="Restated.", actor=None, at=AT)


@pytest.mark.parametrize("ending", list(MotionEnding))
def test_an_ended_motion_takes_no_roll_call_and_no_vote_without_objection(dais, ending):
    _, item, people = dais
    motion = ended(item, people, ending)
    db.session.commit()
    with pytest.raises(VoteRefused, match="it takes no vote"):
        record_roll_call(motion, all_votes(people), actor=None, at=AT)
    with pytest.raises(VoteRefused, match="it takes no vote"):
        record_unanimous_consent(motion, actor=None, at=AT)
    with pytest.raises(VoteRefused, match="already ended"):
        end_motion(motion, MotionEnding.VOIDED, reason="Again.", actor=None, at=AT)
    assert count_rows(Vote) == 0


def test_an_ended_motion_cannot_be_amended_and_no_longer_holds_up_its_parent(dais):
    _, item, people = dais
    main = motion_on(item, people)
    amendment = motion_on(item, people, kind=MotionKind.AMENDMENT, parent=main,
                          mover_id=people[0].id, text="Strike section 2.")  # fmt: skip
    with pytest.raises(VoteRefused, match="still pending"):
        end_motion(main, MotionEnding.WITHDRAWN, reason="Restated.", actor=None, at=AT)
    end_motion(amendment, MotionEnding.WITHDRAWN, reason="Restated.", actor=None, at=AT)
    with pytest.raises(VoteRefused, match="cannot be amended"):
        motion_on(item, people, kind=MotionKind.AMENDMENT, parent=amendment,
                  mover_id=people[0].id)  # fmt: skip
    vote = record_roll_call(main, all_votes(people), actor=None, at=AT)
    assert vote.explanation.startswith("Passed 7-0")
    db.session.rollback()


def test_a_seconded_motion_does_not_die_for_lack_of_a_second(dais):
    _, item, people = dais
    with pytest.raises(VoteRefused, match="This motion was seconded"):
        record_died(item, kind=MotionKind.MAIN, text="Move to adopt.", mover_id=people[5].id,
                    seconder_id=people[1].id, actor=None, at=AT)  # fmt: skip
    with pytest.raises(VoteRefused, match="This motion was seconded"):
        end_motion(motion_on(item, people), MotionEnding.DIED, reason="", actor=None, at=AT)
    db.session.rollback()
    with pytest.raises(VoteRefused, match="Record it as died for lack of a second instead"):
        move_motion(item, kind=MotionKind.MAIN, text="Move.", mover_id=people[5].id,
                    seconder_id=None, actor=None, at=AT)  # fmt: skip


def test_a_recused_member_is_not_counted_yes_without_objection(dais):
    _, item, people = dais
    vote = record_unanimous_consent(motion_on(item, people), recusals={people[2].id: "Owns it"},
                                    actor=None, at=AT)  # fmt: skip
    assert (vote.yes_count, vote.recused_count) == (6, 1)
    assert vote.explanation.startswith("Passed 6-0")
    db.session.rollback()


def test_ending_rules_name_every_problem():
    plain = {"ended": None, "is_voted": False, "is_seconded": True, "pending_motions": 0}
    assert ending_problems(MotionEnding.WITHDRAWN, reason="Restated.", **plain) == []
    assert ending_problems(MotionEnding.VOIDED, reason=" ", **plain) == [
        "Give the reason; it is kept in the record and printed in the minutes."
    ]
    voted = {**plain, "is_voted": True}
    assert (
        "cannot be withdrawn or voided"
        in ending_problems(MotionEnding.WITHDRAWN, reason="x", **voted)[0]
    )
    assert ending_problems(MotionEnding.DIED, reason="", **{**plain, "is_seconded": False}) == []
    assert consent_ballots({3, 1}, {3: "Owns it"}) == [
        Ballot(1, BallotValue.YES),
        Ballot(3, BallotValue.RECUSED, "Owns it"),
    ]
