"""Public meeting pages of this area: the list with filters, the agenda and packet PDFs.

The page of one meeting shows votes and minutes too, so it lives in the portal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from agenda.auth.access import current_viewer
from agenda.bodies.queries import bodies
from agenda.db import utcnow
from agenda.documents.http import PRIVATE, REVALIDATE, load_blob_data, pdf_response
from agenda.documents.packet import PacketTooLong
from agenda.meetings.display import download_name
from agenda.meetings.documents import build_packet, render_agenda_pdf
from agenda.meetings.listing import meeting_list
from agenda.meetings.models import AgendaRevision, Meeting
from agenda.meetings.queries import item_matter_loader, meeting_page
from agenda.meetings.signals import report_opened
from agenda.meetings.snapshot import has_pending_amendment
from agenda.meetings.summary import read_filters
from agenda.pagecache import public_page
from agenda.paging import BadValue

bp = Blueprint("meetings", __name__)


@bp.route("/meetings")
@public_page
def index() -> str:
    try:
        filters = read_filters(request.args)
        found = meeting_list(current_viewer(), utcnow(), filters)
    except BadValue as refusal:
        abort(400, description=" ".join(refusal.messages))
    return render_template("meetings/index.html", found=found, filters=filters, bodies=bodies())


def _visible_meeting(meeting_id: int) -> Meeting:
    meeting = meeting_page(meeting_id, current_viewer(), item_options=[item_matter_loader()])
    if meeting is None:
        abort(404)
    report_opened(meeting, current_user if current_user.is_authenticated else None)
    return meeting


def _published(meeting: Meeting) -> AgendaRevision | None:
    # Staff preview a pending amendment as a draft; everyone else gets what was published.
    if not meeting.revisions or (current_viewer().is_staff and has_pending_amendment(meeting)):
        return None
    return meeting.revisions[-1]


@bp.route("/meetings/<int:meeting_id>/agenda.pdf")
@public_page
def agenda_pdf(meeting_id: int) -> Response:
    meeting = _visible_meeting(meeting_id)
    revision = _published(meeting)
    stored = revision.agenda_sha256 if revision else None
    return _document(meeting, "agenda", stored, lambda: render_agenda_pdf(meeting, None))


@bp.route("/meetings/<int:meeting_id>/packet.pdf")
@public_page
def packet_pdf(meeting_id: int) -> Response:
    meeting = _visible_meeting(meeting_id)
    revision = _published(meeting)
    stored = revision.packet_sha256 if revision else None
    if revision is not None and stored is None and revision.packet_failures:
        abort(409, description=revision.packet_failures)  # not built: too many pages
    try:
        return _document(
            meeting,
            "packet",
            stored,
            lambda: build_packet(meeting, render_agenda_pdf(meeting, None)).pdf,
        )
    except PacketTooLong as refusal:
        abort(409, description=" ".join(refusal.messages))


def _document(
    meeting: Meeting, kind: str, stored: str | None, draft: Callable[[], bytes]
) -> Response:
    # A published document comes from the store; a draft is seen only by signed-in roles and
    # changes with every edit, so it is made now and no cache may keep it.
    data = load_blob_data(stored) if stored else draft()
    digest = stored or hashlib.sha256(data).hexdigest()
    # A draft saved to disk must not pass for the published document later.
    name = download_name(meeting, kind if stored else f"draft {kind}")
    return pdf_response(data, digest, name, cache_control=REVALIDATE if stored else PRIVATE)
