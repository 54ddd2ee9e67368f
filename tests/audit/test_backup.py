"""Backups that verify: `flask backup` then `flask restore` into an empty database, on a real
SQLite file and a real PostgreSQL database, and the refusals that keep a record safe."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask

from agenda import create_app
from agenda.audit import backup
from agenda.extensions import db
from tests.conftest import PG_SERVER_URL, app_config

ROOT = Path(__file__).resolve().parents[2]

# The demo's one ballot of a meeting whose minutes are approved (the minutes' digest covers it).
TAMPER_BALLOT = """
UPDATE ballots SET value = CASE WHEN value = 'yes' THEN 'no' ELSE 'yes' END
WHERE id = (SELECT min(b.id) FROM ballots b
            JOIN votes v ON v.id = b.vote_id JOIN motions mo ON mo.id = v.motion_id
            JOIN agenda_items i ON i.id = mo.agenda_item_id
            JOIN agenda_sections s ON s.id = i.section_id
            JOIN minutes mi ON mi.meeting_id = s.meeting_id
            JOIN minutes_revisions r ON r.minutes_id = mi.id
            WHERE r.record_sha256 IS NOT NULL)
"""
TAMPER_AUDIT_ROW = (
    "UPDATE audit_events SET actor_label = 'someone else' "
    "WHERE id = (SELECT min(id) FROM audit_events)"
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def new_database(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., str]:
    """Return a factory of fresh databases of this backend: empty, or a copy of `template`."""
    if backend == "postgresql":
        make: Callable[..., str] = request.getfixturevalue("pg_database")
        return make
    folder = tmp_path_factory.mktemp("databases")

    def make_sqlite(template: str | None = None) -> str:
        path = folder / f"{uuid.uuid4().hex[:12]}.sqlite"
        if template:
            with (
                closing(sqlite3.connect(sa.make_url(template).database)) as source,
                closing(sqlite3.connect(path)) as copy,
            ):
                source.backup(copy)
        return f"sqlite:///{path}"

    return make_sqlite


@pytest.fixture(scope="module")
def demo_template(new_database: Callable[..., str]) -> str:
    """A database of this backend with the demo loaded by the real commands (copied per test)."""
    url = new_database()
    loader = create(url)
    with loader.app_context():
        for command in (["db", "upgrade"], ["demo", "load"]):
            result = loader.test_cli_runner().invoke(args=command)
            assert result.exit_code == 0, result.output
        db.engine.dispose()
    return url


@pytest.fixture
def demo_url(new_database: Callable[..., str], demo_template: str) -> str:
    return new_database(demo_template)


@pytest.fixture
def flask_cli(tmp_path: Path) -> Iterator[Callable[..., Result]]:
    """Run a `flask --app agenda` command in this process on the database at a URL."""
    apps: list[Flask] = []

    def run(url: str, *args: str, input: str | None = None) -> Result:
        apps.append(create(url))
        with apps[-1].app_context():
            return apps[-1].test_cli_runner().invoke(args=list(args), input=input)

    yield run
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def create(url: str) -> Flask:
    return create_app(app_config(url))


def flask(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `flask --app agenda ARGS` in its own process, as cron would, on the database `url`."""
    env = {**os.environ, "DATABASE_URL": url, "AGENDA_INSTANCE": str(tmp_path),
           "SECRET_KEY": "backup-test-key"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "agenda", *args],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip


def tamper(url: str, sql: str) -> None:
    """Change a database with SQL that bypasses the app."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.text(sql)).rowcount == 1
    finally:
        engine.dispose()


def records(picture: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Every record as it was; the record's version is checked apart: a restore raises it
    with a new stamp, so no app server serves a page it kept for the database before."""
    restored = dict(picture)
    ((_, number, stamp),) = restored.pop("record_version")
    assert number >= 1 and len(stamp) == 32
    return restored


def fingerprint(url: str) -> dict[str, list[Any]]:
    """Return every table's rows in key order, read without the app."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            metadata = sa.MetaData()
            metadata.reflect(conn)
            return {
                name: [tuple(row) for row in conn.execute(
                    sa.select(table).order_by(*(table.primary_key.columns or table.columns))
                )]
                for name, table in metadata.tables.items()
            }  # fmt: skip
    finally:
        engine.dispose()


def scratch_databases() -> set[str]:
    engine = sa.create_engine(PG_SERVER_URL)
    try:
        with engine.connect() as conn:
            return set(conn.execute(sa.text(
                "SELECT datname FROM pg_database WHERE datname LIKE 'agenda_verify_%'"
            )).scalars())  # fmt: skip
    finally:
        engine.dispose()


def test_backup_then_restore_into_an_empty_database_verifies(
    backend: str, demo_url: str, new_database: Callable[..., str], tmp_path: Path
) -> None:
    file = tmp_path / "agenda.dump"
    scratch_before = scratch_databases() if backend == "postgresql" else set()

    written = flask(demo_url, tmp_path, "backup", str(file))
    assert written.returncode == 0, written.stderr
    assert written.stdout.startswith(f"Backup written to {file}: the record verifies: ")
    checked = written.stdout.split("the record verifies: ", 1)[1]
    assert "audit events chained, 1 approved minutes" in checked
    assert "4 motions and roll calls replayed" in checked
    if backend == "postgresql":
        assert file.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
        assert scratch_databases() == scratch_before  # the scratch restore is dropped
    else:
        with closing(sqlite3.connect(file)) as copy:
            assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)

    empty = new_database()
    restored = flask(empty, tmp_path, "restore", str(file))
    assert restored.returncode == 0, restored.stderr
    # The restored record says exactly what the backup's check said of the original.
    assert restored.stdout == f"Restored {file}: the record verifies: {checked}"
    assert records(fingerprint(empty)) == records(fingerprint(demo_url))
    verified = flask(empty, tmp_path, "verify")
    assert verified.returncode == 0, verified.stderr
    assert "The record verifies" in verified.stdout


def test_restore_into_a_migrated_database_without_records(
    demo_url: str, new_database: Callable[..., str], flask_cli: Callable[..., Result],
    tmp_path: Path,
) -> None:  # fmt: skip
    file = tmp_path / "agenda.dump"
    assert flask_cli(demo_url, "backup", str(file)).exit_code == 0
    migrated = new_database()
    assert flask_cli(migrated, "db", "upgrade").exit_code == 0

    restored = flask_cli(migrated, "restore", str(file))
    assert restored.exit_code == 0, restored.output
    assert re.search(r"the record verifies: \d+ audit events chained", restored.output)
    after, before = fingerprint(migrated), fingerprint(demo_url)
    assert records(after) == records(before)
    ((_, number_after, stamp_after),) = after["record_version"]
    ((_, number_before, stamp_before),) = before["record_version"]
    assert number_after == number_before + 1 and stamp_after != stamp_before


def test_restore_into_a_database_with_records_is_refused_and_changes_nothing(
    demo_url: str, new_database: Callable[..., str], flask_cli: Callable[..., Result],
    tmp_path: Path,
) -> None:  # fmt: skip
    file = tmp_path / "agenda.dump"
    assert flask_cli(demo_url, "backup", str(file)).exit_code == 0
    # A different record lives in the target: the backup must not replace it.
    target = new_database()
    assert flask_cli(target, "db", "upgrade").exit_code == 0
    setup = ["setup", "--name", "Village of Example", "--timezone", "America/Chicago",
             "--admin-email", "pat@example.org"]  # fmt: skip
    password = "a long admin password\n"
    assert flask_cli(target, *setup, input=password * 2).exit_code == 0
    before = fingerprint(target)

    refused = flask_cli(target, "restore", str(file))
    assert refused.exit_code == 1
    assert "The database is not empty; a backup is restored only into an empty database." in (
        refused.output
    )
    assert "users (1)" in refused.output and "Nothing was changed." in refused.output
    assert fingerprint(target) == before


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_sqlite_backup_is_taken_while_a_writer_holds_its_transaction(
    demo_url: str, flask_cli: Callable[..., Result], tmp_path: Path
) -> None:
    file = tmp_path / "agenda.sqlite"
    with closing(sqlite3.connect(sa.make_url(demo_url).database, isolation_level=None)) as clerk:
        clerk.execute("BEGIN IMMEDIATE")  # a roll call being recorded at the dais
        clerk.execute("UPDATE audit_events SET actor_label = 'not yet' WHERE id = 1")

        written = flask_cli(demo_url, "backup", str(file))
        clerk.execute("ROLLBACK")
    assert written.exit_code == 0, written.output
    assert re.search(r"the record verifies: \d+ audit events chained", written.output)
    with closing(sqlite3.connect(file)) as copy:
        assert copy.execute("SELECT actor_label FROM audit_events WHERE id = 1").fetchone() != (
            "not yet",
        )


def test_a_backup_never_replaces_a_file(
    demo_url: str, flask_cli: Callable[..., Result], tmp_path: Path
) -> None:
    file = tmp_path / "agenda.dump"
    file.write_text("last night's backup")

    refused = flask_cli(demo_url, "backup", str(file))
    assert refused.exit_code == 1
    assert f"{file} already exists; a backup never replaces a file." in refused.output
    assert file.read_text() == "last night's backup"


@pytest.mark.parametrize("sql", [TAMPER_AUDIT_ROW, TAMPER_BALLOT], ids=["audit-row", "ballot"])
def test_a_tampered_record_is_backed_up_but_fails_verify_after_restore(
    sql: str, demo_url: str, new_database: Callable[..., str],
    flask_cli: Callable[..., Result], tmp_path: Path,
) -> None:  # fmt: skip
    tamper(demo_url, sql)
    file = tmp_path / "agenda.dump"

    # The copy is kept (it is the record as it stands), and the failure is loud: exit 1.
    written = flask_cli(demo_url, "backup", str(file))
    assert written.exit_code == 1
    assert f"Backup written to {file}, but the record does not verify. First break:" in (
        written.output
    )
    assert file.stat().st_size > 0

    restored = flask_cli(new_database(), "restore", str(file))
    assert restored.exit_code == 1
    assert f"Restored {file}, but the record does not verify. First break:" in restored.output
    where = "audit event 1 " if sql == TAMPER_AUDIT_ROW else "minutes of meeting "
    assert where in restored.output


# A custom-format dump is not edited in place: PostgreSQL's tampering is the test above.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_backup_file_tampered_with_fails_verify_after_restore(
    demo_url: str, new_database: Callable[..., str], flask_cli: Callable[..., Result],
    tmp_path: Path,
) -> None:  # fmt: skip
    file = tmp_path / "agenda.sqlite"
    assert flask_cli(demo_url, "backup", str(file)).exit_code == 0
    with closing(sqlite3.connect(file)) as copy, copy:
        copy.execute("UPDATE audit_events SET details = '{}' WHERE action = 'vote.record'")

    restored = flask_cli(new_database(), "restore", str(file))
    assert restored.exit_code == 1
    assert "but the record does not verify. First break: audit event" in restored.output
    assert "its content was changed after it was written" in restored.output


def test_postgres_tools_get_the_password_by_environment_never_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []

    def run(command: list[str], *, env: dict[str, str], **kwargs: Any) -> Any:
        calls.append((command, env))
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(backup.subprocess, "run", run)
    url = sa.make_url("postgresql+psycopg://clerk:s3cret@db.city.gov:5433/agenda?sslmode=require")
    backup.restore_pg(tmp_path / "agenda.dump", url)

    (command, env), = calls  # fmt: skip
    assert command[0] == "pg_restore" and "--no-owner" in command
    assert command[-1] == (
        "--dbname=host='db.city.gov' port='5433' user='clerk' dbname='agenda' sslmode='require'"
    )
    assert not any("s3cret" in arg for arg in command)
    assert env["PGPASSWORD"] == "s3cret"
