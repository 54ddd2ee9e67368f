"""The audit hash chain: how an event's digest is computed from its content."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
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
