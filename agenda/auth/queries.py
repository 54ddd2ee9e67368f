"""Reads for the user and API-token screens: users and tokens with their state, and choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.auth.models import ApiToken, OneTimeLink, User
from agenda.auth.rules import ROLE_LABELS, SCOPE_LABELS, Role
from agenda.bodies.models import Body, Jurisdiction, Person
from agenda.db import utcnow
from agenda.extensions import db
from agenda.timefmt import format_datetime


@dataclass(frozen=True)
class UserRow:
    """One user as the admin's screens show them: labels ready for the page."""

    user: User
    role: str
    person: str
    bodies: str
    state: str
    is_enabled: bool
    is_invited: bool
    last_sign_in: str


def local_zone() -> str:
    """Return the jurisdiction's time zone (UTC before setup), to show staff times in."""
    zone = db.session.execute(sa.select(Jurisdiction.timezone).limit(1)).scalar_one_or_none()
    return zone or "UTC"


def _open_links() -> dict[int, OneTimeLink]:
    rows = db.session.execute(
        sa.select(OneTimeLink).where(
            OneTimeLink.used_at.is_(None), OneTimeLink.expires_at > utcnow()
        )
    ).scalars()
    return {link.user_id: link for link in rows}


def _row(user: User, links: dict[int, OneTimeLink], names: dict[int, str], zone: str) -> UserRow:
    link = links.get(user.id)
    if not user.is_enabled:
        state = "Disabled"
    elif not user.has_password:
        state = (
            f"Invited: link expires {format_datetime(link.expires_at, zone)}"
            if link is not None
            else "Invited: the link expired; make a new one"
        )
    else:
        state = "Active"
    limited = sorted(names[b.body_id] for b in user.body_ids)
    every = "Every body" if user.role is Role.CLERK else ""
    bodies = ", ".join(limited) if limited and user.role is Role.CLERK else every
    return UserRow(
        user=user,
        role=ROLE_LABELS[user.role],
        person=user.person.name if user.person is not None else "",
        bodies=bodies,
        state=state,
        is_enabled=user.is_enabled,
        is_invited=not user.has_password,
        last_sign_in=format_datetime(user.last_login_at, zone) if user.last_login_at else "Never",
    )


def _body_names() -> dict[int, str]:
    return dict(db.session.execute(sa.select(Body.id, Body.name)).all())


def user_rows() -> list[UserRow]:
    """Return every user by e-mail, with role, bodies, state and last sign-in."""
    users = db.session.execute(
        sa.select(User)
        .options(selectinload(User.body_ids), selectinload(User.person))
        .order_by(User.email)
    ).scalars()
    links, names, zone = _open_links(), _body_names(), local_zone()
    return [_row(user, links, names, zone) for user in users]


def user_row(user: User) -> UserRow:
    """Return one user's row, as the list shows it."""
    return _row(user, _open_links(), _body_names(), local_zone())


def people_choices() -> list[tuple[int, str]]:
    """Return every person (id, name) by name: who a commissioner's login may belong to."""
    rows = db.session.execute(sa.select(Person.id, Person.name).order_by(Person.name, Person.id))
    return [(pid, name) for pid, name in rows]


def body_choices() -> list[tuple[int, str]]:
    """Return every body (id, name) by name: what a clerk may be limited to."""
    rows = db.session.execute(sa.select(Body.id, Body.name).order_by(Body.name))
    return [(bid, name) for bid, name in rows]


@dataclass(frozen=True)
class TokenRow:
    """One API token as the screens and `flask tokens list` show it: labels ready."""

    token: ApiToken
    holder: str
    scope: str
    bodies: str
    created: str
    expires: str
    last_used: str
    state: str
    is_usable: bool


def _token_row(token: ApiToken, names: dict[int, str], zone: str, now: datetime) -> TokenRow:
    expired = token.expires_at is not None and token.expires_at <= now
    if token.revoked_at is not None:
        state = f"Revoked {format_datetime(token.revoked_at, zone)}"
    elif expired:
        state = "Expired"
    else:
        state = "Active"
    bodies = ", ".join(sorted(names[b] for b in token.body_ids)) or "Every body of its holder"
    return TokenRow(
        token=token,
        holder=token.user.email,
        scope=SCOPE_LABELS[token.scope],
        bodies=bodies,
        created=format_datetime(token.created_at, zone),
        expires=format_datetime(token.expires_at, zone) if token.expires_at else "Never",
        last_used=format_datetime(token.last_used_at, zone) if token.last_used_at else "Never",
        state=state,
        is_usable=token.revoked_at is None and not expired,
    )


def token_rows(holder_id: int | None = None) -> list[TokenRow]:
    """Return the API tokens (of one holder, or everyone's), usable first, newest first."""
    select = sa.select(ApiToken).options(
        selectinload(ApiToken.user), selectinload(ApiToken.body_links)
    )
    if holder_id is not None:
        select = select.where(ApiToken.user_id == holder_id)
    tokens = db.session.execute(select.order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    names, zone, now = _body_names(), local_zone(), utcnow()
    rows = [_token_row(token, names, zone, now) for token in tokens.scalars()]
    return sorted(rows, key=lambda row: not row.is_usable)


def token_row(token: ApiToken) -> TokenRow:
    """Return one token's row, as the list shows it."""
    return _token_row(token, _body_names(), local_zone(), utcnow())
