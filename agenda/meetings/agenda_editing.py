"""Writes on an agenda's items and sections: add, change, move, remove, attach documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from agenda.audit.operations import record_event
from agenda.documents.operations import attach_pdf
from agenda.extensions import db
from agenda.meetings.display import label_of, number_of
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.operations import (
    MeetingEditError,
    add_item,
    checked_position,
    ensure_editable,
    renumber,
)
from agenda.meetings.publishing import note_agenda_change, placement_is_published
from agenda.meetings.rules import (
    ITEM_TITLE_MAX,
    SECTION_TITLE_MAX,
    MeetingStatus,
    default_item_title,
    moved,
)
from agenda.meetings.signals import item_placed

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.documents.models import Attachment
    from agenda.matters.models import Matter


def add_agenda_item(
    section: AgendaSection,
    *,
    title: str,
    description: str,
    matter: Matter | None,
    actor: User | None,
    minutes_of: Sequence[Meeting] = (),
    is_quasi_judicial: bool = False,
) -> AgendaItem:
    """Append an item to a section; without a title it takes its legislation's title.

    This is the one way legislation is placed on an agenda: the matters area hears of it
    (`item_placed`) and records it in the matter's history (for a published agenda, when
    the amendment is published). An item may take up the minutes of earlier meetings for
    approval (`minutes_of`): adopting it approves them all. A quasi-judicial hearing is
    marked so on the agenda (members may abstain to keep it fair, Fla. Stat. 286.012).
    """
    meeting = section.meeting
    ensure_editable(meeting)
    title = _item_title(title, matter, meeting)
    _check_minutes_of(minutes_of, meeting)
    item = add_item(
        section,
        title=title,
        description=description.strip(),
        matter=matter,
        minutes_of=minutes_of,
        is_quasi_judicial=is_quasi_judicial,
        actor=actor,
    )
    if matter is not None and placement_is_published(meeting):
        item_placed.send(item, actor=actor)
    note_agenda_change(meeting, f"Added item {label_of(item)}", actor=actor)
    return item


def update_item(
    item: AgendaItem,
    *,
    title: str,
    description: str,
    matter: Matter | None,
    actor: User | None,
    minutes_of: Sequence[Meeting] = (),
    is_quasi_judicial: bool | None = None,
) -> str | None:
    """Change an item's title, description, legislation, the minutes it takes up, or whether
    it is a quasi-judicial hearing (None leaves that as it is).

    Returns the change in words, or None when nothing changed.
    """
    meeting = item.section.meeting
    ensure_editable(meeting)
    title, description = _item_title(title, matter, meeting, item), description.strip()
    _check_minutes_of(minutes_of, meeting)
    if is_quasi_judicial is None:
        is_quasi_judicial = item.is_quasi_judicial
    now = (title, description, matter, {m.id for m in minutes_of})
    was = (item.title, item.description, item.matter, {m.id for m in item.minutes_of})
    is_marked = is_quasi_judicial != item.is_quasi_judicial
    if now == was and not is_marked:
        return None
    is_new_matter = matter is not None and matter is not item.matter
    item.title, item.description, item.matter = title, description, matter
    item.minutes_of = sorted(minutes_of, key=lambda m: m.scheduled_at)
    item.is_quasi_judicial = is_quasi_judicial
    db.session.flush()
    if is_new_matter and placement_is_published(meeting):
        item_placed.send(item, actor=actor)
    record_event(
        "agenda_item.update",
        item,
        actor=actor,
        details={
            "title": title,
            "matter_id": matter.id if matter else None,
            "minutes_of": sorted(m.id for m in minutes_of),
            "is_quasi_judicial": is_quasi_judicial,
        },
    )
    change = _item_change(item, changed=now != was, marked=is_marked)
    note_agenda_change(meeting, change, actor=actor)
    return change


def _item_change(item: AgendaItem, *, changed: bool, marked: bool) -> str:
    """Say how an item changed: 'Changed item 6.a: ...', and whether it is now a hearing."""
    hearing = (
        "a quasi-judicial hearing" if item.is_quasi_judicial else "not a quasi-judicial hearing"
    )
    if not marked:
        return f"Changed item {label_of(item)}"
    if not changed:
        return f"Item {label_of(item)} is now {hearing}"
    return f"Changed item {label_of(item)}, now {hearing}"


def move_item(
    item: AgendaItem,
    *,
    position: int | None,
    actor: User | None,
    section: AgendaSection | None = None,
) -> str:
    """Move an item within its section, or to another section (at the end unless placed).

    Positions stay 1..n in every section. Returns the change, like 'Moved item 4.a to 6.c'.
    """
    source = item.section
    target = section or source
    meeting = source.meeting
    ensure_editable(meeting)
    if target.meeting_id != meeting.id:
        raise MeetingEditError("That section belongs to another meeting.", field="section")
    before = number_of(item)
    if target is source and position is None:
        raise MeetingEditError(
            f"Item {before} is already in section {target.position}; choose another section.",
            field="section",
        )
    if target is source:
        order = list(source.items)
        position = checked_position(
            order, item, position, f"item {before}", f"section {target.position}"
        )
        renumber(moved(order, order.index(item), position))
        db.session.expire(source, ["items"])
    else:
        remaining = [i for i in source.items if i is not item]
        order = list(target.items)
        count = len(order) + 1
        position = count if position is None else position
        if not 1 <= position <= count:
            raise MeetingEditError(
                f"There is no place {position} in section {target.position}; choose 1 to {count}.",
                field="position",
            )
        order.insert(position - 1, item)
        item.section = target
        item.position = max((i.position for i in order if i is not item), default=0) + 1
        db.session.flush()
        renumber(order)
        renumber(remaining)
        db.session.expire(source, ["items"])
        db.session.expire(target, ["items"])
    change = f"Moved item {before} to {number_of(item)}"
    record_event(
        "agenda_item.move", item, actor=actor, details={"from": before, "to": number_of(item)}
    )
    note_agenda_change(meeting, change, actor=actor)
    return change


def remove_item(item: AgendaItem, *, actor: User | None) -> str:
    """Remove an item and its own documents; the items after it move up a number."""
    section = item.section
    meeting = section.meeting
    ensure_editable(meeting)
    if item.motions:
        raise MeetingEditError(f"Item {number_of(item)} has motions on record; it stays.")
    change = f"Removed item {label_of(item)}"
    record_event("agenda_item.delete", item, actor=actor, details={"item": label_of(item)})
    for attachment in list(item.attachments):
        db.session.delete(attachment)
    db.session.flush()
    db.session.expire(item, ["attachments"])
    remaining = [i for i in section.items if i is not item]
    db.session.delete(item)
    db.session.flush()
    renumber(remaining)
    db.session.expire(section, ["items"])
    note_agenda_change(meeting, change, actor=actor)
    return change


def attach_item_document(
    item: AgendaItem, data: bytes, *, filename: str, title: str, actor: User | None
) -> Attachment:
    """Attach a checked PDF to an item; a published agenda gets a new revision and packet.

    Raises InvalidPdf, with a message for the clerk, when the file is not a usable PDF.
    """
    meeting = item.section.meeting
    ensure_editable(meeting)
    attachment = attach_pdf(data, filename=filename, title=title, agenda_item=item, actor=actor)
    note_agenda_change(
        meeting, f"Attached {attachment.title} to item {number_of(item)}", actor=actor
    )
    return attachment


def remove_item_document(item: AgendaItem, attachment: Attachment, *, actor: User | None) -> str:
    """Take a document off an item; a published agenda gets a new revision and packet."""
    meeting = item.section.meeting
    ensure_editable(meeting)
    if attachment.agenda_item_id != item.id:
        raise MeetingEditError(f"That document is not one of item {number_of(item)}'s own.")
    change = f"Removed {attachment.title} from item {number_of(item)}"
    details = {"sha256": attachment.sha256, "filename": attachment.filename}
    record_event("attachment.delete", attachment, actor=actor, details=details)
    db.session.delete(attachment)
    db.session.flush()
    db.session.expire(item, ["attachments"])
    note_agenda_change(meeting, change, actor=actor)
    return change


def add_section(
    meeting: Meeting, *, title: str, position: int, is_consent: bool, actor: User | None
) -> AgendaSection:
    """Insert a section at a position; the sections after it move down a number."""
    ensure_editable(meeting)
    title = _section_title(title)
    order = list(meeting.sections)
    if not 1 <= position <= len(order) + 1:
        raise MeetingEditError("Choose where the new section goes.", field="place")
    section = AgendaSection(
        meeting=meeting,
        title=title,
        is_consent=is_consent,
        position=max((s.position for s in order), default=0) + 1,
    )
    db.session.add(section)
    db.session.flush()
    order.insert(position - 1, section)
    renumber(order)
    db.session.expire(meeting, ["sections"])
    record_event("agenda_section.create", section, actor=actor, details={"title": title})
    note_agenda_change(meeting, f"Added section {section.position}: {title}", actor=actor)
    return section


def rename_section(section: AgendaSection, *, title: str, actor: User | None) -> str:
    """Rename a section; return the change."""
    meeting = section.meeting
    ensure_editable(meeting)
    title, old = _section_title(title), section.title
    section.title = title
    db.session.flush()
    change = f"Renamed section {section.position} from {old} to {title}"
    record_event("agenda_section.update", section, actor=actor, details={"title": title})
    note_agenda_change(meeting, change, actor=actor)
    return change


def set_consent(section: AgendaSection, *, is_consent: bool, actor: User | None) -> str:
    """Mark a section as consent agenda (items pass together) or not; return the change."""
    meeting = section.meeting
    ensure_editable(meeting)
    section.is_consent = is_consent
    db.session.flush()
    now = "now" if is_consent else "no longer"
    change = f"Section {section.position} {section.title} is {now} a consent agenda"
    record_event("agenda_section.update", section, actor=actor, details={"is_consent": is_consent})
    note_agenda_change(meeting, change, actor=actor)
    return change


def move_section(section: AgendaSection, *, position: int, actor: User | None) -> str:
    """Move a section to another place; its items are renumbered with it."""
    meeting = section.meeting
    ensure_editable(meeting)
    order = list(meeting.sections)
    before = section.position
    position = checked_position(order, section, position, f"section {before}", "the agenda")
    renumber(moved(order, order.index(section), position))
    db.session.expire(meeting, ["sections"])
    change = f"Moved section {before} {section.title} to {section.position}"
    record_event("agenda_section.move", section, actor=actor, details={"from": before})
    note_agenda_change(meeting, change, actor=actor)
    return change


def remove_section(section: AgendaSection, *, actor: User | None) -> str:
    """Remove an empty section; the sections after it move up a number."""
    meeting = section.meeting
    ensure_editable(meeting)
    if section.items:
        raise MeetingEditError(
            f"Section {section.position} {section.title} still has items; "
            "move or remove them first."
        )
    change = f"Removed section {section.position}: {section.title}"
    record_event("agenda_section.delete", section, actor=actor, details={"title": section.title})
    remaining = [s for s in meeting.sections if s is not section]
    db.session.delete(section)
    db.session.flush()
    renumber(remaining)
    db.session.expire(meeting, ["sections"])
    note_agenda_change(meeting, change, actor=actor)
    return change


def _check_minutes_of(minutes_of: Sequence[Meeting], meeting: Meeting) -> None:
    if any(
        earlier.body_id != meeting.body_id
        or earlier.scheduled_at >= meeting.scheduled_at
        or earlier.status is not MeetingStatus.ADJOURNED
        for earlier in minutes_of
    ):
        raise MeetingEditError(
            "Choose the minutes of an earlier, adjourned meeting of this body.",
            field="minutes_of",
        )


def _item_title(
    title: str, matter: Matter | None, meeting: Meeting, item: AgendaItem | None = None
) -> str:
    if matter is not None and matter.body_id != meeting.body_id:
        raise MeetingEditError("Choose legislation of this meeting's body.", field="matter")
    if matter is not None:
        for other in matter.agenda_items:
            if other is not item and other.section.meeting_id == meeting.id:
                raise MeetingEditError(
                    f"{matter.file_number} is already item {number_of(other)} of this agenda.",
                    field="matter",
                )
    title = default_item_title(title, matter.title if matter else None)
    if not title:
        raise MeetingEditError(
            "Give the item a title, or choose the legislation it takes its title from.",
            field="title",
        )
    if len(title) > ITEM_TITLE_MAX:
        raise MeetingEditError(f"Keep the title under {ITEM_TITLE_MAX} characters.", field="title")
    return title


def _section_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise MeetingEditError("Give the section a title.", field="title")
    if len(title) > SECTION_TITLE_MAX:
        raise MeetingEditError(
            f"Keep the section title under {SECTION_TITLE_MAX} characters.", field="title"
        )
    return title
