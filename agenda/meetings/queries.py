"""Page-level reads of meetings with explicit eager loading."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from agenda.auth.rules import Viewer
from agenda.bodies.models import Membership
from agenda.bodies.queries import roster
from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaRevision, AgendaSection, Meeting
from agenda.meetings.rules import EDITABLE_STATUSES, PUBLIC_STATUSES, is_public
from agenda.meetings.signals import approvable_minutes_of
from agenda.meetings.snapshot import (
    attachment_digests_of,
    attachment_ids_of,
    has_pending_amendment,
    newest_snapshot,
    pending_snapshots,
)
from agenda.timefmt import local_date


def visible_to(viewer: Viewer) -> sa.ColumnElement[bool]:
    """Return the WHERE clause for meetings a viewer may see.

    The public sees meetings once notice is given; commissioners also see their own bodies'
    drafts; clerks and admins see everything, or, limited to some bodies, those bodies' drafts.
    """
    if viewer.is_staff and viewer.limited_to is None:
        return sa.true()
    public = sa.and_(Meeting.status.in_(PUBLIC_STATUSES), Meeting.published_at.is_not(None))
    own = viewer.limited_to if viewer.is_staff else viewer.body_ids
    if own:
        return sa.or_(public, Meeting.body_id.in_(own))
    return public


def is_visible(meeting: Meeting, viewer: Viewer) -> bool:
    """Tell whether a viewer may see a meeting already loaded (the rule of `visible_to`)."""
    is_notified = is_public(meeting.status, meeting.published_at is not None)
    return is_notified or viewer.sees_drafts_of(meeting.body_id)


def seated_on_meeting_date(meeting: Meeting) -> list[Membership]:
    """Return the memberships active on the meeting's local date, in seat order."""
    return roster(meeting.body_id, local_date(meeting.scheduled_at, meeting.timezone))


def upcoming_and_recent(
    viewer: Viewer, now: datetime, limit: int = 10, *, body_id: int | None = None
) -> tuple[list[Meeting], list[Meeting]]:
    """Return the next meetings (soonest first) and the latest past ones (newest first).

    Of one body when `body_id` is given (its page loads the body itself), else of all with
    their bodies. Two queries.
    """
    base = sa.select(Meeting).where(visible_to(viewer))
    if body_id is None:
        base = base.options(selectinload(Meeting.body))
    else:
        base = base.where(Meeting.body_id == body_id)
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


def item_matter_loader() -> LoaderOption:
    """Load the legislation each agenda item carries (its number and title, for the agenda)."""
    return selectinload(AgendaItem.matter)


def meeting_page(
    meeting_id: int, viewer: Viewer, *, item_options: Sequence[LoaderOption] = ()
) -> Meeting | None:
    """Return one visible meeting with its agenda and documents loaded.

    A page that shows more of each item (its legislation, its motions and votes) passes the
    loader options of the areas that own them in `item_options`.
    """
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
                selectinload(AgendaItem.minutes_of),
                *item_options,
            ),
            selectinload(Meeting.attendance),
        )
    ).scalar_one_or_none()


@dataclass(frozen=True)
class MeetingsPage:
    """One page of the clerk's list of meetings, newest first."""

    meetings: list[Meeting]
    number: int
    pages: int
    total: int


def meetings_page(
    number: int, per_page: int = 25, body_ids: frozenset[int] | None = None
) -> MeetingsPage:
    """Return a page of meetings (of `body_ids`, or every body), newest first, with bodies.

    Pages are 1-based and clamped to range.
    """
    among = Meeting.body_id.in_(body_ids) if body_ids is not None else sa.true()
    total = db.session.execute(sa.select(sa.func.count(Meeting.id)).where(among)).scalar_one()
    pages = max(-(-total // per_page), 1)
    number = min(max(number, 1), pages)
    meetings = db.session.execute(
        sa.select(Meeting)
        .where(among)
        .options(selectinload(Meeting.body))
        .order_by(Meeting.scheduled_at.desc(), Meeting.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).scalars()
    return MeetingsPage(list(meetings), number, pages, total)


def later_meetings(meeting: Meeting) -> list[Meeting]:
    """Return the body's meetings after this one, soonest first."""
    return list(
        db.session.execute(
            sa.select(Meeting)
            .where(Meeting.body_id == meeting.body_id, Meeting.scheduled_at > meeting.scheduled_at)
            .order_by(Meeting.scheduled_at)
        ).scalars()
    )


def minutes_choices(meeting: Meeting, current: Sequence[Meeting] = ()) -> list[Meeting]:
    """Return the meetings whose minutes an item of `meeting` may take up, newest first.

    The minutes area says which are drafted and not yet approved; the item's present choices
    stay on the list.
    """
    ids = approvable_minutes_of(meeting) | {m.id for m in current}
    if not ids:
        return []
    return list(
        db.session.execute(
            sa.select(Meeting).where(Meeting.id.in_(ids)).order_by(Meeting.scheduled_at.desc())
        ).scalars()
    )


def editable_later_meetings(meeting: Meeting) -> list[Meeting]:
    """Return the later meetings whose agenda can still take a continued item."""
    return [m for m in later_meetings(meeting) if m.status in EDITABLE_STATUSES]


def open_agendas(body_id: int, *, without_matter_id: int | None = None) -> list[Meeting]:
    """Return the body's meetings whose agenda can still change, soonest first.

    With `without_matter_id`, leave out the agendas that already carry that legislation.
    """
    query = sa.select(Meeting).where(
        Meeting.body_id == body_id, Meeting.status.in_(EDITABLE_STATUSES)
    )
    if without_matter_id is not None:
        already_on = (
            sa.select(AgendaSection.meeting_id)
            .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
            .where(AgendaItem.matter_id == without_matter_id)
        )
        query = query.where(Meeting.id.not_in(already_on))
    return list(
        db.session.execute(
            query.options(selectinload(Meeting.sections)).order_by(Meeting.scheduled_at)
        ).scalars()
    )


def agenda_document_visible(digest: str, viewer: Viewer) -> bool:
    """Tell whether a stored agenda or packet with this digest belongs to a visible meeting.

    While an amendment is pending, the documents of the published agenda stay visible too,
    even one the clerk has since removed.
    """
    if revision_document_visible(digest, viewer):
        return True
    visible = sa.select(Meeting.id).where(visible_to(viewer))
    return any(digest in attachment_digests_of(s) for s in pending_snapshots(visible))


def revision_document_visible(digest: str, viewer: Viewer) -> bool:
    """Tell whether a published revision of a visible meeting has this agenda or packet."""
    stored = db.session.execute(
        sa.select(AgendaRevision.id)
        .join(Meeting, AgendaRevision.meeting_id == Meeting.id)
        .where(
            sa.or_(
                AgendaRevision.agenda_sha256 == digest,
                AgendaRevision.packet_sha256 == digest,
            ),
            visible_to(viewer),
        )
        .limit(1)
    ).first()
    return stored is not None


def item_attachment_visible(attachment: Attachment, viewer: Viewer) -> bool:
    """Tell whether an agenda item's attachment is on the agenda of a visible meeting.

    While an amendment is pending, only staff see documents the published agenda lacks.
    """
    meeting = db.session.execute(
        sa.select(Meeting)
        .join(AgendaSection, AgendaSection.meeting_id == Meeting.id)
        .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
        .where(AgendaItem.id == attachment.agenda_item_id, visible_to(viewer))
    ).scalar_one_or_none()
    if meeting is None:
        return False
    if viewer.is_staff or not has_pending_amendment(meeting):
        return True
    snapshot = newest_snapshot(meeting)
    return snapshot is None or attachment.id in attachment_ids_of(snapshot)


def meeting_id_visible(meeting_id: int, viewer: Viewer) -> bool:
    """Tell whether the meeting with this id exists and the viewer may see it."""
    return (
        db.session.execute(
            sa.select(Meeting.id).where(Meeting.id == meeting_id, visible_to(viewer))
        ).first()
        is not None
    )
