"""Writes of the members area: remember what a commissioner opened."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from agenda.extensions import db
from agenda.members.models import AgendaView


def remember_opened(user_id: int, meeting_id: int, revision_number: int, at: datetime) -> bool:
    """Record that a user opened a meeting at its newest revision; True when that changed it.

    A reading receipt, not part of the public record, so it is not in the audit trail.
    """
    view = db.session.execute(
        sa.select(AgendaView).where(
            AgendaView.user_id == user_id, AgendaView.meeting_id == meeting_id
        )
    ).scalar_one_or_none()
    if view is None:
        try:
            # Two tabs opening the same meeting at once: the first one's row is enough.
            with db.session.begin_nested():
                db.session.add(
                    AgendaView(
                        user_id=user_id,
                        meeting_id=meeting_id,
                        revision_number=revision_number,
                        opened_at=at,
                    )
                )
        except sa.exc.IntegrityError:
            return False
        return True
    if view.revision_number == revision_number:
        return False
    view.revision_number, view.opened_at = revision_number, at
    db.session.flush()
    return True
