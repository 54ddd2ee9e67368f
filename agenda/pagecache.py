"""Public pages served from a cache keyed by the record's version.

The record's version is one number in the database (`record_version`), raised by every
transaction that changes anything the public can see: every worker and every app server
reads it with one cheap query per request (on a bare connection of the pool, without the
ORM: see `bare_version`), so a change made anywhere is seen everywhere at the next request.
Pages an anonymous visitor asks for are kept per worker under (version, address); a visitor
who already has the page gets 304 from its ETag without any rendering.

Signed-in users, visitors with a message waiting (a flash), and anything but GET and HEAD
pass straight through: what they see depends on who they are. The API keeps its answers
the same way, per audience: the public's, and each kind of token reader's (what a token may
see is all its answers depend on; see `kept_page`).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec

import sqlalchemy as sa
from flask import current_app, make_response, request, session
from flask_login import current_user
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.wrappers import Response

from agenda.db import Base
from agenda.extensions import db

# Tables whose changes the public never sees: a write that touches only these keeps pages.
PRIVATE_TABLES = frozenset(
    {
        "record_version",
        "agenda_views",
        "sign_in_failures",
        "form_keys",
        "users",
        "user_bodies",
        "one_time_links",
        "api_tokens",
        "api_token_bodies",
        "api_idempotent_requests",
    }
)
# Anonymous visitors' pages: always revalidated, answered 304 while the record is unchanged.
PUBLIC_REVALIDATE = "public, no-cache"
_PUBLIC_WRITE = "agenda_public_write"

P = ParamSpec("P")


class RecordVersion(Base):
    """The record's version: one row, raised once by each transaction that changes it.

    `stamp` is drawn at random at each raise: pages are kept under it, so a version number
    seen again (a database restored from a backup, emptied and filled again) never serves a
    page kept for another state of the record.
    """

    __tablename__ = "record_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger)
    stamp: Mapped[str] = mapped_column(sa.String(32))


def _touches_public(tables: set[str]) -> bool:
    return bool(tables - PRIVATE_TABLES)


def note_public_write(session: Session) -> None:
    """Note that this transaction changes what the public sees; its commit raises the version.

    The version is raised just before the commit, not at the first write: its row lock is
    then held for an instant, after any other lock the transaction takes (the audit chain's),
    so two writers never wait for each other in opposite orders.
    """
    transaction = session.get_transaction()
    if transaction is not None:
        session.info[_PUBLIC_WRITE] = transaction


@sa.event.listens_for(Session, "before_commit")
def _raise_before_commit(session: Session) -> None:
    session.flush()  # what is still pending is part of this commit
    transaction = session.get_transaction()
    if transaction is not None and session.info.get(_PUBLIC_WRITE) is transaction:
        del session.info[_PUBLIC_WRITE]
        raise_version(session.connection())


def raise_version(connection: sa.Connection) -> None:
    """Raise the record's version and draw a new stamp, in `connection`'s transaction."""
    table = RecordVersion.__table__
    stamp = secrets.token_hex(16)
    raised = connection.execute(
        sa.update(table).where(table.c.id == 1).values(version=table.c.version + 1, stamp=stamp)
    )
    if raised.rowcount == 0:  # a database whose row was removed (a test emptying every table)
        connection.execute(sa.insert(table).values(id=1, version=1, stamp=stamp))


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    tables = {
        table.name
        for obj in (*session.new, *session.dirty, *session.deleted)
        for table in [getattr(type(obj), "__table__", None)]
        if table is not None
    }
    if _touches_public(tables):
        note_public_write(session)


@sa.event.listens_for(Session, "do_orm_execute")
def _on_statement(state: Any) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and _touches_public({table.name}):
        note_public_write(state.session)


@dataclass(frozen=True, order=True)
class Version:
    number: int
    stamp: str


def current_version() -> Version:
    """Return the record's version as this transaction sees it."""
    found = db.session.execute(
        sa.select(RecordVersion.version, RecordVersion.stamp).where(RecordVersion.id == 1)
    ).first()
    return Version(int(found[0]), found[1]) if found else Version(0, "")


# The version as a bare statement: both databases' drivers take it as it is.
_VERSION_SQL = "SELECT version, stamp FROM record_version WHERE id = 1"


def bare_version() -> Version | None:
    """Return the record's newest committed version, read on a bare connection of the pool.

    A visitor whose page is kept costs this one statement and nothing else: no session, no
    transaction, no ORM (about 30 us on SQLite, against 700 us through the request's
    session). None where the request's own transaction must decide: its session is already
    in one (a command or a test around the request, with writes not yet committed), or the
    bare read failed (the pool then drops that connection).
    """
    if db.session().in_transaction():
        return None
    engine = db.engine
    try:
        connection = engine.raw_connection()
    except engine.dialect.loaded_dbapi.Error:
        return None
    try:
        cursor = connection.cursor()
        cursor.execute(_VERSION_SQL)
        found = cursor.fetchone()
        cursor.close()
    except engine.dialect.loaded_dbapi.Error:
        connection.invalidate()
        return None
    finally:
        connection.close()
    return Version(int(found[0]), found[1]) if found else Version(0, "")


@dataclass(frozen=True)
class _Kept:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    ranges: bool


# What a kept answer is filed under: the record's version, who it was for, and the address.
Key = tuple[Version, Hashable, str]
# The audience of anonymous visitors' pages.
PUBLIC = "public"


class PageCache:
    """Responses kept per worker under (version, audience, address), least recently used out."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._kept: OrderedDict[Key, _Kept] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> _Kept | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
            return kept

    def put(self, key: Key, kept: _Kept) -> None:
        if len(kept.body) > self.max_bytes // 8:
            return
        with self._lock:
            # Another version makes every page of the one before useless: drop them at once.
            for old in [k for k in self._kept if k[0] != key[0]]:
                self._size -= len(self._kept.pop(old).body)
            if key in self._kept:
                self._size -= len(self._kept.pop(key).body)
            self._kept[key] = kept
            self._size += len(kept.body)
            while self._size > self.max_bytes and self._kept:
                _, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._size = 0


PAGES = PageCache(max_bytes=64 * 1024 * 1024)
# Response headers kept with a page; the per-request ones (security, timing) are added afresh.
_KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Cache-Control",
    "ETag",
    "Last-Modified",
    "Link",
    "X-Content-Type-Options",
)


def _cacheable_visitor() -> bool:
    return (
        not current_user.is_authenticated
        and "Authorization" not in request.headers  # an API token's reader sees their own
        and not session.get("_flashes")
    )


def _anonymous() -> Hashable | None:
    return PUBLIC if _cacheable_visitor() else None


def _address() -> str:
    # The host too: an answer may hold absolute links (the API's, a feed's) to where it was asked.
    return f"{request.host}{request.full_path}"


def _etag(version: Version) -> str:
    return hashlib.sha256(f"{version.stamp}\n{_address()}".encode()).hexdigest()[:32]


def _kept_or_rendered(
    view: Callable[P, Any], who: Hashable, seen: Version | None, *args: P.args, **kwargs: P.kwargs
) -> _Kept | Any:
    """Render the page and keep it under the version `seen` before rendering it.

    What the page shows is at least as new as that version (it is read afterwards), so no
    visitor is ever served something older than the version they asked at. Without a bare
    read (`seen` None), the version is read in the request's own transaction first, and a
    page kept under it is served. An answer that may not be kept comes back as the view gave it.
    """
    if seen is None:
        seen = current_version()
        if (kept := PAGES.get((seen, who, _address()))) is not None:
            return kept
    version = seen
    key = (version, who, _address())
    response = make_response(view(*args, **kwargs))
    if response.status_code != 200 or "Set-Cookie" in response.headers:
        return response
    response.headers.setdefault("Cache-Control", PUBLIC_REVALIDATE)
    # A private answer is kept only for an audience of its own (never the public's).
    if "private" in response.headers["Cache-Control"] and who == PUBLIC:
        return response
    if response.get_etag()[0] is None:
        response.set_etag(_etag(version))
    headers = tuple((h, response.headers[h]) for h in _KEPT_HEADERS if h in response.headers)
    kept = _Kept(response.get_data(), headers, response.accept_ranges == "bytes")
    PAGES.put(key, kept)
    return kept


def kept_page(
    audience: Callable[[], Hashable | None],
) -> Callable[[Callable[P, Any]], Callable[P, Any]]:
    """Serve a view's answer from the cache, or 304 from its ETag, per `audience()`.

    `audience()` names who the answer is for (anything its content depends on besides the
    record and the address), or None to pass the request straight through. Only complete
    200 answers of GET and HEAD that set no cookie are kept; a page's ETag, unless the view
    gave one (a document's digest), names the record's version; its Cache-Control, unless the
    view set one, is `public, no-cache`: a browser or proxy keeps it and asks again each time,
    and gets 304 while nothing changed.
    """

    def decorate(view: Callable[P, Any]) -> Callable[P, Any]:
        @wraps(view)
        def cached(*args: P.args, **kwargs: P.kwargs) -> Any:
            if request.method not in {"GET", "HEAD"} or not current_app.config.get(
                "PAGE_CACHE", True
            ):
                return view(*args, **kwargs)
            who = audience()
            if who is None:
                return view(*args, **kwargs)
            seen = bare_version()
            kept = None if seen is None else PAGES.get((seen, who, _address()))
            if kept is None:
                found = _kept_or_rendered(view, who, seen, *args, **kwargs)
                if not isinstance(found, _Kept):
                    return found
                kept = found
            answer = Response(kept.body, headers=list(kept.headers))
            if kept.ranges:
                answer.accept_ranges = "bytes"
                return answer.make_conditional(
                    request, accept_ranges=True, complete_length=len(kept.body)
                )
            return answer.make_conditional(request)

        return cached

    return decorate


# Anonymous visitors' pages (see `kept_page`).
public_page = kept_page(_anonymous)
