"""Writes on legislation: file and edit matters, their documents and their agenda places."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from agenda.audit.operations import record_event
from agenda.bodies.models import Body, Person
from agenda.bodies.queries import seated_today
from agenda.db import utcnow
from agenda.documents.models import Attachment
from agenda.documents.operations import attach_pdf
from agenda.errors import Refused
from agenda.extensions import db
from agenda.matters.models import Matter, MatterHistoryEvent, MatterSponsor
from agenda.matters.rules import (
    STATUS_ACTIONS,
    TEXT_MAX,
    MatterAction,
    MatterFields,
    MatterStatus,
    MatterType,
    clean_text,
    clean_title,
    describe_changes,
    edit_summary,
    file_number,
    item_title,
    status_problem,
    title_problem,
)
from agenda.meetings.agenda_editing import add_agenda_item
from agenda.meetings.display import number_of
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.operations import section_titled
from agenda.meetings.publishing import keep_published_state, note_agenda_change
from agenda.meetings.rules import is_agenda_editable

if TYPE_CHECKING:
    from agenda.auth.models import User


class MatterError(Refused):
    """A change to legislation that the rules refuse."""


def next_sequence(matter_type: MatterType, year: int) -> int:
    """Return the next free sequence number for a type of matter in a two-digit year."""
    last = db.session.execute(
        sa.select(sa.func.max(Matter.sequence)).where(
            Matter.matter_type == matter_type, Matter.year == year
        )
    ).scalar_one()
    return (last or 0) + 1


FILING_ATTEMPTS = 5


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
    """File a matter with the next file number of its type and year (the body's local year)."""
    filed_at = filed_at or utcnow()
    year = filed_at.astimezone(ZoneInfo(body.timezone)).year % 100
    for attempt in range(FILING_ATTEMPTS):
        number = sequence or next_sequence(matter_type, year)
        matter = Matter(
            body=body,
            matter_type=matter_type,
            year=year,
            sequence=number,
            file_number=file_number(matter_type, year, number),
            title=title,
            text=text,
            status=MatterStatus.FILED,
            created_at=filed_at,
            is_demo=is_demo,
            sponsors=[MatterSponsor(person=p, position=i) for i, p in enumerate(sponsors, start=1)],
        )
        # Two clerks filing at once can pick the same number: the unique constraint refuses
        # the second inside a savepoint, and it takes the next number instead.
        try:
            with db.session.begin_nested():
                db.session.add(matter)
            break
        except sa.exc.IntegrityError:
            if sequence is not None or attempt == FILING_ATTEMPTS - 1:
                raise
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


def file_matter(
    body: Body,
    *,
    matter_type: MatterType,
    title: str,
    text: str,
    sponsor_ids: Iterable[int],
    actor: User | None,
) -> Matter:
    """Check a clerk's new matter and file it, numbered in the body's local year."""
    title, text = _checked_title(title), _checked_text(text)
    sponsors = _sponsors(body, sponsor_ids, current=[])
    filed_at = utcnow().astimezone(ZoneInfo(body.timezone))
    return create_matter(
        body,
        matter_type=matter_type,
        title=title,
        text=text,
        sponsors=sponsors,
        actor=actor,
        filed_at=filed_at,
    )


def update_matter(
    matter: Matter,
    *,
    title: str,
    text: str,
    sponsor_ids: Iterable[int],
    status: MatterStatus,
    actor: User | None,
) -> list[str]:
    """Apply a clerk's edit, amend the open agendas it is on, and return what changed."""
    title, text = _checked_title(title), _checked_text(text)
    if problem := status_problem(matter.status, status):
        raise MatterError(problem, field="status")
    sponsors = _sponsors(matter.body, sponsor_ids, current=[s.person for s in matter.sponsors])
    old = MatterFields(
        matter.title, matter.text, tuple(s.person_id for s in matter.sponsors), matter.status
    )
    new = MatterFields(title, text, tuple(p.id for p in sponsors), status)
    changes = describe_changes(old, new)
    if not changes:
        return []
    _hold_agendas(matter)
    for item in matter.agenda_items:
        # Items on agendas still open follow the new title; adjourned ones keep the record.
        if is_agenda_editable(item.section.meeting.status) and item.title == item_title(old.title):
            item.title = item_title(title)
    if old.sponsor_ids != new.sponsor_ids:
        # Cleared and flushed first: the new rows may reuse people and positions.
        matter.sponsors.clear()
        db.session.flush()
        matter.sponsors.extend(
            MatterSponsor(person=p, position=i) for i, p in enumerate(sponsors, start=1)
        )
    matter.title, matter.text, matter.status = title, text, status
    db.session.flush()
    if old.status != status and status in STATUS_ACTIONS:
        add_history(matter, STATUS_ACTIONS[status], note="Status set by the clerk")
    record_event("matter.update", matter, actor=actor, details={"changes": changes})
    _amend_agendas(matter, edit_summary(matter.file_number, changes), actor=actor)
    return changes


def attach_to_matter(
    matter: Matter, data: bytes, *, filename: str, title: str, actor: User | None
) -> Attachment:
    """Attach a checked PDF to a matter and amend the open agendas whose packet now has it.

    Raises InvalidPdf, before anything is stored, when the file is not an open, readable PDF.
    """
    _hold_agendas(matter)
    attachment = attach_pdf(data, filename=filename, title=title, actor=actor, matter=matter)
    change = f'Matter {matter.file_number}: document "{attachment.title}" attached'
    _amend_agendas(matter, change, actor=actor)
    return attachment


def remove_attachment(attachment: Attachment, *, actor: User | None) -> None:
    """Take a document off its matter and amend the open agendas whose packet had it."""
    matter = attachment.matter
    if matter is None:
        raise MatterError("This document belongs to an agenda item, not to a matter.")
    _hold_agendas(matter)
    details = {"sha256": attachment.sha256, "filename": attachment.filename}
    record_event("attachment.delete", attachment, actor=actor, details=details)
    db.session.delete(attachment)
    db.session.flush()
    db.session.expire(matter, ["attachments"])
    change = f'Matter {matter.file_number}: document "{attachment.title}" removed'
    _amend_agendas(matter, change, actor=actor)


def place_on_agenda(
    matter: Matter, meeting: Meeting, section_title: str, *, actor: User | None
) -> AgendaItem:
    """Add the matter as the last item of a section of an open agenda of its body.

    The item is added as the workspace adds one (`add_agenda_item`), so the agenda is
    amended and the history records the placement the same way from either screen.
    """
    if meeting.body_id != matter.body_id:
        raise MatterError(f"Choose a meeting of the {matter.body.name}.", field="meeting")
    if not is_agenda_editable(meeting.status):
        raise MatterError("This meeting's agenda can no longer change.", field="meeting")
    if any(item.section.meeting_id == meeting.id for item in matter.agenda_items):
        raise MatterError("This matter is already on that meeting's agenda.", field="meeting")
    try:
        section = section_titled(meeting, section_title)
    except LookupError:
        raise MatterError(
            f'That meeting\'s agenda has no section titled "{section_title}".',
            field="section",
        ) from None
    return add_agenda_item(section, title="", description="", matter=matter, actor=actor)


def record_placement(item: AgendaItem, *, actor: User | None) -> None:
    """Record that an item now carries its matter: history, status and the audit trail.

    A filed matter is now on an agenda; one that already has an outcome (adopted, failed,
    withdrawn) keeps it, since placing it again decides nothing.
    """
    matter = item.matter
    if matter is None:
        return
    meeting_id = item.section.meeting_id
    number = number_of(item)
    add_history(
        matter,
        MatterAction.PLACED_ON_AGENDA,
        meeting_id=meeting_id,
        agenda_item_id=item.id,
        note=f"Item {number}",
    )
    if matter.status in {MatterStatus.DRAFT, MatterStatus.FILED}:
        matter.status = MatterStatus.ON_AGENDA
        db.session.flush()
    record_event(
        "matter.place",
        matter,
        actor=actor,
        details={"meeting_id": meeting_id, "agenda_item_id": item.id, "item": number},
    )


def _hold_agendas(matter: Matter) -> None:
    """Before changing the matter, keep what the public saw of the agendas it is on."""
    for meeting in {item.section.meeting for item in matter.agenda_items}:
        keep_published_state(meeting)


def _amend_agendas(matter: Matter, change: str, *, actor: User | None) -> None:
    """Note a change on every agenda the matter is on; a published one collects it as pending."""
    meetings = {item.section.meeting.id: item.section.meeting for item in matter.agenda_items}
    for meeting in meetings.values():
        note_agenda_change(meeting, change, actor=actor)


def _checked_title(title: str) -> str:
    title = clean_title(title)
    if problem := title_problem(title):
        raise MatterError(problem, field="title")
    return title


def _checked_text(text: str) -> str:
    text = clean_text(text)
    if len(text) > TEXT_MAX:
        raise MatterError(f"Keep the full text to {TEXT_MAX:,} characters or fewer.", field="text")
    return text


def _sponsors(body: Body, person_ids: Iterable[int], *, current: list[Person]) -> list[Person]:
    """Return the chosen people in order, each seated on the body today or already a sponsor."""
    allowed = {m.person_id: m.person for m in seated_today(body)}
    allowed.update((p.id, p) for p in current)
    chosen = list(dict.fromkeys(person_ids))
    if any(pid not in allowed for pid in chosen):
        raise MatterError(
            f"Choose sponsors from the members of the {body.name} seated today.", field="sponsors"
        )
    return [allowed[pid] for pid in chosen]
