"""How meetings and agenda items are named on pages and in lists: numbers, labels, titles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from agenda.meetings.rules import AttendanceStatus, Disposition, item_number, status_label
from agenda.timefmt import clock_time, format_date, format_datetime, local, utc_to_local

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
    """A member's attendance at a meeting in words, for the lists and the console.

    `stays` are the times ("arrived 6:20 PM, left 8:40 PM (excused)"; "" for the whole
    meeting); `note` follows the name: "(remote)" for a member present remotely, "(excused)"
    for an absence the body excused.
    """

    person_id: int
    is_present: bool = True
    stays: str = ""
    is_remote: bool = False
    is_excused: bool = False

    @property
    def note(self) -> str:
        if self.is_present:
            return "(remote)" if self.is_remote else ""
        return "(excused)" if self.is_excused else ""

    @property
    def summary(self) -> str:
        """Say what was recorded in one phrase, as the console repeats it ("" if nothing to add)."""
        if not self.is_present:
            return "absent (excused)" if self.is_excused else ""
        return ", ".join(w for w in ("present (remote)" if self.is_remote else "", self.stays) if w)


def presence_of(rows: Sequence[Attendance], tz: str) -> Presence:
    """Describe one member's attendance rows (`member_stays`, in order) in words."""
    first = rows[0]
    if first.status is AttendanceStatus.ABSENT:
        return Presence(first.person_id, is_present=False, is_excused=first.is_excused)
    words = []
    for i, row in enumerate(rows):
        if row.arrived_at is not None:
            words.append(f"{'returned' if i else 'arrived'} {_clock(row.arrived_at, tz)}")
        if row.left_at is not None:
            excused = " (excused)" if row.is_excused else ""
            words.append(f"left {_clock(row.left_at, tz)}{excused}")
    return Presence(first.person_id, stays=", ".join(words), is_remote=first.is_remote)


def attendance_lines(
    meeting: Meeting, members: Mapping[int, Membership]
) -> tuple[list[Presence], list[Presence]]:
    """Return who was present and who was absent, each in words, in seat order."""

    def seat(person_id: int) -> tuple[int, int]:
        member = members.get(person_id)
        return (member.seat if member is not None else 1_000, person_id)

    everyone = sorted({a.person_id for a in meeting.attendance}, key=seat)
    lines = [
        presence_of(member_stays(meeting.attendance, pid), meeting.timezone) for pid in everyone
    ]
    return [p for p in lines if p.is_present], [p for p in lines if not p.is_present]


def _clock(instant: datetime, tz: str) -> str:
    return clock_time(utc_to_local(instant, tz)[1])
