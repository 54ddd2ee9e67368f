"""Page-level reads of legislation with explicit eager loading, and who may see a matter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from agenda.auth.rules import Viewer
from agenda.bodies.models import Body, Membership
from agenda.bodies.queries import bodies, seated_today
from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.matters.models import Matter, MatterHistoryEvent, MatterSponsor
from agenda.matters.rules import MatterAction
from agenda.meetings.display import number_of
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import is_visible, visible_to


@dataclass(frozen=True, slots=True)
class Appearance:
    """One agenda item carrying the matter, with its meeting and printed number."""

    meeting: Meeting
    item: AgendaItem
    number: str


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One action on the matter, the meeting it happened at, if any, and its note."""

    event: MatterHistoryEvent
    meeting: Meeting | None
    note: str


@dataclass(frozen=True, slots=True)
class MatterPage:
    """A matter with everything its page shows; meetings the viewer may not see are left out."""

    matter: Matter
    appearances: list[Appearance]
    history: list[HistoryRow]
    members: dict[int, Membership]


def matter_loader() -> LoaderOption:
    """Load an agenda item's legislation with its documents and sponsors (for meeting pages)."""
    return selectinload(AgendaItem.matter).options(
        selectinload(Matter.attachments),
        selectinload(Matter.sponsors).selectinload(MatterSponsor.person),
    )


def matter_page(
    matter_id: int, viewer: Viewer, *, item_options: Sequence[LoaderOption] = ()
) -> MatterPage | None:
    """Return a matter with sponsors, attachments, agenda items and history in fixed queries.

    A page that shows more of each agenda item (its motions and votes) passes the loader
    options of the area that owns them in `item_options`.
    """
    matter = db.session.execute(
        sa.select(Matter)
        .where(Matter.id == matter_id)
        .options(
            selectinload(Matter.body),
            selectinload(Matter.sponsors).selectinload(MatterSponsor.person),
            selectinload(Matter.attachments),
            selectinload(Matter.history),
            selectinload(Matter.agenda_items).options(
                selectinload(AgendaItem.section)
                .selectinload(AgendaSection.meeting)
                .selectinload(Meeting.body),
                *item_options,
            ),
        )
    ).scalar_one_or_none()
    if matter is None:
        return None
    meetings = {item.section.meeting.id: item.section.meeting for item in matter.agenda_items}
    # An item can be taken off an agenda; its meeting stays in the history.
    missing = {e.meeting_id for e in matter.history if e.meeting_id is not None} - meetings.keys()
    if missing:
        meetings.update(
            (m.id, m)
            for m in db.session.execute(
                sa.select(Meeting)
                .where(Meeting.id.in_(missing))
                .options(selectinload(Meeting.body))
            ).scalars()
        )
    shown = {i: m for i, m in meetings.items() if is_visible(m, viewer)}
    items = {item.id: item for item in matter.agenda_items}
    # A placement waiting in an unpublished amendment is not shown outside the workspace.
    placed = {e.meeting_id for e in matter.history if e.action is MatterAction.PLACED_ON_AGENDA}
    appearances = sorted(
        (
            Appearance(item.section.meeting, item, number_of(item))
            for item in matter.agenda_items
            if item.section.meeting_id in shown
            and (
                viewer.is_staff
                or not item.section.meeting.amendment_notes
                or item.section.meeting_id in placed
            )
        ),
        key=lambda a: (a.meeting.scheduled_at, a.number),
    )
    history = [
        HistoryRow(
            e, shown.get(e.meeting_id) if e.meeting_id is not None else None, _note(e, items)
        )
        for e in matter.history
        if e.meeting_id is None or e.meeting_id in shown
    ]
    # Everyone who has held a seat, so votes from earlier terms are still named with a title.
    members = {
        m.person_id: m
        for m in db.session.execute(
            sa.select(Membership)
            .where(Membership.body_id == matter.body_id)
            .options(selectinload(Membership.person))
            .order_by(Membership.starts_on)
        ).scalars()
    }
    return MatterPage(matter, appearances, history, members)


def _note(event: MatterHistoryEvent, items: dict[int, AgendaItem]) -> str:
    # Numbers change while an agenda is built and each change is published as an amendment,
    # so a placement names the item's number as it stands, not as it was when placed.
    item = items.get(event.agenda_item_id) if event.agenda_item_id is not None else None
    if event.action is MatterAction.PLACED_ON_AGENDA and item is not None:
        return f"Item {number_of(item)}"
    return event.note


def sponsor_rosters() -> list[tuple[Body, list[Membership]]]:
    """Return every body with its members seated today (two queries per body; bodies are few)."""
    return [(body, seated_today(body)) for body in bodies()]


def matter_attachment(matter_id: int, attachment_id: int) -> Attachment | None:
    """Return an attachment of this matter, or None."""
    return db.session.execute(
        sa.select(Attachment)
        .where(Attachment.id == attachment_id, Attachment.matter_id == matter_id)
        .options(selectinload(Attachment.matter))
    ).scalar_one_or_none()


def recent_matters(limit: int = 50, body_ids: frozenset[int] | None = None) -> list[Matter]:
    """Return the newest legislation first (the clerk's list), of `body_ids` or every body."""
    among = Matter.body_id.in_(body_ids) if body_ids is not None else sa.true()
    return list(
        db.session.execute(
            sa.select(Matter).where(among).order_by(Matter.created_at.desc()).limit(limit)
        ).scalars()
    )


def visible_matter_ids(viewer: Viewer) -> sa.Select[tuple[int]]:
    """Select the ids of matters on the agenda of at least one meeting the viewer may see.

    Outside the workspace, a placement counts once it is published: not while it waits in
    an agenda's pending amendment (its history records the placement at publication).
    """
    query = (
        sa.select(AgendaItem.matter_id)
        .join(AgendaSection, AgendaItem.section_id == AgendaSection.id)
        .join(Meeting, AgendaSection.meeting_id == Meeting.id)
        .where(AgendaItem.matter_id.is_not(None), visible_to(viewer))
    )
    if viewer.is_staff and viewer.limited_to is None:
        return query
    placed = (
        sa.select(MatterHistoryEvent.id)
        .where(
            MatterHistoryEvent.matter_id == AgendaItem.matter_id,
            MatterHistoryEvent.meeting_id == Meeting.id,
            MatterHistoryEvent.action == MatterAction.PLACED_ON_AGENDA,
        )
        .exists()
    )
    if viewer.limited_to:  # staff limited to some bodies: those bodies' drafts as staff see them
        return query.where(
            sa.or_(Meeting.body_id.in_(viewer.limited_to), Meeting.amendment_notes == "", placed)
        )
    return query.where(sa.or_(Meeting.amendment_notes == "", placed))


def matter_is_visible(matter_id: int, viewer: Viewer) -> bool:
    """Tell whether a matter may be shown: to the public once it is on a published agenda."""
    if viewer.is_staff and viewer.limited_to is None:
        return True
    body_id = db.session.execute(sa.select(Matter.body_id).where(Matter.id == matter_id)).scalar()
    if body_id is not None and viewer.sees_drafts_of(body_id):
        return True
    on_agenda = visible_matter_ids(viewer).where(AgendaItem.matter_id == matter_id).limit(1)
    return db.session.execute(on_agenda).first() is not None
