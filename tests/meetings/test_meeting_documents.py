"""Agenda PDF and packet: what they say, how they are built, stored, amended and served."""

from __future__ import annotations

import json
import re
from io import BytesIO

import pikepdf
import pytest
import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.documents.models import Attachment, Blob
from agenda.documents.operations import attach_pdf, store_blob
from agenda.extensions import db
from agenda.matters.operations import create_matter
from agenda.matters.rules import MatterType
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.publishing import (
    cancel_meeting,
    note_agenda_change,
    publish_amendment,
    publish_meeting,
)
from agenda.meetings.rules import MeetingStatus
from tests.conftest import make_pdf_bytes, pdf_text, qpdf

APPEAL = "If a person decides to appeal any decision, a verbatim record is needed."
ACCOMMODATION = "Persons needing an accommodation should call the clerk."


@pytest.fixture
def agenda_meeting(make_body, make_meeting):
    """A draft meeting with a resolution (two documents) and a plain consent item (one)."""
    body = make_body(
        name="Key West City Commission",
        appeal_statement=APPEAL,
        accommodation_statement=ACCOMMODATION,
    )
    meeting = make_meeting(body=body, published=False)
    sponsor = body.memberships[5].person
    matter = create_matter(
        body,
        matter_type=MatterType.RESOLUTION,
        title="Authorizing a declaratory-judgment action",
        text="Resolved.",
        sponsors=[sponsor],
        actor=None,
    )
    attach_pdf(
        make_pdf_bytes("Resolution text page one", "Resolution text page two"),
        filename="resolution.pdf",
        title="Resolution text",
        matter=matter,
        actor=None,
    )
    attach_pdf(
        make_pdf_bytes("Staff memo"), filename="memo.pdf", title="Staff memo", matter=matter,
        actor=None,
    )  # fmt: skip
    add_item(section_titled(meeting, "Resolutions"), title=matter.title, matter=matter, actor=None)
    consent = add_item(
        section_titled(meeting, "Consent agenda"), title="Seawall contract", actor=None
    )
    attach_pdf(
        make_pdf_bytes("Seawall contract terms"), filename="contract.pdf", title="Contract",
        agenda_item=consent, actor=None,
    )  # fmt: skip
    db.session.commit()
    return meeting


def outlines(data: bytes, tmp_path) -> list[dict]:
    return json.loads(qpdf(data, tmp_path, "--json", "--json-key=outlines").stdout)["outlines"]


def test_published_agenda_pdf_reads_in_order_with_numbers_and_statements(
    client, agenda_meeting, tmp_path
):
    publish_meeting(agenda_meeting, actor=None)
    db.session.commit()
    response = client.get(f"/meetings/{agenda_meeting.id}/agenda.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert re.search(
        r'filename="\d{4}-\d\d-\d\d Key West City Commission agenda.pdf"',
        response.headers["Content-Disposition"],
    )
    text = " ".join(pdf_text(response.data, tmp_path).split())
    assert "Key West City Commission" in text
    assert text.index("4. Consent agenda") < text.index("4.a Seawall contract")
    assert text.index("4.a Seawall contract") < text.index("6. Resolutions")
    assert "6.a Res " in text and "Authorizing a declaratory-judgment action" in text
    assert APPEAL in text and ACCOMMODATION in text
    assert re.search(r"Page 1 of \d", text)
    assert "DRAFT" not in text
    assert qpdf(response.data, tmp_path, "--check").returncode == 0


def test_agenda_pdf_is_tagged_with_language_and_title(client, agenda_meeting):
    publish_meeting(agenda_meeting, actor=None)
    db.session.commit()
    data = client.get(f"/meetings/{agenda_meeting.id}/agenda.pdf").data
    with pikepdf.open(BytesIO(data)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "en"
        assert "Key West City Commission regular meeting agenda" in str(pdf.docinfo.Title)


def test_packet_holds_agenda_then_documents_in_agenda_order_with_bookmarks_and_stamps(
    client, agenda_meeting, tmp_path
):
    publish_meeting(agenda_meeting, actor=None)
    db.session.commit()
    response = client.get(f"/meetings/{agenda_meeting.id}/packet.pdf")
    data = response.data
    assert response.status_code == 200
    assert qpdf(data, tmp_path, "--check").returncode == 0
    pages = int(qpdf(data, tmp_path, "--show-npages").stdout)
    agenda_pages = int(
        qpdf(client.get(f"/meetings/{agenda_meeting.id}/agenda.pdf").data, tmp_path,
             "--show-npages").stdout
    )  # fmt: skip
    assert pages == agenda_pages + 1 + 2 + 1
    top = [o["title"] for o in outlines(data, tmp_path)]
    assert top[0] == "Agenda"
    assert top[1].startswith("4.a Seawall contract")
    assert top[2].startswith("6.a Res ")
    children = [c["title"] for c in outlines(data, tmp_path)[2]["kids"]]
    assert children == ["Resolution text", "Staff memo"]
    for page in range(1, pages + 1):
        assert f"Packet page {page} of {pages}" in pdf_text(data, tmp_path, first=page)
    # Consent contract comes before the resolution's documents.
    assert "Seawall contract terms" in pdf_text(data, tmp_path, first=agenda_pages + 1)
    assert "Resolution text page one" in pdf_text(data, tmp_path, first=agenda_pages + 2)


def test_packet_is_stored_once_and_served_from_the_store(client, agenda_meeting):
    result = publish_meeting(agenda_meeting, actor=None)
    db.session.commit()
    blobs = db.session.execute(sa.select(sa.func.count(Blob.sha256))).scalar_one()
    first = client.get(f"/meetings/{agenda_meeting.id}/packet.pdf")
    second = client.get(f"/meetings/{agenda_meeting.id}/packet.pdf")
    assert first.data == second.data
    assert first.headers["ETag"] == f'"{result.revision.packet_sha256}"'
    assert db.session.execute(sa.select(sa.func.count(Blob.sha256))).scalar_one() == blobs
    again = client.get(
        f"/meetings/{agenda_meeting.id}/packet.pdf",
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304


def test_a_broken_attachment_is_reported_and_the_rest_still_build(client, agenda_meeting, tmp_path):
    good = make_pdf_bytes("Broken one placeholder source")
    broken = store_blob(good[: len(good) // 3])  # damaged after upload (bypasses validation)
    item = section_titled(agenda_meeting, "Consent agenda").items[0]
    db.session.add(
        Attachment(sha256=broken.sha256, filename="broken.pdf", title="Broken exhibit",
                   page_count=1, position=2, agenda_item=item)
    )  # fmt: skip
    db.session.commit()
    result = publish_meeting(agenda_meeting, actor=None)
    db.session.commit()
    assert "Broken exhibit" in result.revision.packet_failures
    data = client.get(f"/meetings/{agenda_meeting.id}/packet.pdf").data
    assert qpdf(data, tmp_path, "--check").returncode == 0
    text = pdf_text(data, tmp_path)
    assert "Seawall contract terms" in text
    assert "Resolution text page two" in text


def test_amending_a_published_agenda_keeps_every_revision(client, agenda_meeting, tmp_path):
    first = publish_meeting(agenda_meeting, actor=None).revision
    db.session.commit()
    add_item(section_titled(agenda_meeting, "Discussion"), title="Hurricane readiness", actor=None)
    assert note_agenda_change(agenda_meeting, "Added item 8.a", actor=None) is None
    second = publish_amendment(agenda_meeting, "Added item 8.a: Hurricane readiness", actor=None)
    db.session.commit()
    assert second.number == 2

    page = client.get(f"/meetings/{agenda_meeting.id}").get_data(as_text=True)
    assert "Amended agenda" in page
    assert "Added item 8.a: Hurricane readiness" in page
    current = " ".join(pdf_text(client.get(f"/meetings/{agenda_meeting.id}/agenda.pdf").data,
                                tmp_path).split())  # fmt: skip
    assert "Amended agenda" in current
    assert "Revision 2" in current and "Added item 8.a: Hurricane readiness" in current
    old = client.get(f"/documents/{first.agenda_sha256}.pdf")
    assert old.status_code == 200
    assert old.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    old_text = pdf_text(old.data, tmp_path)
    assert "Hurricane readiness" not in old_text
    assert "Amended" not in old_text


def test_a_draft_agenda_and_packet_are_404_for_the_public(client, agenda_meeting):
    assert client.get(f"/meetings/{agenda_meeting.id}/agenda.pdf").status_code == 404
    assert client.get(f"/meetings/{agenda_meeting.id}/packet.pdf").status_code == 404
    attachment = db.session.execute(sa.select(Attachment)).scalars().first()
    assert client.get(f"/documents/{attachment.sha256}.pdf").status_code == 404
    url = f"/attachments/{attachment.id}/{attachment.filename}"
    assert client.get(url).status_code == 404


def test_a_commissioner_opens_the_draft_packet_marked_draft(client, auth, agenda_meeting, tmp_path):
    auth.login(Role.COMMISSIONER, person_id=agenda_meeting.body.memberships[3].person_id)
    response = client.get(f"/meetings/{agenda_meeting.id}/packet.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "DRAFT" in text
    assert "Seawall contract terms" in text
    assert agenda_meeting.status == MeetingStatus.DRAFT
    assert agenda_meeting.revisions == []


def test_public_downloads_an_attachment_of_a_published_meeting(client, agenda_meeting):
    publish_meeting(agenda_meeting, actor=None)
    db.session.commit()
    attachment = db.session.execute(
        sa.select(Attachment).where(Attachment.title == "Contract")
    ).scalar_one()
    response = client.get(f"/attachments/{attachment.id}/{attachment.filename}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "inline; filename=contract.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    ranged = client.get(
        f"/attachments/{attachment.id}/{attachment.filename}", headers={"Range": "bytes=0-7"}
    )
    assert ranged.status_code == 206
    assert ranged.data == response.data[:8]
    assert ranged.headers["Content-Range"] == f"bytes 0-7/{len(response.data)}"


def test_cancelling_a_published_meeting_says_so_in_a_new_revision(client, agenda_meeting, tmp_path):
    publish_meeting(agenda_meeting, actor=None)
    cancel_meeting(agenda_meeting, "Hurricane warning for the Keys.", actor=None)
    db.session.commit()
    assert [r.summary for r in agenda_meeting.revisions][-1] == (
        "Meeting cancelled: Hurricane warning for the Keys."
    )
    text = " ".join(
        pdf_text(client.get(f"/meetings/{agenda_meeting.id}/agenda.pdf").data, tmp_path).split()
    )
    assert "This meeting is cancelled. Hurricane warning for the Keys." in text


def test_the_packet_is_titled_as_a_packet_and_a_draft_is_named_a_draft(
    client, auth, agenda_meeting
):
    auth.login(Role.CLERK)
    draft = client.get(f"/meetings/{agenda_meeting.id}/packet.pdf")
    assert re.search(
        r'filename="\d{4}-\d\d-\d\d Key West City Commission draft packet.pdf"',
        draft.headers["Content-Disposition"],
    )
    draft_agenda = client.get(f"/meetings/{agenda_meeting.id}/agenda.pdf")
    assert "draft agenda.pdf" in draft_agenda.headers["Content-Disposition"]
    publish_meeting(agenda_meeting, actor=None)
    db.session.commit()
    published = client.get(f"/meetings/{agenda_meeting.id}/packet.pdf")
    assert re.search(
        r'filename="\d{4}-\d\d-\d\d Key West City Commission packet.pdf"',
        published.headers["Content-Disposition"],
    )
    with pikepdf.open(BytesIO(published.data)) as pdf:
        assert "Key West City Commission regular meeting packet" in str(pdf.docinfo.Title)
        with pdf.open_metadata() as meta:
            assert "meeting packet" in meta["dc:title"]
