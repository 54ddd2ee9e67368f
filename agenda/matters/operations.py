"""Writes on legislation: file a matter with its next file number, record its history."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from agenda.audit.operations import record_event
from agenda.bodies.models import Body, Person
from agenda.db import utcnow
from agenda.extensions import db
from agenda.matters.models import Matter, MatterHistoryEvent, MatterSponsor
from agenda.matters.rules import MatterAction, MatterStatus, MatterType, file_number

if TYPE_CHECKING:
    from agenda.auth.models import User


def next_sequence(matter_type: MatterType, year: int) -> int:
    """Return the next free sequence number for a type of matter in a two-digit year."""
    last = db.session.execute(
        sa.select(sa.func.max(Matter.sequence)).where(
            Matter.matter_type == matter_type, Matter.year == year
        )
    ).scalar_one()
    return (last or 0) + 1


def create_matter(
    body: Body,
    *,
    matter_type: MatterType,
    title: str,
    text: str,
    sponsors: list[Person],
    actor: User | None,
    filed_at: datetime | None = None,
    sequence: int | None = None,
    is_demo: bool = False,
) -> Matter:
    """File a matter with the next file number of its type and year."""
    filed_at = filed_at or utcnow()
    year = filed_at.year % 100
    sequence = sequence or next_sequence(matter_type, year)
    matter = Matter(
        body=body,
        matter_type=matter_type,
        year=year,
        sequence=sequence,
        file_number=file_number(matter_type, year, sequence),
        title=title,
        text=text,
        status=MatterStatus.FILED,
        created_at=filed_at,
        is_demo=is_demo,
        sponsors=[MatterSponsor(person=p, position=i) for i, p in enumerate(sponsors, start=1)],
    )
    db.session.add(matter)
    db.session.flush()
    add_history(matter, MatterAction.FILED, occurred_at=filed_at)
    record_event("matter.create", matter, actor=actor, details={"file_number": matter.file_number})
    return matter


def add_history(
    matter: Matter,
    action: MatterAction,
    *,
    occurred_at: datetime | None = None,
    meeting_id: int | None = None,
    agenda_item_id: int | None = None,
    motion_id: int | None = None,
    note: str = "",
) -> MatterHistoryEvent:
    """Append one action to a matter's history."""
    event = MatterHistoryEvent(
        matter=matter,
        action=action,
        occurred_at=occurred_at or utcnow(),
        meeting_id=meeting_id,
        agenda_item_id=agenda_item_id,
        motion_id=motion_id,
        note=note,
    )
    db.session.add(event)
    db.session.flush()
    return event
