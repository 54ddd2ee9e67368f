"""Users who sign in (admins, clerks, commissioners) and clerks' API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agenda.auth.rules import Role, TokenScope
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
    # Clerks limited to some bodies; empty means every body.
    body_ids: Mapped[list[UserBody]] = relationship(cascade="all, delete-orphan")

    @property
    def has_password(self) -> bool:
        """False until an invited user sets a password through their link."""
        return bool(self.password_hash)

    def get_id(self) -> str:
        # The token makes a copied session cookie useless once the user signs out.
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_enabled


class UserBody(db.Model):
    """A body a clerk may work on; a clerk with none of these rows works on every body."""

    __tablename__ = "user_bodies"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    body_id: Mapped[int] = mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True
    )


class LinkPurpose(StrEnum):
    INVITE = "invite"
    RESET = "reset"


class OneTimeLink(db.Model):
    """An invitation or a password reset: a link that sets a password once, before it expires.

    Only the token's SHA-256 is stored; the link itself is shown once to the admin.
    """

    __tablename__ = "one_time_links"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[LinkPurpose] = mapped_column(enum_type(LinkPurpose, "link_purpose"))
    token_sha256: Mapped[sha256_hex] = mapped_column(unique=True)
    created_at: Mapped[utc_timestamp]
    expires_at: Mapped[datetime]
    used_at: Mapped[Optional[datetime]]
    created_by_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ApiToken(db.Model):
    """A clerk's or admin's API token; only its SHA-256 is stored, and its first characters.

    It acts as its user, within its scope (read, or read and write) and, if it names any,
    only on its bodies (`ApiTokenBody`); none means every body its user may work on.
    """

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(120))
    token_sha256: Mapped[sha256_hex] = mapped_column(unique=True)
    # The token's first characters, shown in the screens so a person can tell tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(16), server_default="")
    scope: Mapped[TokenScope] = mapped_column(
        enum_type(TokenScope, "token_scope"), server_default=TokenScope.READ.value
    )
    created_at: Mapped[utc_timestamp]
    created_by_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    expires_at: Mapped[Optional[datetime]]
    last_used_at: Mapped[Optional[datetime]]
    revoked_at: Mapped[Optional[datetime]]
    revoked_by_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    body_links: Mapped[list[ApiTokenBody]] = relationship(
        cascade="all, delete-orphan", order_by="ApiTokenBody.body_id"
    )

    @property
    def body_ids(self) -> frozenset[int]:
        return frozenset(link.body_id for link in self.body_links)


class ApiTokenBody(db.Model):
    """A body an API token is limited to."""

    __tablename__ = "api_token_bodies"

    token_id: Mapped[int] = mapped_column(
        sa.ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True
    )
    body_id: Mapped[int] = mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True
    )


class SignInFailure(db.Model):
    """A failed sign-in, kept a day so every worker and server counts the same guesses.

    The account is stored as the SHA-256 of the lower-cased e-mail typed, never the e-mail.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        sa.Index("ix_sign_in_failures_address_at", "address", "at"),
        sa.Index("ix_sign_in_failures_account_at", "account", "at"),
    )

    id: Mapped[intpk]
    at: Mapped[datetime]
    address: Mapped[str] = mapped_column(sa.String(64))
    account: Mapped[sha256_hex]
