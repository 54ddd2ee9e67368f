"""Write minutes: save draft revisions of the notes, approve them by a later meeting's motion."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from agenda.audit.head import chain_head, with_head
from agenda.audit.operations import record_event
from agenda.documents.operations import store_blob
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.rules import HELD_STATUSES, Disposition
from agenda.minutes.documents import render_minutes_pdf
from agenda.minutes.facts import revision_fact
from agenda.minutes.models import Minutes, MinutesRevision, MinutesStatus
from agenda.minutes.record import digest_of
from agenda.votes.models import Motion
from agenda.votes.rules import MotionResult

if TYPE_CHECKING:
    from agenda.auth.models import User

NOTES_MAX = 50_000
# Minutes are drafted once the meeting was called to order.
DRAFTABLE = HELD_STATUSES


class MinutesError(Refused):
    """A minutes action the record does not allow."""


def latest_revision(meeting_id: int) -> MinutesRevision | None:
    """Return the newest revision of a meeting's minutes, if any."""
    return db.session.execute(
        sa.select(MinutesRevision)
        .join(Minutes, MinutesRevision.minutes_id == Minutes.id)
        .where(Minutes.meeting_id == meeting_id)
        .order_by(MinutesRevision.number.desc())
        .limit(1)
    ).scalar_one_or_none()


def is_approved(meeting_id: int) -> bool:
    """Tell whether a meeting's minutes were ever approved, which freezes its record."""
    return (
        db.session.execute(
            sa.select(MinutesRevision.id)
            .join(Minutes, MinutesRevision.minutes_id == Minutes.id)
            .where(
                Minutes.meeting_id == meeting_id,
                MinutesRevision.status.in_([MinutesStatus.APPROVED, MinutesStatus.SUPERSEDED]),
            )
            .limit(1)
        ).first()
        is not None
    )


def approve_by_item(item: AgendaItem, motion: Motion | None, *, actor: User | None) -> None:
    """Approve every set of minutes an adopted "approval of minutes" item takes up, by its
    motion."""
    if item.disposition is not Disposition.ADOPTED or motion is None:
        return
    for earlier in item.minutes_of:
        approve_minutes(earlier, motion, actor=actor)


def save_draft(
    meeting: Meeting, *, meeting_notes: str, item_notes: dict[int, str], actor: User | None
) -> MinutesRevision:
    """Save the clerk's notes as a new draft revision (a correction, once approved)."""
    if meeting.status not in DRAFTABLE:
        raise MinutesError("Minutes are written once the meeting has been called to order.")
    item_ids = {i.id for s in meeting.sections for i in s.items}
    notes = {str(k): v.strip() for k, v in item_notes.items() if v.strip()}
    if any(int(k) not in item_ids for k in notes):
        raise MinutesError("Notes can only be kept on this meeting's own items.")
    if len(meeting_notes) > NOTES_MAX or any(len(v) > NOTES_MAX for v in notes.values()):
        raise MinutesError(f"Keep each note under {NOTES_MAX:,} characters.")
    # Two clerks saving at once would take the same revision number: the unique constraints
    # refuse the second inside a savepoint, and it is told to reload.
    try:
        with db.session.begin_nested():
            minutes = db.session.execute(
                sa.select(Minutes).where(Minutes.meeting_id == meeting.id)
            ).scalar_one_or_none()
            if minutes is None:
                minutes = Minutes(meeting_id=meeting.id)
                db.session.add(minutes)
                db.session.flush()
            latest = latest_revision(meeting.id)
            revision = MinutesRevision(
                minutes_id=minutes.id,
                number=(latest.number + 1) if latest else 1,
                meeting_notes=meeting_notes.strip(),
                item_notes=notes,
                created_by_id=actor.id if actor is not None else None,
            )
            db.session.add(revision)
    except sa.exc.IntegrityError:
        raise MinutesError(
            "Another clerk saved these minutes at the same moment; reload and try again."
        ) from None
    record_event(
        "minutes.save",
        revision,
        actor=actor,
        details={"meeting_id": meeting.id},
        facts=revision_fact(revision),
    )
    return revision


def approve_minutes(meeting: Meeting, motion: Motion, *, actor: User | None) -> MinutesRevision:
    """Approve the latest draft by a passed motion on a later meeting's approval item.

    The approved revision stores the digest of the record and its PDF; an earlier approved
    revision is marked superseded and stays downloadable.
    """
    item: AgendaItem = motion.agenda_item
    later = item.section.meeting
    if meeting.id not in {m.id for m in item.minutes_of}:
        raise MinutesError("Minutes are approved on an item for approving these minutes.")
    if later.body_id != meeting.body_id or later.scheduled_at <= meeting.scheduled_at:
        raise MinutesError("Minutes are approved by a later meeting of the same body.")
    if motion.vote is None or motion.vote.result is not MotionResult.PASSED:
        raise MinutesError("The motion to approve the minutes has not passed.")
    latest = latest_revision(meeting.id)
    if latest is None or latest.status is not MinutesStatus.DRAFT:
        raise MinutesError("There is no draft of these minutes to approve.")
    digest = digest_of(meeting, latest)
    for earlier in latest.minutes.revisions:
        if earlier.status is MinutesStatus.APPROVED:
            earlier.status = MinutesStatus.SUPERSEDED
    latest.status = MinutesStatus.APPROVED
    latest.approved_by_motion_id = motion.id
    latest.approved_at = motion.vote.recorded_at
    latest.record_sha256 = digest
    db.session.flush()
    # The printed head is the chain's as the minutes are approved, kept in the stored PDF.
    head = chain_head()
    pdf = with_head(render_minutes_pdf(meeting, latest, record_head=head), head)
    latest.pdf_sha256 = store_blob(pdf).sha256
    db.session.flush()
    record_event(
        "minutes.approve",
        latest,
        actor=actor,
        details={"meeting_id": meeting.id, "motion_id": motion.id, "digest": latest.record_sha256},
        facts={k: v for r in latest.minutes.revisions for k, v in revision_fact(r).items()},
    )
    return latest
