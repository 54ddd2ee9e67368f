"""`flask verify` over a chain of 100,000 audit events, on a fresh SQLite file and a fresh
PostgreSQL database: events per second of `verify_record()` (every link's digest, the facts
folded in chain order, the areas' checks), as `flask verify` calls it, against reading every
event in the same run (as rows, and as the ORM objects verify reads).

Every roll call's event carries its facts (the tally and the seven ballots) as the app writes
them, under a key of its own kind ("bench_vote"), so the replay folds them all while the
tables, empty of such rows, have nothing to compare them with: the figure is the chain's cost,
which grows with the events; comparing with the tables grows with the rows, not measured here.

Run with `.venv/bin/python bench/verify_bench.py` (BENCH_EVENTS=10000 for a quick run). The
PostgreSQL database is created on PG_SERVER_URL (default postgresql://root@127.0.0.1:5432/test)
for the run and dropped after; without a server that part is skipped, saying so.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from agenda import create_app  # noqa: E402
from agenda.audit.models import AuditEvent  # noqa: E402
from agenda.audit.rules import event_digest  # noqa: E402
from agenda.audit.verify import verify_record  # noqa: E402
from agenda.extensions import db  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "100000"))
RUNS = 3
CHUNK = 5_000
PG_SERVER_URL = os.environ.get("PG_SERVER_URL", "postgresql://root@127.0.0.1:5432/test")
START = datetime(2025, 1, 6, 14, 0, tzinfo=UTC)
PEOPLE = list(range(1, 8))  # a mayor and six commissioners


def details_of(n: int) -> tuple[str, str, dict[str, Any]]:
    """Return event n's action, object type and details: a motion, its roll call, the outcome."""
    motion = n // 3 + 1
    if n % 3 == 0:
        return "motion.create", "motions", {
            "kind": "main", "text": f"Move to adopt Resolution 25-{motion:05d}.",
            "mover_id": PEOPLE[motion % 7], "seconder_id": PEOPLE[(motion + 1) % 7],
            "threshold": "majority:present",
        }  # fmt: skip
    if n % 3 == 1:
        no = motion % 7
        ballots = [
            {"person_id": p, "value": "no" if p == no else "yes",
             "reason": None, "is_excused": False}
            for p in PEOPLE
        ]  # fmt: skip
        fact = {
            "motion": motion, "counts": [6, 1, 0, 0, 0], "result": "passed",
            "ballots": {str(b["person_id"]): {"value": b["value"], "reason": "",
                                              "excused": False} for b in ballots},
        }  # fmt: skip
        return "vote.record", "votes", {
            "motion_id": motion, "tally": "6-1", "result": "passed",
            "facts": {f"bench_vote:{motion}": fact},
        }  # fmt: skip
    return "item.dispose", "agenda_items", {"disposition": "adopted", "motion_id": motion}


def chain(count: int) -> Iterator[dict[str, Any]]:
    """Yield `count` events as rows, each chained to the one before by its digest."""
    previous: str | None = None
    for n in range(count):
        action, object_type, details = details_of(n)
        fields = {
            "occurred_at": START + timedelta(seconds=20 * n),
            "actor_label": "clerk@city.test",
            "action": action,
            "object_type": object_type,
            "object_id": str(n // 3 + 1),
            "details": details,
        }
        digest = event_digest(prev_sha256=previous, **fields)
        yield {**fields, "actor_id": None, "prev_sha256": previous, "sha256": digest}
        previous = digest


def build(count: int) -> float:
    """Insert the chain in bulk; return the seconds it took."""
    start = time.perf_counter()
    rows = list(chain(count))
    for at in range(0, count, CHUNK):
        db.session.execute(sa.insert(AuditEvent), rows[at : at + CHUNK])
    db.session.commit()
    return time.perf_counter() - start


def timed(work: Callable[[], object]) -> float:
    """Return the median seconds of RUNS runs of `work`, each on a fresh session."""
    seconds = []
    for _ in range(RUNS):
        db.session.remove()
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    db.session.remove()
    return statistics.median(seconds)


def select_rows() -> None:
    rows = db.session.execute(sa.select(AuditEvent.__table__).order_by(AuditEvent.id)).all()
    assert len(rows) == EVENTS


def select_objects() -> None:
    events = db.session.execute(sa.select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert len(events) == EVENTS


def verify() -> None:
    verification = verify_record()
    assert verification.broken is None, verification.broken


def measure(label: str, url: str) -> None:
    """Build the chain on the database at `url`, then time the baselines and verify."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        logging.disable(logging.INFO)  # the migrations' log lines
        upgrade()
        logging.disable(logging.NOTSET)
        built = build(EVENTS)
        print(f"{label}: {EVENTS:,} events built and inserted in {built:.1f} s")
        baseline = timed(select_rows)
        results = [
            ("SELECT every event as rows (baseline)", baseline),
            ("SELECT every event as ORM objects", timed(select_objects)),
            ("verify: verify_record()", timed(verify)),
        ]
        for what, seconds in results:
            ratio = "" if seconds is baseline else f", {seconds / baseline:.1f}x the baseline"
            print(f"{label}: {what}: {seconds:.2f} s, {EVENTS / seconds:,.0f} events/s{ratio}")
        db.engine.dispose()


@contextmanager
def postgres_database() -> Iterator[str | None]:
    """Create a PostgreSQL database for the run and drop it after (None without a server)."""
    name = f"agenda_bench_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(
        sa.make_url(PG_SERVER_URL).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with server.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError:
        server.dispose()
        yield None
        return
    try:
        url = sa.make_url(PG_SERVER_URL).set(drivername="postgresql+psycopg", database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


def main() -> None:
    """Time verify over the same chain on SQLite, then on PostgreSQL."""
    print(f"verify over {EVENTS:,} audit events (each third a roll call of 7 ballots); "
          f"median of {RUNS} runs")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        measure("SQLite", f"sqlite:///{tmp}/bench.sqlite")
    with postgres_database() as url:
        if url is None:
            print(f"PostgreSQL: skipped (no server at {PG_SERVER_URL}; set PG_SERVER_URL)")
        else:
            measure("PostgreSQL", url)


if __name__ == "__main__":
    main()
