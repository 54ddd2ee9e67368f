"""Backups of the record: write one, restore one into an empty database, and verify each."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app

from agenda.audit.verify import Verification, verify_record
from agenda.errors import Refused
from agenda.extensions import db
from agenda.pagecache import RecordVersion, raise_version


def checked_record() -> Verification:
    """Run `flask verify`'s checks on the app's database, then leave the session clean."""
    verification = verify_record()
    db.session.rollback()
    return verification


def write_backup(path: Path) -> Verification:
    """Write a backup of the app's database to `path` (a new file), then verify the backup."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and not Path(_sqlite_file(url)).is_file():
        raise Refused(f"There is no database at {url.database} to back up.")
    try:
        # Exclusive creation: a backup never replaces a file, even one made a moment ago.
        path.open("xb").close()
    except FileExistsError:
        raise Refused(f"{path} already exists; a backup never replaces a file.") from None
    try:
        if url.get_backend_name() == "sqlite":
            with (
                closing(sqlite3.connect(_sqlite_file(url))) as source,
                closing(sqlite3.connect(path)) as backup,
            ):
                # One step: the copy is one consistent snapshot, and writers go on meanwhile.
                source.backup(backup)
        else:
            _run_pg(["pg_dump", "--format=custom", f"--file={path}"], url)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return verify_backup(path, url)


def verify_backup(path: Path, url: sa.URL) -> Verification:
    """Verify a backup of the database at `url`: open it (SQLite) or restore it to a scratch one."""
    if url.get_backend_name() == "sqlite":
        verification = verify_at(sa.make_url(f"sqlite:///{path.resolve()}"))
        with closing(sqlite3.connect(path)) as backup:
            # One self-contained file (no -wal beside it) to copy elsewhere.
            backup.execute("PRAGMA journal_mode=DELETE")
        return verification
    try:
        with scratch_database(url) as scratch:
            restore_pg(path, scratch)
            return verify_at(scratch)
    except (Refused, sa.exc.DBAPIError) as error:
        raise Refused(f"The backup was written to {path} but not checked: {error}") from None


def restore_backup(path: Path) -> Verification:
    """Restore the backup at `path` into the app's empty database, then verify it."""
    if not path.is_file():
        raise Refused(f"{path} is not a file.")
    holding = tables_with_rows()
    # End the read transaction: pg_restore --clean drops tables, and would wait on its locks.
    db.session.rollback()
    if holding:
        names = ", ".join(f"{table} ({count})" for table, count in list(holding.items())[:5])
        if len(holding) > 5:
            names += f" and {len(holding) - 5} more"
        raise Refused(
            "The database is not empty; a backup is restored only into an empty database. "
            f"Tables with rows: {names}. Nothing was changed."
        )
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        with closing(sqlite3.connect(path)) as backup:
            if not _sound_sqlite(backup):
                raise Refused(f"{path} is not a sound SQLite database. Nothing was changed.")
            with closing(sqlite3.connect(_sqlite_file(url))) as target:
                backup.backup(target)
    else:
        restore_pg(path, url)
    renew_version()
    return checked_record()


def renew_version() -> None:
    """Give the restored record a version no worker has kept pages under (see pagecache)."""
    with db.engine.begin() as connection:
        if sa.inspect(connection).has_table(RecordVersion.__tablename__):
            raise_version(connection)


def tables_with_rows() -> dict[str, int]:
    """Return the app's tables that hold rows in the app's database, with their row counts."""
    present = set(sa.inspect(db.engine).get_table_names())
    counts = {}
    for table in db.metadata.sorted_tables:
        # The record's version is made by the migrations, not a record: the backup brings its own.
        if table.name in present and table.name != RecordVersion.__tablename__:
            count = db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            if count:
                counts[table.name] = count
    return counts


def verify_at(url: sa.URL) -> Verification:
    """Run `flask verify`'s checks on another database (a backup, or a scratch restore)."""
    app = Flask(current_app.import_name)
    app.config.update(current_app.config)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)
    with app.app_context():
        try:
            return checked_record()
        finally:
            db.session.remove()
            db.engine.dispose()


@contextmanager
def scratch_database(url: sa.URL) -> Iterator[sa.URL]:
    """Create an empty PostgreSQL database beside `url`'s for the time of the block; drop it."""
    name = f"agenda_verify_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield url.set(database=name)
        finally:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        engine.dispose()


def restore_pg(path: Path, url: sa.URL) -> None:
    """Restore a `pg_dump --format=custom` file into the database at `url`, all or nothing."""
    # --clean drops the empty tables a `db upgrade` may have made; the dump brings its own.
    _run_pg(
        ["pg_restore", "--no-owner", "--clean", "--if-exists", "--single-transaction",
         "--exit-on-error", str(path)],
        url,
    )  # fmt: skip


def pg_conninfo(url: sa.URL) -> str:
    """Return libpq's connection string for `url`, without its password."""
    params = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "dbname": url.database,
        **{k: v for k, v in url.query.items() if isinstance(v, str)},
    }
    return " ".join(f"{k}={_quoted(str(v))}" for k, v in params.items() if v is not None)


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _run_pg(command: list[str], url: sa.URL) -> None:
    """Run a PostgreSQL client tool on `url`; the password goes by PGPASSWORD, never argv."""
    if shutil.which(command[0]) is None:
        raise Refused(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    done = subprocess.run(  # noqa: S603 (fixed program, arguments are ours)
        [*command, f"--dbname={pg_conninfo(url)}"], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise Refused(f"{command[0]} failed: {done.stderr.strip() or done.returncode}")


def _sound_sqlite(connection: sqlite3.Connection) -> bool:
    try:
        return connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False


def _sqlite_file(url: sa.URL) -> str:
    if not url.database or url.database == ":memory:":
        raise Refused("The database is in memory; there is no file to back up or restore.")
    return url.database
