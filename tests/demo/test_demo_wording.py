"""The demo reads as a real city's record would: no legislation from the future, no stutter."""

from __future__ import annotations

import sqlalchemy as sa

from agenda.db import utcnow
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings.models import AgendaRevision, Meeting
from agenda.meetings.rules import MeetingStatus


def test_the_demo_files_nothing_in_the_future_and_cancels_in_plain_words(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    now = utcnow()
    filed = db.session.execute(sa.select(Matter.file_number, Matter.created_at)).all()
    assert filed and all(at <= now for _, at in filed), filed
    cancelled = db.session.execute(
        sa.select(Meeting).where(Meeting.status == MeetingStatus.CANCELLED)
    ).scalar_one()
    assert not cancelled.cancelled_reason.lower().startswith("cancelled")
    summaries = db.session.execute(
        sa.select(AgendaRevision.summary).where(AgendaRevision.meeting_id == cancelled.id)
    ).scalars()
    assert [s for s in summaries if s.startswith("Meeting cancelled:")] == [
        f"Meeting cancelled: {cancelled.cancelled_reason}"
    ]
