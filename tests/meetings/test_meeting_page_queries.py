"""The public meeting page runs the same number of SQL queries for 5 items as for 60."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agenda.extensions import db
from agenda.meetings.models import Attendance
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import MeetingStatus
from agenda.votes.models import Motion
from agenda.votes.operations import record_roll_call
from agenda.votes.rules import AttendanceStatus, Ballot, BallotValue, MotionKind, Threshold

START = datetime(2026, 7, 7, 21, tzinfo=UTC)


def meeting_with_votes(body, make_meeting, items: int):
    meeting = make_meeting(body=body, scheduled_at=START, status=MeetingStatus.IN_PROGRESS)
    people = [m.person for m in body.memberships]
    meeting.attendance = [Attendance(person=p, status=AttendanceStatus.PRESENT) for p in people]
    section = section_titled(meeting, "Resolutions")
    for n in range(items):
        item = add_item(section, title=f"Resolution {n}", actor=None)
        motion = Motion(agenda_item=item, position=1, kind=MotionKind.MAIN, text="Adopt.",
                        mover_id=people[0].id, seconder_id=people[1].id,
                        threshold=Threshold.MAJORITY_PRESENT)  # fmt: skip
        db.session.add(motion)
        db.session.flush()
        record_roll_call(motion, [Ballot(p.id, BallotValue.YES) for p in people], actor=None,
                         at=START + timedelta(minutes=n))  # fmt: skip
    db.session.commit()
    return meeting


def page_queries(client, count_queries, meeting) -> tuple[int, str]:
    db.session.expire_all()
    with count_queries() as statements:
        page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    return len(statements), page


def test_query_count_does_not_grow_with_items(client, count_queries, make_body, make_meeting):
    body = make_body()
    small = meeting_with_votes(body, make_meeting, 5)
    large = meeting_with_votes(body, make_meeting, 60)
    small_count, small_page = page_queries(client, count_queries, small)
    large_count, large_page = page_queries(client, count_queries, large)
    # The agenda shows every result; the live panel above it (in session) the latest 3 again.
    assert small_page.count("Passed 7-0") == 5 + 3
    assert large_page.count("Passed 7-0") == 60 + 3
    assert small_count == large_count
