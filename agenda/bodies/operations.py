"""Writes about the jurisdiction and its bodies: create and change them, audited old and new."""

from __future__ import annotations

import re
from datetime import date, time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from agenda.audit.operations import fields_of, record_event
from agenda.bodies.facts import BODY_FIELDS, body_fact
from agenda.bodies.models import Body, Jurisdiction, Membership, Seat
from agenda.bodies.rules import PRESETS, PresidingVote, QuorumRule, RulesPreset
from agenda.errors import Refused
from agenda.extensions import db
from agenda.timefmt import timezone_problem

if TYPE_CHECKING:
    from agenda.auth.models import User

JURISDICTION_FIELDS = [
    "name",
    "timezone",
    "address",
    "website",
    "accommodation_statement",
    "appeal_statement",
    "rules_preset",
]


def jurisdiction() -> Jurisdiction | None:
    """Return the install's jurisdiction, or None before setup."""
    return db.session.execute(
        sa.select(Jurisdiction).order_by(Jurisdiction.id).limit(1)
    ).scalar_one_or_none()


def _audit_values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, time | date) else v) for k, v in values.items()}


def update_jurisdiction(*, actor: User | None, **values: Any) -> Jurisdiction:
    """Save the jurisdiction's fields, creating the row when there is none yet."""
    problem = timezone_problem(values["timezone"])
    if problem:
        raise Refused(problem, field="timezone")
    values["rules_preset"] = RulesPreset(values["rules_preset"])
    found = jurisdiction()
    if found is None:
        found = Jurisdiction(**values)
        db.session.add(found)
        db.session.flush()
        details = {"changes": {k: [None, v] for k, v in _audit_values(values).items()}}
        record_event("jurisdiction.created", found, actor=actor, details=details)
        return found
    before = _audit_values(fields_of(found, JURISDICTION_FIELDS))
    for name, value in values.items():
        setattr(found, name, value)
    db.session.flush()
    _record(found, "jurisdiction.updated", before, JURISDICTION_FIELDS, actor)
    return found


def _record(obj: Any, action: str, before: dict[str, Any], names: list[str], actor: Any) -> None:
    after = _audit_values(fields_of(obj, names))
    diff = {k: [before[k], after[k]] for k in names if before[k] != after[k]}
    if diff:
        record_event(action, obj, actor=actor, details={"changes": diff})


# The settings a preset gives a body, by Body column (PresetSettings uses the same names).
PRESET_FIELDS = [
    "quorum_rule",
    "abstention_policy",
    "is_recused_counted_for_quorum",
    "notice_hours_regular",
    "notice_hours_special",
    "seat_base",
    "is_full_body_less_recused",
    "presiding_vote",
    "is_presiding_counted_for_quorum",
    "is_presiding_seat_counted",
    "is_in_person_quorum",
    "is_unexcused_departure_present",
    "is_tie_continued",
]
# The presiding settings that mean "no presiding officer apart": every member votes alike.
PRESIDING_DEFAULTS = {
    "presiding_vote": PresidingVote.ALWAYS,
    "is_presiding_counted_for_quorum": True,
    "is_presiding_seat_counted": True,
}


def preset_settings(preset: RulesPreset, presiding_seat: int | None = None) -> dict[str, Any]:
    """Return a preset's settings as a body stores them, its default thresholds and citation.

    The presiding seat is `presiding_seat`, else the preset's (the mayor's seat 1), else seat 1
    when the preset sets the presiding officer apart (votes only on a tie, say).
    """
    found = PRESETS[preset]
    values: dict[str, Any] = {name: getattr(found, name) for name in PRESET_FIELDS}
    values["default_thresholds"] = dict(found.default_thresholds)
    values["rules_citation"] = found.citation
    apart = any(values[k] != v for k, v in PRESIDING_DEFAULTS.items())
    values["presiding_seat"] = presiding_seat or found.presiding_seat or (1 if apart else None)
    return values


def new_body_settings(preset: RulesPreset | None = None) -> dict[str, Any]:
    """Return a new body's settings: a preset's (the jurisdiction's unless given), its time zone.

    `seat_titles` is the preset's usual make-up of such a body (empty when it has none).
    """
    found = jurisdiction()
    preset = preset or (found.rules_preset if found else RulesPreset.GENERAL)
    return {
        "timezone": found.timezone if found else "America/New_York",
        **preset_settings(preset),
        "seat_titles": list(PRESETS[preset].seat_titles),
    }


def _slug_for(name: str, body_id: int | None) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:70] or "body"
    slug, n = base, 2
    while db.session.execute(
        sa.select(Body.id).where(Body.slug == slug, Body.id != (body_id or 0))
    ).first():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check(body: Body | None, values: dict[str, Any], titles: list[str]) -> None:
    problem = timezone_problem(values["timezone"])
    if problem:
        raise Refused(problem, field="timezone")
    clash = db.session.execute(
        sa.select(Body.id).where(
            sa.func.lower(Body.name) == values["name"].lower(),
            Body.id != (body.id if body else 0),
        )
    ).first()
    if clash:
        raise Refused(f"There is already a body named “{values['name']}”.", field="name")
    seats = len(titles)
    if values["quorum_rule"] is QuorumRule.FIXED_NUMBER:
        fixed = values.get("quorum_fixed")
        if fixed is None or not 1 <= fixed <= seats:
            raise Refused(
                f"A fixed quorum must be between 1 and the {seats} seats.", field="quorum_fixed"
            )
    else:
        values["quorum_fixed"] = None
    _check_presiding(values, seats)
    if body is not None:
        _check_held_seats(body, seats)


def _check_presiding(values: dict[str, Any], seats: int) -> None:
    seat = values.get("presiding_seat")
    if seat is not None and not 1 <= seat <= seats:
        raise Refused(
            f"The presiding officer's seat must be one of the body's {seats} seats.",
            field="presiding_seat",
        )
    apart = [k for k, v in PRESIDING_DEFAULTS.items() if values.get(k, v) != v]
    if seat is None and apart:
        raise Refused(
            "Choose the presiding officer's seat: a presiding officer who votes only on a tie"
            " or never, who does not count toward quorum or who holds no seat in the counts"
            " needs one.",
            field="presiding_seat",
        )
    if seat is not None and not values.get("is_presiding_seat_counted", True) and seats < 2:
        raise Refused(
            "A body whose presiding seat is not counted needs another seat; add a seat or"
            " count the presiding seat.",
            field="is_presiding_seat_counted",
        )


def _check_held_seats(body: Body, seats: int) -> None:
    held = (
        db.session.execute(
            sa.select(Membership)
            .where(
                Membership.body_id == body.id,
                Membership.seat > seats,
                sa.or_(Membership.ends_on.is_(None), Membership.ends_on >= date.today()),
            )
            .order_by(Membership.seat)
        )
        .scalars()
        .first()
    )
    if held is not None:
        until = f"until {held.ends_on.isoformat()}" if held.ends_on else "with no end date"
        raise Refused(
            f"Seat {held.seat} is held by {held.person.name} {until}; end that term first.",
            field="seat_titles",
        )


def create_body(*, actor: User | None, titles: list[str], **values: Any) -> Body:
    """Create a body with its seats, titled in order."""
    _check(None, values, titles)
    body = Body(**values, seats=len(titles), slug=_slug_for(values["name"], None))
    body.seat_list = [Seat(number=n, title=t) for n, t in enumerate(titles, start=1)]
    db.session.add(body)
    db.session.flush()
    after = _audit_values(fields_of(body, BODY_FIELDS))
    details = {"changes": {k: [None, v] for k, v in after.items()}}
    details["changes"]["seat_titles"] = [None, titles]
    record_event("body.created", body, actor=actor, details=details, facts=body_fact(body))
    return body


def update_body(body: Body, *, actor: User | None, titles: list[str], **values: Any) -> Body:
    """Change a body's settings and seats; recorded votes keep the tallies stored with them."""
    _check(body, values, titles)
    before = _audit_values(fields_of(body, BODY_FIELDS))
    old_titles = [s.title for s in body.seat_list]
    for name, value in values.items():
        setattr(body, name, value)
    body.seats = len(titles)
    for seat in list(body.seat_list):
        if seat.number > len(titles):
            body.seat_list.remove(seat)
    for n, title in enumerate(titles, start=1):
        if n <= len(body.seat_list):
            body.seat_list[n - 1].title = title
        else:
            body.seat_list.append(Seat(number=n, title=title))
    db.session.flush()
    after = _audit_values(fields_of(body, BODY_FIELDS))
    diff: dict[str, Any] = {k: [before[k], after[k]] for k in BODY_FIELDS if before[k] != after[k]}
    if old_titles != titles:
        diff["seat_titles"] = [old_titles, titles]
    if diff:
        record_event(
            "body.updated", body, actor=actor, details={"changes": diff}, facts=body_fact(body)
        )
    return body
