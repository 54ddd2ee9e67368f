"""Users who sign in (admins, clerks, commissioners) and clerks' API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.auth.rules import Role
from agenda.db import enum_type, intpk, sha256_hex, utc_timestamp
from agenda.extensions import db

if TYPE_CHECKING:
    from agenda.bodies.models import Person


def new_session_token() -> str:
    """Return a fresh random token that identifies a user's current sign-ins."""
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "role != 'commissioner' OR person_id IS NOT NULL", name="commissioner_has_person"
        ),
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    person_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("people.id", ondelete="RESTRICT")
    )
    is_enabled: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    created_at: Mapped[utc_timestamp]
    last_login_at: Mapped[Optional[datetime]]
    is_demo: Mapped[bool] = mapped_column(default=False)

    person: Mapped[Optional[Person]] = relationship()

    def get_id(self) -> str:
        # The token makes a copied session cookie useless once the user signs out.
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_enabled


class ApiToken(db.Model):
    """A clerk's API token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(120))
    token_sha256: Mapped[sha256_hex] = mapped_column(unique=True)
    created_at: Mapped[utc_timestamp]
    last_used_at: Mapped[Optional[datetime]]
    revoked_at: Mapped[Optional[datetime]]

    user: Mapped[User] = relationship()
