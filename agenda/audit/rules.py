"""The audit hash chain: how an event's digest is computed from its content."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
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
