"""Minutes of a meeting and their revisions (drafts, approved, superseded)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.db import enum_type, intpk, sha256_hex, utc_timestamp
from agenda.extensions import db


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


class Minutes(db.Model):
    __tablename__ = "minutes"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="RESTRICT"), unique=True
    )
    created_at: Mapped[utc_timestamp]

    revisions: Mapped[list[MinutesRevision]] = relationship(
        back_populates="minutes", order_by="MinutesRevision.number"
    )


class MinutesRevision(db.Model):
    """A saved state of the minutes' notes; an approved one is frozen."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (
        sa.UniqueConstraint("minutes_id", "number"),
        sa.CheckConstraint("number > 0", name="number_positive"),
        sa.CheckConstraint(
            "status = 'draft' OR (approved_by_motion_id IS NOT NULL "
            "AND approved_at IS NOT NULL AND record_sha256 IS NOT NULL)",
            name="approval_complete",
        ),
    )

    id: Mapped[intpk]
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="RESTRICT"))
    number: Mapped[int]
    status: Mapped[MinutesStatus] = mapped_column(
        enum_type(MinutesStatus, "minutes_status"), default=MinutesStatus.DRAFT
    )
    meeting_notes: Mapped[str] = mapped_column(sa.Text, default="")
    item_notes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[utc_timestamp]
    created_by_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    approved_by_motion_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("motions.id", ondelete="RESTRICT")
    )
    approved_at: Mapped[Optional[datetime]]
    record_sha256: Mapped[Optional[sha256_hex]]
    pdf_sha256: Mapped[Optional[sha256_hex]] = mapped_column(
        sa.ForeignKey("blobs.sha256", ondelete="RESTRICT")
    )

    minutes: Mapped[Minutes] = relationship(back_populates="revisions")
