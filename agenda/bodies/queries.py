"""Reads about bodies: who holds a seat on a given date, and how members are named."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.bodies.models import Body, Jurisdiction, Membership
from agenda.bodies.rules import choice_name, seat_name
from agenda.db import utcnow
from agenda.extensions import db
from agenda.timefmt import local_date


def _active_on(day: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        Membership.starts_on <= day,
        sa.or_(Membership.ends_on.is_(None), Membership.ends_on >= day),
    )


def roster(body_id: int, day: date) -> list[Membership]:
    """Return the memberships active on `day`, in seat order, with their people loaded."""
    return list(
        db.session.execute(
            sa.select(Membership)
            .where(Membership.body_id == body_id, _active_on(day))
            .options(selectinload(Membership.person))
            .order_by(Membership.seat)
        ).scalars()
    )


def seated_today(body: Body) -> list[Membership]:
    """Return the body's memberships active today in its own time zone, in seat order."""
    return roster(body.id, local_date(utcnow(), body.timezone))


def seated_body_ids(person_id: int, day: date) -> frozenset[int]:
    """Return the ids of the bodies on which a person holds a seat on `day`."""
    rows = db.session.execute(
        sa.select(Membership.body_id).where(Membership.person_id == person_id, _active_on(day))
    ).scalars()
    return frozenset(rows)


def bodies() -> list[Body]:
    """Return every body, by name."""
    return list(db.session.execute(sa.select(Body).order_by(Body.name)).scalars())


def member_name(member: Membership) -> str:
    """Return 'Commissioner Sam Kaufman'."""
    return seat_name(member.title, member.person.name)


def member_label(member: Membership) -> str:
    """Return 'Sam Kaufman (Commissioner)', for a list to choose from."""
    return choice_name(member.title, member.person.name)


def member_names(members: list[Membership]) -> dict[int, str]:
    """Return each member's name by person id: {6: 'Commissioner Sam Kaufman'}."""
    return {m.person_id: member_name(m) for m in members}


def notice_statements(body: Body) -> tuple[str, str]:
    """Return the (appeal, accommodation) statements printed on the body's agendas.

    Each is the body's own when it has one, else the jurisdiction's (blank when neither has).
    """
    place = db.session.execute(
        sa.select(Jurisdiction).order_by(Jurisdiction.id).limit(1)
    ).scalar_one_or_none()
    appeal = body.appeal_statement.strip() or (place.appeal_statement.strip() if place else "")
    accommodation = body.accommodation_statement.strip() or (
        place.accommodation_statement.strip() if place else ""
    )
    return appeal, accommodation
