"""Reads of one body's meetings for its public page: the next ones and the latest past ones."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from agenda.auth.rules import PUBLIC
from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.meetings.queries import visible_to


def body_meetings(
    body_id: int, now: datetime, limit: int = 10
) -> tuple[list[Meeting], list[Meeting]]:
    """Return a body's next public meetings (soonest first) and latest past ones (newest first).

    The public's view whoever asks: drafts never show on the body's page. Two queries; each
    meeting's body is the one already loaded by the page.
    """
    base = sa.select(Meeting).where(Meeting.body_id == body_id, visible_to(PUBLIC))
    upcoming = db.session.execute(
        base.where(Meeting.scheduled_at >= now).order_by(Meeting.scheduled_at).limit(limit)
    ).scalars()
    recent = db.session.execute(
        base.where(Meeting.scheduled_at < now).order_by(Meeting.scheduled_at.desc()).limit(limit)
    ).scalars()
    return list(upcoming), list(recent)
