"""Attendance kinds in the record: members present remotely, absences and departures the body
excused; what the voting rules read from the saved rows, and the words the pages print."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.display import attendance_lines, member_stays, presence_of
from agenda.meetings.models import Attendance, Meeting
from agenda.meetings.rules import AttendanceStatus, Stay, stays_label
from agenda.meetings.session import call_to_order, record_attendance
from agenda.votes.rules import AttendanceRecord, Presence, presence_at

# July 7, 2026, 5:00 PM in Key West.
START = datetime(2026, 7, 7, 21, 0, tzinfo=UTC)
PRESENT, ABSENT = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT


def at(hours: float, minutes: int = 0) -> datetime:
    return START + timedelta(hours=hours, minutes=minutes)


@pytest.fixture
def meeting(body, make_meeting) -> Meeting:
    meeting = make_meeting(body=body, scheduled_at=START)
    call_to_order(meeting, actor=None, at=START)
    db.session.commit()
    return meeting


@pytest.fixture
def people(body) -> list[Any]:
    return [m.person for m in body.memberships]


def rows_of(meeting: Meeting, person_id: int | None = None) -> list[Attendance]:
    db.session.expire_all()
    query = sa.select(Attendance).where(Attendance.meeting_id == meeting.id)
    if person_id is not None:
        query = query.where(Attendance.person_id == person_id)
    return list(db.session.execute(query.order_by(Attendance.id)).scalars())


def records(meeting: Meeting) -> list[AttendanceRecord]:
    """The saved rows as the voting rules take them (as votes.operations.present_members builds
    them, with where and whether excused)."""
    return [
        AttendanceRecord(a.person_id, a.status, a.arrived_at, a.left_at, a.is_remote, a.is_excused)
        for a in rows_of(meeting)
    ]


def details_of(person_id: int) -> dict[str, Any]:
    events = db.session.execute(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "attendance.record")
        .order_by(AuditEvent.id.desc())
    ).scalars()
    return next(e.details for e in events if e.details["person_id"] == person_id)


def test_remote_and_excused_are_saved_and_the_rules_read_them(meeting, people):
    mayor, remote, away, excused, walked_out = (p.id for p in people[:5])
    record_attendance(meeting, mayor, status=PRESENT, actor=None)
    # Remote for the whole meeting, stepping out once: every stay is remote.
    record_attendance(meeting, remote, status=PRESENT, is_remote=True, actor=None,
                      stays=[Stay(None, at(1)), Stay(at(1.5), None)])  # fmt: skip
    record_attendance(meeting, away, status=ABSENT, is_excused=True, actor=None)
    record_attendance(meeting, excused, status=PRESENT, left_at=at(2), actor=None,
                      excused_departures=[at(2)])  # fmt: skip
    record_attendance(meeting, walked_out, status=PRESENT, left_at=at(2), actor=None)
    db.session.commit()

    assert [(a.is_remote, a.is_excused) for a in rows_of(meeting, remote)] == [(True, False)] * 2
    assert [(a.status, a.is_excused) for a in rows_of(meeting, away)] == [(ABSENT, True)]
    assert [a.is_excused for a in rows_of(meeting, excused)] == [True]
    assert [a.is_excused for a in rows_of(meeting, walked_out)] == [False]

    assert presence_at(records(meeting), at(3)) == {
        mayor: Presence.IN_PERSON,
        remote: Presence.REMOTE,
        away: Presence.EXCUSED,
        excused: Presence.EXCUSED,
        walked_out: Presence.LEFT_UNEXCUSED,
    }
    # While the remote member is stepped out, the departure was not excused.
    assert presence_at(records(meeting), at(1.25))[remote] is Presence.LEFT_UNEXCUSED
    assert presence_at(records(meeting), at(1.75))[excused] is Presence.IN_PERSON

    assert details_of(remote)["is_remote"] is True
    assert details_of(away)["is_excused"] is True
    assert details_of(excused)["excused_departures"] == [at(2).isoformat()]
    plain = details_of(walked_out)
    assert (plain["is_remote"], plain["is_excused"], plain["excused_departures"]) == (
        False,
        False,
        [],
    )


def test_saving_again_without_the_flags_clears_them(meeting, people):
    pid = people[1].id
    record_attendance(meeting, pid, status=PRESENT, is_remote=True, left_at=at(1),
                      excused_departures=[at(1)], actor=None)  # fmt: skip
    record_attendance(meeting, pid, status=PRESENT, left_at=at(1), actor=None)
    assert [(a.is_remote, a.is_excused) for a in rows_of(meeting, pid)] == [(False, False)]
    record_attendance(meeting, pid, status=ABSENT, is_excused=True, actor=None)
    record_attendance(meeting, pid, status=ABSENT, actor=None)
    assert [(a.status, a.is_excused) for a in rows_of(meeting, pid)] == [(ABSENT, False)]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": ABSENT, "is_remote": True}, "is marked absent, so cannot be there remotely"),
        ({"status": PRESENT, "is_excused": True}, "is marked present: only an absence is excused"),
        (
            {"status": PRESENT, "excused_departures": [at(1)]},
            "did not leave at 6:00 PM; enter the time they left to excuse it",
        ),
        (
            {"status": PRESENT, "left_at": at(2), "excused_departures": [at(1)]},
            "did not leave at 6:00 PM",
        ),
        ({"status": ABSENT, "excused_departures": [at(1)]}, "has no departure to excuse"),
    ],
)
def test_a_kind_that_makes_no_sense_is_refused_and_nothing_changes(
    meeting, people, fields, message
):
    pid = people[2].id
    record_attendance(meeting, pid, status=PRESENT, actor=None)
    db.session.commit()
    before = [(a.status, a.left_at, a.is_remote, a.is_excused) for a in rows_of(meeting, pid)]
    with pytest.raises(Refused) as refused:
        record_attendance(meeting, pid, actor=None, **fields)
    who = f"Commissioner {people[2].name} "
    assert any(m.startswith(who) and message in m for m in refused.value.messages)
    db.session.rollback()
    after = [(a.status, a.left_at, a.is_remote, a.is_excused) for a in rows_of(meeting, pid)]
    assert after == before


def test_the_lines_say_remote_excused_and_the_excused_departure(meeting, people, body):
    mayor, remote, away, excused, late, absent = (p.id for p in people[:6])
    record_attendance(meeting, mayor, status=PRESENT, actor=None)
    record_attendance(meeting, remote, status=PRESENT, is_remote=True, actor=None)
    record_attendance(meeting, away, status=ABSENT, is_excused=True, actor=None)
    record_attendance(meeting, excused, status=PRESENT, actor=None,
                      stays=[Stay(None, at(1)), Stay(at(1.5), at(3, 40))],
                      excused_departures=[at(3, 40)])  # fmt: skip
    record_attendance(meeting, late, status=PRESENT, arrived_at=at(0, 19), is_remote=True,
                      actor=None)  # fmt: skip
    record_attendance(meeting, absent, status=ABSENT, actor=None)
    members = {m.person_id: m for m in body.memberships}
    present, gone = attendance_lines(meeting, members)

    def line(p: Any) -> str:
        return " ".join(w for w in (str(p.person_id), p.note) if w) + (
            f": {p.stays}" if p.stays else ""
        )

    assert [line(p) for p in present] == [
        f"{mayor}",
        f"{remote} (remote)",
        f"{excused}: left 6:00 PM, returned 6:30 PM, left 8:40 PM (excused)",
        f"{late} (remote): arrived 5:19 PM",
    ]
    assert [line(p) for p in gone] == [f"{away} (excused)", f"{absent}"]
    summaries = {p.person_id: p.summary for p in present + gone}
    assert summaries == {
        mayor: "",
        remote: "present (remote)",
        away: "absent (excused)",
        excused: "left 6:00 PM, returned 6:30 PM, left 8:40 PM (excused)",
        late: "present (remote), arrived 5:19 PM",
        absent: "",
    }


def test_without_the_flags_the_words_are_the_stays_label(meeting, people):
    """The lines existing pages print are unchanged for members in the room, unexcused."""
    shapes = [
        [Stay()],
        [Stay(at(0.25))],
        [Stay(None, at(1))],
        [Stay(at(0.25), at(1))],
        [Stay(None, at(1)), Stay(at(1.5), at(2)), Stay(at(2.25))],
    ]
    for person, stays in zip(people, shapes, strict=False):
        record_attendance(meeting, person.id, status=PRESENT, stays=stays, actor=None)
        mine = member_stays(rows_of(meeting), person.id)
        assert presence_of(mine, meeting.timezone).stays == stays_label(stays, meeting.timezone)
        assert presence_of(mine, meeting.timezone).note == ""
