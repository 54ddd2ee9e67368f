"""Reads about bodies: who holds a seat on a given date, and how members are named."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.bodies.models import Body, Jurisdiction, Membership, Person
from agenda.bodies.rules import RosterSeat, Term, choice_name, roster_on, seat_name
from agenda.db import utcnow
from agenda.extensions import db
from agenda.timefmt import local_date

# Each stored voting setting of a body, by the name votes.rules.VotingRules gives it.
VOTING_SETTINGS = {
    "seats": "seats",
    "quorum_rule": "quorum_rule",
    "quorum_fixed": "quorum_fixed",
    "abstention_policy": "abstention_policy",
    "is_recused_counted_for_quorum": "recused_count_for_quorum",
    "seat_base": "seat_base",
    "is_full_body_less_recused": "full_body_less_recused",
    "presiding_vote": "presiding_vote",
    "is_presiding_counted_for_quorum": "presiding_counted_for_quorum",
    "is_presiding_seat_counted": "presiding_seat_counted",
    "is_in_person_quorum": "in_person_quorum",
    "is_unexcused_departure_present": "unexcused_departure_present",
    "is_tie_continued": "tie_continues",
    "rules_citation": "citation",
}


def voting_settings(body: Body | Mapping[str, Any]) -> dict[str, Any]:
    """Return a body's voting settings (or a form's, by column) as VotingRules takes them."""
    names = [*VOTING_SETTINGS, "presiding_seat"]
    values = body if isinstance(body, Mapping) else {n: getattr(body, n) for n in names}
    settings = {ours: values[column] for column, ours in VOTING_SETTINGS.items()}
    settings["has_presiding_seat"] = values["presiding_seat"] is not None
    return settings


def presiding_title(body: Body) -> str:
    """Return the title of the body's presiding seat ('Mayor'), or '' when it has none."""
    seat = next((s for s in body.seat_list if s.number == body.presiding_seat), None)
    return seat.title if seat is not None else ""


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


def bodies_with_seats() -> list[Body]:
    """Return every body, by name, with its seats loaded (one query for all of them)."""
    query = sa.select(Body).options(selectinload(Body.seat_list)).order_by(Body.name)
    return list(db.session.execute(query).scalars())


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


def body_roster(body: Body, day: date) -> list[RosterSeat]:
    """Return each of the body's seats on `day`: its holder, or 'Vacant' and why."""
    members = db.session.execute(
        sa.select(Membership)
        .where(Membership.body_id == body.id)
        .options(selectinload(Membership.person))
    ).scalars()
    seats = [(s.number, s.title) for s in body.seat_list]
    return roster_on(day, seats, [term_of(m) for m in members])


def body_today(body: Body) -> date:
    """Return today's date where the body meets."""
    return local_date(utcnow(), body.timezone)


def person_terms(person_id: int) -> list[Membership]:
    """Return a person's terms on every body, latest first, with their bodies loaded."""
    return list(
        db.session.execute(
            sa.select(Membership)
            .where(Membership.person_id == person_id)
            .options(selectinload(Membership.body))
            .order_by(Membership.starts_on.desc())
        ).scalars()
    )


def people_list(day: date) -> tuple[list[tuple[Person, list[Membership]]], list[Person]]:
    """Return (current members with their terms active on `day`, everyone else) by name."""
    people = db.session.execute(
        sa.select(Person)
        .options(selectinload(Person.memberships).selectinload(Membership.body))
        .order_by(Person.name)
    ).scalars()
    current, former = [], []
    for person in people:
        seated = [m for m in person.memberships if term_of_day(m, day)]
        if seated:
            current.append((person, seated))
        else:
            former.append(person)
    return current, former


def term_of_day(member: Membership, day: date) -> bool:
    """Tell whether a membership is active on `day`."""
    return member.starts_on <= day and (member.ends_on is None or day <= member.ends_on)


def term_of(member: Membership) -> Term:
    """Return a membership as the pure rules see it."""
    return Term(
        seat=member.seat,
        person_id=member.person_id,
        starts_on=member.starts_on,
        ends_on=member.ends_on,
        start_reason=member.start_reason,
        end_reason=member.end_reason,
        person_name=member.person.name if member.person else "",
    )


def person_names() -> dict[int, str]:
    """Return every person's name by id (for messages that name people)."""
    return dict(db.session.execute(sa.select(Person.id, Person.name)).all())
