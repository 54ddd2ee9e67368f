"""Download names in any script: an ASCII fallback and the exact UTF-8 name, under gunicorn too."""

from __future__ import annotations

import re
import urllib.request
from urllib.parse import quote, unquote

import pytest

from agenda.documents.http import ascii_filename, content_disposition
from agenda.documents.operations import attach_pdf
from agenda.extensions import db
from agenda.meetings.display import download_name
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.publishing import publish_meeting
from tests.browser.conftest import serving
from tests.conftest import make_pdf_bytes

WORD_PROCESSOR = (
    "Résumé \N{EN DASH} \N{LEFT DOUBLE QUOTATION MARK}Plan\N{RIGHT DOUBLE QUOTATION MARK} 東京.pdf"
)
BODY = (
    "Comisión \N{EN DASH} \N{LEFT DOUBLE QUOTATION MARK}Ciudad\N{RIGHT DOUBLE QUOTATION MARK} 東京"
)


def fallback_name(header: str) -> str:
    """Return the plain filename parameter, quoted or a token."""
    quoted, token = re.search(r'filename=(?:"([^"]*)"|([^;\s]+))', header).groups()
    return quoted if quoted is not None else token


def exact_name(header: str) -> str:
    """Return the name a browser saves: filename* when given (RFC 6266), else filename."""
    encoded = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    return unquote(encoded.group(1), errors="strict") if encoded else fallback_name(header)


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        (WORD_PROCESSOR, "Resume - Plan __.pdf"),
        ("Council\N{RIGHT SINGLE QUOTATION MARK}s memo.pdf", "Council's memo.pdf"),
        ('a "quoted" back\\slash\r\nInjected: yes\x00.pdf', "a quoted backslashInjected: yes.pdf"),
        ("東京.pdf", "__.pdf"),
        ("\N{RIGHT-TO-LEFT MARK}\u05de\u05e1\u05de\u05da.pdf", "____.pdf"),
        ("", "document.pdf"),
    ],
)
def test_any_name_gives_a_latin1_header_with_an_ascii_fallback(name, fallback):
    header = content_disposition(name)
    header.encode("latin-1")  # what gunicorn requires of every header value
    assert header.isascii() and header.isprintable()
    assert ascii_filename(name) == fallback
    assert fallback_name(header) == fallback
    printable = "".join(c for c in name if c.isprintable()).strip()
    assert exact_name(header) == (printable or fallback)


def test_a_plain_name_keeps_the_plain_header():
    assert content_disposition("contract.pdf") == "inline; filename=contract.pdf"
    assert content_disposition("2026-07-07 City Commission agenda.pdf") == (
        'inline; filename="2026-07-07 City Commission agenda.pdf"'
    )


@pytest.fixture
def word_processor_meeting(make_body, make_meeting):
    """A published meeting of a body with a non-Latin-1 name, with an attachment named alike."""
    meeting = make_meeting(body=make_body(name=BODY), published=False)
    item = add_item(section_titled(meeting, "Consent agenda"), title="Plan", actor=None)
    attachment = attach_pdf(
        make_pdf_bytes("The plan"), filename=WORD_PROCESSOR, title="Plan", agenda_item=item,
        actor=None,
    )  # fmt: skip
    revision = publish_meeting(meeting, actor=None).revision
    db.session.commit()
    return meeting, attachment, revision


def downloads(meeting, attachment, revision) -> dict[str, str]:
    """Each download of the meeting, by URL, with the name it should be saved under."""
    assert BODY in download_name(meeting, "agenda")
    return {
        f"/attachments/{attachment.id}/{quote(attachment.filename)}": WORD_PROCESSOR,
        f"/meetings/{meeting.id}/agenda.pdf": download_name(meeting, "agenda"),
        f"/meetings/{meeting.id}/packet.pdf": download_name(meeting, "packet"),
        f"/documents/{revision.agenda_sha256}.pdf": f"{revision.agenda_sha256[:12]}.pdf",
    }


def test_every_download_header_is_latin1(client, word_processor_meeting):
    for url, name in downloads(*word_processor_meeting).items():
        response = client.get(url)
        assert response.status_code == 200, url
        for key, value in response.headers.items():
            value.encode("latin-1")
            assert "\r" not in value and "\n" not in value, key
        assert exact_name(response.headers["Content-Disposition"]) == name


def test_word_processor_names_download_under_gunicorn(
    tmp_path, database_url, word_processor_meeting
):
    expected = downloads(*word_processor_meeting)
    db.session.commit()  # end the read, so the server's workers may take the database
    with serving(tmp_path, database_url) as base:
        for url, name in expected.items():
            with urllib.request.urlopen(base + url, timeout=30) as response:  # noqa: S310
                assert response.status == 200, url
                assert response.read().startswith(b"%PDF-")
                assert exact_name(response.headers["Content-Disposition"]) == name
