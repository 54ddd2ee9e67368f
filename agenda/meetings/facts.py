"""The facts of meetings as the audit chain keeps them (attendance, dispositions, published
agendas) and as the tables hold them now, for `flask verify` to replay."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from agenda.audit.rules import canonical
from agenda.audit.signals import record_facts
from agenda.audit.verify import FactSource
from agenda.bodies.queries import person_names
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaRevision, Attendance

KINDS = frozenset({"attendance", "item", "agenda_revision"})


def attendance_fact(meeting_id: int, person_id: int, rows: Iterable[Attendance]) -> dict[str, Any]:
    """Return a member's attendance at a meeting: every stay, in order, or the absence."""
    stays = sorted(
        (
            {
                "status": row.status,
                "arrived": row.arrived_at,
                "left": row.left_at,
                "remote": row.is_remote,
                "excused": row.is_excused,
            }
            for row in rows
        ),
        key=lambda s: (canonical(s["arrived"]) or "", canonical(s["left"]) or ""),
    )
    return {f"attendance:{meeting_id}:{person_id}": {"stays": stays}}


def item_fact(item: AgendaItem) -> dict[str, Any]:
    """Return what the meeting decided of an item: its disposition, continuation, pulling."""
    return {
        f"item:{item.id}": {
            "disposition": item.disposition,
            "continued_to": item.continued_to_id,
            "pulled_from_consent_at": item.pulled_from_consent_at,
            "pulled_note": item.pulled_note,
        }
    }


def revision_fact(revision: AgendaRevision) -> dict[str, Any]:
    """Return a published agenda revision: its documents' digests and its content's digest."""
    content = None
    if revision.snapshot is not None:
        text = json.dumps(canonical(revision.snapshot), sort_keys=True, separators=(",", ":"))
        content = hashlib.sha256(text.encode()).hexdigest()
    return {
        f"agenda_revision:{revision.id}": {
            "meeting": revision.meeting_id,
            "number": revision.number,
            "published_at": revision.published_at,
            "agenda": revision.agenda_sha256,
            "packet": revision.packet_sha256,
            "content": content,
        }
    }


def meetings_source() -> FactSource:
    """Return every attendance, decided item and published revision as the tables hold them."""
    states: dict[str, Any] = {}
    by_member: dict[tuple[int, int], list[Attendance]] = {}
    for row in db.session.execute(sa.select(Attendance)).scalars():
        by_member.setdefault((row.meeting_id, row.person_id), []).append(row)
    for (meeting_id, person_id), rows in by_member.items():
        states |= attendance_fact(meeting_id, person_id, rows)
    decided = sa.or_(
        AgendaItem.disposition.is_not(None), AgendaItem.pulled_from_consent_at.is_not(None)
    )
    for item in db.session.execute(sa.select(AgendaItem).where(decided)).scalars():
        states |= item_fact(item)
    for revision in db.session.execute(sa.select(AgendaRevision)).scalars():
        states |= revision_fact(revision)
    names = person_names()
    return FactSource("attendance, dispositions and published agendas", KINDS, states, names)


def _source(sender: object, **kwargs: Any) -> FactSource:
    return meetings_source()


def connect() -> None:
    """Answer `flask verify`'s question for this area's facts (safe to call again)."""
    record_facts.connect(_source)
