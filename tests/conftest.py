"""Fixtures: the app on a real database (SQLite, or PostgreSQL via TEST_DATABASE_URL),
clients, an `auth` helper to sign in as a role, and factories with sensible defaults."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
import psycopg
import pytest
import redis
import sqlalchemy as sa
import weasyprint
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from agenda import create_app
from agenda.auth.models import User
from agenda.auth.operations import create_user
from agenda.auth.rules import Role
from agenda.bodies.models import Body, Membership, Person, Seat
from agenda.extensions import db, limiter
from agenda.matters.models import Matter
from agenda.matters.operations import file_matter
from agenda.matters.rules import MatterType
from agenda.meetings.models import AgendaRevision, Meeting
from agenda.meetings.operations import create_meeting
from agenda.meetings.publishing import publish_amendment
from agenda.meetings.rules import MeetingStatus, MeetingType, amendment_reason
from agenda.meetings.session import call_to_order, record_attendance
from agenda.meetings.snapshot import has_pending_amendment, pending_changes
from agenda.votes.models import Motion
from agenda.votes.operations import move_motion, record_roll_call
from agenda.votes.rules import (
    AbstentionPolicy,
    AttendanceStatus,
    Ballot,
    BallotValue,
    MotionKind,
    Threshold,
)

IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
# A server where tests may create and drop databases of their own.
PG_SERVER_URL = os.environ.get("PG_SERVER_URL", "postgresql://root@127.0.0.1:5432/test")
NO_POSTGRES = f"no PostgreSQL server at {PG_SERVER_URL} (set PG_SERVER_URL)"
# A Redis server whose numbered databases tests may borrow.
REDIS_SERVER_URL = os.environ.get("REDIS_SERVER_URL", "redis://127.0.0.1:6379")
NO_REDIS = f"no Redis server at {REDIS_SERVER_URL} (set REDIS_SERVER_URL)"
PASSWORD = "correct horse battery staple"


@cache
def postgres_available() -> bool:
    try:
        with psycopg.connect(PG_SERVER_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@cache
def redis_available() -> bool:
    try:
        with redis.Redis.from_url(REDIS_SERVER_URL, socket_connect_timeout=3) as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


def require(available: bool, missing: str) -> None:
    """Go on when a service a test needs answers; else skip saying why, or in CI fail."""
    if not available:
        (pytest.fail if IN_CI else pytest.skip)(missing)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Outside CI, mark PostgreSQL tests as skipped (with the reason) when no server answers.

    In CI (CI=true) nothing is skipped: a missing server makes those tests fail loudly.
    """
    if IN_CI or not any("postgres" in item.keywords for item in items):
        return
    if not postgres_available():
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(pytest.mark.skipif(True, reason=NO_POSTGRES))


@pytest.fixture(scope="session")
def pg_database() -> Iterator[Callable[..., str]]:
    """Return a factory of fresh PostgreSQL databases, all dropped at the end.

    `make()` gives an empty database, `make(template_url)` a copy of that one. Outside CI
    the tests that need it are skipped when no server answers; in CI they fail.
    """
    require(IN_CI or postgres_available(), NO_POSTGRES)
    created: list[str] = []

    def make(template_url: str | None = None) -> str:
        name = f"agenda_test_{uuid.uuid4().hex[:12]}"
        template = f' TEMPLATE "{sa.make_url(template_url).database}"' if template_url else ""
        with psycopg.connect(PG_SERVER_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{template}')
        created.append(name)
        return (
            sa.make_url(PG_SERVER_URL)
            .set(drivername="postgresql+psycopg", database=name)
            .render_as_string(hide_password=False)
        )

    yield make
    if created:
        with psycopg.connect(PG_SERVER_URL, autocommit=True) as conn:
            for name in created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'agenda-test.sqlite'}"


def app_config(database_url: str, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PASSWORD_HASH_PROFILE": "test",
        **extra,
    }


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    """The app on a database upgraded to head by the real migrations."""
    app = create_app(app_config(database_url))
    with app.app_context():
        db.drop_all()
        db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build extra apps with config overrides; their connections are closed afterwards."""
    apps: list[Flask] = []

    def make(url: str | None = None, **extra: Any) -> Flask:
        apps.append(create_app(app_config(url or database_url, **extra)))
        return apps[-1]

    yield make
    for extra_app in apps:
        with extra_app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def demo_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[], str]:
    """Load the demo once into a template database; return a factory of fresh copies (URLs)."""
    copy: Callable[[], str]
    if TEST_DATABASE_URL.startswith("postgresql"):
        pg_database = request.getfixturevalue("pg_database")
        template_url = pg_database()

        def copy() -> str:
            return pg_database(template_url)
    else:
        folder = tmp_path_factory.mktemp("demo")
        template = folder / "template.sqlite"
        template_url = f"sqlite:///{template}"

        def copy() -> str:
            path = folder / f"copy-{uuid.uuid4().hex[:12]}.sqlite"
            with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as to:
                source.backup(to)
            return f"sqlite:///{path}"

    loader = create_app(app_config(template_url))
    with loader.app_context():
        # The real commands, as `make run` runs them (in this process: it is faster).
        for command in (["db", "upgrade"], ["demo", "load"]):
            result = loader.test_cli_runner().invoke(args=command)
            assert result.exit_code == 0, result.output
        # PostgreSQL copies a template only while nobody is connected to it.
        db.engine.dispose()
    return copy


@pytest.fixture
def demo_app(demo_database: Callable[[], str], make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The app on a fresh copy of the demo database, inside its app context."""
    demo_app = make_app(demo_database())
    with demo_app.app_context():
        yield demo_app
        db.session.remove()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Give every test that uses the app an empty database and a fresh session."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        yield
        db.session.rollback()
        # Amendments point at their main motion (ON DELETE RESTRICT): unlink them first.
        db.session.execute(sa.update(Motion).values(parent_id=None))
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        limiter.reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Visitor:
    """A member of the public reading pages, on a second app that shares no signed-in state."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, path: str) -> Any:
        db.session.commit()  # what the test wrote is what the visitor reads
        return self.client.get(path)


@pytest.fixture
def public(make_app: Callable[..., Flask]) -> Visitor:
    return Visitor(make_app().test_client())


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


def count_rows(model: Any) -> int:
    """Return how many rows the table of `model` holds."""
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def row_counts(*models: Any) -> dict[str, int]:
    """Return the row count of each model's table, by model name."""
    return {model.__name__: count_rows(model) for model in models}


# A public page on a cache miss runs at most 8 statements: the record's version, then these.
PAGE_QUERIES = 7


def is_version_read(statement: str) -> bool:
    """Tell whether a statement reads the record's version (agenda.pagecache)."""
    return bool(re.match(r"\s*SELECT\b[^;]*\bFROM record_version\b", statement, re.I))


@pytest.fixture
def count_queries() -> Callable[[], AbstractContextManager[list[str]]]:
    """Return a context manager collecting the SQL statements run on the app's engine in it.

    Transaction control (SQLite's BEGIN IMMEDIATE, and the PRAGMA query_only that marks a
    reading transaction) is left out: it is not a query. So is the read of the record's
    version, which a public page makes once per request, usually on a bare connection these
    listeners never see (see `agenda.pagecache.bare_version`): PAGE_QUERIES is what a page
    may run besides it.
    """

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA QUERY_ONLY")) and (
                not is_version_read(statement)
            ):
                statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)

    return counting


def routes_under(app: Flask, prefix: str) -> list[tuple[str, str]]:
    """Return (method, path) of every route under `prefix`, its ids filled with 1."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefix):
            continue
        path = re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule)
        routes += [
            (method, path) for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        ]
    return routes


def csrf_token(client: FlaskClient, path: str) -> str:
    """Load a page and return the CSRF token of its first form."""
    html = client.get(path).get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.find(marker)
    if start < 0:
        marker = 'name="csrf_token" value="'
        start = html.find(marker)
    assert start >= 0, f"no CSRF token on {path}"
    start += len(marker)
    return html[start : html.index('"', start)]


class Auth:
    """Sign a test client in and out as a user of a given role."""

    def __init__(self, client: FlaskClient, make_user: Callable[..., User]) -> None:
        self.client = client
        self.make_user = make_user

    def login(self, role: Role | str = Role.CLERK, **user_fields: Any) -> User:
        user = self.make_user(role=Role(role), **user_fields)
        token = csrf_token(self.client, "/login")
        response = self.client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def logout(self) -> None:
        token = csrf_token(self.client, "/")
        self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient, make_user: Callable[..., User]) -> Auth:
    return Auth(client, make_user)


@pytest.fixture
def make_body(app: Flask) -> Callable[..., Body]:
    def make(**overrides: Any) -> Body:
        seats = overrides.pop("seats", 7)
        fields: dict[str, Any] = {
            "name": f"City Commission {uuid.uuid4().hex[:6]}",
            "slug": f"commission-{uuid.uuid4().hex[:6]}",
            "seats": seats,
            "abstention_policy": AbstentionPolicy.CONFLICT_ONLY,
            "timezone": "America/New_York",
        }
        fields.update(overrides)
        body = Body(**fields)
        db.session.add(body)
        for seat in range(1, seats + 1):
            title = "Mayor" if seat == 1 else "Commissioner"
            body.seat_list.append(Seat(number=seat, title=title))
            person = Person(name=f"Member {seat} of {body.name}")
            body.memberships.append(
                Membership(person=person, seat=seat, title=title, starts_on=date(2020, 1, 1))
            )
        db.session.commit()
        return body

    return make


@pytest.fixture
def make_user(app: Flask, make_body: Callable[..., Body]) -> Callable[..., User]:
    def make(role: Role = Role.CLERK, **overrides: Any) -> User:
        email = overrides.pop("email", f"{role.value}-{uuid.uuid4().hex[:8]}@example.test")
        person_id = overrides.pop("person_id", None)
        if role == Role.COMMISSIONER and person_id is None:
            person_id = make_body().memberships[1].person_id
        user = create_user(
            email=email, password=PASSWORD, role=role, person_id=person_id, actor=None, **overrides
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_meeting(app: Flask, make_body: Callable[..., Body]) -> Callable[..., Meeting]:
    def make(**overrides: Any) -> Meeting:
        body = overrides.pop("body", None) or make_body()
        published = overrides.pop("published", True)
        meeting = create_meeting(
            body,
            meeting_type=overrides.pop("meeting_type", MeetingType.REGULAR),
            scheduled_at=overrides.pop(
                "scheduled_at", datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
            ),
            location=overrides.pop("location", "City Hall"),
            actor=None,
        )
        if published:
            meeting.status = MeetingStatus.PUBLISHED
            meeting.published_at = datetime.now(UTC).replace(microsecond=0)
        for key, value in overrides.items():
            setattr(meeting, key, value)
        db.session.commit()
        return meeting

    return make


def make_pdf_bytes(*pages: str) -> bytes:
    """Render a small real PDF with one page per string (WeasyPrint, no fetching)."""
    html = "".join(
        f'<section style="page-break-after: always"><p>{text}</p></section>' for text in pages
    )
    return weasyprint.HTML(string=f"<html lang=en><body>{html}</body></html>").write_pdf()


def pdf_text(data: bytes, tmp_path: Path, *, first: int | None = None) -> str:
    """Extract a PDF's text with poppler's pdftotext (optionally from one page)."""
    path = tmp_path / f"doc-{uuid.uuid4().hex[:8]}.pdf"
    path.write_bytes(data)
    pages = ["-f", str(first), "-l", str(first)] if first else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def qpdf(data: bytes, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run qpdf with `args` on the PDF bytes."""
    path = tmp_path / f"doc-{uuid.uuid4().hex[:8]}.pdf"
    path.write_bytes(data)
    return subprocess.run(["qpdf", *args, str(path)], capture_output=True, text=True)


def blank_pdf(pages: int = 1, **save_options: Any) -> bytes:
    """Return a PDF of blank pages made with pikepdf (save options such as encryption)."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, **save_options)
    return out.getvalue()


@pytest.fixture
def body(make_body: Callable[..., Body]) -> Body:
    return make_body(name="Key West City Commission")


@pytest.fixture
def matter(body: Body) -> Matter:
    """A filed resolution of `body`, sponsored by its fourth member."""
    matter = file_matter(
        body,
        matter_type=MatterType.RESOLUTION,
        title="Authorize a declaratory-judgment action",
        text="WHEREAS the Commission voted 6-1;",
        sponsor_ids=[body.memberships[3].person_id],
        actor=None,
    )
    db.session.commit()
    return matter


def publish_pending(meeting: Meeting, actor: User | None = None) -> AgendaRevision:
    """Publish a published agenda's pending changes with the reason the workspace offers."""
    return publish_amendment(meeting, amendment_reason(pending_changes(meeting)), actor=actor)


def hold(meeting: Meeting, people: list[Person], at: datetime) -> None:
    """Call a meeting to order at `at` with every member present.

    The agenda built on the published meeting is published first, as the call to order needs.
    """
    if has_pending_amendment(meeting):
        publish_pending(meeting)
    call_to_order(meeting, actor=None, at=at)
    for person in people:
        record_attendance(meeting, person.id, status=AttendanceStatus.PRESENT, actor=None)


def vote_on(
    item: Any,
    people: list[Person],
    at: datetime,
    no: tuple[int, ...] = (),
    recused: int | None = None,
    threshold: Threshold = Threshold.MAJORITY_PRESENT,
) -> Motion:
    """Move, second and vote a main motion: yes, but the seats (0-based) in `no` or `recused`."""
    motion = move_motion(
        item,
        kind=MotionKind.MAIN,
        text="Move to adopt.",
        mover_id=people[5].id,
        seconder_id=people[1].id,
        actor=None,
        at=at,
        threshold=threshold,
    )
    ballots = []
    for i, p in enumerate(people):
        if recused is not None and i == recused:
            ballots.append(Ballot(p.id, BallotValue.RECUSED, "Owns property next to the site"))
        else:
            ballots.append(Ballot(p.id, BallotValue.NO if i in no else BallotValue.YES))
    record_roll_call(motion, ballots, actor=None, at=at)
    return motion
