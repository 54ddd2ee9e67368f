"""SQLite serves readers while someone writes, and publishing renders before it writes.

Pages only read: under WAL a reading transaction neither waits for the one writer nor makes
it wait. Publishing renders its agenda and merges its packet before its short writing
transaction, so the clerk's other actions (and everyone's sign-ins) never queue behind it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.documents import printing
from agenda.extensions import db
from agenda.meetings import agenda_editing as editing
from agenda.meetings import documents as meeting_documents
from agenda.meetings.models import AgendaRevision, Meeting
from agenda.meetings.operations import section_titled
from agenda.meetings.rules import MeetingStatus
from tests.conftest import PASSWORD, app_config, csrf_token, make_pdf_bytes

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=9)


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database on SQLite, whichever database the rest of the suite runs on."""
    from agenda import create_app

    path = tmp_path_factory.mktemp("readers") / "demo.sqlite"
    loader = create_app(app_config(f"sqlite:///{path}"))
    with loader.app_context():
        for command in (["db", "upgrade"], ["demo", "load"]):
            result = loader.test_cli_runner().invoke(args=command)
            assert result.exit_code == 0, result.output
        db.engine.dispose()
    return path


@pytest.fixture
def writer_holding_the_lock(sqlite_demo: Path) -> Iterator[sqlite3.Connection]:
    """Another process's writing transaction, holding SQLite's one write lock throughout."""
    with closing(sqlite3.connect(sqlite_demo, timeout=0, isolation_level=None)) as other:
        yield other
        if other.in_transaction:
            other.execute("ROLLBACK")


def test_every_page_answers_while_another_transaction_writes(
    sqlite_demo: Path,
    make_app: Callable[..., Flask],
    writer_holding_the_lock: sqlite3.Connection,
) -> None:
    app = make_app(
        f"sqlite:///{sqlite_demo}", SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 1}}
    )
    with app.app_context():
        published = db.session.execute(
            sa.select(Meeting).where(Meeting.status != MeetingStatus.DRAFT).limit(1)
        ).scalar_one()
        revision = published.revisions[-1]
        pages = [
            "/",
            "/meetings",
            f"/meetings/{published.id}",
            f"/meetings/{published.id}/agenda.pdf",
            f"/meetings/{published.id}/packet.pdf",
            f"/documents/{revision.agenda_sha256}.pdf",
            "/bodies",
            "/record",
        ]
        db.session.remove()
    clerk = app.test_client()
    token = csrf_token(clerk, "/login")
    signed_in = clerk.post(
        "/login",
        data={
            "email": "clerk@demo.agenda.test",
            "password": "demo-clerk-password",
            "csrf_token": token,
        },
    )
    assert signed_in.status_code == 302
    public = make_app(f"sqlite:///{sqlite_demo}").test_client()

    writer_holding_the_lock.execute("BEGIN IMMEDIATE")
    writer_holding_the_lock.execute("UPDATE bodies SET name = name")  # a write in progress
    for page in pages:
        answered = public.get(page)
        assert answered.status_code == 200, (page, answered.status_code)
    for page in [
        "/clerk/",
        f"/clerk/meetings/{published.id}",
        f"/meetings/{published.id}/packet.pdf",
    ]:
        answered = clerk.get(page)
        assert answered.status_code == 200, (page, answered.status_code)

    # A write waits its turn (here up to the 1 s this app allows) and is then refused whole.
    writer_holding_the_lock.execute("COMMIT")
    assert public.get("/").status_code == 200


def write_lock_is_free(url: str) -> bool:
    """Tell whether another connection could start writing now (SQLite)."""
    path = sa.make_url(url).database
    with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as other:
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        other.execute("ROLLBACK")
        return True


def nothing_written_yet() -> bool:
    """Tell whether the request's transaction has written nothing so far (PostgreSQL)."""
    return db.session.execute(sa.text("SELECT pg_current_xact_id_if_assigned()")).scalar() is None


@pytest.fixture
def renders(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Watch the real renderer and packet merger: was the database free for writers then?"""
    seen: list[tuple[str, bool]] = []
    url = app.config["SQLALCHEMY_DATABASE_URI"]

    def free() -> bool:
        return write_lock_is_free(url) if url.startswith("sqlite") else nothing_written_yet()

    def watch(kind: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def watched(*args: Any, **kwargs: Any) -> Any:
            seen.append((kind, free()))
            return real(*args, **kwargs)

        return watched

    monkeypatch.setattr(printing, "render_pdf", watch("agenda", printing.render_pdf))
    monkeypatch.setattr(
        meeting_documents, "merge_packet", watch("packet", meeting_documents.merge_packet)
    )
    return seen


@pytest.fixture
def draft(make_meeting) -> Meeting:
    meeting = make_meeting(published=False, scheduled_at=SOON)
    item = editing.add_agenda_item(
        section_titled(meeting, "Resolutions"),
        title="Seawall repairs",
        description="",
        matter=None,
        actor=None,
    )
    editing.attach_item_document(
        item, make_pdf_bytes("Engineer's report"), filename="report.pdf", title="Report", actor=None
    )
    db.session.commit()
    return meeting


def post(client, meeting: Meeting, action: str, **fields: str):
    page = f"/clerk/meetings/{meeting.id}"
    # The test's own transaction ends first: the requests must not run inside it.
    db.session.commit()
    data = {"csrf_token": csrf_token(client, page), **fields}
    return client.post(f"{page}/{action}", data=data)


def stored(meeting_id: int) -> list[AgendaRevision]:
    db.session.expire_all()
    query = sa.select(AgendaRevision).where(AgendaRevision.meeting_id == meeting_id)
    revisions = list(db.session.execute(query.order_by(AgendaRevision.number)).scalars())
    db.session.commit()
    return revisions


def test_publishing_renders_its_documents_before_it_writes(client, auth, draft, renders):
    auth.login(Role.CLERK)
    events_before = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()

    assert post(client, draft, "publish").status_code == 302
    # One agenda rendered and one packet merged, both while writers were free to write;
    # the operation stored those very documents.
    assert renders == [("agenda", True), ("packet", True)]
    (revision,) = stored(draft.id)
    assert revision.agenda_sha256 and revision.packet_sha256
    assert client.get(f"/documents/{revision.packet_sha256}.pdf").status_code == 200
    events = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
    assert events > events_before

    # An amendment and a cancellation: the same, each one render and one merge.
    renders.clear()
    editing.add_agenda_item(
        section_titled(db.session.get(Meeting, draft.id), "Resolutions"),
        title="Hurricane shelter contract",
        description="",
        matter=None,
        actor=None,
    )
    db.session.commit()
    assert post(client, draft, "amendment", **{"amendment-reason": "Added 6.b"}).status_code == 302
    assert renders == [("agenda", True), ("packet", True)]
    renders.clear()
    assert post(client, draft, "cancel", **{"cancel-reason": "Storm warning."}).status_code == 302
    assert renders == [("agenda", True), ("packet", True)]
    summaries = [r.summary for r in stored(draft.id)]
    assert summaries == ["Agenda published.", "Added 6.b", "Meeting cancelled: Storm warning."]


def test_a_refused_publication_renders_nothing_and_stores_nothing(client, auth, draft, renders):
    auth.login(Role.CLERK)
    assert post(client, draft, "publish").status_code == 302
    renders.clear()
    # Nothing is pending, so there is nothing to publish: no render, no revision.
    refused = post(client, draft, "amendment", **{"amendment-reason": "Nothing"})
    assert refused.status_code == 422
    assert renders == []
    assert len(stored(draft.id)) == 1


def test_a_sign_in_waits_for_no_rendering(client, make_user, draft, renders):
    """Signing in checks the password before its short write (the failure count, the time)."""
    user = make_user(Role.CLERK)
    token = csrf_token(client, "/login")
    wrong = client.post(
        "/login", data={"email": user.email, "password": "not it at all", "csrf_token": token}
    )
    assert wrong.status_code == 400
    right = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert right.status_code == 302
    assert renders == []


def test_verify_replays_the_chain_while_another_transaction_writes(
    sqlite_demo: Path,
    make_app: Callable[..., Flask],
    writer_holding_the_lock: sqlite3.Connection,
) -> None:
    """`flask verify` only reads: a live site's clerks keep recording while it runs."""
    app = make_app(f"sqlite:///{sqlite_demo}")
    writer_holding_the_lock.execute("BEGIN IMMEDIATE")
    writer_holding_the_lock.execute("UPDATE bodies SET name = name")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["verify"])
        db.session.remove()
    assert result.exit_code == 0, result.output
    assert "The record verifies" in result.output
