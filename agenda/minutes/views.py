"""Minutes pages: the web version and the PDF, approved ones immutable and cacheable."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, url_for

from agenda.auth.access import current_viewer
from agenda.documents.http import PRIVATE, load_blob_data, pdf_response
from agenda.meetings.display import download_name
from agenda.meetings.models import Meeting
from agenda.minutes.disclosures import disclosures_for
from agenda.minutes.documents import minutes_context, render_minutes_pdf
from agenda.minutes.models import MinutesRevision, MinutesStatus
from agenda.minutes.queries import approval_items, current_minutes, record_page, revisions_of
from agenda.pagecache import public_page

bp = Blueprint("minutes", __name__)


def _minutes(meeting_id: int) -> tuple[Meeting, MinutesRevision, list[MinutesRevision]]:
    viewer = current_viewer()
    meeting = record_page(meeting_id, viewer)
    if meeting is None:
        abort(404)
    revisions = revisions_of(meeting.id)
    revision = current_minutes(revisions, viewer, meeting.body_id)
    if revision is None:
        abort(404)
    return meeting, revision, revisions


@bp.route("/meetings/<int:meeting_id>/minutes")
@public_page
def show(meeting_id: int) -> str:
    meeting, revision, revisions = _minutes(meeting_id)
    published = [r for r in revisions if r.status is not MinutesStatus.DRAFT]
    return render_template(
        "minutes/show.html",
        published=published,
        disclosures=disclosures_for(meeting.id),
        approval_items=approval_items(meeting.id),
        **minutes_context(meeting, revision),
    )


@bp.route("/meetings/<int:meeting_id>/minutes.pdf")
@public_page
def pdf(meeting_id: int) -> Response:
    meeting, revision, _ = _minutes(meeting_id)
    name = download_name(meeting, "minutes")
    if revision.pdf_sha256 is None:
        # A draft changes with every edit and is seen only by the body's people: render it now.
        data = render_minutes_pdf(meeting, revision)
        return pdf_response(data, None, name, cache_control=PRIVATE)
    response = pdf_response(
        load_blob_data(revision.pdf_sha256),
        revision.pdf_sha256,
        name,
        cache_control="public, max-age=300",
        last_modified=revision.approved_at,
    )
    canonical = url_for("portal.document", digest=revision.pdf_sha256)
    response.headers["Link"] = f'<{canonical}>; rel="canonical"'
    return response
