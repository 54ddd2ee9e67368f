"""How meetings and agenda items are named on pages and in lists: numbers, labels, titles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from agenda.meetings.rules import (
    AttendanceStatus,
    Disposition,
    Stay,
    item_number,
    status_label,
    stays_label,
)
from agenda.timefmt import format_date, format_datetime, local

if TYPE_CHECKING:
    from agenda.bodies.models import Membership
    from agenda.meetings.models import AgendaItem, Attendance, Meeting

DISPOSITION_LABELS = {d: d.value.replace("_", " ").capitalize() for d in Disposition} | {
    Disposition.CONTINUED: "Continued to a later meeting"
}


def number_of(item: AgendaItem) -> str:
    """Return an item's printed number, like '6.b'."""
    return item_number(item.section.position, item.position)


def label_of(item: AgendaItem) -> str:
    """Return an item's number, file number and title, as the agenda prints them."""
    prefix = f"{item.matter.file_number} " if item.matter else ""
    return f"{number_of(item)}: {prefix}{item.title}"


def meeting_name(meeting: Meeting) -> str:
    """Return 'Regular meeting'."""
    return f"{meeting.meeting_type.value.capitalize()} meeting"


def meeting_label(meeting: Meeting) -> str:
    """Name a meeting by its day and status: 'Regular meeting, July 7, 2026 (published)'."""
    day = format_date(meeting.scheduled_at, meeting.timezone)
    return f"{meeting_name(meeting)}, {day} ({status_label(meeting.status)})"


def meeting_time_label(meeting: Meeting) -> str:
    """Name a meeting by its local start: 'Regular meeting, Tuesday, July 7, 2026, 5:00 PM EDT'."""
    return f"{meeting_name(meeting)}, {format_datetime(meeting.scheduled_at, meeting.timezone)}"


def document_title(meeting: Meeting, kind: str) -> str:
    """Return a document's title: 'Key West City Commission regular meeting agenda, ...'."""
    day = format_date(meeting.scheduled_at, meeting.timezone)
    return f"{meeting.body.name} {meeting.meeting_type.value} meeting {kind}, {day}"


def download_name(meeting: Meeting, kind: str) -> str:
    """Return a document's file name: '2025-07-08 Key West City Commission minutes.pdf'."""
    day = local(meeting.scheduled_at, meeting.timezone)
    return f"{day:%Y-%m-%d} {meeting.body.name} {kind}.pdf"


def member_stays(records: Iterable[Attendance], person_id: int) -> list[Attendance]:
    """Return a member's attendance rows, by arrival (the one without an arrival first)."""
    mine = [a for a in records if a.person_id == person_id]
    return sorted(mine, key=lambda a: (a.arrived_at is not None, a.arrived_at or datetime.min))


@dataclass(frozen=True)
class Presence:
    """A member present at a meeting, with their stays in words ("" for the whole meeting)."""

    person_id: int
    stays: str


def attendance_lines(
    meeting: Meeting, members: Mapping[int, Membership]
) -> tuple[list[Presence], list[int]]:
    """Return who was present, each with their stays, and who was absent, in seat order."""

    def seat(person_id: int) -> tuple[int, int]:
        member = members.get(person_id)
        return (member.seat if member is not None else 1_000, person_id)

    present = sorted(
        {a.person_id for a in meeting.attendance if a.status is AttendanceStatus.PRESENT}, key=seat
    )
    absent = sorted(
        {a.person_id for a in meeting.attendance if a.status is AttendanceStatus.ABSENT}, key=seat
    )
    lines = [
        Presence(
            pid,
            stays_label(
                [Stay(a.arrived_at, a.left_at) for a in member_stays(meeting.attendance, pid)],
                meeting.timezone,
            ),
        )
        for pid in present
    ]
    return lines, absent
