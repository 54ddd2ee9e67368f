"""Two clerks record the same roll call at once on PostgreSQL: one is stored, one is told."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from agenda.bodies.models import Body, Membership, Person
from agenda.extensions import db
from agenda.meetings.models import Attendance
from agenda.meetings.operations import add_item, create_meeting, section_titled
from agenda.meetings.rules import MeetingStatus, MeetingType
from agenda.votes.models import Motion, Vote
from agenda.votes.operations import AlreadyRecorded, record_roll_call
from agenda.votes.rules import AttendanceStatus, Ballot, BallotValue, MotionKind, Threshold

START = datetime(2026, 7, 7, 21, tzinfo=UTC)


@pytest.mark.postgres
def test_two_clerks_recording_at_once_store_one_roll_call(make_app, pg_database):
    app = make_app(pg_database())
    with app.app_context():
        upgrade()
        body = Body(name="Commission", slug="c", seats=3, timezone="America/New_York")
        people = [Person(name=f"Member {n}") for n in range(3)]
        for seat, person in enumerate(people, start=1):
            body.memberships.append(
                Membership(person=person, seat=seat, title="Member", starts_on=date(2020, 1, 1))
            )
        db.session.add(body)
        meeting = create_meeting(body, meeting_type=MeetingType.REGULAR, scheduled_at=START,
                                 location="Hall", actor=None)  # fmt: skip
        meeting.attendance = [Attendance(person=p, status=AttendanceStatus.PRESENT) for p in people]
        meeting.status, meeting.published_at = MeetingStatus.IN_PROGRESS, START - timedelta(days=8)
        item = add_item(section_titled(meeting, "Resolutions"), title="Item", actor=None)
        motion = Motion(agenda_item=item, position=1, kind=MotionKind.MAIN, text="Adopt.",
                        mover_id=people[0].id, seconder_id=people[1].id,
                        threshold=Threshold.MAJORITY_CAST)  # fmt: skip
        db.session.add(motion)
        db.session.commit()
        motion_id, ids = motion.id, [p.id for p in people]
        db.session.remove()

    both_inserted = threading.Barrier(2, timeout=20)
    outcomes: dict[str, str] = {}

    def clerk(name: str, value: BallotValue) -> None:
        with app.app_context():
            try:
                motion = db.session.get(Motion, motion_id)
                assert motion.vote is None  # each clerk saw an open motion
                ballots = [Ballot(pid, value) for pid in ids]
                if name == "second":
                    both_inserted.wait()  # the first clerk holds an uncommitted roll call
                record = record_roll_call(
                    motion, ballots, actor=None, at=START + timedelta(hours=1)
                )
                if name == "first":
                    both_inserted.wait()
                    threading.Event().wait(0.5)  # let the second clerk block on our row
                    outcomes[name] = record.explanation
                db.session.commit()
                outcomes.setdefault(name, "stored")
            except AlreadyRecorded as refused:
                db.session.rollback()
                outcomes[name] = f"refused: {refused}"
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=clerk, args=("first", BallotValue.YES)),
        threading.Thread(target=clerk, args=("second", BallotValue.NO)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes["first"].startswith("Passed 3-0")
    assert outcomes["second"].startswith("refused: Another clerk recorded this roll call")
    with app.app_context():
        votes = db.session.execute(sa.select(Vote)).scalars().all()
        assert [(v.yes_count, v.no_count) for v in votes] == [(3, 0)]
        db.session.remove()
