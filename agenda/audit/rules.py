"""The audit hash chain: how an event's digest is computed from its content."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


def event_digest(
    *,
    prev_sha256: str | None,
    occurred_at: datetime,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
) -> str:
    """Return the SHA-256 of an event's content chained to the previous event's digest."""
    payload = json.dumps(
        {
            "prev": prev_sha256,
            "at": occurred_at.isoformat(timespec="microseconds"),
            "actor": actor_label,
            "action": action,
            "object": [object_type, object_id],
            "details": details,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def plain(value: Any) -> Any:
    """Return a value as the audit log stores it: enums by value, dates and times as ISO text."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for every field whose plain value differs."""
    return {
        name: [plain(before.get(name)), plain(after[name])]
        for name in sorted(after)
        if plain(before.get(name)) != plain(after[name])
    }


def canonical(value: Any) -> Any:
    """Return a fact as the chain keeps it: JSON types only, sorted by json.dumps, times in UTC.

    Enums by value, datetimes as UTC ISO text to the second, dates as ISO text, tuples as
    lists, mapping keys as text; floats are refused (a fact is exact or it is text).
    """
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        moment = value if value.tzinfo is None else value.astimezone(UTC)
        return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float):
        raise TypeError(f"A fact is never a float: {value!r}")
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    return value


def first_difference(
    table: Any, record: Any, path: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], Any, Any] | None:
    """Return where two facts first differ (the path of keys, the table's and record's values)."""
    if isinstance(table, dict) and isinstance(record, dict):
        for key in sorted(set(table) | set(record)):
            found = first_difference(table.get(key), record.get(key), (*path, key))
            if found is not None:
                return found
        return None
    if isinstance(table, list) and isinstance(record, list) and len(table) == len(record):
        for n, (a, b) in enumerate(zip(table, record, strict=True)):
            found = first_difference(a, b, (*path, str(n)))
            if found is not None:
                return found
        return None
    return None if table == record else (path, table, record)
