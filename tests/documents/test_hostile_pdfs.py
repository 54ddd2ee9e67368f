"""Hostile PDFs (issue 13, findings 2 to 4): refused with a clear message, or defused.

The files are generated at test time by tests/data/make_hostile_pdfs.py; none is checked in.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
import sqlalchemy as sa
from pikepdf import Array, Dictionary, Name, Stream
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.documents.models import Attachment, Blob
from agenda.documents.operations import attach_pdf, store_blob
from agenda.documents.pdfcheck import InvalidPdf, PdfLimits, inspect_upload, too_slow
from agenda.extensions import db
from agenda.meetings.models import AgendaRevision
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.publishing import publish_meeting
from tests.conftest import blank_pdf, csrf_token, make_pdf_bytes, qpdf, row_counts
from tests.data.make_hostile_pdfs import write_all

TOUCHED = (Attachment, Blob, AuditEvent, AgendaRevision)
ACTIVE = {
    "javascript_open_action.pdf": "Removed from the upload: JavaScript.",
    "page_actions.pdf": "Removed from the upload: JavaScript.",
    "launch_link.pdf": "Removed from the upload: 1 launch action.",
    "embedded_file.pdf": "Removed from the upload: 1 embedded file.",
}
# Keys and values that would run or unpack something in a reader.
ACTIVE_KEYS = {"/JavaScript", "/JS", "/AA", "/OpenAction", "/EmbeddedFiles", "/EF", "/Launch"}
ACTIVE_NAMES = {"/JavaScript", "/Launch", "/FileAttachment"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, bytes]:
    paths = write_all(tmp_path_factory.mktemp("hostile"))
    return {name: path.read_bytes() for name, path in paths.items()}


@pytest.fixture
def clerk_client(client, auth):
    auth.login(Role.CLERK)
    return client


def upload(client, matter, data: bytes, name: str):
    token = csrf_token(client, f"/clerk/matters/{matter.id}")
    # Encoded in memory: the test client spools bodies over 500 KB to a temporary file it
    # never closes, which the suite's warnings-as-errors would report later.
    fields = {"file": FileStorage(io.BytesIO(data), name), "title": name, "csrf_token": token}
    boundary, body = encode_multipart(MultiDict(fields))
    return client.post(
        f"/clerk/matters/{matter.id}/attachments",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def active_content(data: bytes) -> set[str]:
    """Every active key or value left anywhere in a PDF."""
    found = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in [pdf.trailer, *pdf.objects]:
            found |= _walk(obj, set())
    return found


def _walk(obj, seen: set) -> set[str]:
    if isinstance(obj, Array):
        return set().union(*(_walk(item, seen) for item in obj)) if len(obj) else set()
    if not isinstance(obj, Dictionary | Stream):
        return {str(obj)} & ACTIVE_NAMES if isinstance(obj, Name) else set()
    if obj.is_indirect:
        if obj.objgen in seen:
            return set()
        seen.add(obj.objgen)
    keys = set(obj.keys())
    found = keys & ACTIVE_KEYS
    for key in keys - {"/Parent", "/P"}:
        found |= _walk(obj[key], seen)
    return found


def test_the_generated_files_are_small_and_really_hostile(hostile):
    assert len(hostile["many_pages.pdf"]) < 1024 * 1024
    assert 1_000_000 < len(hostile["bomb.pdf"]) < 2_000_000
    for name in ACTIVE:
        assert active_content(hostile[name]), name


def test_a_100000_page_upload_is_refused_beside_the_file_and_nothing_is_stored(
    clerk_client, matter, hostile
):
    before = row_counts(*TOUCHED)
    response = upload(clerk_client, matter, hostile["many_pages.pdf"], "many.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="file-error"' in page
    assert "This PDF has more than 2,000 pages; split it into parts of 2,000 or fewer." in page
    assert row_counts(*TOUCHED) == before


def test_the_upload_page_limit_is_a_setting(clerk_client, matter, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_PAGES", 2)
    before = row_counts(*TOUCHED)
    response = upload(clerk_client, matter, blank_pdf(3), "three.pdf")
    assert response.status_code == 422
    assert "more than 2 pages" in response.get_data(as_text=True)
    assert row_counts(*TOUCHED) == before
    assert upload(clerk_client, matter, blank_pdf(2), "two.pdf").status_code == 302


def test_a_decompression_bomb_is_refused_quickly_and_nothing_is_stored(
    clerk_client, matter, hostile
):
    before = row_counts(*TOUCHED)
    response = upload(clerk_client, matter, hostile["bomb.pdf"], "bomb.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This PDF unpacks to more than 200 MB; upload a smaller or re-saved copy." in page
    assert row_counts(*TOUCHED) == before


def test_the_unpacked_size_and_the_checking_time_are_settings(
    clerk_client, matter, app, monkeypatch
):
    monkeypatch.setitem(app.config, "MAX_PDF_UNPACKED_BYTES", 10)
    response = upload(clerk_client, matter, make_pdf_bytes("Staff report"), "report.pdf")
    assert response.status_code == 422
    assert "unpacks to more than" in response.get_data(as_text=True)
    with pytest.raises(InvalidPdf) as refused:
        inspect_upload(make_pdf_bytes("Staff report"), PdfLimits(max_seconds=0))
    assert str(refused.value) == too_slow(0)


@pytest.mark.parametrize("name", sorted(ACTIVE))
def test_active_content_is_removed_and_the_clerk_is_told(
    clerk_client, matter, hostile, name, tmp_path
):
    response = upload(clerk_client, matter, hostile[name], name)
    assert response.status_code == 302
    page = clerk_client.get(response.location).get_data(as_text=True)
    assert f"Attached {name} (1 page)." in page
    assert ACTIVE[name] in page
    attachment = db.session.execute(sa.select(Attachment)).scalar_one()
    stored = db.session.get(Blob, attachment.sha256).data
    assert stored != hostile[name]
    assert active_content(stored) == set()
    assert qpdf(stored, tmp_path, "--check").returncode == 0
    event = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "attachment.create")
    ).scalar_one()
    assert event.details["removed"]


def test_a_clean_upload_is_stored_byte_for_byte(clerk_client, matter):
    data = make_pdf_bytes("Staff report")
    assert upload(clerk_client, matter, data, "report.pdf").status_code == 302
    attachment = db.session.execute(sa.select(Attachment)).scalar_one()
    assert db.session.get(Blob, attachment.sha256).data == data


def test_everything_is_named_in_one_note(hostile):
    with pikepdf.open(io.BytesIO(hostile["javascript_open_action.pdf"])) as pdf:
        pdf.attachments["a.txt"] = pikepdf.AttachedFileSpec(pdf, b"a")
        out = io.BytesIO()
        pdf.save(out)
    info = inspect_upload(out.getvalue())
    assert info.removed_note == "Removed from the upload: JavaScript, 1 embedded file."


def test_a_packet_from_cleaned_uploads_carries_nothing_active(
    client, make_meeting, hostile, tmp_path
):
    meeting = make_meeting(published=False)
    item = add_item(section_titled(meeting, "Consent agenda"), title="Exhibits", actor=None)
    for name in ACTIVE:
        attach_pdf(hostile[name], filename=name, title=name, agenda_item=item, actor=None)
    db.session.commit()
    revision = publish_meeting(meeting, actor=None).revision
    db.session.commit()
    assert revision.packet_failures == ""
    packet = client.get(f"/meetings/{meeting.id}/packet.pdf").data
    assert active_content(packet) == set()
    assert qpdf(packet, tmp_path, "--check").returncode == 0
    with pikepdf.open(io.BytesIO(packet)) as pdf:
        assert len(pdf.pages) > len(ACTIVE)


def test_a_packet_over_the_page_limit_is_not_built_and_publishing_says_why(
    clerk_client, make_meeting, app, monkeypatch
):
    monkeypatch.setitem(app.config, "MAX_PACKET_PAGES", 4)
    meeting = make_meeting(published=False)
    item = add_item(section_titled(meeting, "Consent agenda"), title="Budget", actor=None)
    attach_pdf(blank_pdf(5), filename="budget.pdf", title="Budget", agenda_item=item, actor=None)
    db.session.commit()
    revision = publish_meeting(meeting, actor=None).revision
    db.session.commit()
    assert revision.agenda_sha256 is not None
    assert revision.packet_sha256 is None
    assert "The packet was not built" in revision.packet_failures
    assert "more than 4 pages" in revision.packet_failures
    page = clerk_client.get(f"/clerk/meetings/{meeting.id}").get_data(as_text=True)
    assert "The packet was not built" in page
    assert clerk_client.get(f"/meetings/{meeting.id}/agenda.pdf").status_code == 200
    response = clerk_client.get(f"/meetings/{meeting.id}/packet.pdf")
    assert response.status_code == 409
    assert "The packet was not built" in response.get_data(as_text=True)


def test_a_stored_100000_page_file_costs_the_packet_not_the_publish(make_meeting, hostile):
    # Stored before the upload limit existed (bypasses the check).
    meeting = make_meeting(published=False)
    item = add_item(section_titled(meeting, "Consent agenda"), title="Old scan", actor=None)
    blob = store_blob(hostile["many_pages.pdf"])
    db.session.add(
        Attachment(sha256=blob.sha256, filename="scan.pdf", title="Old scan",
                   page_count=100_000, position=1, agenda_item=item)
    )  # fmt: skip
    db.session.commit()
    revision = publish_meeting(meeting, actor=None).revision
    db.session.commit()
    assert revision.packet_sha256 is None
    assert "more than 5,000 pages" in revision.packet_failures


def test_hostile_files_never_reach_the_disk_of_the_repository():
    assert not list(Path(__file__).parents[1].glob("data/*.pdf"))
