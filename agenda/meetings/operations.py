"""Writes on meetings: create one with its agenda sections, add items."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from agenda.audit.operations import record_event
from agenda.bodies.models import Body
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.rules import DEFAULT_SECTIONS, MeetingType

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.matters.models import Matter


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
    """Create a draft meeting whose agenda is laid out from the standard sections."""
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
            for i, (title, consent) in enumerate(DEFAULT_SECTIONS, start=1)
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
    minutes_of: Meeting | None = None,
) -> AgendaItem:
    """Append an item at the end of a section."""
    last = db.session.execute(
        sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.section_id == section.id)
    ).scalar_one()
    item = AgendaItem(
        section=section,
        position=(last or 0) + 1,
        title=title,
        description=description,
        matter=matter,
        minutes_of_id=minutes_of.id if minutes_of is not None else None,
    )
    db.session.add(item)
    db.session.flush()
    record_event(
        "agenda_item.create",
        item,
        actor=actor,
        details={"meeting_id": section.meeting_id, "title": title},
    )
    return item
