"""GET /api/v1/bulk.zip: the whole OCD export in one zip, built once per version of the record.

The first request after the record changes builds the zip and keeps it in the database as a
blob under a key naming the record's version (and the site's address, which every link in
it starts with); every worker and every app server then serves those same bytes, with the
zip's SHA-256 as a strong ETag. Keeping it is not a change to the record: it is written on
a connection of its own, below the ORM, so it raises no version and reaches no search index.
The key of an older zip is dropped when a newer one is kept.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

import sqlalchemy as sa
from flask import request
from werkzeug.wrappers import Response

from agenda.api import core
from agenda.api.export import Scope
from agenda.api.export_files import build_zip
from agenda.db import utcnow
from agenda.documents.http import content_disposition
from agenda.documents.models import Blob
from agenda.extensions import apart, db
from agenda.pagecache import PUBLIC_REVALIDATE, Version, bare_version, current_version

KIND = "application/zip"
_KEY_PREFIX = f"{KIND}; agenda-bulk="
FILENAME = "ocd-bulk.zip"


@dataclass(frozen=True)
class Kept:
    key: str
    sha256: str
    data: bytes | None


class _Latest:
    """The newest zip this worker served: a request at the same version costs no query."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: Kept | None = None

    def get(self, key: str) -> Kept | None:
        with self._lock:
            return self._kept if self._kept is not None and self._kept.key == key else None

    def put(self, kept: Kept) -> None:
        with self._lock:
            self._kept = kept


LATEST = _Latest()


def bulk_key(version: Version, base_url: str) -> str:
    """Return the content type the zip of this version, for this site address, is kept under."""
    named = f"{version.number}\n{version.stamp}\n{base_url}".encode()
    return _KEY_PREFIX + hashlib.sha256(named).hexdigest()[:32]


def kept_zips() -> sa.ColumnElement[bool]:
    """Return the WHERE clause of the kept zips: copies of the record, not part of it."""
    return Blob.content_type.startswith(_KEY_PREFIX)


def _stored(key: str) -> Kept | None:
    """Return the kept zip's digest under `key`, without its bytes, or None."""
    digest = db.session.execute(sa.select(Blob.sha256).where(Blob.content_type == key)).scalar()
    return Kept(key, digest, None) if digest is not None else None


def _load(kept: Kept) -> Kept:
    data = db.session.execute(sa.select(Blob.data).where(Blob.sha256 == kept.sha256)).scalar()
    return Kept(kept.key, kept.sha256, data) if data is not None else _build(kept.key)


def _build(key: str) -> Kept:
    """Build the zip and keep it under `key`; older zips' keys are dropped."""
    data = build_zip(Scope())
    digest = hashlib.sha256(data).hexdigest()
    blobs = Blob.__table__
    try:
        with apart() as session:
            connection = session.connection()
            older = blobs.c.content_type.startswith(_KEY_PREFIX) & (blobs.c.sha256 != digest)
            connection.execute(sa.delete(blobs).where(older))
            found = connection.execute(
                sa.select(blobs.c.sha256).where(blobs.c.sha256 == digest)
            ).first()
            if found is not None:  # the record changed but not its export: same bytes
                connection.execute(
                    sa.update(blobs).where(blobs.c.sha256 == digest).values(content_type=key)
                )
            else:
                connection.execute(
                    sa.insert(blobs).values(sha256=digest, size=len(data), content_type=key,
                                            data=data, created_at=utcnow())
                )  # fmt: skip
    except sa.exc.IntegrityError:
        pass  # another worker kept the same bytes first: a record zips to one digest
    return Kept(key, digest, data)


def _answer(kept: Kept) -> Response:
    response = Response(kept.data or b"", mimetype=KIND)
    response.set_etag(kept.sha256)
    response.headers["Cache-Control"] = PUBLIC_REVALIDATE
    response.headers["Content-Disposition"] = content_disposition(FILENAME, "attachment")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


@core.bp.route("/bulk.zip", methods=["GET"])
def bulk_zip() -> Response:
    """The whole public record as Open Civic Data files in one zip.

    One JSON file per jurisdiction, organization, person, membership, event, bill and vote
    event, as pupa writes them, and `manifest.json` with the counts: the same files as
    `flask export ocd`. Rebuilt when the record changes; the ETag is the zip's SHA-256.
    """
    core.current_token()  # a bad token is refused even here; drafts are never in the zip
    version = bare_version() or current_version()
    key = bulk_key(version, request.host_url)
    kept = LATEST.get(key) or _stored(key)
    if kept is not None and kept.sha256 in request.if_none_match:
        return _answer(Kept(key, kept.sha256, None))
    kept = _load(kept) if kept is not None and kept.data is None else kept or _build(key)
    LATEST.put(kept)
    return _answer(kept)


core.ENDPOINTS.append(
    core.Endpoint(
        "get", "/bulk.zip", "bulk_zip", "bulk", "The whole public record as Open Civic Data files",
        " ".join((bulk_zip.__doc__ or "").split("\n", 1)[1].split()), None, 200,
        errors=(401, 429),
        extra_content={KIND: {"schema": {"type": "string", "format": "binary"}}},
    )
)  # fmt: skip
