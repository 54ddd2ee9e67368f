"""Store document bytes once by their SHA-256 digest, and attach PDFs to items and matters."""

from __future__ import annotations

import contextlib
import hashlib
from typing import TYPE_CHECKING, Any

from agenda.audit.operations import record_event
from agenda.documents.models import Attachment, Blob
from agenda.documents.pdfcheck import InvalidPdf, PdfInfo, inspect_upload
from agenda.documents.prepared import ahead
from agenda.documents.text import extract_text
from agenda.extensions import db

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.matters.models import Matter
    from agenda.meetings.models import AgendaItem


def store_blob(data: bytes, content_type: str = "application/pdf") -> Blob:
    """Return the blob holding `data`, adding it only if these bytes are new."""
    digest = hashlib.sha256(data).hexdigest()
    blob = db.session.get(Blob, digest)
    if blob is None:
        blob = Blob(sha256=digest, size=len(data), content_type=content_type, data=data)
        db.session.add(blob)
        db.session.flush()
    return blob


def checked_upload(data: bytes) -> PdfInfo:
    """Check an upload (`inspect_upload`) once per request: ahead of the write, then in it."""
    return ahead("upload-check", [data], lambda: inspect_upload(data))


def text_of(clean: bytes) -> str:
    """Extract a checked PDF's words for search once per request (ahead, then in the write)."""
    return ahead("upload-text", [clean], lambda: extract_text(clean))


def check_upload_ahead(upload: Any) -> None:
    """Check a submitted file before the writing transaction; the operation finds the result.

    `upload` is the form's file (a werkzeug FileStorage) or None. A refusal is left for the
    operation to raise, where the screen shows it beside the field.
    """
    if upload is None or not hasattr(upload, "read"):
        return
    data = upload.read()
    upload.seek(0)
    with contextlib.suppress(InvalidPdf):
        text_of(checked_upload(data).data)


def load_blob(digest: str) -> bytes | None:
    """Return the bytes stored under `digest`, or None."""
    blob = db.session.get(Blob, digest)
    return blob.data if blob is not None else None


def attach_pdf(
    data: bytes,
    *,
    filename: str,
    title: str,
    actor: User | None,
    matter: Matter | None = None,
    agenda_item: AgendaItem | None = None,
) -> Attachment:
    """Check that `data` is a readable PDF and attach it to a matter or an agenda item.

    Raises InvalidPdf with a message for the clerk when the content is not an open PDF.
    """
    info = checked_upload(data)
    # The clean copy is stored: active content and embedded files never reach the packet.
    blob = store_blob(info.data, "application/pdf")
    if blob.text is None:  # once per document: the same bytes attached again keep their words
        blob.text = text_of(info.data)
    owner = matter if matter is not None else agenda_item
    if owner is None:
        raise ValueError("An attachment belongs to a matter or an agenda item")
    attachment = Attachment(
        sha256=blob.sha256,
        filename=safe_filename(filename),
        title=title.strip() or safe_filename(filename),
        page_count=info.page_count,
        position=len(owner.attachments) + 1,
        matter=matter,
        agenda_item=agenda_item,
    )
    db.session.add(attachment)
    db.session.flush()
    record_event(
        "attachment.create",
        attachment,
        actor=actor,
        details={
            "sha256": blob.sha256,
            "filename": attachment.filename,
            **({"removed": list(info.removed)} if info.removed else {}),
        },
    )
    attachment.removed_note = info.removed_note
    return attachment


def safe_filename(filename: str) -> str:
    """Return a display-only file name: no folders, no control characters, 255 at most."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "document.pdf"
    return name[:255]
