"""Public pages at 20 years of a city: server time of a person page, a body page with its
agreement matrix, the meetings list and search, on SQLite and on PostgreSQL, against a
hello-world route measured the same way in the same run.

Each page is measured twice: with the page cache off (PAGE_CACHE=False: every request does
the page's whole work, the figure the targets are about) and with it warm (the page kept
under the record's version: one cheap query and a copy). Each figure is also given as a
ratio to the hello-world route, and the page's SQL statements on a cache miss are counted.

Each database is generated once with `flask demo generate --years N` (SQLite in
bench/.scale/, PostgreSQL database `agenda_scale_<N>y` on PG_SERVER_URL) and reused on later
runs while it is at the newest migration and holds a generation of the same length (the
"demo.generate" audit events are the marker); otherwise it is generated again. Requests go
through Flask's test client in this process: server time, no network. A route that answers
404 here prints "not built".

Run with `.venv/bin/python bench/scale_bench.py` (BENCH_YEARS=1 for a quick run,
BENCH_REQUESTS=50 requests a route, BENCH_SKIP_PG=1 for SQLite only, BENCH_SKIP_SQLITE=1 for
PostgreSQL only).
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from agenda import create_app  # noqa: E402
from agenda.extensions import db  # noqa: E402

YEARS = int(os.environ.get("BENCH_YEARS", "20"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
PG_SERVER_URL = os.environ.get("PG_SERVER_URL", "postgresql://root@127.0.0.1:5432/test")
SEARCH = "seawall repair"


def make_app(url: str, *, cache: bool = False) -> Flask:
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "PAGE_CACHE": cache})
    app.add_url_rule("/_bench/hello", "bench_hello", lambda: "Hello, world!")
    return app


def head_revision() -> str:
    return ScriptDirectory(str(ROOT / "migrations")).get_current_head() or ""


def generated_years(app: Flask) -> int | None:
    """Return the years of the generation this database holds (None: none, unfinished, or on
    an older schema than the newest migration)."""
    with app.app_context():
        try:
            revision = db.session.execute(
                sa.text("SELECT version_num FROM alembic_version")
            ).scalar_one_or_none()
            details = db.session.execute(
                sa.text("SELECT details FROM audit_events WHERE action = 'demo.generate' LIMIT 1")
            ).scalar_one_or_none()
        except sa.exc.DatabaseError:
            return None
        finally:
            db.session.rollback()
    if details is None or revision != head_revision():
        return None
    if isinstance(details, str):
        details = json.loads(details)
    return int(details["years"])


def prepare(app: Flask) -> float:
    """Generate YEARS into the app's (empty) database; return the seconds it took."""
    with app.app_context():
        upgrade()
        start = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["demo", "generate", "--years", str(YEARS)])
        assert result.exit_code == 0, result.output
        print("\n".join(result.output.strip().splitlines()[-10:]), flush=True)
        seconds = time.perf_counter() - start
    if url_of(app).startswith("postgresql"):
        settle_postgres(url_of(app))
    return seconds


def url_of(app: Flask) -> str:
    return str(app.config["SQLALCHEMY_DATABASE_URI"])


def settle_postgres(url: str) -> None:
    """VACUUM ANALYZE, as autovacuum does on a running server (this one may have it off):
    a freshly loaded table has no visibility map, so no index-only scan until then."""
    plain = sa.make_url(url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def sqlite_url() -> str:
    folder = ROOT / "bench" / ".scale"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'agenda-{YEARS}y.sqlite'}"


def fresh_sqlite(url: str) -> None:
    path = Path(sa.make_url(url).database or "")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def pg_url(fresh: bool) -> str:
    name = f"agenda_scale_{YEARS}y"
    server = sa.make_url(PG_SERVER_URL)
    with psycopg.connect(server.set(drivername="postgresql").render_as_string(False),
                         autocommit=True) as conn:  # fmt: skip
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if fresh and exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return server.set(drivername="postgresql+psycopg", database=name).render_as_string(False)


def targets(app: Flask) -> dict[str, str]:
    """Return the addresses measured: the busiest member, the commission, the list, a search."""
    with app.app_context():
        person = db.session.execute(
            sa.text(
                "SELECT person_id FROM ballots GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar_one()
        body = db.session.execute(
            sa.text("SELECT id FROM bodies WHERE slug = 'generated-city-commission'")
        ).scalar_one()
        db.session.rollback()
    return {
        "hello world (baseline)": "/_bench/hello",
        "person page": f"/people/{person}",
        "body page with matrix": f"/bodies/{body}",
        "meetings list": "/meetings",
        "search": f"/search?q={SEARCH.replace(' ', '+')}",
    }


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements run meanwhile (transaction control left out)."""
    statements: list[str] = []

    def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA QUERY_ONLY")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


def measure(app: Flask, path: str) -> tuple[int, list[float], int]:
    """Return the answer's status, REQUESTS server times (ms) and the SQL statements of one."""
    client = app.test_client()
    status = 0
    for _ in range(3):  # warm: templates compiled, connections opened, the page kept
        status = client.get(path).status_code
    if status != 200:
        return status, [], 0
    with counting(app) as statements:
        client.get(path)
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return status, times, len(statements)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


Row = tuple[str, ...]


def run(label: str, url: str, rows: list[Row]) -> None:
    app = make_app(url)
    if generated_years(app) != YEARS:
        if url.startswith("sqlite"):
            fresh_sqlite(url)
        else:
            url = pg_url(fresh=True)
        app = make_app(url)
        seconds = prepare(app)
        print(f"{label}: generated {YEARS} years in {seconds:.0f} s", flush=True)
    else:
        print(f"{label}: reusing the {YEARS}-year database", flush=True)
    cached = make_app(url, cache=True)
    hello: dict[bool, float] = {}
    for name, path in targets(app).items():
        cells: list[str] = []
        for is_cached, which in ((False, app), (True, cached)):
            status, times, queries = measure(which, path)
            if not times:
                shown = "not built" if status == 404 else f"answered {status}"
                cells += [shown, "", "", ""] if not is_cached else ["", "", ""]
                continue
            median = statistics.median(times)
            hello.setdefault(is_cached, median)
            ratio = f"{median / hello[is_cached]:.0f}x"
            if not is_cached:
                cells.append(str(queries))
            cells += [f"{median:.1f}", f"{p95(times):.1f}", ratio]
        rows.append((label, name, *cells))
    for which in (app, cached):
        with which.app_context():
            db.engine.dispose()


def main() -> None:
    logging.disable(logging.WARNING)
    rows: list[Row] = []
    if os.environ.get("BENCH_SKIP_SQLITE") != "1":
        run("SQLite", sqlite_url(), rows)
    if os.environ.get("BENCH_SKIP_PG") != "1":
        try:
            url = pg_url(fresh=False)
        except psycopg.OperationalError:
            print(f"PostgreSQL: skipped (no server at {PG_SERVER_URL}; set PG_SERVER_URL)")
        else:
            run("PostgreSQL", url, rows)
    print(
        f"\n{YEARS} years of a city, {REQUESTS} requests a route, server time in ms; "
        "x: times the hello-world route's median"
    )
    header = ("database", "page", "queries", "cache off median", "p95", "x",
              "cache warm median", "p95", "x")  # fmt: skip
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
    print(
        "Targets (issue 14), page cache off: pages under 50 ms median, search under 100 ms "
        "median; at most 8 queries a page."
    )


if __name__ == "__main__":
    main()
