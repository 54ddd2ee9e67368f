"""Meetings and matters say when anything of theirs last changed (the API's updated_since)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from agenda.extensions import db
from agenda.matters.operations import add_history
from agenda.matters.rules import MatterAction
from agenda.meetings.models import Attendance, Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import MeetingStatus
from agenda.votes.models import Ballot as BallotRow
from agenda.votes.operations import move_motion, record_roll_call
from agenda.votes.rules import AttendanceStatus, Ballot, BallotValue, MotionKind, Threshold

START = datetime(2026, 7, 7, 21, 0, tzinfo=UTC)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def _age(*meetings: Meeting) -> None:
    """Set the meetings' stamps far back, so a change is seen as a later stamp."""
    ids = [m.id for m in meetings]
    db.session.execute(sa.update(Meeting).where(Meeting.id.in_(ids)).values(updated_at=LONG_AGO))
    db.session.commit()
    db.session.expire_all()


def test_a_ballot_or_an_attendance_change_stamps_only_its_own_meeting(make_body, make_meeting):
    body = make_body()
    meeting = make_meeting(body=body, scheduled_at=START, status=MeetingStatus.IN_PROGRESS)
    other = make_meeting(body=body, scheduled_at=START + timedelta(days=7))
    people = [m.person for m in body.memberships]
    meeting.attendance = [
        Attendance(person_id=p.id, status=AttendanceStatus.PRESENT) for p in people
    ]
    item = add_item(section_titled(meeting, "Resolutions"), title="A resolution", actor=None)
    db.session.commit()
    _age(meeting, other)

    motion = move_motion(
        item, kind=MotionKind.MAIN, text="Move to adopt.", mover_id=people[5].id,
        seconder_id=people[1].id, actor=None, at=START + timedelta(hours=1),
        threshold=Threshold.MAJORITY_PRESENT,
    )  # fmt: skip
    record_roll_call(motion, [Ballot(p.id, BallotValue.YES) for p in people], actor=None,
                     at=START + timedelta(hours=1))  # fmt: skip
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).updated_at > LONG_AGO + timedelta(days=365)
    assert db.session.get(Meeting, other.id).updated_at == LONG_AGO

    _age(meeting)
    ballot = db.session.execute(sa.select(BallotRow).limit(1)).scalar_one()
    ballot.reason = "noted"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).updated_at > LONG_AGO + timedelta(days=365)


def test_a_rolled_back_change_stamps_nothing(make_meeting):
    meeting = make_meeting()
    _age(meeting)
    add_item(section_titled(meeting, "Discussion"), title="Never saved", actor=None)
    db.session.rollback()
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).updated_at == LONG_AGO


def test_a_matter_history_entry_stamps_the_matter(matter):
    db.session.execute(sa.update(type(matter)).values(updated_at=LONG_AGO))
    db.session.commit()
    db.session.expire_all()
    add_history(matter, MatterAction.AMENDED, occurred_at=START, note="Amended")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(type(matter), matter.id).updated_at > LONG_AGO + timedelta(days=365)
