"""The words of a PDF, read once at upload with PDFium (pypdfium2) for full-text search."""

from __future__ import annotations

import logging

import pypdfium2

log = logging.getLogger(__name__)

# Enough for a 100-page document; search keeps no more of one record.
MAX_CHARS = 200_000


def extract_text(data: bytes, max_chars: int = MAX_CHARS) -> str:
    """Return the text of a PDF's pages, page after page; "" when it has none or is unreadable.

    Scanned pages without a text layer give nothing: there is no OCR here.
    """
    parts: list[str] = []
    size = 0
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        log.warning("PDFium could not open a document for its text")
        return ""
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    words = textpage.get_text_bounded()
                finally:
                    textpage.close()
            finally:
                page.close()
            parts.append(words)
            size += len(words)
            if size >= max_chars:
                break
    except pypdfium2.PdfiumError:
        log.warning("PDFium stopped reading a document's text part way")
    finally:
        document.close()
    # NUL and other control characters come out of some fonts' maps; they are not words.
    text = "\n".join(parts).replace("\x00", " ")
    return text[:max_chars]
