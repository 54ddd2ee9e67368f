"""Reads of the people who sit or sat on a body: the public list of members and one's terms.

A person with no term on any body (staff, say) is nobody's member and appears nowhere here.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from agenda.bodies.models import Body, Membership, Person
from agenda.db import utcnow
from agenda.extensions import db
from agenda.timefmt import local_date


def is_current(member: Membership) -> bool:
    """Tell whether a term runs today (or starts later) where its body meets."""
    return member.ends_on is None or member.ends_on >= local_date(utcnow(), member.body.timezone)


@dataclass(frozen=True)
class Member:
    """A person with their terms (latest first) and whether one of them still runs."""

    person: Person
    terms: list[Membership]

    @property
    def current_terms(self) -> list[Membership]:
        return [t for t in self.terms if is_current(t)]

    @property
    def is_current(self) -> bool:
        return bool(self.current_terms)

    @property
    def body_ids(self) -> list[int]:
        """Return the bodies sat on, each once, in the order of the terms."""
        return list(dict.fromkeys(t.body_id for t in self.terms))

    @property
    def timezones(self) -> set[str]:
        return {t.body.timezone for t in self.terms}


def _terms(*where: sa.ColumnElement[bool]) -> list[Membership]:
    return list(
        db.session.execute(
            sa.select(Membership)
            .join(Membership.person)
            .join(Membership.body)
            .where(*where)
            .options(contains_eager(Membership.person), contains_eager(Membership.body))
            .order_by(Person.name, Person.id, Membership.starts_on.desc(), Body.name)
        )
        .unique()
        .scalars()
    )


def members() -> list[Member]:
    """Return everyone who holds or held a seat on any body, by name, with their terms."""
    found: dict[int, Member] = {}
    for term in _terms():
        found.setdefault(term.person_id, Member(term.person, [])).terms.append(term)
    return list(found.values())


def member(person_id: int) -> Member | None:
    """Return one person with their terms on every body, or None if they never held a seat."""
    terms = _terms(Membership.person_id == person_id)
    return Member(terms[0].person, terms) if terms else None
