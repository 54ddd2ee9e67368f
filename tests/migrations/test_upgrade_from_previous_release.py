"""Cities upgrade, they do not reinstall: the previous release's records survive this release.

The previous release's own code (taken from git) migrates an empty database and loads the
demo into it; this release then upgrades that database, and every row must be unchanged,
`flask verify` must pass (approved minutes keep their digests), and the pages must read it.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
# The last release before this one: main as the previous stop landed it (issues 13 and 14).
PREVIOUS_RELEASE = "3d9175d4f0ea803dfdae9b5347721f0f6d95d254"


def previous_release(tmp_path: Path) -> Path:
    """Unpack the previous release's tree from git into `tmp_path` (every clone has it)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", PREVIOUS_RELEASE],
        capture_output=True,
    )
    assert archive.returncode == 0, (
        f"the previous release {PREVIOUS_RELEASE} is not in this clone's git history: "
        f"{archive.stderr.decode(errors='replace')}"
    )
    tree = tmp_path / "previous"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tree, filter="data")
    return tree


def flask(tree: Path, url: str, instance: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `flask --app agenda ARGS` from `tree` (that release's code) on the database `url`."""
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "DATABASE_URL": url,
        "AGENDA_INSTANCE": str(instance),
        "SECRET_KEY": "upgrade-test-key",
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "agenda", *args],
        cwd=tree, env=env, capture_output=True, text=True,
    )  # fmt: skip


# Columns this release moves elsewhere (table, column): each has its own check below that the
# upgrade carried its values over; every other column of the previous release keeps its rows.
MOVED_COLUMNS: set[tuple[str, str]] = set()


def columns_of(url: str) -> dict[str, list[str]]:
    """Return each table's column names, read without our models."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            metadata = sa.MetaData()
            metadata.reflect(conn)
            return {name: [c.name for c in t.columns] for name, t in metadata.tables.items()}
    finally:
        engine.dispose()


def fingerprint(url: str, columns: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """Return each table's row count and a digest of its rows over the given columns.

    New columns and tables of this release are left out, so a schema change that adds a
    column with a default still proves the previous release's values unchanged.
    """
    engine = sa.create_engine(url)
    tables: dict[str, tuple[int, str]] = {}
    try:
        with engine.connect() as conn:
            metadata = sa.MetaData()
            metadata.reflect(conn)
            for name, names in sorted(columns.items()):
                if name == "alembic_version":
                    continue
                table = metadata.tables[name]
                kept = [table.c[c] for c in names if (name, c) not in MOVED_COLUMNS]
                keys = list(table.primary_key.columns) or kept
                rows = conn.execute(sa.select(*kept).order_by(*keys)).all()
                digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
                tables[name] = (len(rows), digest)
    finally:
        engine.dispose()
    return tables


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'city.sqlite'}"
    make: Callable[[], str] = request.getfixturevalue("pg_database")
    return make()


def test_the_previous_releases_records_survive_the_upgrade_and_verify(
    empty_url: str, tmp_path: Path
) -> None:
    old = previous_release(tmp_path)
    instance = tmp_path / "instance"
    instance.mkdir()
    for args in (["db", "upgrade"], ["demo", "load"]):
        result = flask(old, empty_url, instance, *args)
        assert result.returncode == 0, result.stderr[-2000:]
    previous_columns = columns_of(empty_url)
    before = fingerprint(empty_url, previous_columns)
    assert before["ballots"][0] > 0 and before["minutes_revisions"][0] > 0

    upgraded = flask(ROOT, empty_url, instance, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    assert fingerprint(empty_url, previous_columns) == before
    verified = flask(ROOT, empty_url, instance, "verify")
    assert verified.returncode == 0, verified.stderr + verified.stdout
    assert "The record verifies" in verified.stdout
    assert "approved minutes" in verified.stdout


def rows_of(url: str, sql: str) -> set[tuple[object, ...]]:
    """Return the rows a query reads, as a set of tuples."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {tuple(row) for row in conn.execute(sa.text(sql))}
    finally:
        engine.dispose()


def test_seats_and_the_jurisdiction_follow_from_the_previous_records(
    empty_url: str, tmp_path: Path
) -> None:
    old = previous_release(tmp_path)
    instance = tmp_path / "instance"
    instance.mkdir()
    for args in (["db", "upgrade"], ["demo", "load"]):
        assert flask(old, empty_url, instance, *args).returncode == 0
    held = rows_of(empty_url, "SELECT body_id, seat, title FROM memberships")
    upgraded = flask(ROOT, empty_url, instance, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    seats = rows_of(empty_url, "SELECT body_id, number, title FROM seats")
    # Every seat anyone held is a seat with its holder's title; the terms keep their reasons.
    assert held and held <= seats
    assert rows_of(empty_url, "SELECT DISTINCT start_reason FROM memberships") == {("elected",)}
    # The demo's jurisdiction comes with it, marked demo, so `demo remove` takes it away too.
    assert rows_of(empty_url, "SELECT name, rules_preset, is_demo FROM jurisdictions") in (
        {("City of Key West (demo)", "florida", True)},
        {("City of Key West (demo)", "florida", 1)},
    )


def test_this_release_reads_the_previous_releases_records(tmp_path: Path, make_app) -> None:
    old = previous_release(tmp_path)
    url = f"sqlite:///{tmp_path / 'city.sqlite'}"
    instance = tmp_path / "instance"
    instance.mkdir()
    for args in (["db", "upgrade"], ["demo", "load"]):
        assert flask(old, url, instance, *args).returncode == 0
    assert flask(ROOT, url, instance, "db", "upgrade").returncode == 0
    client = make_app(url).test_client()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ids = conn.execute(sa.text("SELECT id FROM meetings WHERE published_at IS NOT NULL")).all()
        approved = conn.execute(
            sa.text(
                "SELECT m.meeting_id FROM minutes m JOIN minutes_revisions r"
                " ON r.minutes_id = m.id WHERE r.status = 'approved'"
            )
        ).scalar_one()
    engine.dispose()
    for (meeting_id,) in ids:
        assert client.get(f"/meetings/{meeting_id}").status_code == 200, meeting_id
        # The API reads the previous release's records too, every roll call with its ballots.
        answer = client.get(f"/api/v1/meetings/{meeting_id}")
        assert answer.status_code == 200, (meeting_id, answer.get_data(as_text=True)[:500])
        for item in answer.json["items"]:
            for motion in item["motions"]:
                for vote in motion["votes"]:
                    counted = sum(c["value"] for c in vote["counts"])
                    assert counted == len(vote["votes"]) > 0, (meeting_id, vote["id"])
    pdf = client.get(f"/meetings/{approved}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_meetings_and_matters_learn_when_they_last_changed(empty_url: str, tmp_path: Path) -> None:
    old = previous_release(tmp_path)
    instance = tmp_path / "instance"
    instance.mkdir()
    for args in (["db", "upgrade"], ["demo", "load"]):
        assert flask(old, empty_url, instance, *args).returncode == 0
    upgraded = flask(ROOT, empty_url, instance, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    # A meeting last changed when it adjourned (or was made, when that came later: a loaded
    # history); a draft when it was made.
    assert rows_of(
        empty_url,
        "SELECT COUNT(*) FROM meetings WHERE updated_at IS NULL OR updated_at < created_at"
        " OR updated_at < adjourned_at",
    ) == {(0,)}
    assert rows_of(
        empty_url, "SELECT COUNT(*) FROM meetings WHERE published_at IS NULL"
        " AND adjourned_at IS NULL AND updated_at <> created_at",
    ) == {(0,)}  # fmt: skip
    if empty_url.startswith("sqlite"):  # copied to change a column, ids stay never reused
        for table in ("meetings", "matters"):
            (sql,) = rows_of(empty_url, f"SELECT sql FROM sqlite_master WHERE name = '{table}'")
            assert "AUTOINCREMENT" in sql[0], table
    # A matter last changed at its newest history entry (or when it was made).
    assert rows_of(
        empty_url,
        "SELECT COUNT(*) FROM matters m WHERE m.updated_at < m.created_at OR m.updated_at <"
        " (SELECT MAX(h.occurred_at) FROM matter_history h WHERE h.matter_id = m.id)",
    ) == {(0,)}
