"""Who may download which document: the public sees only what belongs to public meetings."""

from __future__ import annotations

import sqlalchemy as sa

from agenda.auth.rules import Role, may_see_drafts
from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaRevision, AgendaSection, Meeting
from agenda.meetings.queries import visible_to


def public_matter_ids() -> sa.Select[tuple[int]]:
    """Select the ids of matters on the agenda of at least one public meeting."""
    return (
        sa.select(AgendaItem.matter_id)
        .join(AgendaSection, AgendaItem.section_id == AgendaSection.id)
        .join(Meeting, AgendaSection.meeting_id == Meeting.id)
        .where(AgendaItem.matter_id.is_not(None), visible_to(None))
    )


def matter_is_visible(matter_id: int, role: Role | None) -> bool:
    """Tell whether a matter may be shown: signed-in roles see all, the public once on an agenda."""
    if may_see_drafts(role):
        return True
    return (
        db.session.execute(
            public_matter_ids().where(AgendaItem.matter_id == matter_id).limit(1)
        ).first()
        is not None
    )


def attachment_is_visible(attachment: Attachment, role: Role | None) -> bool:
    """Tell whether an attachment may be downloaded by this role."""
    if may_see_drafts(role):
        return True
    if attachment.matter_id is not None:
        return matter_is_visible(attachment.matter_id, None)
    return (
        db.session.execute(
            sa.select(Meeting.id)
            .join(AgendaSection, AgendaSection.meeting_id == Meeting.id)
            .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
            .where(AgendaItem.id == attachment.agenda_item_id, visible_to(None))
        ).first()
        is not None
    )


def digest_is_visible(digest: str, role: Role | None) -> bool:
    """Tell whether a stored document is public: a published agenda or packet, or an attachment."""
    if may_see_drafts(role):
        return True
    revision = db.session.execute(
        sa.select(AgendaRevision.id)
        .join(Meeting, AgendaRevision.meeting_id == Meeting.id)
        .where(
            sa.or_(AgendaRevision.agenda_sha256 == digest, AgendaRevision.packet_sha256 == digest),
            visible_to(None),
        )
        .limit(1)
    ).first()
    if revision is not None:
        return True
    attachments = db.session.execute(sa.select(Attachment).where(Attachment.sha256 == digest))
    return any(attachment_is_visible(a, None) for a in attachments.scalars())
