"""Writes of the members area: remember what a commissioner opened."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from agenda.extensions import apart, db
from agenda.members.models import AgendaView


def remember_opened(user_id: int, meeting_id: int, revision_number: int, at: datetime) -> bool:
    """Record that a user opened a meeting at its newest revision; True when that changed it.

    A reading receipt, not part of the public record, so it is not in the audit trail. It is
    written and committed in a short transaction of its own (`apart`), so the page that
    reports it reads without ever taking SQLite's write lock.
    """
    if not _needs_receipt(user_id, meeting_id, revision_number):
        return False
    try:
        with apart() as session:
            view = session.execute(
                sa.select(AgendaView).where(
                    AgendaView.user_id == user_id, AgendaView.meeting_id == meeting_id
                )
            ).scalar_one_or_none()
            if view is None:
                session.add(
                    AgendaView(
                        user_id=user_id,
                        meeting_id=meeting_id,
                        revision_number=revision_number,
                        opened_at=at,
                    )
                )
            elif view.revision_number == revision_number:
                return False
            else:
                view.revision_number, view.opened_at = revision_number, at
    except sa.exc.IntegrityError:
        # Two tabs opening the same meeting at once: the first one's row is enough.
        return False
    except sa.exc.OperationalError:
        # The database stayed busy past its wait: the page matters more than its receipt,
        # which the next visit writes.
        current_app.logger.warning("reading receipt not written: the database was busy")
        return False
    return True


def _needs_receipt(user_id: int, meeting_id: int, revision_number: int) -> bool:
    """Tell, by reading only, whether the receipt is missing or older than this revision."""
    noted = db.session.execute(
        sa.select(AgendaView.revision_number).where(
            AgendaView.user_id == user_id, AgendaView.meeting_id == meeting_id
        )
    ).scalar_one_or_none()
    return noted != revision_number
