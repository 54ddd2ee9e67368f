"""The audit log: every change, who made it and when, chained by hashes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from agenda.db import intpk, sha256_hex
from agenda.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[intpk]
    occurred_at: Mapped[datetime]
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(sa.String(320))
    action: Mapped[str] = mapped_column(sa.String(80))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[str] = mapped_column(sa.String(80))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Unique: two writers that read the same last event cannot fork the chain.
    prev_sha256: Mapped[Optional[sha256_hex]] = mapped_column(unique=True)
    sha256: Mapped[sha256_hex] = mapped_column(unique=True)
