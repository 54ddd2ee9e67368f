"""Sending stored documents over HTTP: bytes from the database, strong ETags, cache headers."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from urllib.parse import quote

import sqlalchemy as sa
from flask import Response, abort, request
from sqlalchemy.orm import undefer
from werkzeug.http import quote_header_value

from agenda.documents.models import Blob
from agenda.extensions import db

# Only the public record's fixed documents: published agenda revisions and approved minutes.
IMMUTABLE = "public, max-age=31536000, immutable"
# Friendly URLs follow amendments, so caches must ask again; content-addressed ones never change.
REVALIDATE = "no-cache"
# Shown because of who is signed in: no shared cache may keep it, nor the browser after logout.
PRIVATE = "private, no-store"

# Word processors' punctuation, spelled in ASCII for the fallback name; double quotes go.
_ASCII_PUNCTUATION = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
     "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
     "\u201c": None, "\u201d": None, "\u201e": None, "\u00ab": None, "\u00bb": None,
     "\u2026": "...", "\u00a0": " ", '"': None, "\\": None}
)  # fmt: skip


def _printable(name: str) -> str:
    return "".join(c for c in name if unicodedata.category(c)[0] != "C")


def ascii_filename(name: str) -> str:
    """Return a file name in printable ASCII: accents dropped, other letters replaced by '_'."""
    spelled = unicodedata.normalize("NFKD", _printable(name).translate(_ASCII_PUNCTUATION))
    letters = (c for c in spelled if not unicodedata.combining(c))
    return "".join(c if " " <= c <= "~" else "_" for c in letters).strip() or "document.pdf"


def content_disposition(name: str, disposition: str = "inline") -> str:
    """Name a download in any script: an ASCII fallback and the UTF-8 name (RFC 6266, 5987).

    Every header must be Latin-1 for gunicorn, so the exact name is only ever percent-encoded.
    """
    fallback = ascii_filename(name)
    exact = _printable(name).strip() or fallback
    plain = f"{disposition}; filename={quote_header_value(fallback)}"
    return plain if exact == fallback else f"{plain}; filename*=UTF-8''{quote(exact, safe='')}"


def pdf_response(
    data: bytes,
    digest: str | None,
    filename: str,
    *,
    cache_control: str,
    last_modified: datetime | None = None,
) -> Response:
    """Send PDF bytes with a strong ETag, 304 on revalidation, Range, and a safe file name."""
    response = Response(data, mimetype="application/pdf")
    if digest is not None:
        response.set_etag(digest)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.accept_ranges = "bytes"
    return response.make_conditional(request, accept_ranges=True, complete_length=len(data))


def load_blob_data(digest: str) -> bytes:
    """Return a stored blob's bytes or answer 404."""
    blob = db.session.execute(
        sa.select(Blob).where(Blob.sha256 == digest).options(undefer(Blob.data))
    ).scalar_one_or_none()
    if blob is None:
        abort(404)
    return blob.data
