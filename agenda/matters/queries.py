"""Page-level reads of legislation with explicit eager loading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.auth.rules import Viewer
from agenda.bodies.models import Body, Membership
from agenda.bodies.queries import roster
from agenda.db import utcnow
from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.matters.models import Matter, MatterHistoryEvent, MatterSponsor
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import bodies
from agenda.meetings.rules import EDITABLE_STATUSES, is_public, item_number
from agenda.votes.models import Motion, Vote


@dataclass(frozen=True, slots=True)
class Appearance:
    """One agenda item carrying the matter, with its meeting and printed number."""

    meeting: Meeting
    item: AgendaItem
    number: str


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One action on the matter and the meeting it happened at, if any."""

    event: MatterHistoryEvent
    meeting: Meeting | None


@dataclass(frozen=True, slots=True)
class MatterPage:
    """A matter with everything its page shows; meetings the viewer may not see are left out."""

    matter: Matter
    appearances: list[Appearance]
    history: list[HistoryRow]
    members: dict[int, Membership]


def matter_page(matter_id: int, viewer: Viewer) -> MatterPage | None:
    """Return a matter with sponsors, attachments, agenda items and history in fixed queries."""
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
                selectinload(AgendaItem.motions).options(
                    selectinload(Motion.mover),
                    selectinload(Motion.seconder),
                    selectinload(Motion.vote).selectinload(Vote.ballots),
                ),
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
    shown = {i: m for i, m in meetings.items() if _meeting_visible(m, viewer)}
    appearances = sorted(
        (
            Appearance(
                item.section.meeting,
                item,
                item_number(item.section.position, item.position),
            )
            for item in matter.agenda_items
            if item.section.meeting_id in shown
        ),
        key=lambda a: (a.meeting.scheduled_at, a.number),
    )
    history = [
        HistoryRow(e, shown.get(e.meeting_id) if e.meeting_id is not None else None)
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


def placement_meetings(matter: Matter) -> list[Meeting]:
    """Return the body's meetings whose agenda can still take the matter, soonest first."""
    already_on = (
        sa.select(AgendaSection.meeting_id)
        .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
        .where(AgendaItem.matter_id == matter.id)
    )
    return list(
        db.session.execute(
            sa.select(Meeting)
            .where(
                Meeting.body_id == matter.body_id,
                Meeting.status.in_(EDITABLE_STATUSES),
                Meeting.id.not_in(already_on),
            )
            .options(selectinload(Meeting.sections))
            .order_by(Meeting.scheduled_at)
        ).scalars()
    )


def seated_members(body: Body) -> list[Membership]:
    """Return the body's memberships active today in its own time zone, in seat order."""
    return roster(body.id, local_today(body.timezone))


def sponsor_rosters() -> list[tuple[Body, list[Membership]]]:
    """Return every body with its members seated today (two queries per body; bodies are few)."""
    return [(body, seated_members(body)) for body in bodies()]


def matter_attachment(matter_id: int, attachment_id: int) -> Attachment | None:
    """Return an attachment of this matter, or None."""
    return db.session.execute(
        sa.select(Attachment)
        .where(Attachment.id == attachment_id, Attachment.matter_id == matter_id)
        .options(selectinload(Attachment.matter))
    ).scalar_one_or_none()


def local_today(timezone: str) -> date:
    """Return today's date in the named time zone."""
    return utcnow().astimezone(ZoneInfo(timezone)).date()


def _meeting_visible(meeting: Meeting, viewer: Viewer) -> bool:
    # The same rule as meetings.queries.visible_to, applied to meetings already loaded.
    is_notified = is_public(meeting.status, meeting.published_at is not None)
    return is_notified or viewer.sees_drafts_of(meeting.body_id)


def body_matters(body_id: int) -> list[Matter]:
    """Return a body's legislation by file number, to choose from for an agenda item."""
    return list(
        db.session.execute(
            sa.select(Matter).where(Matter.body_id == body_id).order_by(Matter.file_number)
        ).scalars()
    )
