"""Meetings, their agenda (revisions, sections, items) and attendance."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.db import PUBLIC_IDS, enum_type, intpk, sha256_hex, utc_timestamp
from agenda.extensions import db
from agenda.meetings.rules import AttendanceStatus, Disposition, MeetingStatus, MeetingType

if TYPE_CHECKING:
    from agenda.bodies.models import Body, Person
    from agenda.documents.models import Attachment
    from agenda.matters.models import Matter
    from agenda.votes.models import Motion


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint(
            "status NOT IN ('published', 'in_progress', 'adjourned') OR published_at IS NOT NULL",
            name="published_has_time",
        ),
        sa.CheckConstraint(
            "status != 'cancelled' OR cancelled_reason IS NOT NULL", name="cancel_has_reason"
        ),
        sa.CheckConstraint(
            "adjourned_at IS NULL OR called_to_order_at IS NULL "
            "OR adjourned_at >= called_to_order_at",
            name="adjourned_after_called",
        ),
        sa.Index("ix_meetings_body_id_scheduled_at", "body_id", "scheduled_at"),
        sa.Index("ix_meetings_scheduled_at", "scheduled_at", "id"),
        PUBLIC_IDS,
    )

    id: Mapped[intpk]
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id", ondelete="RESTRICT"))
    meeting_type: Mapped[MeetingType] = mapped_column(
        enum_type(MeetingType, "meeting_type"), default=MeetingType.REGULAR
    )
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus, "meeting_status"), default=MeetingStatus.DRAFT
    )
    scheduled_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(sa.String(64))
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    published_at: Mapped[Optional[datetime]]
    cancelled_reason: Mapped[Optional[str]] = mapped_column(sa.Text)
    called_to_order_at: Mapped[Optional[datetime]]
    adjourned_at: Mapped[Optional[datetime]]
    created_at: Mapped[utc_timestamp]
    # When anything of the meeting last changed: agenda, attendance, motions, votes, minutes
    # (kept by agenda/api/updated.py before each commit; the API's `updated_since` filter).
    updated_at: Mapped[utc_timestamp] = mapped_column(index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Changes made to a published agenda that the public does not see yet, one per line;
    # the clerk publishes them together as one revision (an amended agenda).
    amendment_notes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    body: Mapped[Body] = relationship(back_populates="meetings")
    sections: Mapped[list[AgendaSection]] = relationship(
        back_populates="meeting", order_by="AgendaSection.position", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[AgendaRevision]] = relationship(
        back_populates="meeting", order_by="AgendaRevision.number", cascade="all, delete-orphan"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Attendance.id"
    )


class AgendaRevision(db.Model):
    """One published state of a meeting's agenda; number 1 is the original notice."""

    __tablename__ = "agenda_revisions"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "number"),
        sa.CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    number: Mapped[int]
    published_at: Mapped[datetime]
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    agenda_sha256: Mapped[Optional[sha256_hex]] = mapped_column(
        sa.ForeignKey("blobs.sha256", ondelete="RESTRICT")
    )
    packet_sha256: Mapped[Optional[sha256_hex]] = mapped_column(
        sa.ForeignKey("blobs.sha256", ondelete="RESTRICT")
    )
    packet_failures: Mapped[str] = mapped_column(sa.Text, default="")
    # The agenda as published in this revision (sections, items, documents), which the public
    # sees while an amendment is pending; revisions of earlier releases have none.
    snapshot: Mapped[Optional[dict[str, Any]]]

    meeting: Mapped[Meeting] = relationship(back_populates="revisions")


class AgendaSection(db.Model):
    __tablename__ = "agenda_sections"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "position"),
        sa.CheckConstraint("position > 0", name="position_positive"),
    )

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    is_consent: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="sections")
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="section", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )


class AgendaItem(db.Model):
    """A numbered entry of a section; its number (2.a) is computed from positions."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        sa.UniqueConstraint("section_id", "position"),
        sa.CheckConstraint("position > 0", name="position_positive"),
        sa.CheckConstraint(
            "disposition != 'continued' OR continued_to_id IS NOT NULL",
            name="continued_has_meeting",
        ),
    )

    id: Mapped[intpk]
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_sections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    matter_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("matters.id", ondelete="RESTRICT"), index=True
    )
    disposition: Mapped[Optional[Disposition]] = mapped_column(
        enum_type(Disposition, "disposition")
    )
    continued_to_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="RESTRICT")
    )
    # Pulled from the consent agenda at the meeting, to be taken up on its own.
    pulled_from_consent_at: Mapped[Optional[datetime]]
    pulled_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # A quasi-judicial hearing (a variance, a site plan): under Fla. Stat. 286.012 a member may
    # abstain to keep it fair, and the agenda says so.
    is_quasi_judicial: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    section: Mapped[AgendaSection] = relationship(back_populates="items")
    matter: Mapped[Optional[Matter]] = relationship(back_populates="agenda_items")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="agenda_item", order_by="Attachment.position"
    )
    motions: Mapped[list[Motion]] = relationship(
        back_populates="agenda_item", order_by="Motion.position"
    )
    # An "approval of minutes" item takes up earlier meetings' minutes: one or several.
    minutes_of: Mapped[list[Meeting]] = relationship(
        secondary="agenda_item_minutes", order_by="Meeting.scheduled_at"
    )


class ItemMinutes(db.Model):
    """An approval-of-minutes item and one meeting whose minutes it takes up."""

    __tablename__ = "agenda_item_minutes"

    agenda_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True
    )
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class Attendance(db.Model):
    """One stay of a member present at a meeting (late arrival, early departure), or their
    absence. A member who leaves and returns has a row for each stay; the rules keep the
    stays apart (meetings.rules.stays_problems)."""

    __tablename__ = "attendance"
    __table_args__ = (
        sa.Index("ix_attendance_meeting_id_person_id", "meeting_id", "person_id"),
        sa.CheckConstraint(
            "left_at IS NULL OR arrived_at IS NULL OR left_at > arrived_at",
            name="left_after_arrived",
        ),
        sa.CheckConstraint(
            "status = 'present' OR (arrived_at IS NULL AND left_at IS NULL)",
            name="absent_has_no_times",
        ),
    )

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"))
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, "attendance_status")
    )
    arrived_at: Mapped[Optional[datetime]]
    left_at: Mapped[Optional[datetime]]
    # Present through a video or phone link rather than in the room.
    is_remote: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The body excused the absence, or the departure that ends this stay.
    is_excused: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    person: Mapped[Person] = relationship()
