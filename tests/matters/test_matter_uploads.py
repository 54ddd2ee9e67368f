"""Documents on a matter through the clerk's screens: checked PDFs in, clear refusals."""

import io

import pikepdf
import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.documents.models import Attachment, Blob
from agenda.documents.pdfcheck import DAMAGED, ENCRYPTED, NOT_A_PDF
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings.models import AgendaItem, AgendaRevision
from tests.conftest import Auth, blank_pdf, count_rows, csrf_token, make_pdf_bytes, row_counts

MULTIPART = "multipart/form-data"


# The tables a refused request must leave as they were.
TOUCHED = (Matter, Attachment, Blob, AgendaItem, AgendaRevision, AuditEvent)


def audit_actions() -> list[str]:
    query = sa.select(AuditEvent.action).order_by(AuditEvent.id)
    return list(db.session.execute(query).scalars())


@pytest.fixture
def clerk_client(client, auth):
    auth.login(Role.CLERK)
    return client


def upload(client, matter, data: bytes, name: str = "memo.pdf", title: str = ""):
    token = csrf_token(client, f"/clerk/matters/{matter.id}")
    return client.post(
        f"/clerk/matters/{matter.id}/attachments",
        data={"file": (io.BytesIO(data), name), "title": title, "csrf_token": token},
        content_type=MULTIPART,
    )


def test_a_one_page_upload_is_counted_in_the_singular(clerk_client, matter):
    response = upload(clerk_client, matter, blank_pdf(1), "Map.pdf", "Site map")
    assert response.status_code == 302
    page = clerk_client.get(response.location).get_data(as_text=True)
    assert "Attached Site map (1 page)." in page


def test_an_uploaded_pdf_is_listed_and_downloadable(clerk_client, matter):
    response = upload(clerk_client, matter, blank_pdf(2), "Legal memo.pdf", "Legal memo")
    assert response.status_code == 302
    page = clerk_client.get(response.location).get_data(as_text=True)
    assert "Attached Legal memo (2 pages)." in page
    attachment = db.session.execute(sa.select(Attachment)).scalar_one()
    link = f"/attachments/{attachment.id}/Legal%20memo.pdf"
    assert f'href="{link}">Legal memo</a>' in page
    download = clerk_client.get(link)
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "Legal memo.pdf" in download.headers["Content-Disposition"]
    assert download.data.startswith(b"%PDF-")
    assert "attachment.create" in audit_actions()


def test_the_same_bytes_uploaded_twice_are_stored_once(clerk_client, matter):
    data = blank_pdf(3)
    assert upload(clerk_client, matter, data, "a.pdf").status_code == 302
    assert upload(clerk_client, matter, data, "b.pdf").status_code == 302
    assert count_rows(Attachment) == 2
    assert count_rows(Blob) == 1


def truncated_pdf() -> bytes:
    whole = make_pdf_bytes(*(f"Staff report, part {n}" for n in range(1, 7)))
    return whole[: len(whole) * 6 // 10]


@pytest.mark.parametrize(
    ("make_data", "message"),
    [
        (lambda: b"PK\x03\x04 a .docx really, renamed", NOT_A_PDF),
        (lambda: blank_pdf(encryption=pikepdf.Encryption(owner="o", user="u")), ENCRYPTED),
        (truncated_pdf, DAMAGED),
    ],
    ids=["not-a-pdf", "encrypted", "truncated"],
)
def test_bad_uploads_are_explained_next_to_the_file_field(clerk_client, matter, make_data, message):
    before = row_counts(*TOUCHED)
    response = upload(clerk_client, matter, make_data(), "report.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="file-error">{message} </p>'.replace("'", "&#39;") in page
    assert 'aria-describedby="file-error"' in page
    assert row_counts(*TOUCHED) == before


def test_an_oversize_upload_gets_the_file_too_large_page(make_app, make_user, matter):
    small = make_app(MAX_CONTENT_LENGTH=1000)
    client = small.test_client()
    path = f"/clerk/matters/{matter.id}"
    # Each read here is ended at once: on SQLite the other app's session must take the lock.
    db.session.commit()
    with small.app_context():
        Auth(client, make_user).login(Role.CLERK)
        token = csrf_token(client, path)
    before = row_counts(*TOUCHED)
    db.session.commit()
    with small.app_context():
        response = client.post(
            f"{path}/attachments",
            data={
                "file": (io.BytesIO(b"%PDF-1.7\n" + b"0" * 5000), "big.pdf"),
                "csrf_token": token,
            },
            content_type=MULTIPART,
        )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "File too large" in page
    assert "The largest file you can upload is" in page
    assert row_counts(*TOUCHED) == before


def test_removing_a_document_takes_it_off_the_matter(clerk_client, matter):
    upload(clerk_client, matter, blank_pdf(), "memo.pdf", "Memo")
    attachment = db.session.execute(sa.select(Attachment)).scalar_one()
    page = clerk_client.get(f"/clerk/matters/{matter.id}").get_data(as_text=True)
    assert 'Remove<span class="visually-hidden"> Memo</span></button>' in page
    token = csrf_token(clerk_client, f"/clerk/matters/{matter.id}")
    response = clerk_client.post(
        f"/clerk/matters/{matter.id}/attachments/{attachment.id}/remove",
        data={"csrf_token": token},
    )
    assert response.status_code == 302
    assert "Removed Memo." in clerk_client.get(response.location).get_data(as_text=True)
    assert count_rows(Attachment) == 0
    assert audit_actions()[-1] == "attachment.delete"
    other = clerk_client.post(
        f"/clerk/matters/{matter.id}/attachments/{attachment.id}/remove",
        data={"csrf_token": token},
    )
    assert other.status_code == 404
