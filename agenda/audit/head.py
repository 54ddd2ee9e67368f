"""The chain's head (its length and newest event), whether the present chain extends a head,
and the head as printed documents carry it in their metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

import pikepdf
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.audit.verify import chain_breaks
from agenda.extensions import db

# The custom keys of a PDF's document information dictionary that hold the head it printed.
HEAD_KEY = "/AgendaRecordHead"
HEAD_EVENT_KEY = "/AgendaRecordHeadEvent"
SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Head:
    """The chain at one moment: how many events, the newest one's digest and time."""

    events: int
    sha256: str | None
    at: datetime | None

    @property
    def short(self) -> str:
        """The digest's first 16 hex digits, as printed on paper."""
        return (self.sha256 or "")[:16]


@dataclass(frozen=True)
class Extension:
    """Whether the present chain extends a head: its place in the chain, or what is wrong."""

    head: str
    position: int | None
    total: int
    problem: str | None = None


def chain_head() -> Head:
    """Return the head of the chain as this transaction sees it (0 events: no digest)."""
    newest = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.sha256, AuditEvent.occurred_at)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if newest is None:
        return Head(0, None, None)
    return Head(_events_up_to(newest.id), newest.sha256, newest.occurred_at)


def extends(head_sha: str) -> Extension:
    """Tell whether the present chain contains the event `head_sha` and verifies up to it."""
    head_sha = head_sha.strip().lower()
    total = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
    event_id = db.session.execute(
        sa.select(AuditEvent.id).where(AuditEvent.sha256 == head_sha)
    ).scalar_one_or_none()
    if event_id is None:
        return Extension(
            head_sha,
            None,
            total,
            f"The present chain does not contain head {head_sha}: the event it names, or the "
            "events after it, were removed or rewritten.",
        )
    events = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.id <= event_id).order_by(AuditEvent.id)
    ).scalars()
    broken = next(chain_breaks(events), None)
    position = _events_up_to(event_id)
    if broken is not None:
        return Extension(
            head_sha,
            position,
            total,
            f"The chain up to head {head_sha} does not verify. First break: {broken}.",
        )
    return Extension(head_sha, position, total)


def _events_up_to(event_id: int) -> int:
    # The event's place in the chain, not its id: ids may skip numbers.
    return db.session.execute(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.id <= event_id)
    ).scalar_one()


def with_head(pdf: bytes, head: Head) -> bytes:
    """Return the PDF with the head's full digest and place in its document information."""
    if head.sha256 is None:
        return pdf
    with pikepdf.open(BytesIO(pdf)) as document:
        document.docinfo[HEAD_KEY] = head.sha256
        document.docinfo[HEAD_EVENT_KEY] = str(head.events)
        out = BytesIO()
        # The same PDF and head give the same bytes, so documents rendered ahead are reused.
        document.save(out, deterministic_id=True)
    return out.getvalue()


def head_in_pdf(pdf: bytes) -> str | None:
    """Return the head digest a PDF carries in its metadata, or None when it has none."""
    try:
        with pikepdf.open(BytesIO(pdf)) as document:
            value = document.docinfo.get(HEAD_KEY)
            found = str(value).strip().lower() if value is not None else ""
    except pikepdf.PdfError:
        return None
    return found if SHA256_HEX.fullmatch(found) else None
