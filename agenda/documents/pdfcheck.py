"""Check an uploaded file is a readable, unprotected PDF before it is stored."""

import re
from dataclasses import dataclass
from io import BytesIO

import pikepdf

from agenda.errors import Refused

NOT_A_PDF = "This file is not a PDF."
ENCRYPTED = "This PDF is encrypted or password-protected; upload an unprotected copy."
DAMAGED = "This PDF is damaged and cannot be read."
NO_PAGES = "This PDF has no pages."

# Readers accept a header line preceded by some junk; Acrobat looks in the first 1 KB.
_HEADER = re.compile(rb"(?:\A|[\r\n])%PDF-[12]\.[0-9]")
_HEADER_WINDOW = 1024


class InvalidPdf(Refused):
    """An upload that cannot go into the record; its message is meant for the user."""


@dataclass(frozen=True, slots=True)
class PdfInfo:
    """What the app keeps about a checked PDF."""

    page_count: int


def inspect_upload(data: bytes) -> PdfInfo:
    """Return the page count of a valid PDF, or raise `InvalidPdf` saying what is wrong."""
    if not looks_like_pdf(data):
        raise InvalidPdf(NOT_A_PDF)
    try:
        pdf = pikepdf.open(BytesIO(data))
    except pikepdf.PasswordError:
        raise InvalidPdf(ENCRYPTED) from None
    except pikepdf.PdfError:
        raise InvalidPdf(DAMAGED) from None
    with pdf:
        # An owner password alone still restricts printing and copying, which
        # the packet and the public downloads cannot honour.
        if pdf.is_encrypted:
            raise InvalidPdf(ENCRYPTED)
        # pikepdf quietly rebuilds a lost cross-reference table (a truncated
        # download does that), so the open succeeds; qpdf's check reports the
        # repair as a warning, and unreadable streams or pages as errors.
        try:
            problems = pdf.check_pdf_syntax()
            page_count = len(pdf.pages)
        except pikepdf.PdfError:
            raise InvalidPdf(DAMAGED) from None
    if page_count == 0:
        raise InvalidPdf(NO_PAGES)
    if any(_is_damage(problem) for problem in problems):
        raise InvalidPdf(DAMAGED)
    return PdfInfo(page_count=page_count)


def looks_like_pdf(data: bytes) -> bool:
    """Tell whether `data` starts with a PDF header line."""
    return _HEADER.search(data[:_HEADER_WINDOW]) is not None


def _is_damage(problem: str) -> bool:
    # Wrong linearization hints are common in office exports and harmless:
    # readers ignore them and the file is rewritten without them anyway.
    return "linearization" not in problem.lower() and "hint table" not in problem.lower()
