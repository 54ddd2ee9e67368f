"""The facts of the minutes as the audit chain keeps them (each revision's text digest and
status) and as the tables hold them now, for `flask verify` to replay."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa

from agenda.audit.signals import record_facts
from agenda.audit.verify import FactSource
from agenda.extensions import db
from agenda.minutes.models import MinutesRevision

KINDS = frozenset({"minutes_revision"})


def revision_fact(revision: MinutesRevision) -> dict[str, Any]:
    """Return a minutes revision: its notes' digest, its status and how it was approved."""
    notes = {"meeting": revision.meeting_notes, "items": revision.item_notes}
    text = json.dumps(notes, sort_keys=True, separators=(",", ":"))
    return {
        f"minutes_revision:{revision.id}": {
            "minutes": revision.minutes_id,
            "number": revision.number,
            "status": revision.status,
            "notes": hashlib.sha256(text.encode()).hexdigest(),
            "approved_by_motion": revision.approved_by_motion_id,
            "approved_at": revision.approved_at,
            "record": revision.record_sha256,
        }
    }


def minutes_source() -> FactSource:
    """Return every minutes revision as the tables hold it now."""
    states: dict[str, Any] = {}
    for revision in db.session.execute(sa.select(MinutesRevision)).scalars():
        states |= revision_fact(revision)
    return FactSource("minutes revisions", KINDS, states)


def _source(sender: object, **kwargs: Any) -> FactSource:
    return minutes_source()


def connect() -> None:
    """Answer `flask verify`'s question for this area's facts (safe to call again)."""
    record_facts.connect(_source)
