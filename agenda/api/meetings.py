"""Meetings to read: the list with filters, and one meeting with its agenda, votes and minutes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from pydantic import Field
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from agenda.api import core
from agenda.api.convert import meeting_detail, meeting_out
from agenda.api.filters import DatedQuery, after, on_local_dates, page
from agenda.api.schemas import MeetingDetail, MeetingOut, Page
from agenda.auth.rules import Viewer
from agenda.bodies.models import Person
from agenda.extensions import db
from agenda.matters.queries import matter_loader
from agenda.meetings.models import AgendaRevision, Meeting
from agenda.meetings.queries import meeting_page, visible_to
from agenda.meetings.rules import MeetingStatus, MeetingType
from agenda.meetings.snapshot import PublishedAgenda, published_agenda
from agenda.minutes.queries import approved_among, current_minutes, revisions_of
from agenda.votes.queries import motions_loader


class MeetingsQuery(DatedQuery):
    status: Optional[MeetingStatus] = Field(
        None, description="Only meetings in this state: published, in_progress, adjourned..."
    )


@core.read("/meetings", response=Page[MeetingOut], tag="meetings", query=MeetingsQuery)
def meetings(query: MeetingsQuery) -> Page[MeetingOut]:
    """List meetings, oldest first.

    Filter by body, by local date (since, until), by state, or by what changed since a
    time; follow `next` for the following page. Drafts appear only to a token of their body.
    """
    viewer = core.viewer()
    where = [
        visible_to(viewer),
        on_local_dates(query.since, query.until),
        after((Meeting.scheduled_at, Meeting.id), query.cursor),
    ]
    if query.body is not None:
        where.append(Meeting.body_id == query.body)
    if query.status is not None:
        where.append(Meeting.status == query.status)
    if query.updated_since is not None:
        where.append(Meeting.updated_at >= query.updated_since)
    rows = db.session.execute(
        sa.select(Meeting)
        .where(*where)
        .options(
            selectinload(Meeting.body),
            selectinload(Meeting.revisions).defer(AgendaRevision.snapshot),
        )
        .order_by(Meeting.scheduled_at, Meeting.id)
        .limit(query.limit + 1)
    ).scalars()
    shown, following = page(list(rows), query.limit, lambda m: (m.scheduled_at, m.id))
    ids = frozenset(m.id for m in shown)
    minutes = approved_among(ids) if ids else set()
    published = _published_headings(shown, viewer)
    return Page[MeetingOut](
        results=[
            meeting_out(m, has_minutes=m.id in minutes, published=published.get(m.id))
            for m in shown
        ],
        next=following,
    )


def _published_headings(meetings: list[Meeting], viewer: Viewer) -> dict[int, PublishedAgenda]:
    """Return, for meetings with an amendment pending, the time and place last published.

    Only for viewers who do not see the body's drafts; one query, for those meetings only.
    """
    pending = [m.id for m in meetings if m.amendment_notes and not viewer.sees_drafts_of(m.body_id)]
    if not pending:
        return {}
    newest = (
        sa.select(sa.func.max(AgendaRevision.id))
        .where(AgendaRevision.meeting_id.in_(pending))
        .group_by(AgendaRevision.meeting_id)
    )
    found: dict[int, PublishedAgenda] = {}
    for meeting_id, snapshot in db.session.execute(
        sa.select(AgendaRevision.meeting_id, AgendaRevision.snapshot).where(
            AgendaRevision.id.in_(newest)
        )
    ):
        if snapshot is not None:
            found[meeting_id] = _heading(snapshot)
    return found


def _heading(snapshot: dict[str, Any]) -> PublishedAgenda:
    return PublishedAgenda(
        meeting_type=MeetingType(snapshot["meeting_type"]),
        scheduled_at=datetime.fromisoformat(snapshot["scheduled_at"]),
        location=snapshot["location"],
        sections=[],
    )


@core.read("/meetings/<int:meeting_id>", response=MeetingDetail, tag="meetings")
def meeting(meeting_id: int) -> MeetingDetail:
    """Read one meeting: its agenda, attendance, motions, roll calls with every ballot, minutes.

    The agenda is the one the reader may see: while an amendment is pending, the public
    gets the agenda as last published. Minutes appear once approved (drafts to a token
    of the body). A draft meeting is 404 except to a token of its body.
    """
    viewer = core.viewer()
    found = meeting_page(
        meeting_id, viewer, item_options=[matter_loader(), motions_loader(ballot_people=True)]
    )
    if found is None:
        raise core.not_found()
    _load_attendees(found)
    minutes = current_minutes(revisions_of(found.id), viewer, found.body_id)
    published = None if viewer.sees_drafts_of(found.body_id) else published_agenda(found)
    return meeting_detail(found, minutes=minutes, published=published)


def _load_attendees(meeting: Meeting) -> None:
    """Load the people of the attendance rows in one query (each row then finds its own)."""
    ids = {a.person_id for a in meeting.attendance}
    if not ids:
        return
    people = {
        p.id: p for p in db.session.execute(sa.select(Person).where(Person.id.in_(ids))).scalars()
    }
    for row in meeting.attendance:
        set_committed_value(row, "person", people[row.person_id])
