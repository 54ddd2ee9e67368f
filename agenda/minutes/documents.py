"""The minutes as a document: the same content as HTML on the site and as a tagged PDF."""

from __future__ import annotations

from typing import Any

from agenda.audit.head import Head
from agenda.documents.markdown import render_markdown
from agenda.documents.printing import render_template_pdf
from agenda.extensions import db
from agenda.meetings.display import attendance_lines, document_title
from agenda.meetings.documents import numbered_items
from agenda.meetings.models import Meeting
from agenda.meetings.queries import seated_on_meeting_date
from agenda.minutes.models import MinutesRevision, MinutesStatus
from agenda.minutes.record import digest_of
from agenda.minutes.rules import short_digest
from agenda.votes.models import Motion
from agenda.votes.queries import consent_motions, corrections_by_vote


def minutes_context(meeting: Meeting, revision: MinutesRevision) -> dict[str, Any]:
    """Return what the minutes show, for both the HTML page and the PDF."""
    members = {m.person_id: m for m in seated_on_meeting_date(meeting)}
    present, absent = attendance_lines(meeting, members)
    approval = (
        db.session.get(Motion, revision.approved_by_motion_id)
        if revision.approved_by_motion_id
        else None
    )
    digest = revision.record_sha256 or digest_of(meeting, revision)
    return {
        "meeting": meeting,
        "revision": revision,
        "title": document_title(meeting, "minutes"),
        "is_draft": revision.status is MinutesStatus.DRAFT,
        "is_superseded": revision.status is MinutesStatus.SUPERSEDED,
        "members": members,
        "present": present,
        "absent": absent,
        "sections": [(s, numbered_items(s)) for s in meeting.sections],
        "item_notes": {int(k): render_markdown(v) for k, v in (revision.item_notes or {}).items()},
        "meeting_notes": render_markdown(revision.meeting_notes),
        "approval": approval,
        "digest": digest,
        "digest_groups": short_digest(digest),
        "corrections": corrections_by_vote(i.id for s in meeting.sections for i in s.items),
        "consent_of": consent_motions(i for s in meeting.sections for i in s.items),
        "item_numbers": {n.item.id: n.number for s in meeting.sections for n in numbered_items(s)},
    }


def render_minutes_pdf(
    meeting: Meeting, revision: MinutesRevision, *, record_head: Head | None = None
) -> bytes:
    """Render a revision of the minutes as a tagged PDF (watermarked DRAFT until approved).

    Approved minutes print `record_head`, the audit chain's head when they were approved.
    """
    return render_template_pdf(
        "minutes.html", record_head=record_head, **minutes_context(meeting, revision)
    )
