"""Uploads are checked by content: not a PDF, protected and damaged files are told apart."""

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agenda.documents.fetcher import INTERNAL_BASE_URL
from agenda.documents.pdfcheck import (
    DAMAGED,
    ENCRYPTED,
    NO_PAGES,
    NOT_A_PDF,
    InvalidPdf,
    PdfInfo,
    inspect_upload,
)
from agenda.documents.render import default_fetcher, render_pdf
from agenda.errors import Refused


def report_html(pages: int) -> str:
    sections = "".join(
        f'<section style="break-after: page"><h2>Part {n}</h2><p>Staff recommends approval.</p>'
        "</section>"
        for n in range(1, pages + 1)
    )
    return f'<html lang="en"><title>Staff report</title><body>{sections}</body></html>'


@pytest.fixture(scope="module")
def report() -> bytes:
    fetcher = default_fetcher(Path("/nonexistent"))
    return render_pdf(report_html(6), base_url=INTERNAL_BASE_URL, fetcher=fetcher)


def resave(pdf: bytes, **options) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, **options)
    return out.getvalue()


def qpdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "upload.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["qpdf", "--show-npages", str(path)], capture_output=True, check=True)
    return int(result.stdout)


def rejection(data: bytes) -> str:
    with pytest.raises(InvalidPdf) as excinfo:
        inspect_upload(data)
    return str(excinfo.value)


def test_a_valid_pdf_reports_its_page_count(report, tmp_path):
    assert inspect_upload(report) == PdfInfo(page_count=6)
    assert qpdf_pages(report, tmp_path) == 6


def test_linearized_and_leading_junk_are_accepted(report):
    assert inspect_upload(resave(report, linearize=True)).page_count == 6
    assert inspect_upload(b"\r\n" + report).page_count == 6


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, commission",
        b"<!doctype html><html><body>%PDF-1.7</body></html>" + b" " * 1100,
        b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        b"PK\x03\x04 a .docx really",
    ],
)
def test_other_files_are_not_pdfs(data):
    assert rejection(data) == NOT_A_PDF


def test_a_header_alone_is_damaged():
    assert rejection(b"%PDF-1.7\n1 0 obj garbage") == DAMAGED


@pytest.mark.parametrize(
    "encryption",
    [
        pikepdf.Encryption(user="secret", owner="secret"),
        # Opens without a password but restricts printing and copying.
        pikepdf.Encryption(user="", owner="owner", allow=pikepdf.Permissions(print_highres=False)),
    ],
)
def test_encrypted_pdfs_are_refused(report, encryption):
    assert rejection(resave(report, encryption=encryption)) == ENCRYPTED


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
@pytest.mark.parametrize("layout", ["weasyprint", "linearized", "qpdf"])
def test_truncated_pdfs_are_damaged(report, layout, fraction):
    data = {
        "weasyprint": report,
        "linearized": resave(report, linearize=True),
        "qpdf": resave(report, object_stream_mode=pikepdf.ObjectStreamMode.disable),
    }[layout]
    assert rejection(data[: int(len(data) * fraction)]) == DAMAGED


def test_pikepdf_alone_would_accept_a_truncated_file(report):
    # Why the check exists: pikepdf rebuilds the lost cross-reference table.
    data = resave(report, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    with pikepdf.open(io.BytesIO(data[: int(len(data) * 0.6)])) as repaired:
        assert len(repaired.pages) == 6


@settings(max_examples=40, deadline=None)
@given(cut=st.floats(min_value=0.0, max_value=1.0))
def test_any_cut_before_the_trailer_is_refused(report, cut):
    data = resave(report, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    end = data.rindex(b"startxref")
    message = rejection(data[: int(end * cut)])
    assert message in (NOT_A_PDF, DAMAGED)


def test_a_pdf_without_pages_is_refused():
    out = io.BytesIO()
    pikepdf.new().save(out)
    assert rejection(out.getvalue()) == NO_PAGES


def test_invalid_pdf_is_a_refusal_with_its_message():
    refusal = InvalidPdf(NOT_A_PDF)
    assert isinstance(refusal, Refused)
    assert refusal.messages == (NOT_A_PDF,)
    assert refusal.status == 422
