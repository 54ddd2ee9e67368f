"""Which minutes a viewer sees: the public only approved ones, the body's people drafts too."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from agenda.auth.models import User
from agenda.auth.rules import Viewer
from agenda.extensions import db
from agenda.matters.queries import matter_loader
from agenda.meetings.models import AgendaItem, AgendaSection, ItemMinutes, Meeting
from agenda.meetings.queries import meeting_id_visible, meeting_page
from agenda.meetings.rules import MeetingStatus, item_number
from agenda.minutes.disclosures import filed_memorandum
from agenda.minutes.models import Minutes, MinutesRevision, MinutesStatus
from agenda.votes.models import Motion
from agenda.votes.queries import motions_loader


def record_page(meeting_id: int, viewer: Viewer) -> Meeting | None:
    """Return a visible meeting with its agenda, legislation, motions and votes loaded."""
    return meeting_page(meeting_id, viewer, item_options=[matter_loader(), motions_loader()])


def revisions_of(meeting_id: int) -> list[MinutesRevision]:
    """Return every revision of a meeting's minutes, newest first."""
    return list(
        db.session.execute(
            sa.select(MinutesRevision)
            .join(Minutes, MinutesRevision.minutes_id == Minutes.id)
            .where(Minutes.meeting_id == meeting_id)
            .order_by(MinutesRevision.number.desc())
        ).scalars()
    )


def current_minutes(
    revisions: list[MinutesRevision], viewer: Viewer, body_id: int
) -> MinutesRevision | None:
    """Return the revision to show: the latest draft to the body's people, else the approved one."""
    if revisions and viewer.sees_drafts_of(body_id):
        return revisions[0]
    return next((r for r in revisions if r.status is MinutesStatus.APPROVED), None)


def approved_among(meeting_ids: frozenset[int]) -> set[int]:
    """Return the ids among `meeting_ids` whose minutes have an approved revision."""
    return set(
        db.session.execute(
            sa.select(Minutes.meeting_id)
            .join(MinutesRevision, MinutesRevision.minutes_id == Minutes.id)
            .where(
                Minutes.meeting_id.in_(meeting_ids),
                MinutesRevision.status == MinutesStatus.APPROVED,
            )
            .distinct()
        ).scalars()
    )


def published_minutes_digest(digest: str) -> MinutesRevision | None:
    """Return the approved or superseded revision whose stored PDF has this digest."""
    return db.session.execute(
        sa.select(MinutesRevision)
        .where(
            MinutesRevision.pdf_sha256 == digest,
            MinutesRevision.status.in_([MinutesStatus.APPROVED, MinutesStatus.SUPERSEDED]),
        )
        .limit(1)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class ApprovalItem:
    """An "approval of minutes" item of a later meeting, where these minutes are approved."""

    meeting: Meeting
    number: str


def approval_items(meeting_id: int) -> list[ApprovalItem]:
    """Return the agenda items that take up a meeting's minutes for approval, soonest first."""
    items = db.session.execute(
        sa.select(AgendaItem)
        .join(ItemMinutes, ItemMinutes.agenda_item_id == AgendaItem.id)
        .where(ItemMinutes.meeting_id == meeting_id)
        .options(selectinload(AgendaItem.section).selectinload(AgendaSection.meeting))
    ).scalars()
    found = [
        ApprovalItem(i.section.meeting, item_number(i.section.position, i.position)) for i in items
    ]
    return sorted(found, key=lambda a: a.meeting.scheduled_at)


@dataclass(frozen=True)
class RevisionRow:
    """A revision of the minutes, who saved it, and the motion that approved it, if any."""

    revision: MinutesRevision
    saved_by: str
    approval: Motion | None


def revision_rows(meeting_id: int) -> list[RevisionRow]:
    """Return every revision of a meeting's minutes, newest first, with who saved and approved."""
    found = db.session.execute(
        sa.select(MinutesRevision, User.name, User.email)
        .join(Minutes, MinutesRevision.minutes_id == Minutes.id)
        .outerjoin(User, User.id == MinutesRevision.created_by_id)
        .where(Minutes.meeting_id == meeting_id)
        .order_by(MinutesRevision.number.desc())
    ).all()
    ids = [r.approved_by_motion_id for r, *_ in found if r.approved_by_motion_id]
    motions = db.session.execute(
        sa.select(Motion)
        .where(Motion.id.in_(ids))
        .options(
            selectinload(Motion.vote),
            joinedload(Motion.agenda_item)
            .joinedload(AgendaItem.section)
            .joinedload(AgendaSection.meeting),
        )
    ).scalars()
    by_id = {m.id: m for m in motions}
    return [
        RevisionRow(r, name or email or "the system", by_id.get(r.approved_by_motion_id or 0))
        for r, name, email in found
    ]


def minutes_document(digest: str) -> tuple[Meeting, MinutesRevision] | None:
    """Return the meeting and the approved (or superseded) revision stored with this digest."""
    revision = published_minutes_digest(digest)
    if revision is None:
        return None
    meeting = db.session.get(Meeting, revision.minutes.meeting_id)
    return (meeting, revision) if meeting is not None else None


def minutes_document_visible(digest: str, viewer: Viewer) -> bool:
    """Tell whether approved minutes or a filed memorandum with this digest may be seen."""
    found = minutes_document(digest)
    if found is not None:
        return meeting_id_visible(found[0].id, viewer)
    memorandum = filed_memorandum(digest)
    return memorandum is not None and meeting_id_visible(memorandum.meeting_id, viewer)


def awaiting_approval(meeting: Meeting) -> list[int]:
    """Return the earlier adjourned meetings of the body whose newest minutes are a draft."""
    newest = (
        sa.select(MinutesRevision.minutes_id, sa.func.max(MinutesRevision.number).label("number"))
        .group_by(MinutesRevision.minutes_id)
        .subquery()
    )
    return list(
        db.session.execute(
            sa.select(Minutes.meeting_id)
            .join(newest, newest.c.minutes_id == Minutes.id)
            .join(
                MinutesRevision,
                sa.and_(
                    MinutesRevision.minutes_id == Minutes.id,
                    MinutesRevision.number == newest.c.number,
                ),
            )
            .join(Meeting, Meeting.id == Minutes.meeting_id)
            .where(
                MinutesRevision.status == MinutesStatus.DRAFT,
                Meeting.body_id == meeting.body_id,
                Meeting.scheduled_at < meeting.scheduled_at,
                Meeting.status == MeetingStatus.ADJOURNED,
            )
        ).scalars()
    )
