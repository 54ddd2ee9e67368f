"""The minutes' check of the record: every approved revision still matches its digest."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from agenda.audit.verify import Break, Check
from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.minutes.models import MinutesRevision
from agenda.minutes.record import digest_of


def minutes_breaks() -> Iterator[Break]:
    """Yield every approved minutes revision whose record no longer matches its digest."""
    revisions = db.session.execute(
        sa.select(MinutesRevision)
        .where(MinutesRevision.record_sha256.is_not(None))
        .order_by(MinutesRevision.id)
    ).scalars()
    for revision in revisions:
        meeting = db.session.get(Meeting, revision.minutes.meeting_id)
        if meeting is not None and digest_of(meeting, revision) != revision.record_sha256:
            yield Break(
                f"minutes of meeting {meeting.id}, revision {revision.number}",
                "the record changed after the minutes were approved",
            )


def minutes_check() -> Check:
    """Return the check of every approved minutes revision against its digest."""
    approved = db.session.execute(
        sa.select(sa.func.count(MinutesRevision.id)).where(
            MinutesRevision.record_sha256.is_not(None)
        )
    ).scalar_one()
    return Check("approved minutes", approved, minutes_breaks())
