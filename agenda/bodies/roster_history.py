"""Reads for a body's public page: its seats and every term on it, past members, who to compare."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from agenda.bodies.models import Body, Membership
from agenda.bodies.queries import term_of
from agenda.bodies.rules import RosterSeat, roster_on
from agenda.extensions import db


def body_with_terms(body_id: int) -> Body | None:
    """Return a body with its seats and every membership (with its person) loaded: 2 queries."""
    return (
        db.session.execute(
            sa.select(Body)
            .where(Body.id == body_id)
            .options(
                joinedload(Body.seat_list),
                selectinload(Body.memberships).joinedload(Membership.person),
            )
        )
        .unique()
        .scalar_one_or_none()
    )


def seats_on(body: Body, day: date) -> list[RosterSeat]:
    """Return each seat of a loaded body on `day`: its holder, or 'Vacant' and why."""
    seats = [(s.number, s.title) for s in body.seat_list]
    return roster_on(day, seats, [term_of(m) for m in body.memberships])


@dataclass(frozen=True)
class PastMember:
    """Someone who sat on the body before `day` and holds no seat on it that day."""

    person_id: int
    name: str
    terms: tuple[Membership, ...]  # latest first


def past_members(body: Body, day: date) -> list[PastMember]:
    """Return the members whose terms all ended before `day`, the latest to leave first."""
    by_person: dict[int, list[Membership]] = {}
    for member in body.memberships:
        by_person.setdefault(member.person_id, []).append(member)
    past = []
    for person_id, terms in by_person.items():
        if all(t.ends_on is not None and t.ends_on < day for t in terms):
            terms.sort(key=lambda t: t.starts_on, reverse=True)
            past.append(PastMember(person_id, terms[0].person.name, tuple(terms)))
    return sorted(past, key=lambda p: (p.terms[0].ends_on or day, p.name), reverse=True)


def members_between(body: Body, first: date | None, last: date) -> list[tuple[int, str]]:
    """Return (person id, name) of everyone seated at some time from `first` to `last`.

    In seat order, then by when they took it; `first` None means from the start of the record.
    """
    seen: dict[int, str] = {}
    for member in sorted(body.memberships, key=lambda m: (m.seat, m.starts_on)):
        ends = member.ends_on
        if member.starts_on <= last and (first is None or ends is None or ends >= first):
            seen.setdefault(member.person_id, member.person.name)
    return list(seen.items())
