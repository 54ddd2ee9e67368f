"""Which minutes a viewer sees: the public only approved ones, the body's people drafts too."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.auth.rules import Viewer
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.rules import item_number
from agenda.minutes.models import Minutes, MinutesRevision, MinutesStatus


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
        .where(AgendaItem.minutes_of_id == meeting_id)
        .options(selectinload(AgendaItem.section).selectinload(AgendaSection.meeting))
    ).scalars()
    found = [
        ApprovalItem(i.section.meeting, item_number(i.section.position, i.position)) for i in items
    ]
    return sorted(found, key=lambda a: a.meeting.scheduled_at)
