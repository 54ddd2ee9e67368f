"""Declarative base with the constraint naming convention and shared column types."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime, stored naive-UTC so SQLite and PostgreSQL agree."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store timezone-aware UTC datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def enum_type(enum: type[StrEnum], name: str) -> sa.Enum:
    """Return a portable enum column type: VARCHAR plus a named CHECK constraint."""
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


intpk = Annotated[int, mapped_column(primary_key=True)]
# Table options of the tables whose ids appear in public addresses (/meetings/12): on SQLite
# AUTOINCREMENT, so an id once used is never given to another row and an old link never serves
# something else (PostgreSQL sequences never reuse ids anyway).
PUBLIC_IDS: dict[str, bool] = {"sqlite_autoincrement": True}
utc_timestamp = Annotated[datetime, mapped_column(UTCDateTime(), default=utcnow)]
sha256_hex = Annotated[str, mapped_column(sa.String(64))]


class Base(DeclarativeBase):
    """Base of every model; constraints are named by NAMING_CONVENTION."""

    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict[str, Any]: sa.JSON()},
    )


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Turn on foreign keys, WAL and a busy timeout on every SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" hook below emit BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode=WAL")
        # The planner's statistics, which SQLite never gathers by itself: refreshed where a
        # table has grown much since (bounded work), as SQLite advises on opening.
        cursor.execute("PRAGMA analysis_limit=400")
        cursor.execute("PRAGMA optimize=0x10002")
    cursor.close()


# Which transactions may write. Outside a request (commands, tests, the demo loader) every
# transaction may. Inside a request a transaction only reads unless the code that is about to
# write says so with `writing()` (agenda.web.answer does, around the operation it runs).
_writing: ContextVar[bool | None] = ContextVar("agenda_writing", default=None)


def writes_allowed() -> bool:
    """Tell whether a transaction that begins now may write."""
    chosen = _writing.get()
    if chosen is not None:
        return chosen
    return not has_request_context()


@contextmanager
def writing(allowed: bool = True) -> Iterator[None]:
    """Let the transactions that begin inside this block write (or, with False, only read).

    On SQLite a writing transaction starts with BEGIN IMMEDIATE, taking the one write lock
    at once so a read-then-write transaction never fails halfway; a reading one starts with
    a plain BEGIN and `PRAGMA query_only`, so under WAL it never waits for a writer and never
    makes one wait, and a write slipped into it fails loudly instead of taking the lock late.
    PostgreSQL needs neither: its transactions are unchanged.
    """
    token = _writing.set(allowed)
    try:
        yield
    finally:
        _writing.reset(token)


@sa.event.listens_for(sa.Engine, "begin")
def _sqlite_begin(conn: sa.Connection) -> None:
    """Begin SQLite transactions as writing (IMMEDIATE) or reading (deferred, query-only)."""
    if conn.dialect.name != "sqlite":
        return
    reading = not writes_allowed()
    conn.info["agenda_reading"] = reading
    conn.exec_driver_sql(f"PRAGMA query_only={'ON' if reading else 'OFF'}")
    conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render app column types in migrations as plain SQLAlchemy types (Alembic hook)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


# How long a new PostgreSQL connection waits for a restarting server before the request fails.
CONNECT_WAIT_SECONDS = 10.0


@sa.event.listens_for(sa.Engine, "do_connect")
def _wait_for_postgresql(dialect: sa.Dialect, conn_rec: Any, cargs: Any, cparams: Any) -> Any:
    """Retry a refused PostgreSQL connection for a few seconds, so a server restart is a pause.

    pool_pre_ping finds the pooled connections dead after a restart; without this the new
    connection it opens is refused while the server is still down, and every request then fails.
    """
    if dialect.name != "postgresql":
        return None
    deadline, pause = time.monotonic() + CONNECT_WAIT_SECONDS, 0.05
    while True:
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError:
            if time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
