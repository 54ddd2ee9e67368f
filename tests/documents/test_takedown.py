"""Taking a document down: once nothing public refers to it, every worker answers 404 at once.

Two app instances on one database stand for two workers (or two app servers); the document
cache is per process, so the gunicorn test runs two real workers as `make run` does.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.meetings import agenda_editing as editing
from agenda.meetings.models import AgendaItem, AgendaRevision, Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.publishing import publish_meeting
from agenda.portal.views import PUBLIC_DOCUMENTS
from tests.conftest import csrf_token, make_pdf_bytes, publish_pending

IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def workers(make_app: Callable[..., Flask]) -> list[FlaskClient]:
    """Two more instances of the app on the test's database: the public's two workers."""
    return [make_app().test_client() for _ in range(2)]


@pytest.fixture
def published_attachment(make_meeting) -> tuple[Meeting, AgendaItem, Attachment]:
    """A published meeting whose item carries a document the public can download."""
    meeting = make_meeting(published=False)
    item = add_item(section_titled(meeting, "Consent agenda"), title="Seawall", actor=None)
    attachment = editing.attach_item_document(
        item, make_pdf_bytes("Seawall contract"), filename="contract.pdf", title="Contract",
        actor=None,
    )  # fmt: skip
    publish_meeting(meeting, actor=None)
    db.session.commit()
    return meeting, item, attachment


def urls_of(attachment: Attachment) -> list[str]:
    return [f"/attachments/{attachment.id}/contract.pdf", f"/documents/{attachment.sha256}.pdf"]


def get(worker: FlaskClient, url: str, **headers: str) -> TestResponse:
    db.session.commit()  # what the test wrote is what the worker reads, and no lock is held
    return worker.get(url, headers=headers)


def served_by_both(workers: list[FlaskClient], attachment: Attachment) -> None:
    urls, etag = urls_of(attachment), f'"{attachment.sha256}"'
    for worker in workers:
        for url in urls:
            response = get(worker, url)
            assert response.status_code == 200, url
            # It can be taken down: caches ask again every time, a 304 while it is unchanged.
            assert response.headers["Cache-Control"] == "no-cache", url
            again = get(worker, url, **{"If-None-Match": etag})
            assert again.status_code == 304, url


def test_removed_through_the_screens_gone_from_the_other_worker(
    client, auth, workers, published_attachment
):
    meeting, item, attachment = published_attachment
    served_by_both(workers, attachment)
    auth.login()  # the clerk, on a third instance
    token = csrf_token(client, f"/clerk/meetings/{meeting.id}")
    removed = client.post(
        f"/clerk/items/{item.id}/attachments/{attachment.id}/remove", data={"csrf_token": token}
    )
    assert removed.status_code == 302
    for worker in workers:
        assert get(worker, urls_of(attachment)[0]).status_code == 404
        # The published agenda still lists it until the amendment goes out (the public record).
        assert get(worker, urls_of(attachment)[1]).status_code == 200
    reason = {"csrf_token": token, "amendment-reason": "Removed the contract"}
    assert client.post(f"/clerk/meetings/{meeting.id}/amendment", data=reason).status_code == 302
    for worker in workers:
        for url in urls_of(attachment):
            assert get(worker, url).status_code == 404, url
    assert PUBLIC_DOCUMENTS.get(attachment.sha256) is None


def test_removed_through_the_operation_gone_from_every_worker(workers, published_attachment):
    meeting, item, attachment = published_attachment
    urls = urls_of(attachment)
    served_by_both(workers, attachment)
    # Through the operations, on a third instance: removed, and the amendment published.
    editing.remove_item_document(item, attachment, actor=None)
    publish_pending(meeting)
    db.session.commit()
    for worker in reversed(workers):
        for url in urls:
            assert get(worker, url).status_code == 404, url
    # The published revisions keep their immutable documents: they are the public record.
    revisions = db.session.execute(
        sa.select(AgendaRevision).where(AgendaRevision.meeting_id == meeting.id)
    ).scalars()
    for revision in revisions:
        response = get(workers[1], f"/documents/{revision.packet_sha256}.pdf")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE


def demo_packets() -> list[str]:
    """The packets of the demo's public meetings: immutable, so kept in worker memory."""
    return list(
        db.session.execute(
            sa.select(AgendaRevision.packet_sha256)
            .join(Meeting, AgendaRevision.meeting_id == Meeting.id)
            .where(Meeting.published_at.is_not(None), AgendaRevision.packet_sha256.is_not(None))
            .limit(3)
        ).scalars()
    )


def remove_the_demo(app: Flask) -> None:
    """`flask demo remove`, run through another instance of the app."""
    with app.app_context():
        removed = app.test_cli_runner().invoke(args=["demo", "remove"])
        db.session.remove()
    assert removed.exit_code == 0, removed.output


def test_a_cached_immutable_document_is_gone_once_nothing_public_refers_to_it(
    demo_database: Callable[[], str], make_app: Callable[..., Flask]
):
    url = demo_database()
    first, second = make_app(url), make_app(url)
    with second.app_context():
        packets = demo_packets()
    assert packets
    reader = second.test_client()
    for digest in packets:
        for _ in range(2):  # the second answer comes from the worker's memory
            response = reader.get(f"/documents/{digest}.pdf")
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == IMMUTABLE
        assert PUBLIC_DOCUMENTS.get(digest) is not None
    remove_the_demo(first)
    for digest in packets:
        assert reader.get(f"/documents/{digest}.pdf").status_code == 404
        assert PUBLIC_DOCUMENTS.get(digest) is None


def status_of(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.headers.get("Cache-Control", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Cache-Control", "")


def test_two_gunicorn_workers_see_the_removal_at_once(
    demo_database: Callable[[], str], make_app: Callable[..., Flask], tmp_path: Path
):
    from tests.browser.conftest import serving

    url = demo_database()
    with make_app(url).app_context():
        packets = demo_packets()
    with serving(tmp_path, url) as base:
        # Enough requests that both workers have each packet in memory.
        for digest in packets:
            for _ in range(8):
                assert status_of(f"{base}/documents/{digest}.pdf") == (200, IMMUTABLE)
        remove_the_demo(make_app(url))
        for digest in packets:
            for _ in range(8):
                assert status_of(f"{base}/documents/{digest}.pdf")[0] == 404
