"""Dispositions, continuation to a later meeting, attendance and ballot corrections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from agenda.db import utcnow
from agenda.errors import Refused
from agenda.extensions import db
from agenda.matters.operations import place_on_agenda
from agenda.matters.rules import MatterAction, MatterStatus
from agenda.meetings.rules import Disposition, MeetingStatus
from agenda.meetings.session import adjourn, call_to_order, record_attendance
from agenda.votes.models import BallotCorrection
from agenda.votes.operations import VoteRefused, move_motion, record_roll_call
from agenda.votes.outcomes import correct_ballot, set_disposition
from agenda.votes.rules import AttendanceStatus, Ballot, BallotValue, MotionKind, Threshold
from tests.conftest import publish_pending

START = datetime(2026, 7, 7, 21, tzinfo=UTC)
DURING = START + timedelta(hours=1)


@pytest.fixture
def session(body, matter, make_meeting):
    """A meeting in progress with everyone present and the matter as item 6.a."""
    meeting = make_meeting(body=body, scheduled_at=START)
    item = place_on_agenda(matter, meeting, "Resolutions", actor=None)
    publish_pending(meeting)
    call_to_order(meeting, actor=None, at=START)
    people = [m.person for m in body.memberships]
    for person in people:
        record_attendance(meeting, person.id, status=AttendanceStatus.PRESENT, actor=None)
    db.session.commit()
    return meeting, item, people


def adopt(item, people, no_seats=()):
    motion = move_motion(item, kind=MotionKind.MAIN, text="Adopt.", mover_id=people[0].id,
                         seconder_id=people[1].id, actor=None, at=DURING,
                         threshold=Threshold.MAJORITY_PRESENT)  # fmt: skip
    ballots = [
        Ballot(p.id, BallotValue.NO if i in no_seats else BallotValue.YES)
        for i, p in enumerate(people)
    ]
    return motion, record_roll_call(motion, ballots, actor=None, at=DURING)


def test_adopted_item_updates_the_matter_and_its_history(session, matter):
    meeting, item, people = session
    motion, _ = adopt(item, people, no_seats=(3,))
    set_disposition(item, Disposition.ADOPTED, motion=motion, actor=None)
    adjourn(meeting, actor=None, at=START + timedelta(hours=3))
    db.session.commit()
    assert matter.status is MatterStatus.ADOPTED
    adopted = [h for h in matter.history if h.action is MatterAction.ADOPTED]
    assert adopted[0].note == "Passed 6-1 (4 votes required: majority of the 7 members present)"
    assert adopted[0].motion_id == motion.id
    assert meeting.status is MeetingStatus.ADJOURNED


def test_a_continued_item_appears_on_the_later_draft_agenda(session, matter, make_meeting):
    meeting, item, _ = session
    later = make_meeting(body=meeting.body, scheduled_at=START + timedelta(days=14),
                         published=False)  # fmt: skip
    new_item = set_disposition(item, Disposition.CONTINUED, continued_to=later, actor=None)
    db.session.commit()
    assert new_item is not None and new_item.section.meeting_id == later.id
    assert new_item.section.title == "Resolutions" and new_item.matter_id == matter.id
    assert item.continued_to_id == later.id
    assert [h.action for h in matter.history][-1] is MatterAction.CONTINUED


def test_a_continued_hearing_stays_quasi_judicial(session, make_meeting):
    meeting, item, _ = session
    item.is_quasi_judicial = True
    later = make_meeting(body=meeting.body, scheduled_at=START + timedelta(days=14),
                         published=False)  # fmt: skip
    new_item = set_disposition(item, Disposition.CONTINUED, continued_to=later, actor=None)
    db.session.commit()
    assert new_item is not None and new_item.is_quasi_judicial


def test_continuing_to_an_earlier_meeting_is_refused(session, make_meeting):
    meeting, item, _ = session
    earlier = make_meeting(body=meeting.body, scheduled_at=START - timedelta(days=14))
    with pytest.raises(VoteRefused, match="later meeting of the same body"):
        set_disposition(item, Disposition.CONTINUED, continued_to=earlier, actor=None)


def test_a_correction_keeps_the_old_value_and_retallies(session, make_user, client):
    _, item, people = session
    clerk = make_user()
    _, vote = adopt(item, people, no_seats=(3,))
    db.session.commit()
    correction = correct_ballot(vote, people[3].id, new_value=BallotValue.YES, actor=clerk,
                                why="The clerk misheard the member at the dais.")  # fmt: skip
    db.session.commit()
    assert vote.explanation.startswith("Passed 7-0")
    assert (correction.old_value, correction.new_value) == (BallotValue.NO, BallotValue.YES)
    assert correction.corrected_by_id == clerk.id
    assert db.session.execute(sa.select(sa.func.count(BallotCorrection.id))).scalar_one() == 1
    page = " ".join(
        client.get(f"/meetings/{item.section.meeting_id}").get_data(as_text=True).split()
    )
    assert "Passed 7-0" in page
    assert "recorded as no, corrected to yes" in page
    assert "Reason: The clerk misheard the member at the dais." in page


def test_a_correction_needs_a_reason_and_obeys_the_rules(session):
    _, item, people = session
    _, vote = adopt(item, people)
    with pytest.raises(VoteRefused, match="Say why"):
        correct_ballot(vote, people[2].id, new_value=BallotValue.NO, why=" ", actor=None)
    with pytest.raises(VoteRefused, match="cannot abstain"):
        correct_ballot(vote, people[2].id, new_value=BallotValue.ABSTAIN, why="x", actor=None)
    assert vote.explanation.startswith("Passed 7-0")


def test_attendance_refuses_non_members_and_impossible_times(session, make_body):
    meeting, _, people = session
    stranger = make_body().memberships[0].person
    with pytest.raises(Refused, match="seated on the meeting date"):
        record_attendance(meeting, stranger.id, status=AttendanceStatus.PRESENT, actor=None)
    with pytest.raises(Refused, match="cannot leave before arriving"):
        record_attendance(meeting, people[0].id, status=AttendanceStatus.PRESENT, actor=None,
                          arrived_at=DURING, left_at=DURING - timedelta(minutes=5))  # fmt: skip
    present = {"status": AttendanceStatus.PRESENT, "actor": None}
    with pytest.raises(Refused, match=r"arrived at 4:45 PM, before the call to order at 5:00 PM"):
        record_attendance(meeting, people[0].id, arrived_at=START - timedelta(minutes=15),
                          **present)  # fmt: skip
    with pytest.raises(Refused, match="that time has not come yet"):
        record_attendance(meeting, people[0].id, left_at=utcnow() + timedelta(hours=1),
                          **present)  # fmt: skip
    adjourn(meeting, actor=None, at=START + timedelta(hours=3))
    with pytest.raises(Refused, match=r"left at 8:30 PM, after the adjournment at 8:00 PM"):
        record_attendance(meeting, people[0].id, left_at=START + timedelta(hours=3, minutes=30),
                          **present)  # fmt: skip
    record_attendance(meeting, people[0].id, left_at=START + timedelta(hours=2), **present)
