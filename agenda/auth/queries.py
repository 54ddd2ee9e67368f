"""Reads for the admin's user screens: every user with their state, and what to choose from."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.auth.models import OneTimeLink, User
from agenda.auth.rules import ROLE_LABELS, Role
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
