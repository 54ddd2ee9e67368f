"""Check the record: recompute the audit hash chain, then ask every area for its checks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.audit.rules import event_digest
from agenda.audit.signals import record_checks
from agenda.extensions import db


@dataclass(frozen=True)
class Break:
    """The first place where the stored record no longer matches its hashes."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass(frozen=True)
class Check:
    """One area's check of the record: what it vouches for, how many, and what broke."""

    what: str
    checked: int
    breaks: Iterator[Break]


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


def area_checks() -> list[Check]:
    """Return every area's check of the record (approved minutes, and more as areas add them)."""
    return [check for _, check in record_checks.send(None)]


def first_break(checks: Iterable[Check] = ()) -> Break | None:
    """Return the first broken link: the audit chain first, then each area's check in turn."""
    return first_chain_break() or next((b for c in checks for b in c.breaks), None)
