"""Sending stored documents over HTTP: bytes from the database, strong ETags, cache headers."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Response, abort, request
from sqlalchemy.orm import undefer

from agenda.documents.models import Blob
from agenda.extensions import db

IMMUTABLE = "public, max-age=31536000, immutable"
# Friendly URLs follow amendments, so caches must ask again; content-addressed ones never change.
REVALIDATE = "no-cache"


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
    response.headers.set("Content-Disposition", "inline", filename=filename)
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
