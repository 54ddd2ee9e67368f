"""Reads for the feeds: public meetings with their newest published agenda, and what the record
published (agenda revisions, approved minutes), in a fixed number of queries.

Only what the public may see: meetings once notice was given (drafts never), by the same
rule as the public meetings list (`meetings.queries.visible_to`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from agenda.auth.rules import PUBLIC
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings.models import AgendaItem, AgendaRevision, AgendaSection, Meeting
from agenda.meetings.queries import visible_to
from agenda.meetings.rules import item_number
from agenda.minutes.models import Minutes, MinutesRevision
from agenda.minutes.rules import MinutesStatus
from agenda.portal.feed_rules import AgendaLine


def _public_meetings(body_id: int | None) -> sa.Select[tuple[int]]:
    ids = sa.select(Meeting.id).where(visible_to(PUBLIC))
    return ids if body_id is None else ids.where(Meeting.body_id == body_id)


def public_meetings(body_id: int | None) -> list[Meeting]:
    """Return the meetings the public sees (of one body, or all), soonest first, with bodies."""
    return list(
        db.session.execute(
            sa.select(Meeting)
            .where(Meeting.id.in_(_public_meetings(body_id)))
            .options(selectinload(Meeting.body))
            .order_by(Meeting.scheduled_at, Meeting.id)
        ).scalars()
    )


@dataclass(frozen=True)
class NewestRevision:
    """A meeting's newest agenda revision, without its snapshot (which `snapshots` reads)."""

    id: int
    number: int
    published_at: datetime
    has_snapshot: bool


def newest_revisions(body_id: int | None) -> dict[int, NewestRevision]:
    """Return each public meeting's newest agenda revision, by meeting id."""
    newest = (
        sa.select(AgendaRevision.meeting_id, sa.func.max(AgendaRevision.number).label("number"))
        .where(AgendaRevision.meeting_id.in_(_public_meetings(body_id)))
        .group_by(AgendaRevision.meeting_id)
        .subquery()
    )
    found = db.session.execute(
        sa.select(
            AgendaRevision.meeting_id,
            AgendaRevision.id,
            AgendaRevision.number,
            AgendaRevision.published_at,
            AgendaRevision.snapshot.is_not(None),
        ).join(
            newest,
            sa.and_(
                AgendaRevision.meeting_id == newest.c.meeting_id,
                AgendaRevision.number == newest.c.number,
            ),
        )
    ).all()
    return {row[0]: NewestRevision(*row[1:]) for row in found}


def snapshots(revision_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Return the agendas those revisions published, by meeting id."""
    if not revision_ids:
        return {}
    found = db.session.execute(
        sa.select(AgendaRevision.meeting_id, AgendaRevision.snapshot).where(
            AgendaRevision.id.in_(revision_ids)
        )
    ).all()
    return {meeting_id: snapshot for meeting_id, snapshot in found if snapshot is not None}


def live_agendas(meeting_ids: list[int]) -> dict[int, list[AgendaLine]]:
    """Return the agenda as it stands of meetings whose revision holds no snapshot (old ones)."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            AgendaSection.meeting_id,
            AgendaSection.title,
            AgendaSection.position,
            AgendaItem.position,
            AgendaItem.title,
            Matter.file_number,
        )
        .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
        .outerjoin(Matter, Matter.id == AgendaItem.matter_id)
        .where(AgendaSection.meeting_id.in_(meeting_ids))
        .order_by(AgendaSection.meeting_id, AgendaSection.position, AgendaItem.position)
    ).all()
    agendas: dict[int, list[AgendaLine]] = defaultdict(list)
    for meeting_id, section, section_at, item_at, title, file_number in rows:
        agendas[meeting_id].append(
            AgendaLine(section, item_number(section_at, item_at), title, file_number)
        )
    return agendas


def snapshot_lines(snapshot: dict[str, Any]) -> list[AgendaLine]:
    """Return the items of an agenda as a revision published it."""
    return [
        AgendaLine(section["title"], item["number"], item["title"], item.get("file_number"))
        for section in snapshot["sections"]
        for item in section["items"]
    ]


def published_revisions(body_id: int | None, limit: int) -> list[tuple[AgendaRevision, bool]]:
    """Return the newest agenda revisions of public meetings, with their meetings and bodies,
    each with whether it is its meeting's newest (a cancelled meeting's newest cancels it)."""
    newer = sa.orm.aliased(AgendaRevision)
    is_newest = ~(
        sa.select(newer.id)
        .where(newer.meeting_id == AgendaRevision.meeting_id, newer.number > AgendaRevision.number)
        .exists()
    )
    return [
        (revision, bool(newest))
        for revision, newest in db.session.execute(
            sa.select(AgendaRevision, is_newest.label("is_newest"))
            .where(AgendaRevision.meeting_id.in_(_public_meetings(body_id)))
            .options(joinedload(AgendaRevision.meeting).joinedload(Meeting.body))
            .order_by(AgendaRevision.published_at.desc(), AgendaRevision.id.desc())
            .limit(limit)
        ).all()
    ]


def approved_minutes(body_id: int | None, limit: int) -> list[tuple[MinutesRevision, Meeting]]:
    """Return the newest approvals of public meetings' minutes, with their meetings and bodies."""
    found = db.session.execute(
        sa.select(MinutesRevision, Meeting)
        .join(Minutes, MinutesRevision.minutes_id == Minutes.id)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(
            Meeting.id.in_(_public_meetings(body_id)),
            MinutesRevision.status.in_([MinutesStatus.APPROVED, MinutesStatus.SUPERSEDED]),
            MinutesRevision.approved_at.is_not(None),
        )
        .options(joinedload(Meeting.body))
        .order_by(MinutesRevision.approved_at.desc(), MinutesRevision.id.desc())
        .limit(limit)
    ).all()
    return [(revision, meeting) for revision, meeting in found]
