"""What each commissioner last opened of a meeting's agenda."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from agenda.db import intpk
from agenda.extensions import db


class AgendaView(db.Model):
    """The newest revision of a meeting's agenda when a user last opened it (0: a draft)."""

    __tablename__ = "agenda_views"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "meeting_id"),
        sa.CheckConstraint("revision_number >= 0", name="revision_number_not_negative"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    revision_number: Mapped[int]
    opened_at: Mapped[datetime]
