"""`flask import legistar` of 100,000 generated Legistar vote rows, on a fresh SQLite file and a
fresh PostgreSQL database: votes (ballot rows) per second of the whole import (reading the
JSON files, bodies to ballots, the audit events with their facts, one commit), against a plain
bulk insert of the same number of ballot rows into a bare table in the same run.

The generated city: one commission of 7 members, meetings of 100 items each, every item a
roll call of 7 votes (BENCH_VOTES rows in all, default 100,000), one roll call of attendance
per meeting. A second run over the same files must create nothing; it is timed too.

Run with `.venv/bin/python bench/import_bench.py` (BENCH_VOTES=10000 for a quick run). The
PostgreSQL database is created on PG_SERVER_URL (default postgresql://root@127.0.0.1:5432/test)
for the run and dropped after; without a server that part is skipped, saying so.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from agenda import create_app  # noqa: E402
from agenda.api.legistar.importer import import_legistar  # noqa: E402
from agenda.api.legistar.reader import read_directory  # noqa: E402
from agenda.extensions import db  # noqa: E402
from agenda.votes.models import Ballot  # noqa: E402
from bench.verify_bench import postgres_database  # noqa: E402

VOTES = int(os.environ.get("BENCH_VOTES", "100000"))
MEMBERS = 7
ITEMS_PER_MEETING = 100
PG_SERVER_URL = os.environ.get("PG_SERVER_URL", "postgresql://root@127.0.0.1:5432/test")
FIRST_MEETING = date(2006, 1, 10)


def generate(folder: Path, votes: int) -> int:
    """Write the Legistar JSON files for `votes` vote rows; return the rows written."""
    items = -(-votes // MEMBERS)
    meetings = -(-items // ITEMS_PER_MEETING)
    people = range(1, MEMBERS + 1)
    files: dict[str, list[dict[str, Any]]] = {
        "Bodies": [{"BodyId": 1, "BodyName": "City Commission", "BodyTypeName": "Primary",
                    "BodyNumberOfMembers": MEMBERS}],
        "Persons": [{"PersonId": p, "PersonFullName": f"Member {p}"} for p in people],
        "OfficeRecords": [
            {"OfficeRecordId": p, "OfficeRecordPersonId": p, "OfficeRecordBodyId": 1,
             "OfficeRecordTitle": "Mayor" if p == 1 else "Commissioner",
             "OfficeRecordStartDate": "2006-01-01T00:00:00", "OfficeRecordEndDate": None}
            for p in people
        ],
        "Events": [], "EventItems": [], "Votes": [], "RollCalls": [],
    }  # fmt: skip
    written = 0
    for m in range(meetings):
        day = (FIRST_MEETING + timedelta(days=14 * m)).isoformat()
        files["Events"].append(
            {"EventId": m + 1, "EventBodyId": 1, "EventDate": f"{day}T00:00:00",
             "EventTime": "5:00 PM", "EventAgendaStatusName": "Final"}
        )  # fmt: skip
        for n in range(ITEMS_PER_MEETING):
            item = m * ITEMS_PER_MEETING + n + 1
            if item > items:
                break
            against = item % MEMBERS + 1
            files["EventItems"].append(
                {"EventItemId": item, "EventItemEventId": m + 1, "EventItemAgendaSequence": n + 1,
                 "EventItemTitle": f"Resolution {item}", "EventItemPassedFlag": 1,
                 "EventItemActionName": "Adopted", "EventItemMoverId": against % MEMBERS + 1,
                 "EventItemSeconderId": (against + 1) % MEMBERS + 1}
            )  # fmt: skip
            for p in people:
                if written == votes:
                    break
                written += 1
                files["Votes"].append(
                    {"VoteId": written, "VoteEventItemId": item, "VotePersonId": p,
                     "VoteValueName": "Nay" if p == against else "Aye"}
                )  # fmt: skip
        files["RollCalls"] += [
            {"RollCallId": m * MEMBERS + p, "RollCallEventItemId": m * ITEMS_PER_MEETING + 1,
             "RollCallPersonId": p, "RollCallValueName": "Present"}
            for p in people
        ]  # fmt: skip
    for name, rows in files.items():
        (folder / f"{name}.json").write_text(json.dumps(rows))
    return written


def seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def baseline(rows: int) -> float:
    """Insert `rows` ballot-shaped rows in bulk into a bare table (no keys, no checks)."""
    table = sa.Table(
        "bench_ballots",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("vote_id", sa.Integer),
        sa.Column("person_id", sa.Integer),
        sa.Column("value", sa.String(10)),
        sa.Column("reason", sa.Text),
        sa.Column("is_excused", sa.Boolean),
    )
    table.create(db.engine)
    values = [
        {"vote_id": n // MEMBERS + 1, "person_id": n % MEMBERS + 1, "value": "yes",
         "reason": None, "is_excused": False}
        for n in range(rows)
    ]  # fmt: skip

    def insert() -> None:
        db.session.execute(sa.insert(table), values)
        db.session.commit()

    took = seconds(insert)
    table.drop(db.engine)
    return took


def run_import(folder: Path) -> Any:
    found = import_legistar(read_directory(folder))
    db.session.commit()
    return found


def measure(label: str, url: str, folder: Path, rows: int) -> None:
    """Import the files into the empty database at `url`, against the baseline insert."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        logging.disable(logging.INFO)  # the migrations' log lines
        upgrade()
        logging.disable(logging.NOTSET)
        base = baseline(rows)
        runs: list[Any] = []
        first = seconds(lambda: runs.append(run_import(folder)))
        stored = db.session.execute(sa.select(sa.func.count(Ballot.id))).scalar_one()
        assert stored == rows, (stored, rows)
        again = seconds(lambda: runs.append(run_import(folder)))
        assert runs[1].report.counts["ballot"].created == 0
        print(f"{label}: plain bulk insert of {rows:,} ballot rows (baseline): {base:.2f} s, "
              f"{rows / base:,.0f} rows/s")  # fmt: skip
        print(f"{label}: import: {first:.2f} s, {rows / first:,.0f} votes/s, "
              f"{first / base:.1f}x the baseline")  # fmt: skip
        print(f"{label}: the same import again (nothing to create): {again:.2f} s")
        db.engine.dispose()


def main() -> None:
    """Generate the files once, then import them on SQLite and on PostgreSQL."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "legistar"
        folder.mkdir()
        rows = generate(folder, VOTES)
        print(f"Legistar import of {rows:,} vote rows ({-(-rows // MEMBERS):,} roll calls of "
              f"{MEMBERS}); one run each")  # fmt: skip
        measure("SQLite", f"sqlite:///{tmp}/bench.sqlite", folder, rows)
        with postgres_database() as url:
            if url is None:
                print(f"PostgreSQL: skipped (no server at {PG_SERVER_URL}; set PG_SERVER_URL)")
            else:
                measure("PostgreSQL", url, folder, rows)


if __name__ == "__main__":
    main()
