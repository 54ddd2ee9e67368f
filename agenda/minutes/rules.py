"""Minutes rules: the digest of a meeting's record, and who may see which minutes."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def record_digest(record: dict[str, Any]) -> str:
    """Return the SHA-256 of a record in canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def short_digest(digest: str) -> str:
    """Return a digest in groups of eight, easier to read aloud and compare on paper."""
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))
