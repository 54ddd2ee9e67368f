"""Publish agendas, amend them by revision, cancel meetings; build their stored documents.

Edits of a published agenda collect in a pending amendment (the meeting's
`amendment_notes`) that the clerk publishes once, with a reason, as one revision; until
then the public sees the newest revision's snapshot. Edits during the meeting are published
at once, as before.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from agenda.audit.head import chain_head, with_head
from agenda.audit.operations import record_event
from agenda.bodies.queries import notice_statements
from agenda.db import utcnow
from agenda.documents.operations import store_blob
from agenda.documents.packet import PacketTooLong
from agenda.documents.prepared import ahead
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.display import number_of
from agenda.meetings.documents import build_packet, render_agenda_pdf
from agenda.meetings.facts import revision_fact
from agenda.meetings.models import AgendaRevision, Meeting
from agenda.meetings.rules import (
    AMENDABLE_STATUSES,
    AMENDMENT_REASON_MAX,
    MeetingStatus,
    notice_warning,
    statement_warnings,
)
from agenda.meetings.signals import item_placed
from agenda.meetings.snapshot import (
    agenda_snapshot,
    has_pending_amendment,
    newest_snapshot,
    pending_changes,
    placements_of,
)
from agenda.timefmt import format_date

if TYPE_CHECKING:
    from agenda.auth.models import User


class PublishingError(Refused):
    """A publishing action the meeting's state does not allow."""


PUBLISHED_SUMMARY = "Agenda published."


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
                appeal_statement=notice_statements(body)[0],
                accommodation_statement=notice_statements(body)[1],
            ),
        ]
        if w
    ]
    meeting.status = MeetingStatus.PUBLISHED
    meeting.published_at = now
    revision = _new_revision(meeting, PUBLISHED_SUMMARY, now)
    record_event(
        "meeting.publish",
        meeting,
        actor=actor,
        details={"revision": revision.number, "warnings": warnings},
        facts=revision_fact(revision),
    )
    return PublishResult(revision, warnings)


def note_agenda_change(
    meeting: Meeting, change: str, *, actor: User | None
) -> AgendaRevision | None:
    """After an edit, note the change: a published agenda collects it in a pending amendment.

    During the meeting the change is published at once in a new revision (its agenda PDF
    and packet stored) and returned; a draft needs nothing.
    """
    if meeting.status is MeetingStatus.PUBLISHED:
        keep_published_state(meeting)
        meeting.amendment_notes = "\n".join([*pending_changes(meeting), change])
        db.session.flush()
        return None
    if meeting.status not in AMENDABLE_STATUSES:
        return None
    revision = _new_revision(meeting, change, utcnow())
    record_event(
        "meeting.amend",
        meeting,
        actor=actor,
        details={"revision": revision.number, "change": change},
        facts=revision_fact(revision),
    )
    return revision


def keep_published_state(meeting: Meeting) -> None:
    """Before a published agenda's first unpublished edit, keep what the public saw.

    Revisions stored before snapshots existed get one from the agenda as it stands, which
    is still what was published since every edit then made a revision at once.
    """
    if meeting.status is not MeetingStatus.PUBLISHED or has_pending_amendment(meeting):
        return
    if meeting.revisions and meeting.revisions[-1].snapshot is None:
        meeting.revisions[-1].snapshot = agenda_snapshot(meeting)
        db.session.flush()


def placement_is_published(meeting: Meeting) -> bool:
    """Tell whether legislation placed on this agenda now is public (so its history says so).

    While the agenda of a published meeting is being amended, the placement waits for the
    amendment's publication.
    """
    return meeting.status is not MeetingStatus.PUBLISHED


def publish_amendment(
    meeting: Meeting, reason: str, *, actor: User | None, now: datetime | None = None
) -> AgendaRevision:
    """Publish the pending changes of an agenda as one revision whose summary is `reason`.

    Legislation placed by those changes enters its history now (`item_placed`).
    """
    reason = amendment_summary(reason)
    if meeting.status is not MeetingStatus.PUBLISHED or not has_pending_amendment(meeting):
        raise PublishingError("This agenda has no unpublished changes to publish.")
    if not reason:
        raise PublishingError(
            "Say what changed and why; the public reads it with the amended agenda.",
            field="reason",
        )
    if len(reason) > AMENDMENT_REASON_MAX:
        raise PublishingError(
            f"Keep the reason under {AMENDMENT_REASON_MAX} characters.", field="reason"
        )
    changes = pending_changes(meeting)
    published = placements_of(newest_snapshot(meeting))
    revision = _new_revision(meeting, reason, now or utcnow())
    _announce_placements(meeting, published, actor=actor)
    record_event(
        "meeting.amend",
        meeting,
        actor=actor,
        details={"revision": revision.number, "change": reason, "changes": changes},
        facts=revision_fact(revision),
    )
    return revision


def _announce_placements(
    meeting: Meeting, published: set[tuple[int, int]], *, actor: User | None
) -> None:
    for section in meeting.sections:
        for item in section.items:
            if item.matter_id is not None and (item.id, item.matter_id) not in published:
                item_placed.send(item, actor=actor)


def cancel_meeting(
    meeting: Meeting, reason: str, *, actor: User | None, now: datetime | None = None
) -> bool:
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
    # Unpublished changes go out with the cancellation, named in its revision: the stored
    # agenda then matches the tables, and nothing stays pending on a meeting that is over.
    changes = pending_changes(meeting)
    published = placements_of(newest_snapshot(meeting))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason
    db.session.flush()
    details: dict[str, object] = {"reason": reason}
    facts = None
    if was_published:
        # The notice was public: its stored agenda and packet must say so too.
        if changes:
            details["changes"] = changes
        summary = cancellation_summary(reason, changes)
        facts = revision_fact(_new_revision(meeting, summary, now or utcnow()))
        if changes:
            _announce_placements(meeting, published, actor=actor)
    record_event("meeting.cancel", meeting, actor=actor, details=details, facts=facts)
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
    """Render the revision's agenda, merge its packet and store both as blobs.

    The agenda prints the audit chain's head as it stands now, and carries it in its metadata.
    """
    meeting = revision.meeting
    # The head when the clerk asked to publish: read once per request, so the documents
    # rendered ahead (`prepare`) are the ones stored.
    head = ahead("record-head", [str(meeting.id)], chain_head)
    agenda_pdf = with_head(render_agenda_pdf(meeting, revision, record_head=head), head)
    revision.agenda_sha256 = store_blob(agenda_pdf).sha256
    try:
        packet = build_packet(meeting, agenda_pdf)
    except PacketTooLong as refusal:
        # Publishing stands; the clerk sees why there is no packet beside the revision.
        revision.packet_sha256 = None
        revision.packet_failures = " ".join(refusal.messages)
    else:
        revision.packet_sha256 = store_blob(packet.pdf).sha256
        revision.packet_failures = "\n".join(
            f"{f.entry_title}: {f.attachment_title}: {f.message}" for f in packet.failures
        )
    db.session.flush()


def _new_revision(meeting: Meeting, summary: str, at: datetime) -> AgendaRevision:
    number = max((r.number for r in meeting.revisions), default=0) + 1
    revision = AgendaRevision(
        meeting=meeting,
        number=number,
        published_at=at,
        summary=summary,
        snapshot=agenda_snapshot(meeting),
    )
    meeting.amendment_notes = ""
    db.session.add(revision)
    db.session.flush()
    rebuild_documents(revision)
    return revision


def amendment_summary(reason: str) -> str:
    """The summary an amendment is published with: the clerk's reason on one line."""
    return " ".join(reason.split())


def cancellation_summary(reason: str, changes: list[str]) -> str:
    """The summary of the revision that cancels a published meeting."""
    summary = f"Meeting cancelled: {reason}"
    if changes:
        summary += f" (published with the agenda's unpublished changes: {'; '.join(changes)})"
    return summary


def prepare(meeting: Meeting, action: str, reason: str = "", *, now: datetime) -> None:
    """Render, without writing anything, the documents `action` is about to publish.

    `action` is "publish", "amend" or "cancel", as the operations of the same names will
    run at `now`. The agenda and packet are rendered outside the writing transaction and
    found again by the operation (`documents.prepared`); when the action would publish no
    revision, or is refused, nothing is rendered. The meeting is left as it was.
    """
    status, cancelled_reason = meeting.status, meeting.cancelled_reason
    if action == "publish" and status is MeetingStatus.DRAFT:
        summary = PUBLISHED_SUMMARY
        new_status = MeetingStatus.PUBLISHED
    elif action == "amend" and status is MeetingStatus.PUBLISHED and amendment_summary(reason):
        if not has_pending_amendment(meeting):
            return
        summary, new_status = amendment_summary(reason), status
    elif action == "cancel" and status is MeetingStatus.PUBLISHED and reason.strip():
        summary = cancellation_summary(reason.strip(), pending_changes(meeting))
        new_status = MeetingStatus.CANCELLED
    else:
        return
    upcoming = AgendaRevision(
        meeting_id=meeting.id,
        number=max((r.number for r in meeting.revisions), default=0) + 1,
        published_at=now,
        summary=summary,
    )
    with db.session.no_autoflush:
        try:
            meeting.status = new_status
            if new_status is MeetingStatus.CANCELLED:
                meeting.cancelled_reason = reason.strip()
            head = ahead("record-head", [str(meeting.id)], chain_head)
            agenda_pdf = with_head(render_agenda_pdf(meeting, upcoming, record_head=head), head)
            with contextlib.suppress(PacketTooLong):
                build_packet(meeting, agenda_pdf)
        finally:
            meeting.status, meeting.cancelled_reason = status, cancelled_reason
            if upcoming in db.session:
                db.session.expunge(upcoming)
