"""Motions, roll calls (votes) with their stored tallies, ballots and ballot corrections."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.db import enum_type, intpk, utc_timestamp
from agenda.extensions import db
from agenda.votes.rules import (
    BallotValue,
    MotionEnding,
    MotionKind,
    MotionResult,
    VoteMethod,
)

if TYPE_CHECKING:
    from agenda.bodies.models import Person
    from agenda.meetings.models import AgendaItem


# The items a motion to approve the consent agenda adopts, fixed when it is moved.
motion_consent_items = sa.Table(
    "motion_consent_items",
    db.metadata,
    sa.Column("motion_id", sa.ForeignKey("motions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "agenda_item_id",
        sa.ForeignKey("agenda_items.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)


class Motion(db.Model):
    __tablename__ = "motions"
    __table_args__ = (
        sa.UniqueConstraint("agenda_item_id", "position"),
        sa.CheckConstraint(
            "seconder_id IS NULL OR seconder_id != mover_id", name="seconder_not_mover"
        ),
        sa.CheckConstraint(
            "kind NOT IN ('amendment', 'substitute') OR parent_id IS NOT NULL",
            name="amendment_has_parent",
        ),
        sa.CheckConstraint("(ending IS NULL) = (ended_at IS NULL)", name="ending_has_time"),
        sa.CheckConstraint(
            "ending IS NULL OR ending = 'died' OR length(ending_reason) > 0",
            name="ending_has_reason",
        ),
        sa.CheckConstraint(
            "ending IS NULL OR ending != 'died' OR seconder_id IS NULL",
            name="died_unseconded",
        ),
    )

    id: Mapped[intpk]
    agenda_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="RESTRICT"), index=True
    )
    parent_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("motions.id", ondelete="RESTRICT")
    )
    position: Mapped[int]
    kind: Mapped[MotionKind] = mapped_column(enum_type(MotionKind, "motion_kind"))
    text: Mapped[str] = mapped_column(sa.Text)
    # None only for a motion imported from a record that names no mover (Legistar often
    # does not); every motion made here has one (move_motion requires it).
    mover_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"))
    seconder_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("people.id", ondelete="RESTRICT")
    )
    # The threshold's code (votes.rules.parse_rule): a named threshold such as
    # "majority_present", a specification such as "2/3:present", or a rule in JSON.
    threshold: Mapped[str] = mapped_column(sa.Text)
    continued_to_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="RESTRICT")
    )
    created_at: Mapped[utc_timestamp]
    # How the motion ended without a vote (withdrawn, voided, died), why, when and who recorded it.
    ending: Mapped[Optional[MotionEnding]] = mapped_column(enum_type(MotionEnding, "motion_ending"))
    ending_reason: Mapped[Optional[str]] = mapped_column(sa.Text)
    ended_at: Mapped[Optional[datetime]]
    ended_by_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="motions")
    parent: Mapped[Optional[Motion]] = relationship(remote_side="Motion.id")
    mover: Mapped[Optional[Person]] = relationship(foreign_keys=[mover_id])
    seconder: Mapped[Optional[Person]] = relationship(foreign_keys=[seconder_id])
    vote: Mapped[Optional[Vote]] = relationship(back_populates="motion")
    # A motion to approve the consent agenda: every item of the section not pulled from it.
    consent_items: Mapped[list[AgendaItem]] = relationship(
        secondary=motion_consent_items, order_by="AgendaItem.position"
    )


class Vote(db.Model):
    """A roll call on one motion, with the tally stored beside the ballots it came from."""

    __tablename__ = "votes"
    __table_args__ = (
        sa.CheckConstraint(
            "yes_count >= 0 AND no_count >= 0 AND abstain_count >= 0 "
            "AND recused_count >= 0 AND absent_count >= 0",
            name="counts_nonnegative",
        ),
        sa.CheckConstraint("required >= 0", name="required_nonnegative"),
        # A ballot's outcome read from a narrow index, not the wide row (explanation, rules).
        sa.Index("ix_votes_outcome", "id", "result", "method"),
    )

    id: Mapped[intpk]
    motion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("motions.id", ondelete="RESTRICT"), unique=True
    )
    yes_count: Mapped[int]
    no_count: Mapped[int]
    abstain_count: Mapped[int]
    recused_count: Mapped[int]
    absent_count: Mapped[int]
    required: Mapped[int]
    method: Mapped[VoteMethod] = mapped_column(
        enum_type(VoteMethod, "vote_method"),
        default=VoteMethod.ROLL_CALL,
        server_default=VoteMethod.ROLL_CALL.value,
    )
    result: Mapped[MotionResult] = mapped_column(enum_type(MotionResult, "motion_result"))
    explanation: Mapped[str] = mapped_column(sa.Text)
    # A threshold with a fallback decides twice: "fails as an emergency, passes as ordinary".
    fallback_result: Mapped[Optional[MotionResult]] = mapped_column(
        enum_type(MotionResult, "fallback_result")
    )
    # The rules as they were when the vote was decided (votes.rules.snapshot); None before 2026-12.
    rules_snapshot: Mapped[Optional[dict[str, Any]]] = mapped_column(sa.JSON)
    recorded_at: Mapped[utc_timestamp]
    recorded_by_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    motion: Mapped[Motion] = relationship(back_populates="vote")
    ballots: Mapped[list[Ballot]] = relationship(
        back_populates="vote", cascade="all, delete-orphan"
    )


class Ballot(db.Model):
    """One member's value on one roll call; a member votes once per motion."""

    __tablename__ = "ballots"
    __table_args__ = (
        sa.UniqueConstraint("vote_id", "person_id"),
        sa.CheckConstraint("value != 'recused' OR length(reason) > 0", name="recusal_has_reason"),
        # A member's record: tens of thousands of ballots over twenty years, read from here.
        sa.Index("ix_ballots_person_id", "person_id", "vote_id", "value"),
    )

    id: Mapped[intpk]
    vote_id: Mapped[int] = mapped_column(sa.ForeignKey("votes.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"))
    value: Mapped[BallotValue] = mapped_column(enum_type(BallotValue, "ballot_value"))
    reason: Mapped[Optional[str]] = mapped_column(sa.Text)
    # An abstention the body consented to (AbstentionPolicy.WITH_CONSENT).
    is_excused: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    vote: Mapped[Vote] = relationship(back_populates="ballots")
    person: Mapped[Person] = relationship()


class BallotCorrection(db.Model):
    """An explicit correction of a recorded ballot that keeps the old value and why."""

    __tablename__ = "ballot_corrections"
    __table_args__ = (
        sa.CheckConstraint("length(why) > 0", name="why_given"),
        sa.CheckConstraint("old_value != new_value", name="value_changes"),
    )

    id: Mapped[intpk]
    ballot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ballots.id", ondelete="CASCADE"), index=True
    )
    old_value: Mapped[BallotValue] = mapped_column(enum_type(BallotValue, "old_value"))
    new_value: Mapped[BallotValue] = mapped_column(enum_type(BallotValue, "new_value"))
    old_reason: Mapped[Optional[str]] = mapped_column(sa.Text)
    why: Mapped[str] = mapped_column(sa.Text)
    corrected_at: Mapped[datetime]
    corrected_by_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
