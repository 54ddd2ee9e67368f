"""The public list of meetings: upcoming and past, filtered, a page at a time, in fixed queries.

Each row carries what the list shows: status in words, a subject line made of the main items,
and which public documents exist (agenda, packet, minutes). At most seven queries whatever
the page size: time zones (with a year), upcoming, past, revisions, items, snapshots (only
while an amendment is pending), minutes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from agenda.auth.rules import Viewer
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaRevision, AgendaSection, Meeting
from agenda.meetings.queries import visible_to
from agenda.meetings.rules import MeetingStatus, MeetingType, meeting_state
from agenda.meetings.signals import with_public_minutes
from agenda.meetings.summary import (
    ItemHeading,
    ListStatus,
    MeetingFilters,
    When,
    list_status,
    subject_line,
    year_bounds,
)
from agenda.paging import PER_PAGE, Paging, paging


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One meeting as the list shows it (time and type as the public copy has them)."""

    meeting: Meeting
    scheduled_at: datetime
    meeting_type: MeetingType
    status: ListStatus
    is_draft: bool
    subject: str
    has_agenda: bool
    has_packet: bool
    has_minutes: bool


@dataclass(frozen=True, slots=True)
class MeetingList:
    """Upcoming meetings (soonest first) and past ones (newest first), as the filters ask."""

    upcoming: list[MeetingRow]
    upcoming_paging: Paging | None
    more_upcoming: bool
    past: list[MeetingRow]
    past_paging: Paging | None


def meeting_list(viewer: Viewer, now: datetime, filters: MeetingFilters) -> MeetingList:
    """Return the page of the list the filters ask for; a page past the end raises BadValue.

    Without `when`, the first page shows the next meetings above the past ones; later pages
    only past ones. A meeting in session counts as upcoming until it adjourns; one adjourned
    is past, even before the hour it was set for.
    """
    where = _where(viewer, filters)
    is_upcoming = sa.or_(
        sa.and_(Meeting.scheduled_at >= now, Meeting.status != MeetingStatus.ADJOURNED),
        Meeting.status == MeetingStatus.IN_PROGRESS,
    )
    upcoming: list[Meeting] = []
    upcoming_paging = past_paging = None
    more_upcoming = False
    past: list[Meeting] = []
    if filters.when is When.UPCOMING:
        upcoming, upcoming_paging = _page(where, is_upcoming, filters.page, soonest=True)
    elif filters.when is When.PAST:
        past, past_paging = _page(where, sa.not_(is_upcoming), filters.page, soonest=False)
    else:
        if filters.page == 1:
            upcoming, more_upcoming = _first(where, is_upcoming)
        past, past_paging = _page(where, sa.not_(is_upcoming), filters.page, soonest=False)
    rows = _rows([*upcoming, *past], viewer)
    return MeetingList(
        upcoming=[rows[m.id] for m in upcoming],
        upcoming_paging=upcoming_paging,
        more_upcoming=more_upcoming,
        past=[rows[m.id] for m in past],
        past_paging=past_paging,
    )


def _where(viewer: Viewer, filters: MeetingFilters) -> list[sa.ColumnElement[bool]]:
    where = [visible_to(viewer)]
    if filters.body_id is not None:
        where.append(Meeting.body_id == filters.body_id)
    if filters.year is not None:
        # The year is the meeting's local one: each time zone in use has its own bounds.
        zones = db.session.execute(sa.select(Meeting.timezone).distinct()).scalars()
        bounds = [(tz, *year_bounds(filters.year, tz)) for tz in zones]
        where.append(
            sa.or_(
                sa.false(),
                *(
                    sa.and_(
                        Meeting.timezone == tz,
                        Meeting.scheduled_at >= start,
                        Meeting.scheduled_at < end,
                    )
                    for tz, start, end in bounds
                ),
            )
        )
    return where


def _ordered(query: sa.Select[Any], soonest: bool) -> sa.Select[Any]:
    if soonest:
        return query.order_by(Meeting.scheduled_at, Meeting.id)
    return query.order_by(Meeting.scheduled_at.desc(), Meeting.id.desc())


def _first(
    where: list[sa.ColumnElement[bool]], among: sa.ColumnElement[bool]
) -> tuple[list[Meeting], bool]:
    query = sa.select(Meeting).where(*where, among).options(joinedload(Meeting.body))
    found = list(db.session.execute(_ordered(query, True).limit(PER_PAGE + 1)).scalars())
    return found[:PER_PAGE], len(found) > PER_PAGE


def _page(
    where: list[sa.ColumnElement[bool]], among: sa.ColumnElement[bool], number: int, soonest: bool
) -> tuple[list[Meeting], Paging]:
    # The total comes with each row (a window count), so a page costs one query.
    query = (
        sa.select(Meeting, sa.func.count().over().label("total"))
        .where(*where, among)
        .options(joinedload(Meeting.body))
    )
    offset = (number - 1) * PER_PAGE
    found = db.session.execute(_ordered(query, soonest).limit(PER_PAGE).offset(offset)).all()
    if found:
        return [row[0] for row in found], paging(number, found[0][1])
    total = 0
    if number > 1:  # past the end: count, to say how many pages there are
        total = db.session.execute(
            sa.select(sa.func.count(Meeting.id)).where(*where, among)
        ).scalar_one()
    return [], paging(number, total, noun="meetings")


def _rows(meetings: list[Meeting], viewer: Viewer) -> dict[int, MeetingRow]:
    ids = [m.id for m in meetings]
    if not ids:
        return {}
    revisions: dict[int, list[Any]] = defaultdict(list)
    # Until an amendment is published, everyone but staff sees the newest revision's agenda:
    # the same query brings the revisions' snapshots of those meetings (and only of those).
    pending = sa.and_(
        Meeting.amendment_notes != "", sa.true() if not viewer.is_staff else sa.false()
    )
    snapshots: dict[int, dict[str, Any]] = {}
    for row in db.session.execute(
        sa.select(
            AgendaRevision.meeting_id,
            AgendaRevision.agenda_sha256,
            AgendaRevision.packet_sha256,
            (AgendaRevision.packet_failures != "").label("packet_failed"),
            sa.type_coerce(
                sa.case((pending, AgendaRevision.snapshot), else_=sa.null()), sa.JSON()
            ).label("snapshot"),
        )
        .join(Meeting, Meeting.id == AgendaRevision.meeting_id)
        .where(AgendaRevision.meeting_id.in_(ids))
        .order_by(AgendaRevision.meeting_id, AgendaRevision.number)
    ):
        revisions[row.meeting_id].append(row)
        if row.snapshot is not None:
            snapshots[row.meeting_id] = row.snapshot  # the newest with a snapshot wins
        else:
            snapshots.pop(row.meeting_id, None)
    headings = _headings([i for i in ids if i not in snapshots])
    for meeting_id, snapshot in snapshots.items():
        headings[meeting_id] = [
            ItemHeading(s["title"], i["title"], i["matter_id"] is not None)
            for s in snapshot["sections"]
            for i in s["items"]
        ]
    minutes = with_public_minutes(frozenset(ids))
    rows = {}
    for m in meetings:
        published = revisions[m.id]
        latest = published[-1] if published else None
        snapshot = snapshots.get(m.id)
        rows[m.id] = MeetingRow(
            meeting=m,
            scheduled_at=datetime.fromisoformat(snapshot["scheduled_at"])
            if snapshot
            else m.scheduled_at,
            meeting_type=MeetingType(snapshot["meeting_type"]) if snapshot else m.meeting_type,
            status=list_status(m.status, len(published)),
            is_draft=meeting_state(m.status).is_draft,
            subject=subject_line(headings.get(m.id, [])),
            has_agenda=latest is not None,
            # A packet too long to build is refused (409), so it is not offered.
            has_packet=latest is not None
            and not (latest.packet_sha256 is None and latest.packet_failed),
            has_minutes=m.id in minutes,
        )
    return rows


def _headings(meeting_ids: list[int]) -> dict[int, list[ItemHeading]]:
    if not meeting_ids:
        return {}
    found: dict[int, list[ItemHeading]] = defaultdict(list)
    for meeting_id, section_title, title, matter_id in db.session.execute(
        sa.select(
            AgendaSection.meeting_id, AgendaSection.title, AgendaItem.title, AgendaItem.matter_id
        )
        .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
        .where(AgendaSection.meeting_id.in_(meeting_ids))
        .order_by(AgendaSection.meeting_id, AgendaSection.position, AgendaItem.position)
    ):
        found[meeting_id].append(ItemHeading(section_title, title, matter_id is not None))
    return found
