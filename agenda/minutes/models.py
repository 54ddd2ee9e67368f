"""Minutes of a meeting, their revisions (draft, approved, superseded) and conflict disclosures."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.db import enum_type, intpk, sha256_hex, utc_timestamp
from agenda.extensions import db
from agenda.minutes.rules import MinutesStatus

if TYPE_CHECKING:
    from agenda.bodies.models import Person


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


class Disclosure(db.Model):
    """A Florida conflict disclosure (Form 8B) owed for a recusal, and the filed memorandum."""

    __tablename__ = "disclosures"
    __table_args__ = (
        sa.CheckConstraint(
            "(filed_at IS NULL) = (memorandum_sha256 IS NULL)", name="filed_has_memorandum"
        ),
    )

    id: Mapped[intpk]
    ballot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ballots.id", ondelete="CASCADE"), unique=True
    )
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"))
    conflict: Mapped[str] = mapped_column(sa.Text)
    due_on: Mapped[date]
    filed_at: Mapped[Optional[datetime]]
    memorandum_sha256: Mapped[Optional[sha256_hex]] = mapped_column(
        sa.ForeignKey("blobs.sha256", ondelete="RESTRICT")
    )
    memorandum_filename: Mapped[Optional[str]] = mapped_column(sa.String(255))
    created_at: Mapped[utc_timestamp]

    person: Mapped[Person] = relationship()
