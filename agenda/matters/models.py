"""Legislation (matters), their sponsors and their history of actions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.db import PUBLIC_IDS, enum_type, intpk, utc_timestamp
from agenda.extensions import db
from agenda.matters.rules import MatterAction, MatterStatus, MatterType

if TYPE_CHECKING:
    from agenda.bodies.models import Body, Person
    from agenda.documents.models import Attachment
    from agenda.meetings.models import AgendaItem


class Matter(db.Model):
    __tablename__ = "matters"
    __table_args__ = (
        sa.UniqueConstraint("matter_type", "year", "sequence"),
        sa.CheckConstraint("sequence > 0", name="sequence_positive"),
        sa.CheckConstraint("year BETWEEN 0 AND 99", name="year_two_digits"),
        PUBLIC_IDS,
    )

    id: Mapped[intpk]
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id", ondelete="RESTRICT"))
    matter_type: Mapped[MatterType] = mapped_column(enum_type(MatterType, "matter_type"))
    year: Mapped[int]
    sequence: Mapped[int]
    file_number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(1000))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[MatterStatus] = mapped_column(
        enum_type(MatterStatus, "matter_status"), default=MatterStatus.DRAFT
    )
    created_at: Mapped[utc_timestamp]
    # When anything of the matter last changed: text, sponsors, attachments, history.
    updated_at: Mapped[utc_timestamp] = mapped_column(index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)

    body: Mapped[Body] = relationship()
    sponsors: Mapped[list[MatterSponsor]] = relationship(
        back_populates="matter", order_by="MatterSponsor.position", cascade="all, delete-orphan"
    )
    history: Mapped[list[MatterHistoryEvent]] = relationship(
        back_populates="matter", order_by="MatterHistoryEvent.occurred_at"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="matter", order_by="Attachment.position"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(back_populates="matter")


class MatterSponsor(db.Model):
    __tablename__ = "matter_sponsors"
    __table_args__ = (
        sa.UniqueConstraint("matter_id", "position"),
        sa.Index("ix_matter_sponsors_person_id", "person_id"),
    )

    matter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int] = mapped_column(default=1)

    matter: Mapped[Matter] = relationship(back_populates="sponsors")
    person: Mapped[Person] = relationship()


class MatterHistoryEvent(db.Model):
    """One action on a matter: filed, placed on an agenda, read, continued, adopted..."""

    __tablename__ = "matter_history"

    id: Mapped[intpk]
    matter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("matters.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[MatterAction] = mapped_column(enum_type(MatterAction, "matter_action"))
    occurred_at: Mapped[datetime]
    meeting_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="RESTRICT")
    )
    agenda_item_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    motion_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("motions.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")

    matter: Mapped[Matter] = relationship(back_populates="history")
