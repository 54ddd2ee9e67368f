"""Append events to the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.audit.rules import canonical, changes, event_digest
from agenda.db import utcnow
from agenda.extensions import db

if TYPE_CHECKING:
    from agenda.auth.models import User

# The advisory lock key that serializes appends to the audit chain ("agenda" in ASCII).
CHAIN_LOCK = 0x6167656E6461
# What the actor acted through, when not the screens (an API token): kept in each event.
_THROUGH: ContextVar[str | None] = ContextVar("audit_through", default=None)


@contextmanager
def acting_through(label: str) -> Iterator[None]:
    """Note in every event recorded inside the block what the actor used (an API token)."""
    reset = _THROUGH.set(label)
    try:
        yield
    finally:
        _THROUGH.reset(reset)


def record_event(
    action: str,
    obj: Any,
    *,
    actor: User | None,
    details: dict[str, Any] | None = None,
    facts: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event about `obj` (a model with an `id`) chained to the last one.

    Writers take turns on the chain: on PostgreSQL a transaction-level advisory lock makes a
    simultaneous writer wait until this transaction ends, then read the new last event (SQLite
    transactions already start with BEGIN IMMEDIATE, one writer at a time).

    `facts` is the complete new state of what the event changed, by fact key ("vote:12":
    its tally and every ballot); `flask verify` replays them against the tables.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(CHAIN_LOCK)))
    last = db.session.execute(
        sa.select(AuditEvent.sha256).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    # Microseconds are dropped so the digest survives databases that store less precision.
    occurred_at = utcnow().replace(microsecond=0)
    fields = {
        "occurred_at": occurred_at,
        "actor_label": actor.email if actor is not None else "system",
        "action": action,
        "object_type": type(obj).__tablename__,
        "object_id": str(obj.id),
        "details": {
            **(details or {}),
            **({"through": through} if (through := _THROUGH.get()) else {}),
            **({"facts": canonical(facts)} if facts else {}),
        },
    }
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        prev_sha256=last,
        sha256=event_digest(prev_sha256=last, **fields),
        **fields,
    )
    db.session.add(event)
    db.session.flush()
    return event


def fields_of(obj: Any, names: list[str]) -> dict[str, Any]:
    """Return the named attributes of a model, to compare before and after a change."""
    return {name: getattr(obj, name) for name in names}


def record_changes(
    action: str,
    obj: Any,
    before: dict[str, Any],
    *,
    actor: User | None,
    facts: dict[str, Any] | None = None,
) -> AuditEvent | None:
    """Audit what changed on `obj` since `before` (its fields_of), old and new; None if nothing."""
    diff = changes(before, fields_of(obj, list(before)))
    if not diff:
        return None
    return record_event(action, obj, actor=actor, details={"changes": diff}, facts=facts)


def seal(facts: dict[str, Any], *, actor: User | None = None) -> AuditEvent | None:
    """Record the current state of rows the chain does not cover yet (made before it did).

    One event, "record.seal", about the chain itself; later edits of those rows are caught.
    """
    if not facts:
        return None
    return record_event("record.seal", _Chain(), actor=actor, facts=facts)


class _Chain:
    """The audit chain as the object of its own seal event."""

    __tablename__ = "audit_events"
    id = "seal"
