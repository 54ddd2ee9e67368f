"""One import run: the ids earlier runs kept, batch inserts, the audit of what was created."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from agenda.api.legistar.rules import SOURCE, Report
from agenda.api.models import ExternalRecord
from agenda.audit.operations import record_event
from agenda.db import utcnow
from agenda.extensions import db

# A progress bar per kind: (label, length) -> a context whose `update(n)` moves it.
Progress = Callable[[str, int], AbstractContextManager[Any]]
# Facts per audit event: a run of 100,000 ballots becomes a few dozen events, not one huge one.
FACTS_PER_EVENT = 500


class _Quiet:
    def update(self, n: int) -> None:
        pass


def quiet(label: str, length: int) -> AbstractContextManager[Any]:
    """No progress bar (tests, the benchmark)."""
    return nullcontext(_Quiet())


class ImportRun:
    """The import itself as the object of its audit events ("external_records", "legistar")."""

    __tablename__ = "external_records"
    id = SOURCE


@dataclass
class Run:
    """The state of one import: what earlier runs made, what this one makes, and the report."""

    progress: Progress = quiet
    now: datetime = field(default_factory=utcnow)
    report: Report = field(default_factory=Report)
    # kind -> Legistar id (text) -> our id, for every record imported by this or earlier runs.
    known: dict[str, dict[str, int]] = field(default_factory=dict)
    # kind -> the Legistar ids this run created (the rest of `known` came from earlier runs).
    fresh: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def start(cls, progress: Progress = quiet) -> Run:
        """Begin a run: read every external id earlier runs recorded, in one query."""
        run = cls(progress=progress)
        rows = db.session.execute(
            sa.select(
                ExternalRecord.kind, ExternalRecord.external_id, ExternalRecord.local_id
            ).where(ExternalRecord.source == SOURCE)
        )
        for kind, external_id, local_id in rows:
            run.known.setdefault(kind, {})[external_id] = local_id
        return run

    def local(self, kind: str, external_id: object) -> int | None:
        """Return our id of a Legistar record imported now or earlier, or None."""
        if external_id is None:
            return None
        return self.known.get(kind, {}).get(str(external_id))

    def is_fresh(self, kind: str, external_id: object) -> bool:
        """Tell whether this run created the record (so it may still add to it)."""
        return str(external_id) in self.fresh.get(kind, set())

    def steps(self, label: str, rows: Sequence[Any]) -> Iterator[Any]:
        """Yield the rows while a progress bar counts them."""
        with self.progress(label, len(rows)) as bar:
            for n, row in enumerate(rows, start=1):
                yield row
                if n % 500 == 0 or n == len(rows):
                    bar.update(500 if n % 500 == 0 else n % 500)

    def insert(self, model: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows in batches under ids drawn beforehand; return the ids in the rows' order.

        Drawing the ids first lets one executemany insert them all: asking the database for
        them back in order (RETURNING sorted by parameter) inserts one row per statement.
        """
        if not rows:
            return []
        ids = reserve_ids(model.__table__, len(rows))
        db.session.execute(
            sa.insert(model), [{**row, "id": n} for n, row in zip(ids, rows, strict=True)]
        )
        return ids

    def remember(
        self,
        kind: str,
        pairs: Iterable[tuple[object, int]],
        stamps: Iterable[object] = (),
        *,
        counted: bool = True,
    ) -> None:
        """Keep the Legistar ids of new records (ExternalRecord), with their last-modified."""
        pairs = list(pairs)
        stamps = list(stamps) or [None] * len(pairs)
        rows = [
            {
                "source": SOURCE,
                "kind": kind,
                "external_id": str(external_id),
                "local_id": local_id,
                "imported_at": self.now,
                "source_modified": str(stamp)[:40] if stamp else None,
            }
            for (external_id, local_id), stamp in zip(pairs, stamps, strict=True)
        ]
        if rows:
            db.session.execute(sa.insert(ExternalRecord), rows)
        for external_id, local_id in pairs:
            self.known.setdefault(kind, {})[str(external_id)] = local_id
            self.fresh.setdefault(kind, set()).add(str(external_id))
        if counted:
            self.report.created(kind, len(pairs))

    def audit(self, kind: str, facts: dict[str, Any], details: dict[str, Any]) -> None:
        """Record what was created in the audit chain, the area's facts in batches."""
        keys = sorted(facts)
        batches = [keys[i : i + FACTS_PER_EVENT] for i in range(0, len(keys), FACTS_PER_EVENT)]
        for n, batch in enumerate(batches or [[]], start=1):
            record_event(
                "legistar.import",
                ImportRun(),
                actor=None,
                details={"kind": kind, **details, "batch": n, "batches": len(batches) or 1},
                facts={key: facts[key] for key in batch},
            )


def reserve_ids(table: sa.Table, count: int) -> list[int]:
    """Return `count` new ids of `table` no other writer can take.

    PostgreSQL: drawn from the column's sequence. SQLite: past the highest id ever given (the
    AUTOINCREMENT counter too); the run holds SQLite's one write lock (BEGIN IMMEDIATE), so
    nobody else inserts until it commits.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        return list(
            db.session.execute(
                sa.select(sa.func.nextval(sequence)).select_from(sa.func.generate_series(1, count))
            ).scalars()
        )
    highest = db.session.execute(sa.select(sa.func.max(table.c.id))).scalar_one() or 0
    if table.dialect_options["sqlite"].get("autoincrement"):
        given = db.session.execute(
            sa.text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table.name}
        ).scalar_one_or_none()
        highest = max(highest, given or 0)
    return list(range(highest + 1, highest + 1 + count))
