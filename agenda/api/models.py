"""The API's own tables: requests that went through under an Idempotency-Key, and the ids
records imported from another system had there."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from agenda.db import intpk, sha256_hex, utc_timestamp
from agenda.extensions import db


class IdempotentRequest(db.Model):
    """A write that went through with an `Idempotency-Key`: a retry gets the same answer.

    Kept per token; the request's method, path and body digest tell a retry from a different
    request that reuses the key (refused with 422).
    """

    __tablename__ = "api_idempotent_requests"
    __table_args__ = (sa.UniqueConstraint("token_id", "key"),)

    id: Mapped[intpk]
    token_id: Mapped[int] = mapped_column(sa.ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(255))
    method: Mapped[str] = mapped_column(sa.String(10))
    path: Mapped[str] = mapped_column(sa.String(2000))
    request_sha256: Mapped[sha256_hex]
    status: Mapped[int]
    body: Mapped[str] = mapped_column(sa.Text)
    location: Mapped[Optional[str]] = mapped_column(sa.String(2000))
    created_at: Mapped[utc_timestamp]


class ExternalRecord(db.Model):
    """A record imported from another system, by that system's id (Legistar's `BodyId`, ...).

    An import run again finds its earlier records here and changes nothing.
    """

    __tablename__ = "external_records"
    __table_args__ = (
        sa.UniqueConstraint("source", "kind", "external_id"),
        sa.Index("ix_external_records_local", "kind", "local_id"),
    )

    id: Mapped[intpk]
    source: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(40))
    external_id: Mapped[str] = mapped_column(sa.String(100))
    local_id: Mapped[int]
    imported_at: Mapped[utc_timestamp]
    # The imported row's last-modified stamp as the source gave it (Legistar's *LastModifiedUtc).
    source_modified: Mapped[Optional[str]] = mapped_column(sa.String(40))
