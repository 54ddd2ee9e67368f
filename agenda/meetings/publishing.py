"""Publish agendas, amend them by revision, cancel meetings; build their stored documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from agenda.audit.operations import record_event
from agenda.db import utcnow
from agenda.documents.operations import store_blob
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.display import number_of
from agenda.meetings.documents import build_packet, render_agenda_pdf
from agenda.meetings.models import AgendaRevision, Meeting
from agenda.meetings.rules import (
    AMENDABLE_STATUSES,
    MeetingStatus,
    notice_warning,
    statement_warnings,
)
from agenda.timefmt import format_date

if TYPE_CHECKING:
    from agenda.auth.models import User


class PublishingError(Refused):
    """A publishing action the meeting's state does not allow."""


@dataclass
class PublishResult:
    revision: AgendaRevision
    warnings: list[str] = field(default_factory=list)


def publish_meeting(meeting: Meeting, *, actor: User | None, now: datetime | None = None):
    """Give public notice: record the time, make the meeting public, store agenda and packet.

    Short notice and missing statements are warnings for the clerk, never a refusal.
    """
    if meeting.status is not MeetingStatus.DRAFT:
        raise PublishingError("Only a draft agenda can be published; this one already is.")
    now = now or utcnow()
    body = meeting.body
    warnings = [
        w
        for w in [
            notice_warning(
                meeting.meeting_type,
                scheduled_at=meeting.scheduled_at,
                published_at=now,
                notice_hours_regular=body.notice_hours_regular,
                notice_hours_special=body.notice_hours_special,
            ),
            *statement_warnings(
                appeal_statement=body.appeal_statement,
                accommodation_statement=body.accommodation_statement,
            ),
        ]
        if w
    ]
    meeting.status = MeetingStatus.PUBLISHED
    meeting.published_at = now
    revision = _new_revision(meeting, "Agenda published.", now)
    record_event(
        "meeting.publish",
        meeting,
        actor=actor,
        details={"revision": revision.number, "warnings": warnings},
    )
    return PublishResult(revision, warnings)


def note_agenda_change(
    meeting: Meeting, change: str, *, actor: User | None
) -> AgendaRevision | None:
    """After an edit, amend a published agenda with a new revision; drafts need nothing.

    The new revision's summary says what changed; its agenda PDF and packet are stored.
    """
    if meeting.status not in AMENDABLE_STATUSES:
        return None
    revision = _new_revision(meeting, change, utcnow())
    record_event(
        "meeting.amend",
        meeting,
        actor=actor,
        details={"revision": revision.number, "change": change},
    )
    return revision


def cancel_meeting(meeting: Meeting, reason: str, *, actor: User | None) -> bool:
    """Cancel a meeting with a reason the public sees, in a new revision once published.

    Returns whether the meeting had been published (so the public sees the cancellation).
    """
    reason = reason.strip()
    if not reason:
        raise PublishingError(
            "Give the reason for cancelling; the public will see it.", field="reason"
        )
    if meeting.status not in {MeetingStatus.DRAFT, MeetingStatus.PUBLISHED}:
        raise PublishingError("Only a meeting that has not started can be cancelled.")
    was_published = meeting.status is MeetingStatus.PUBLISHED
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason
    db.session.flush()
    if was_published:
        # The notice was public: its stored agenda and packet must say so too.
        _new_revision(meeting, f"Meeting cancelled: {reason}", utcnow())
    record_event("meeting.cancel", meeting, actor=actor, details={"reason": reason})
    return was_published


def delete_draft(meeting: Meeting, *, actor: User | None) -> str:
    """Delete a meeting that was never published, with its agenda; return what was deleted.

    A meeting once published stays in the public record (cancel it instead). A draft that
    other records point at (legislation placed on it, an item continued to it) is kept too.
    """
    if meeting.published_at is not None:
        raise PublishingError(
            "This meeting was published, so it stays in the public record; cancel it instead."
        )
    for section in meeting.sections:
        for item in section.items:
            if item.matter_id is not None:
                raise PublishingError(
                    f"Item {number_of(item)} carries legislation; "
                    "remove it from the agenda first, so the matter's history stays true."
                )
    day = format_date(meeting.scheduled_at, meeting.timezone)
    label = f"{meeting.meeting_type.value} meeting of {day}"
    record_event("meeting.delete", meeting, actor=actor, details={"meeting": label})
    try:
        with db.session.begin_nested():
            for section in meeting.sections:
                for item in section.items:
                    for attachment in list(item.attachments):
                        db.session.delete(attachment)
            db.session.flush()
            db.session.delete(meeting)
    except sa.exc.IntegrityError:
        raise PublishingError(
            "Other records refer to this meeting (an item continued to it, or its history); "
            "it stays."
        ) from None
    return label


def rebuild_documents(revision: AgendaRevision) -> None:
    """Render the revision's agenda, merge its packet and store both as blobs."""
    meeting = revision.meeting
    agenda_pdf = render_agenda_pdf(meeting, revision)
    packet = build_packet(meeting, agenda_pdf)
    revision.agenda_sha256 = store_blob(agenda_pdf).sha256
    revision.packet_sha256 = store_blob(packet.pdf).sha256
    revision.packet_failures = "\n".join(
        f"{f.entry_title}: {f.attachment_title}: {f.message}" for f in packet.failures
    )
    db.session.flush()


def _new_revision(meeting: Meeting, summary: str, at: datetime) -> AgendaRevision:
    number = max((r.number for r in meeting.revisions), default=0) + 1
    revision = AgendaRevision(meeting=meeting, number=number, published_at=at, summary=summary)
    db.session.add(revision)
    db.session.flush()
    rebuild_documents(revision)
    return revision
