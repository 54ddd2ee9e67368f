"""Writes on meetings: schedule one with its agenda sections, change its details, add items."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa

from agenda.audit.operations import record_event
from agenda.bodies.models import Body
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.publishing import keep_published_state, note_agenda_change
from agenda.meetings.rules import (
    DEFAULT_SECTIONS,
    LOCATION_MAX,
    MeetingType,
    is_agenda_editable,
    status_label,
)
from agenda.timefmt import format_datetime, local_to_utc

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.matters.models import Matter


class MeetingEditError(Refused):
    """An edit of a meeting or its agenda that the clerk must correct."""


def ensure_editable(meeting: Meeting) -> None:
    """Lock the meeting for this edit; refuse once it has started, ended or been cancelled."""
    # Agenda edits renumber whole sections, so edits of one meeting go one at a time; the status
    # is read under the lock, in case another clerk just called the meeting to order.
    status = db.session.execute(
        sa.select(Meeting.status).where(Meeting.id == meeting.id).with_for_update()
    ).scalar_one()
    if not is_agenda_editable(status):
        raise MeetingEditError(
            f"This meeting is {status_label(status)}; its details and agenda can no longer be "
            "changed."
        )
    keep_published_state(meeting)


def scheduled_instant(day: date, at: time, timezone: str) -> datetime:
    """Return the UTC start of a meeting from its local date and time, or explain the error."""
    return local_to_utc(day, at, timezone)


def schedule_meeting(
    body: Body,
    *,
    meeting_type: MeetingType,
    day: date,
    at: time | None,
    location: str,
    notes: str,
    actor: User | None,
) -> Meeting:
    """Create a draft meeting at a local date and time in the body's time zone.

    A blank time or place takes the body's usual one.
    """
    at = at or body.default_time
    if at is None:
        raise Refused("Enter the time the meeting starts.", field="at")
    scheduled_at = scheduled_instant(day, at, body.timezone)
    return create_meeting(
        body,
        meeting_type=meeting_type,
        scheduled_at=scheduled_at,
        location=_location(location.strip() or body.default_location),
        notes=notes.strip(),
        actor=actor,
    )


def update_meeting(
    meeting: Meeting,
    *,
    meeting_type: MeetingType,
    day: date,
    at: time,
    location: str,
    notes: str,
    actor: User | None,
) -> list[str]:
    """Change a meeting's type, local time, location and notes; return what changed, in words.

    A published agenda gets a new revision naming the changes.
    """
    ensure_editable(meeting)
    scheduled_at = scheduled_instant(day, at, meeting.timezone)
    location, notes = _location(location), notes.strip()
    changes = []
    if meeting_type != meeting.meeting_type:
        changes.append(f"Meeting type changed to {meeting_type.value}")
    if scheduled_at != meeting.scheduled_at:
        changes.append(f"Time changed to {format_datetime(scheduled_at, meeting.timezone)}")
    if location != meeting.location:
        changes.append(f"Location changed to {location}" if location else "Location removed")
    if notes != meeting.notes:
        changes.append("Notes changed")
    if not changes:
        return []
    meeting.meeting_type = meeting_type
    meeting.scheduled_at = scheduled_at
    meeting.location = location
    meeting.notes = notes
    db.session.flush()
    record_event("meeting.update", meeting, actor=actor, details={"changes": changes})
    note_agenda_change(meeting, "; ".join(changes) + ".", actor=actor)
    return changes


def create_meeting(
    body: Body,
    *,
    meeting_type: MeetingType,
    scheduled_at: datetime,
    location: str,
    actor: User | None,
    notes: str = "",
    is_demo: bool = False,
) -> Meeting:
    """Create a draft meeting laid out in the body's sections (or the standard ones)."""
    meeting = Meeting(
        body=body,
        meeting_type=meeting_type,
        scheduled_at=scheduled_at,
        timezone=body.timezone,
        location=location,
        notes=notes,
        is_demo=is_demo,
        sections=[
            AgendaSection(position=i, title=title, is_consent=consent)
            for i, (title, consent) in enumerate(body.section_template or DEFAULT_SECTIONS, start=1)
        ],
    )
    db.session.add(meeting)
    db.session.flush()
    record_event("meeting.create", meeting, actor=actor, details={"body_id": body.id})
    return meeting


def section_titled(meeting: Meeting, title: str) -> AgendaSection:
    """Return the meeting's section with this title."""
    for section in meeting.sections:
        if section.title == title:
            return section
    raise LookupError(f"The agenda has no section titled {title!r}")


def add_item(
    section: AgendaSection,
    *,
    title: str,
    actor: User | None,
    matter: Matter | None = None,
    description: str = "",
    minutes_of: Sequence[Meeting] = (),
    is_quasi_judicial: bool = False,
) -> AgendaItem:
    """Append an item at the end of a section; `minutes_of` are the minutes it takes up."""
    last = db.session.execute(
        sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.section_id == section.id)
    ).scalar_one()
    item = AgendaItem(
        section=section,
        position=(last or 0) + 1,
        title=title,
        description=description,
        matter=matter,
        minutes_of=list(minutes_of),
        is_quasi_judicial=is_quasi_judicial,
    )
    db.session.add(item)
    db.session.flush()
    record_event(
        "agenda_item.create",
        item,
        actor=actor,
        details={"meeting_id": section.meeting_id, "title": title}
        | ({"minutes_of": sorted(m.id for m in minutes_of)} if minutes_of else {})
        | ({"is_quasi_judicial": True} if is_quasi_judicial else {}),
    )
    return item


def checked_position(
    order: Sequence[object], entry: object, position: int | None, what: str, where: str
) -> int:
    """Return the new 1-based place of `entry` in `order`, or say why it cannot go there."""
    current = order.index(entry) + 1
    if position is None or position == current:
        raise MeetingEditError(f"Choose a new place for {what}.", field="position")
    if position == 0 and current == 1:
        raise MeetingEditError(f"{what.capitalize()} is already first in {where}; it stays.")
    if position == len(order) + 1 and current == len(order):
        raise MeetingEditError(f"{what.capitalize()} is already last in {where}; it stays.")
    if not 1 <= position <= len(order):
        raise MeetingEditError(
            f"There is no place {position} in {where}; choose 1 to {len(order)}.",
            field="position",
        )
    return position


def renumber(rows: Sequence[AgendaItem] | Sequence[AgendaSection]) -> None:
    """Give `rows` the positions 1..n in this order and flush."""
    # UNIQUE(parent, position) and CHECK(position > 0): first park every row above all the
    # current positions, then write 1..n, so no two rows ever share a position mid-flush.
    if [r.position for r in rows] == list(range(1, len(rows) + 1)):
        return
    offset = max(r.position for r in rows) + 1
    for i, row in enumerate(rows):
        row.position = offset + i
    db.session.flush()
    for i, row in enumerate(rows, start=1):
        row.position = i
    db.session.flush()


def _location(location: str) -> str:
    location = location.strip()
    if len(location) > LOCATION_MAX:
        raise MeetingEditError(
            f"Keep the location under {LOCATION_MAX} characters.", field="location"
        )
    return location
