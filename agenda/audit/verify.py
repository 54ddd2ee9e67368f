"""Check the record: recompute the audit hash chain and every approved minutes' digest."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.audit.rules import event_digest
from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.minutes.models import MinutesRevision
from agenda.minutes.record import digest_of


@dataclass(frozen=True)
class Break:
    """The first place where the stored record no longer matches its hashes."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


def chain_breaks(events: Iterable[AuditEvent]) -> Iterator[Break]:
    """Yield every link of the chain, in id order, whose hashes do not hold."""
    previous: str | None = None
    for event in events:
        where = f"audit event {event.id} ({event.action})"
        if event.prev_sha256 != previous:
            yield Break(where, "does not follow the event before it (deleted or reordered)")
        content = event_digest(
            prev_sha256=event.prev_sha256,
            occurred_at=event.occurred_at,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            details=event.details,
        )
        if content != event.sha256:
            yield Break(where, "its content was changed after it was written")
        previous = event.sha256


def first_chain_break() -> Break | None:
    """Return the first broken link of the audit chain, or None when it holds."""
    events = db.session.execute(sa.select(AuditEvent).order_by(AuditEvent.id)).scalars()
    return next(chain_breaks(events), None)


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


def first_break() -> Break | None:
    """Return the first broken link: the audit chain first, then the approved minutes."""
    return first_chain_break() or next(minutes_breaks(), None)
