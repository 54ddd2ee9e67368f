"""Page reads of the members area: a commissioner's upcoming meetings and their markers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.auth.rules import Viewer
from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.meetings.queries import visible_to
from agenda.meetings.rules import MeetingState, meeting_state
from agenda.members.models import AgendaView
from agenda.members.rules import is_amended_since

# A meeting stays "upcoming" for the rest of its evening, while it runs.
STILL_UPCOMING = timedelta(hours=12)


@dataclass(frozen=True)
class MyMeeting:
    """One meeting on a commissioner's list, with what they need to decide to open it."""

    meeting: Meeting
    state: MeetingState
    is_published: bool
    is_amended_since_opened: bool


def my_meetings(user_id: int, viewer: Viewer, now: datetime) -> list[MyMeeting]:
    """Return the upcoming meetings of the viewer's bodies, soonest first, with markers."""
    if not viewer.body_ids:
        return []
    meetings = db.session.execute(
        sa.select(Meeting)
        .where(
            Meeting.body_id.in_(viewer.body_ids),
            Meeting.scheduled_at >= now - STILL_UPCOMING,
            visible_to(viewer),
        )
        .options(selectinload(Meeting.body), selectinload(Meeting.revisions))
        .order_by(Meeting.scheduled_at)
    ).scalars()
    meetings = list(meetings)
    opened = dict(
        db.session.execute(
            sa.select(AgendaView.meeting_id, AgendaView.revision_number).where(
                AgendaView.user_id == user_id,
                AgendaView.meeting_id.in_([m.id for m in meetings]),
            )
        ).all()
    )
    return [
        MyMeeting(
            meeting=m,
            state=meeting_state(m.status),
            is_published=bool(m.revisions),
            is_amended_since_opened=is_amended_since(
                opened.get(m.id), m.revisions[-1].number if m.revisions else 0
            ),
        )
        for m in meetings
    ]
