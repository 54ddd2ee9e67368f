"""Write people and their terms on a body's seats; every change audited with old and new values.

The screens pass in the days on which the person cast ballots on the body (votes sit above
bodies), so a term is never changed or removed in a way that leaves a ballot without a seat.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa

from agenda.audit.operations import fields_of, record_changes, record_event
from agenda.bodies.facts import term_fact
from agenda.bodies.models import Body, Membership, Person, Seat
from agenda.bodies.queries import term_of
from agenda.bodies.rules import (
    PERSON_EMAIL_MAX,
    PERSON_NAME_MAX,
    Term,
    TermEnd,
    TermStart,
    term_problems,
    uncovered_days,
)
from agenda.errors import Refused
from agenda.extensions import db

if TYPE_CHECKING:
    from agenda.auth.models import User

PERSON_FIELDS = ["name", "email"]
TERM_FIELDS = ["seat", "title", "starts_on", "ends_on", "start_reason", "end_reason"]


def _person_fields(name: str, email: str | None) -> tuple[str, str | None]:
    name = (name or "").strip()
    email = (email or "").strip() or None
    if not name:
        raise Refused("Enter the person's name.", field="name")
    if len(name) > PERSON_NAME_MAX:
        raise Refused(f"Keep the name to {PERSON_NAME_MAX} characters.", field="name")
    if email is not None:
        if len(email) > PERSON_EMAIL_MAX:
            raise Refused(f"Keep the e-mail to {PERSON_EMAIL_MAX} characters.", field="email")
        local, _, domain = email.partition("@")
        if not local or "." not in domain or " " in email:
            raise Refused("Enter an e-mail address like name@example.org.", field="email")
    return name, email


def create_person(name: str, email: str | None, *, actor: User | None) -> Person:
    """Add a person who may hold seats."""
    name, email = _person_fields(name, email)
    person = Person(name=name, email=email)
    db.session.add(person)
    db.session.flush()
    record_event("person.created", person, actor=actor, details={"name": name, "email": email})
    return person


def update_person(person: Person, name: str, email: str | None, *, actor: User | None) -> bool:
    """Change a person's name or e-mail; True if anything changed."""
    name, email = _person_fields(name, email)
    before = fields_of(person, PERSON_FIELDS)
    person.name, person.email = name, email
    db.session.flush()
    return record_changes("person.updated", person, before, actor=actor) is not None


def delete_person(
    person: Person, *, actor: User | None, voted: bool, held_elsewhere: Iterable[str] = ()
) -> str:
    """Delete a person with no ballots and no other records; their terms go with them."""
    reasons = list(held_elsewhere)
    if voted:
        reasons.insert(0, f"{person.name} has cast ballots; end their term instead.")
    if reasons:
        raise Refused(*reasons)
    name = person.name
    for member in list(person.memberships):
        _record_deleted(member, actor)
        db.session.delete(member)
    db.session.flush()
    record_event("person.deleted", person, actor=actor, details={"name": name})
    db.session.delete(person)
    db.session.flush()
    return name


def _term_details(member: Membership) -> dict[str, object]:
    return {
        "person": member.person.name,
        "body": member.body.name,
        **{k: str(v) if v is not None else None for k, v in fields_of(member, TERM_FIELDS).items()},
    }


def _record_deleted(member: Membership, actor: User | None) -> None:
    """Audit a deleted term; its fact in the chain is marked removed."""
    record_event(
        "term.deleted",
        member,
        actor=actor,
        details=_term_details(member),
        facts={f"term:{member.id}": None},
    )


def _seat(body: Body, number: int) -> Seat:
    seat = db.session.execute(
        sa.select(Seat).where(Seat.body_id == body.id, Seat.number == number)
    ).scalar_one_or_none()
    if seat is None:
        raise Refused(f"{body.name} has no seat {number}.", field="seat")
    return seat


def _others(body: Body, exclude: Membership | None = None) -> list[Term]:
    rows = db.session.execute(sa.select(Membership).where(Membership.body_id == body.id)).scalars()
    return [term_of(m) for m in rows if exclude is None or m.id != exclude.id]


def _check(new: Term, body: Body, voted_days: Iterable[date], exclude: Membership | None) -> None:
    problems = term_problems(new, _others(body, exclude), voted_days)
    if problems:
        raise Refused(*problems, field="starts_on")


def add_term(
    body: Body,
    person: Person,
    seat: int,
    starts_on: date,
    ends_on: date | None,
    start_reason: TermStart,
    *,
    actor: User | None,
    voted_days: Iterable[date] = (),
) -> Membership:
    """Seat a person on a body from a date (to a date); the title is the seat's."""
    found = _seat(body, seat)
    new = Term(seat, person.id, starts_on, ends_on, start_reason, None, person.name)
    _check(new, body, voted_days, None)
    member = Membership(
        body=body,
        person=person,
        seat=seat,
        title=found.title,
        starts_on=starts_on,
        ends_on=ends_on,
        start_reason=start_reason,
    )
    db.session.add(member)
    db.session.flush()
    record_event(
        "term.added", member, actor=actor, details=_term_details(member), facts=term_fact(member)
    )
    return member


def update_term(
    member: Membership,
    starts_on: date,
    ends_on: date | None,
    *,
    actor: User | None,
    voted_days: Iterable[date] = (),
) -> bool:
    """Change a term's dates; refused if it would overlap or uncover a ballot."""
    new = Term(
        member.seat,
        member.person_id,
        starts_on,
        ends_on,
        member.start_reason,
        member.end_reason if ends_on is not None else None,
        member.person.name,
    )
    _check(new, member.body, voted_days, member)
    before = fields_of(member, TERM_FIELDS)
    member.starts_on, member.ends_on = starts_on, ends_on
    if ends_on is None:
        member.end_reason = None
    db.session.flush()
    updated = record_changes("term.updated", member, before, actor=actor, facts=term_fact(member))
    return updated is not None


def end_term(
    member: Membership,
    ends_on: date,
    reason: TermEnd,
    *,
    actor: User | None,
    voted_days: Iterable[date] = (),
) -> None:
    """End a term on a date (inclusive) for a reason: expired, resigned, died, removed..."""
    new = Term(
        member.seat,
        member.person_id,
        member.starts_on,
        ends_on,
        member.start_reason,
        reason,
        member.person.name,
    )
    problems = term_problems(new, _others(member.body, member), voted_days)
    if problems:
        raise Refused(*problems, field="ends_on")
    before = fields_of(member, TERM_FIELDS)
    member.ends_on, member.end_reason = ends_on, reason
    db.session.flush()
    record_changes("term.ended", member, before, actor=actor, facts=term_fact(member))


def reinstate(
    member: Membership,
    starts_on: date,
    ends_on: date | None,
    *,
    actor: User | None,
    voted_days: Iterable[date] = (),
) -> Membership:
    """Seat a suspended member again from a date: a new term, started 'reinstated'."""
    if member.end_reason is not TermEnd.SUSPENDED or member.ends_on is None:
        raise Refused("Only a suspended term can be reinstated.", field="starts_on")
    if starts_on <= member.ends_on:
        raise Refused(
            "Reinstatement starts after the suspension began; choose a later date.",
            field="starts_on",
        )
    return add_term(
        member.body,
        member.person,
        member.seat,
        starts_on,
        ends_on,
        TermStart.REINSTATED,
        actor=actor,
        voted_days=voted_days,
    )


def delete_term(member: Membership, *, actor: User | None, voted_days: Iterable[date] = ()) -> None:
    """Delete a term recorded in error; refused while any ballot falls in it."""
    own = [
        term_of(m)
        for m in member.person.memberships
        if m.id != member.id and m.body_id == member.body_id
    ]
    uncovered = [d for d in uncovered_days(own, voted_days) if term_of(member).covers(d)]
    if uncovered:
        day = uncovered[0]
        raise Refused(
            f"{member.person.name} voted on {day:%B} {day.day}, {day.year} in this term; "
            "end the term instead."
        )
    _record_deleted(member, actor)
    db.session.delete(member)
    db.session.flush()
