"""The public face: the front page, the pages that show several areas at once, and downloads.

A meeting's page shows its agenda, legislation, votes and minutes; a matter's page its
meetings and votes; a stored document is public when the area that owns it says so.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, jsonify, render_template
from flask_login import current_user

from agenda.auth.access import current_viewer
from agenda.auth.rules import PUBLIC, Viewer
from agenda.db import utcnow
from agenda.documents.cache import CachedDocument, DocumentCache
from agenda.documents.http import IMMUTABLE, PRIVATE, REVALIDATE, load_blob_data, pdf_response
from agenda.documents.markdown import render_markdown
from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.matters.queries import matter_is_visible, matter_loader, matter_page
from agenda.matters.rules import ACTION_NAMES, STATUS_NAMES, TYPE_NAMES
from agenda.meetings.display import attendance_lines, download_name
from agenda.meetings.documents import numbered_items
from agenda.meetings.queries import (
    agenda_document_visible,
    item_attachment_visible,
    meeting_id_visible,
    meeting_page,
    revision_document_visible,
    seated_on_meeting_date,
    upcoming_and_recent,
)
from agenda.meetings.rules import meeting_state
from agenda.meetings.signals import report_opened
from agenda.meetings.snapshot import pending_changes, published_agenda
from agenda.minutes.queries import (
    current_minutes,
    minutes_document,
    minutes_document_visible,
    revisions_of,
)
from agenda.pagecache import public_page
from agenda.votes.live import live_state
from agenda.votes.queries import consent_motions, corrections_by_vote, motions_loader

bp = Blueprint("portal", __name__)

# Public immutable documents' bytes, kept per process; 64 MB keeps a year of packets and minutes.
# Only what is served as IMMUTABLE goes here, and only after the database says it still is.
PUBLIC_DOCUMENTS = DocumentCache(max_bytes=64 * 1024 * 1024)


@bp.route("/")
@public_page
def home() -> str:
    upcoming, recent = upcoming_and_recent(current_viewer(), utcnow())
    return render_template("portal/home.html", upcoming=upcoming, recent=recent)


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200


@bp.route("/meetings/<int:meeting_id>")
@public_page
def meeting(meeting_id: int) -> str:
    viewer = current_viewer()
    found = meeting_page(meeting_id, viewer, item_options=[matter_loader(), motions_loader()])
    if found is None:
        abort(404)
    report_opened(found, current_user if current_user.is_authenticated else None)
    minutes = current_minutes(revisions_of(found.id), viewer, found.body_id)
    # Until the clerk publishes an amendment, everyone but staff sees the published agenda.
    published = None if viewer.is_staff else published_agenda(found)
    sections = published.sections if published else [(s, numbered_items(s)) for s in found.sections]
    members = {m.person_id: m for m in seated_on_meeting_date(found)}
    present, absent = attendance_lines(found, members)
    state = meeting_state(found.status)
    numbered = [(n.number, n.item) for s in found.sections for n in numbered_items(s)]
    return render_template(
        "portal/meeting.html",
        meeting=found,
        shown=published or found,
        is_published_copy=published is not None,
        pending=pending_changes(found) if viewer.is_staff else [],
        state=state,
        live=live_state(numbered) if state.is_in_progress else None,
        sections=sections,
        members=members,
        present=present,
        absent=absent,
        minutes=minutes,
        corrections=corrections_by_vote(i.id for s in found.sections for i in s.items),
        consent_of=consent_motions(i for s in found.sections for i in s.items),
        item_numbers={item.id: number for number, item in numbered},
    )


@bp.route("/matters/<int:matter_id>")
@public_page
def matter(matter_id: int) -> str:
    viewer = current_viewer()
    # Invisible and missing matters answer alike, so the public cannot probe for drafts.
    visible = matter_is_visible(matter_id, viewer)
    page = matter_page(matter_id, viewer, item_options=[motions_loader()]) if visible else None
    if page is None:
        abort(404)
    return render_template(
        "portal/matter.html",
        page=page,
        matter=page.matter,
        text_html=render_markdown(page.matter.text),
        type_names=TYPE_NAMES,
        status_names=STATUS_NAMES,
        action_names=ACTION_NAMES,
    )


@bp.route("/attachments/<int:attachment_id>/<path:filename>")
@public_page
def attachment(attachment_id: int, filename: str) -> Response:
    viewer = current_viewer()
    record = db.session.get(Attachment, attachment_id)
    if record is None or not attachment_is_visible(record, viewer):
        abort(404)
    public = viewer.role is None or attachment_is_visible(record, PUBLIC)
    data = load_blob_data(record.sha256)
    # An attachment can be taken down: caches ask again (a strong ETag makes that a 304).
    cache_control = REVALIDATE if public else PRIVATE
    return pdf_response(data, record.sha256, record.filename, cache_control=cache_control)


@bp.route("/documents/<string:digest>.pdf")
@public_page
def document(digest: str) -> Response:
    if len(digest) != 64:
        abort(404)
    # Asked of the database whenever the record's version changes (the page cache keeps the
    # answer only under one version): a document that nothing public refers to any more (a
    # removed attachment, the demo's meetings) is gone at once on every worker and every
    # app server.
    cache_control = document_cache_control(digest, current_viewer())
    if cache_control is None:
        PUBLIC_DOCUMENTS.discard(digest)
        abort(404)
    entry = PUBLIC_DOCUMENTS.get(digest) if cache_control == IMMUTABLE else None
    if entry is None:
        PUBLIC_DOCUMENTS.discard(digest)
        entry = _document(digest)
        if cache_control == IMMUTABLE:
            PUBLIC_DOCUMENTS.put(digest, entry)
    return pdf_response(
        entry.data,
        digest,
        entry.filename,
        cache_control=cache_control,
        last_modified=entry.last_modified,
    )


def document_cache_control(digest: str, viewer: Viewer) -> str | None:
    """Return how caches may keep a stored document, or None when the viewer may not see it.

    Only the public record's fixed documents (published agenda revisions, approved minutes)
    never change; attachments and memoranda can be taken down, so caches ask again; what
    the viewer sees only because they are signed in is theirs alone.
    """
    if _fixed_public_document(digest):
        return IMMUTABLE
    if digest_is_visible(digest, PUBLIC):
        return REVALIDATE
    if digest_is_visible(digest, viewer):
        return PRIVATE
    return None


def attachment_is_visible(attachment: Attachment, viewer: Viewer) -> bool:
    """Tell whether an attachment may be downloaded: its matter or its meeting decides."""
    if viewer.is_staff:
        return True
    if attachment.matter_id is not None:
        return matter_is_visible(attachment.matter_id, viewer)
    return item_attachment_visible(attachment, viewer)


def digest_is_visible(digest: str, viewer: Viewer) -> bool:
    """Tell whether a stored document may be seen: an agenda or packet, minutes, an attachment."""
    if viewer.is_staff:
        return True
    if agenda_document_visible(digest, viewer) or minutes_document_visible(digest, viewer):
        return True
    attachments = db.session.execute(sa.select(Attachment).where(Attachment.sha256 == digest))
    return any(attachment_is_visible(a, viewer) for a in attachments.scalars())


def _fixed_public_document(digest: str) -> bool:
    if revision_document_visible(digest, PUBLIC):
        return True
    minutes = minutes_document(digest)
    return minutes is not None and meeting_id_visible(minutes[0].id, PUBLIC)


def _document(digest: str) -> CachedDocument:
    data = load_blob_data(digest)
    found = minutes_document(digest)
    if found is None:
        return CachedDocument(data, f"{digest[:12]}.pdf", None)
    meeting, revision = found
    return CachedDocument(data, download_name(meeting, "minutes"), revision.approved_at)
