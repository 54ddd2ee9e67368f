"""Bodies and people in the API: the organizations, who sits or sat on them, and every term.

A person appears only once they held a seat (Popolo: a member); staff without a term are
nobody's member, as on the public site. Each read runs a fixed number of queries.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

import sqlalchemy as sa
from flask import url_for
from pydantic import Field
from sqlalchemy.orm import selectinload

from agenda.api import core
from agenda.api.schemas import BodyDetail, BodyOut, MembershipOut, Page, PersonOut, Schema
from agenda.bodies.models import Body, Membership, Person
from agenda.db import utcnow
from agenda.extensions import db
from agenda.timefmt import local_date

MOST = 100


class ListQuery(Schema):
    limit: int = Field(50, ge=1, le=MOST, description="Results per page, 1 to 100.")
    cursor: Optional[str] = Field(None, description="The `next` address's cursor.")


class PeopleQuery(ListQuery):
    body: Optional[int] = Field(
        None, ge=1, description="Only people who hold or held a seat on this body."
    )
    current: Optional[bool] = Field(
        None,
        description="true: only people holding a seat today (on `body`, if given); "
        "false: only people holding none today.",
    )


# ---------------------------------------------------------------------------------------------
# Rows to answers


def membership_out(term: Membership) -> MembershipOut:
    """Return a term as a Popolo membership (its person and body loaded)."""
    return MembershipOut(
        id=term.id, person_id=term.person_id, person_name=term.person.name,
        organization_id=term.body_id, organization_name=term.body.name, seat=term.seat,
        label=term.title, start_date=term.starts_on, end_date=term.ends_on,
        start_reason=term.start_reason.value,
        end_reason=term.end_reason.value if term.end_reason is not None else None,
    )  # fmt: skip


def _body_fields(body: Body) -> dict[str, object]:
    return {
        "id": body.id, "name": body.name, "slug": body.slug,
        "classification": body.kind.value, "seats": body.seats, "timezone": body.timezone,
        "quorum_rule": body.quorum_rule.value, "abstention_policy": body.abstention_policy.value,
        "rules_citation": body.rules_citation,
        "url": url_for("api.get_body", body_id=body.id, _external=True),
        "html_url": url_for("portal.body", body_id=body.id, _external=True),
    }  # fmt: skip


def body_out(body: Body) -> BodyOut:
    """Return a body as an OCD organization."""
    return BodyOut.model_validate(_body_fields(body))


def person_out(person: Person) -> PersonOut:
    """Return a person with every term they held (memberships, bodies loaded)."""
    terms = sorted(person.memberships, key=lambda t: (t.starts_on, t.body_id, t.seat))
    return PersonOut(
        id=person.id,
        name=person.name,
        memberships=[membership_out(t) for t in terms],
        url=url_for("api.get_person", person_id=person.id, _external=True),
        html_url=url_for("people.show", person_id=person.id, _external=True),
    )


# ---------------------------------------------------------------------------------------------
# Routes


@core.read("/bodies", response=Page[BodyOut], tag="bodies", query=ListQuery)
def list_bodies(query: ListQuery) -> Page[BodyOut]:
    """List the bodies (OCD organizations), by name.

    Each with its seats, time zone and voting rules; `/bodies/{body_id}` adds every term.
    """
    page, following = _by_name(sa.select(Body), Body, query)
    return Page[BodyOut](results=[body_out(b) for b in page], next=following)


def _by_name(select: sa.Select[Any], model: Any, query: ListQuery) -> tuple[list[Any], str | None]:
    """Read one page of rows in order of (name, id) after the query's cursor; return the page
    and the next page's address."""
    select = select.order_by(model.name, model.id).limit(query.limit + 1)
    if query.cursor is not None:
        name, ident = core.decode_cursor(query.cursor, (str, int))
        select = select.where(sa.tuple_(model.name, model.id) > sa.tuple_(name, ident))
    rows = list(db.session.execute(select).scalars())
    page, more = rows[: query.limit], len(rows) > query.limit
    cursor = core.encode_cursor((page[-1].name, page[-1].id)) if more else None
    return page, core.next_link(cursor)


@core.read("/bodies/<int:body_id>", response=BodyDetail, tag="bodies")
def get_body(body_id: int) -> BodyDetail:
    """Show a body with every term on its seats, current and past.

    Terms are in seat order, the newest first on each seat.
    """
    body = core.found(Body, body_id)
    terms = db.session.execute(
        sa.select(Membership)
        .where(Membership.body_id == body.id)
        .options(selectinload(Membership.person))
        .order_by(Membership.seat, Membership.starts_on.desc(), Membership.id)
    ).scalars()
    return BodyDetail.model_validate(
        {**_body_fields(body), "memberships": [membership_out(t) for t in terms]}
    )


@core.read("/people", response=Page[PersonOut], tag="people", query=PeopleQuery)
def list_people(query: PeopleQuery) -> Page[PersonOut]:
    """List the people who hold or held a seat (Popolo persons), by name.

    Each with every term they held on any body. `body` keeps the members of one body;
    `current` those who hold a seat today (in each body's time zone), or, false, those who
    hold none.
    """
    select = (
        sa.select(Person)
        .where(_member_of(query.body, query.current))
        .options(selectinload(Person.memberships).selectinload(Membership.body))
    )
    page, following = _by_name(select, Person, query)
    return Page[PersonOut](results=[person_out(p) for p in page], next=following)


@core.read("/people/<int:person_id>", response=PersonOut, tag="people")
def get_person(person_id: int) -> PersonOut:
    """Show a person with every term they held; 404 for someone who never held a seat."""
    person = db.session.execute(
        sa.select(Person)
        .where(Person.id == person_id, _member_of(None, None))
        .options(selectinload(Person.memberships).selectinload(Membership.body))
    ).scalar_one_or_none()
    if person is None:
        raise core.not_found()
    return person_out(person)


def _member_of(body_id: int | None, current: bool | None) -> sa.ColumnElement[bool]:
    """Return the condition on Person: held a seat (on `body_id`), holding one today or not."""
    held = [Membership.person_id == Person.id]
    if body_id is not None:
        held.append(Membership.body_id == body_id)
    condition = sa.exists().where(*held)
    if current is None:
        return condition
    seated = sa.exists().where(*held, _seated_today(body_id))
    return sa.and_(condition, seated if current else ~seated)


def _seated_today(body_id: int | None) -> sa.ColumnElement[bool]:
    """Return the condition on Membership: it runs today where its body meets."""
    zones = sa.select(Body.id, Body.timezone)
    if body_id is not None:
        zones = zones.where(Body.id == body_id)
    by_zone: dict[str, list[int]] = {}
    for ident, zone in db.session.execute(zones):
        by_zone.setdefault(zone, []).append(ident)
    now = utcnow()
    running = [
        sa.and_(Membership.body_id.in_(ids), _active_on(local_date(now, zone)))
        for zone, ids in by_zone.items()
    ]
    return sa.or_(sa.false(), *running)


def _active_on(day: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        Membership.starts_on <= day,
        sa.or_(Membership.ends_on.is_(None), Membership.ends_on >= day),
    )
