"""Who may see which legislation and document: the public only what public meetings carry."""

from __future__ import annotations

import sqlalchemy as sa

from agenda.auth.rules import Viewer
from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings.models import AgendaItem, AgendaRevision, AgendaSection, Meeting
from agenda.meetings.queries import visible_to
from agenda.minutes.disclosures import filed_memorandum
from agenda.minutes.queries import published_minutes_digest


def visible_matter_ids(viewer: Viewer) -> sa.Select[tuple[int]]:
    """Select the ids of matters on the agenda of at least one meeting the viewer may see."""
    return (
        sa.select(AgendaItem.matter_id)
        .join(AgendaSection, AgendaItem.section_id == AgendaSection.id)
        .join(Meeting, AgendaSection.meeting_id == Meeting.id)
        .where(AgendaItem.matter_id.is_not(None), visible_to(viewer))
    )


def matter_is_visible(matter_id: int, viewer: Viewer) -> bool:
    """Tell whether a matter may be shown: to the public once it is on a published agenda."""
    if viewer.is_staff:
        return True
    body_id = db.session.execute(sa.select(Matter.body_id).where(Matter.id == matter_id)).scalar()
    if body_id is not None and viewer.sees_drafts_of(body_id):
        return True
    on_agenda = visible_matter_ids(viewer).where(AgendaItem.matter_id == matter_id).limit(1)
    return db.session.execute(on_agenda).first() is not None


def attachment_is_visible(attachment: Attachment, viewer: Viewer) -> bool:
    """Tell whether an attachment may be downloaded by this viewer."""
    if viewer.is_staff:
        return True
    if attachment.matter_id is not None:
        return matter_is_visible(attachment.matter_id, viewer)
    return (
        db.session.execute(
            sa.select(Meeting.id)
            .join(AgendaSection, AgendaSection.meeting_id == Meeting.id)
            .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
            .where(AgendaItem.id == attachment.agenda_item_id, visible_to(viewer))
        ).first()
        is not None
    )


def digest_is_visible(digest: str, viewer: Viewer) -> bool:
    """Tell whether a stored document may be seen: an agenda or packet, or an attachment."""
    if viewer.is_staff:
        return True
    revision = db.session.execute(
        sa.select(AgendaRevision.id)
        .join(Meeting, AgendaRevision.meeting_id == Meeting.id)
        .where(
            sa.or_(AgendaRevision.agenda_sha256 == digest, AgendaRevision.packet_sha256 == digest),
            visible_to(viewer),
        )
        .limit(1)
    ).first()
    if revision is not None:
        return True
    minutes = published_minutes_digest(digest)
    if minutes is not None:
        meeting = db.session.get(Meeting, minutes.minutes.meeting_id)
        return (
            meeting is not None
            and db.session.execute(
                sa.select(Meeting.id).where(Meeting.id == meeting.id, visible_to(viewer))
            ).first()
            is not None
        )
    memorandum = filed_memorandum(digest)
    if memorandum is not None:
        return (
            db.session.execute(
                sa.select(Meeting.id).where(Meeting.id == memorandum.meeting_id, visible_to(viewer))
            ).first()
            is not None
        )
    attachments = db.session.execute(sa.select(Attachment).where(Attachment.sha256 == digest))
    return any(attachment_is_visible(a, viewer) for a in attachments.scalars())
