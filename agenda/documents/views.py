"""Downloads: attachments and stored documents, served from the database with cache headers."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, Response, abort, request
from sqlalchemy.orm import undefer

from agenda.auth.access import current_viewer
from agenda.auth.rules import PUBLIC
from agenda.documents.cache import CachedDocument, DocumentCache
from agenda.documents.models import Attachment, Blob
from agenda.documents.queries import attachment_is_visible, digest_is_visible
from agenda.extensions import db
from agenda.meetings.documents import download_name
from agenda.meetings.models import Meeting
from agenda.minutes.queries import published_minutes_digest

bp = Blueprint("documents", __name__)

IMMUTABLE = "public, max-age=31536000, immutable"
# Public immutable documents, kept per process; 64 MB keeps a year of packets and minutes.
PUBLIC_DOCUMENTS = DocumentCache(max_bytes=64 * 1024 * 1024)


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


@bp.route("/attachments/<int:attachment_id>/<path:filename>")
def attachment(attachment_id: int, filename: str) -> Response:
    record = db.session.get(Attachment, attachment_id)
    if record is None or not attachment_is_visible(record, current_viewer()):
        abort(404)
    data = load_blob_data(record.sha256)
    private = "private, no-cache" if current_viewer().role else "public, max-age=300"
    return pdf_response(data, record.sha256, record.filename, cache_control=private)


@bp.route("/documents/<string:digest>.pdf")
def by_digest(digest: str) -> Response:
    if len(digest) != 64:
        abort(404)
    entry = PUBLIC_DOCUMENTS.get(digest)
    if entry is None:
        if not digest_is_visible(digest, current_viewer()):
            abort(404)
        entry = _document(digest)
        if digest_is_visible(digest, PUBLIC):
            PUBLIC_DOCUMENTS.put(digest, entry)
    return pdf_response(
        entry.data,
        digest,
        entry.filename,
        cache_control=IMMUTABLE,
        last_modified=entry.last_modified,
    )


def _document(digest: str) -> CachedDocument:
    data = load_blob_data(digest)
    minutes = published_minutes_digest(digest)
    meeting = db.session.get(Meeting, minutes.minutes.meeting_id) if minutes else None
    if minutes is None or meeting is None:
        return CachedDocument(data, f"{digest[:12]}.pdf", None)
    return CachedDocument(data, download_name(meeting, "minutes"), minutes.approved_at)
