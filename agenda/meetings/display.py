"""How meetings and agenda items are named on pages and in lists: numbers, labels, titles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agenda.meetings.rules import Disposition, item_number, status_label
from agenda.timefmt import format_date, format_datetime, local

if TYPE_CHECKING:
    from agenda.meetings.models import AgendaItem, Meeting

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
