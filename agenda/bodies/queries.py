"""Reads about bodies: who holds a seat on a given date."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.bodies.models import Membership
from agenda.extensions import db


def roster(body_id: int, day: date) -> list[Membership]:
    """Return the memberships active on `day`, in seat order, with their people loaded."""
    return list(
        db.session.execute(
            sa.select(Membership)
            .where(
                Membership.body_id == body_id,
                Membership.starts_on <= day,
                sa.or_(Membership.ends_on.is_(None), Membership.ends_on >= day),
            )
            .options(selectinload(Membership.person))
            .order_by(Membership.seat)
        ).scalars()
    )


def seated_body_ids(person_id: int, day: date) -> frozenset[int]:
    """Return the ids of the bodies on which a person holds a seat on `day`."""
    rows = db.session.execute(
        sa.select(Membership.body_id).where(
            Membership.person_id == person_id,
            Membership.starts_on <= day,
            sa.or_(Membership.ends_on.is_(None), Membership.ends_on >= day),
        )
    ).scalars()
    return frozenset(rows)
