"""Bodies that meet and vote, the people on them and their seats."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.bodies.rules import AbstentionPolicy, QuorumRule
from agenda.db import enum_type, intpk
from agenda.extensions import db

if TYPE_CHECKING:
    from agenda.matters.models import Matter
    from agenda.meetings.models import Meeting


class Body(db.Model):
    __tablename__ = "bodies"
    __table_args__ = (
        sa.CheckConstraint("seats > 0", name="seats_positive"),
        sa.CheckConstraint(
            "quorum_rule != 'fixed_number' OR (quorum_fixed > 0 AND quorum_fixed <= seats)",
            name="quorum_fixed_in_range",
        ),
        sa.CheckConstraint("notice_hours_regular >= 0", name="notice_regular_nonnegative"),
        sa.CheckConstraint("notice_hours_special >= 0", name="notice_special_nonnegative"),
    )

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    seats: Mapped[int]
    quorum_rule: Mapped[QuorumRule] = mapped_column(
        enum_type(QuorumRule, "quorum_rule"), default=QuorumRule.MAJORITY_OF_SEATS
    )
    quorum_fixed: Mapped[Optional[int]]
    abstention_policy: Mapped[AbstentionPolicy] = mapped_column(
        enum_type(AbstentionPolicy, "abstention_policy"), default=AbstentionPolicy.ALLOWED
    )
    is_recused_counted_for_quorum: Mapped[bool] = mapped_column(default=True)
    # Motions may be carried without objection (a voice vote), members present counted yes.
    is_unanimous_consent_allowed: Mapped[bool] = mapped_column(
        default=True, server_default=sa.true()
    )
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/New_York")
    notice_hours_regular: Mapped[int] = mapped_column(default=168)
    notice_hours_special: Mapped[int] = mapped_column(default=24)
    appeal_statement: Mapped[str] = mapped_column(sa.Text, default="")
    accommodation_statement: Mapped[str] = mapped_column(sa.Text, default="")
    is_demo: Mapped[bool] = mapped_column(default=False)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="body", order_by="Membership.seat"
    )
    meetings: Mapped[list[Meeting]] = relationship(back_populates="body")
    # Read-only: legislation is filed through matters.operations, never through the body.
    matters: Mapped[list[Matter]] = relationship(viewonly=True, order_by="Matter.file_number")


class Person(db.Model):
    __tablename__ = "people"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[Optional[str]] = mapped_column(sa.String(320))
    is_demo: Mapped[bool] = mapped_column(default=False)

    memberships: Mapped[list[Membership]] = relationship(back_populates="person")


class Membership(db.Model):
    """A seat held by a person on a body from one date to another (inclusive)."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("body_id", "seat", "starts_on"),
        sa.CheckConstraint("seat > 0", name="seat_positive"),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_ordered"),
    )

    id: Mapped[intpk]
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"))
    seat: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[Optional[date]]

    body: Mapped[Body] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships")
