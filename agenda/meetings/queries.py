"""Page-level reads of meetings with explicit eager loading."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.auth.rules import Viewer
from agenda.bodies.models import Body
from agenda.extensions import db
from agenda.matters.models import Matter, MatterSponsor
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.rules import PUBLIC_STATUSES
from agenda.votes.models import Motion, Vote


def visible_to(viewer: Viewer) -> sa.ColumnElement[bool]:
    """Return the WHERE clause for meetings a viewer may see.

    The public sees meetings once notice is given; commissioners also see their own bodies'
    drafts; clerks and admins see everything.
    """
    if viewer.is_staff:
        return sa.true()
    public = sa.and_(Meeting.status.in_(PUBLIC_STATUSES), Meeting.published_at.is_not(None))
    if viewer.body_ids:
        return sa.or_(public, Meeting.body_id.in_(viewer.body_ids))
    return public


def upcoming_and_recent(
    viewer: Viewer, now: datetime, limit: int = 10
) -> tuple[list[Meeting], list[Meeting]]:
    """Return the next meetings (soonest first) and the latest past ones (newest first)."""
    base = sa.select(Meeting).where(visible_to(viewer)).options(selectinload(Meeting.body))
    upcoming = db.session.execute(
        base.where(Meeting.scheduled_at >= now).order_by(Meeting.scheduled_at).limit(limit)
    ).scalars()
    recent = db.session.execute(
        base.where(Meeting.scheduled_at < now).order_by(Meeting.scheduled_at.desc()).limit(limit)
    ).scalars()
    return list(upcoming), list(recent)


def list_meetings(
    viewer: Viewer, *, body_id: int | None = None, year: int | None = None
) -> list[Meeting]:
    """Return visible meetings, newest first, filtered by body and calendar year (UTC)."""
    query = sa.select(Meeting).where(visible_to(viewer)).options(selectinload(Meeting.body))
    if body_id is not None:
        query = query.where(Meeting.body_id == body_id)
    if year is not None:
        # Select a day either side in UTC, then keep the meetings whose local date is in `year`.
        query = query.where(
            Meeting.scheduled_at >= datetime(year - 1, 12, 31, tzinfo=UTC),
            Meeting.scheduled_at < datetime(year + 1, 1, 2, tzinfo=UTC),
        )
    meetings = db.session.execute(query.order_by(Meeting.scheduled_at.desc())).scalars()
    return [
        m
        for m in meetings
        if year is None or m.scheduled_at.astimezone(ZoneInfo(m.timezone)).year == year
    ]


def meeting_page(meeting_id: int, viewer: Viewer) -> Meeting | None:
    """Return one visible meeting with its agenda, documents, motions and votes loaded."""
    return db.session.execute(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id, visible_to(viewer))
        .options(
            selectinload(Meeting.body),
            selectinload(Meeting.revisions),
            selectinload(Meeting.sections)
            .selectinload(AgendaSection.items)
            .options(
                selectinload(AgendaItem.attachments),
                selectinload(AgendaItem.matter).options(
                    selectinload(Matter.attachments),
                    selectinload(Matter.sponsors).selectinload(MatterSponsor.person),
                ),
                selectinload(AgendaItem.motions).options(
                    selectinload(Motion.mover),
                    selectinload(Motion.seconder),
                    selectinload(Motion.vote).selectinload(Vote.ballots),
                ),
            ),
            selectinload(Meeting.attendance),
        )
    ).scalar_one_or_none()


def bodies() -> list[Body]:
    """Return every body, by name."""
    return list(db.session.execute(sa.select(Body).order_by(Body.name)).scalars())
