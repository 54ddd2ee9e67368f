"""Content-addressed document bytes (blobs) and the attachments that name them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from agenda.db import PUBLIC_IDS, intpk, sha256_hex, utc_timestamp
from agenda.extensions import db

if TYPE_CHECKING:
    from agenda.matters.models import Matter
    from agenda.meetings.models import AgendaItem


class Blob(db.Model):
    """Bytes stored once, keyed by their SHA-256 digest (lowercase hex)."""

    __tablename__ = "blobs"
    __table_args__ = (
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
        sa.CheckConstraint("size >= 0", name="size_nonnegative"),
    )

    sha256: Mapped[sha256_hex] = mapped_column(primary_key=True)
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(sa.String(100))
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    created_at: Mapped[utc_timestamp]
    # The words of an uploaded PDF (documents.text), read once for search; None until read.
    text: Mapped[Optional[str]] = deferred(mapped_column(sa.Text))


class Attachment(db.Model):
    """A PDF on an agenda item or on a matter; goes into the packet."""

    __tablename__ = "attachments"
    __table_args__ = (
        sa.CheckConstraint(
            "(matter_id IS NULL) != (agenda_item_id IS NULL)", name="exactly_one_owner"
        ),
        sa.CheckConstraint("page_count > 0", name="page_count_positive"),
        PUBLIC_IDS,
    )

    id: Mapped[intpk]
    sha256: Mapped[sha256_hex] = mapped_column(sa.ForeignKey("blobs.sha256", ondelete="RESTRICT"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    title: Mapped[str] = mapped_column(sa.String(300))
    page_count: Mapped[int]
    position: Mapped[int] = mapped_column(default=1)
    matter_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("matters.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[utc_timestamp]

    # Not stored: what the upload check removed (JavaScript, embedded files), for the clerk.
    removed_note = ""

    blob: Mapped[Blob] = relationship()
    matter: Mapped[Optional[Matter]] = relationship(back_populates="attachments")
    agenda_item: Mapped[Optional[AgendaItem]] = relationship(back_populates="attachments")
