"""Bodies that meet and vote, the people on them and their seats."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING, Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.bodies.rules import (
    DEFAULT_ABSTENTION,
    AbstentionPolicy,
    BodyKind,
    PresidingVote,
    QuorumRule,
    RulesPreset,
    SeatBase,
    TermEnd,
    TermStart,
)
from agenda.db import PUBLIC_IDS, enum_type, intpk, utc_timestamp
from agenda.extensions import db

if TYPE_CHECKING:
    from agenda.matters.models import Matter
    from agenda.meetings.models import Meeting


class Jurisdiction(db.Model):
    """The city or county this install serves: one row, made by `flask setup` (or the demo)."""

    __tablename__ = "jurisdictions"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(200))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    address: Mapped[str] = mapped_column(sa.String(500), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    # Printed on every agenda of a body that has no statement of its own.
    accommodation_statement: Mapped[str] = mapped_column(sa.Text, default="")
    appeal_statement: Mapped[str] = mapped_column(sa.Text, default="")
    rules_preset: Mapped[RulesPreset] = mapped_column(
        enum_type(RulesPreset, "rules_preset"), default=RulesPreset.GENERAL
    )
    created_at: Mapped[utc_timestamp]
    is_demo: Mapped[bool] = mapped_column(default=False)


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
        sa.CheckConstraint(
            "presiding_seat IS NULL OR (presiding_seat > 0 AND presiding_seat <= seats)",
            name="presiding_seat_in_range",
        ),
        sa.CheckConstraint(
            "presiding_seat IS NOT NULL"
            " OR (presiding_vote = 'always' AND is_presiding_seat_counted)",
            name="presiding_settings_need_seat",
        ),
        PUBLIC_IDS,
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
        enum_type(AbstentionPolicy, "abstention_policy"), default=DEFAULT_ABSTENTION
    )
    is_recused_counted_for_quorum: Mapped[bool] = mapped_column(default=True)
    # What "the full body" counts (quorum and full-body thresholds), and whether members
    # excused from voting (recused) leave that count (N.C.G.S. 160A-75).
    seat_base: Mapped[SeatBase] = mapped_column(
        enum_type(SeatBase, "seat_base"), default=SeatBase.AUTHORIZED, server_default="authorized"
    )
    is_full_body_less_recused: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false()
    )
    # The presiding officer (mayor, chair) is whoever holds this seat on the meeting date.
    presiding_seat: Mapped[Optional[int]]
    presiding_vote: Mapped[PresidingVote] = mapped_column(
        enum_type(PresidingVote, "presiding_vote"),
        default=PresidingVote.ALWAYS,
        server_default="always",
    )
    is_presiding_counted_for_quorum: Mapped[bool] = mapped_column(
        default=True, server_default=sa.true()
    )
    # False: the presiding seat is not one of the body's seats in any count but quorum's.
    is_presiding_seat_counted: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Quorum counts only members in the room, not those attending remotely.
    is_in_person_quorum: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A member who leaves without being excused counts present and yes (N.C.G.S. 160A-74, 75).
    is_unexcused_departure_present: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false()
    )
    # A tie on a main motion with members absent continues the item instead of failing it.
    is_tie_continued: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The charter or statute the body's rules come from, cited in every vote's explanation.
    rules_citation: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    # Motions may be carried without objection (a voice vote), members present counted yes.
    is_unanimous_consent_allowed: Mapped[bool] = mapped_column(
        default=True, server_default=sa.true()
    )
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/New_York")
    notice_hours_regular: Mapped[int] = mapped_column(default=168)
    notice_hours_special: Mapped[int] = mapped_column(default=24)
    appeal_statement: Mapped[str] = mapped_column(sa.Text, default="")
    accommodation_statement: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[BodyKind] = mapped_column(
        enum_type(BodyKind, "body_kind"), default=BodyKind.COMMISSION, server_default="commission"
    )
    # Meeting defaults: the place and local time a new meeting starts with, and its sections
    # as [[title, is_consent], ...] (None: meetings.rules.DEFAULT_SECTIONS).
    default_location: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    default_time: Mapped[Optional[time]]
    section_template: Mapped[Optional[list[Any]]] = mapped_column(sa.JSON)
    # The threshold a motion starts with, by votes.rules.threshold_key; missing keys: the
    # engine's defaults.
    default_thresholds: Mapped[dict[str, Any]] = mapped_column(
        default=dict, server_default=sa.text("'{}'")
    )
    is_demo: Mapped[bool] = mapped_column(default=False)

    seat_list: Mapped[list[Seat]] = relationship(
        back_populates="body", order_by="Seat.number", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="body", order_by="Membership.seat"
    )
    meetings: Mapped[list[Meeting]] = relationship(back_populates="body")
    # Read-only: legislation is filed through matters.operations, never through the body.
    matters: Mapped[list[Matter]] = relationship(viewonly=True, order_by="Matter.file_number")


class Seat(db.Model):
    """One of a body's seats, numbered from 1, with the title its holder bears."""

    __tablename__ = "seats"
    __table_args__ = (
        sa.UniqueConstraint("body_id", "number"),
        sa.CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[intpk]
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(120))

    body: Mapped[Body] = relationship(back_populates="seat_list")


class Person(db.Model):
    __tablename__ = "people"
    __table_args__ = (PUBLIC_IDS,)

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
        sa.CheckConstraint("end_reason IS NULL OR ends_on IS NOT NULL", name="end_has_date"),
    )

    id: Mapped[intpk]
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"))
    seat: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[Optional[date]]
    start_reason: Mapped[TermStart] = mapped_column(
        enum_type(TermStart, "term_start"), default=TermStart.ELECTED, server_default="elected"
    )
    end_reason: Mapped[Optional[TermEnd]] = mapped_column(enum_type(TermEnd, "term_end"))

    body: Mapped[Body] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships")
