"""The facts of bodies and terms as the audit chain keeps them (a body's voting settings and
seats, who held which seat when) and as the tables hold them now, for `flask verify`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.audit.signals import record_facts
from agenda.audit.verify import FactSource
from agenda.bodies.models import Body, Membership
from agenda.bodies.queries import person_names
from agenda.extensions import db

KINDS = frozenset({"body", "term"})
# Every setting of a body the admin edits: audited as changes, replayed as the body's fact.
BODY_FIELDS = [
    "name",
    "kind",
    "timezone",
    "seats",
    "quorum_rule",
    "quorum_fixed",
    "abstention_policy",
    "is_recused_counted_for_quorum",
    "seat_base",
    "is_full_body_less_recused",
    "presiding_seat",
    "presiding_vote",
    "is_presiding_counted_for_quorum",
    "is_presiding_seat_counted",
    "is_in_person_quorum",
    "is_unexcused_departure_present",
    "is_tie_continued",
    "rules_citation",
    "is_unanimous_consent_allowed",
    "notice_hours_regular",
    "notice_hours_special",
    "default_location",
    "default_time",
    "accommodation_statement",
    "appeal_statement",
    "default_thresholds",
    "section_template",
]


def body_fact(body: Body) -> dict[str, Any]:
    """Return a body's settings (voting, notices, meeting defaults) and its seats' titles."""
    state = {name: getattr(body, name) for name in BODY_FIELDS}
    state["seat_titles"] = [seat.title for seat in body.seat_list]
    return {f"body:{body.id}": state}


def term_fact(member: Membership) -> dict[str, Any]:
    """Return a term: who held which seat of which body, from when to when, and why."""
    return {
        f"term:{member.id}": {
            "body": member.body_id,
            "person": member.person_id,
            "seat": member.seat,
            "title": member.title,
            "starts_on": member.starts_on,
            "ends_on": member.ends_on,
            "start_reason": member.start_reason,
            "end_reason": member.end_reason,
        }
    }


def bodies_source() -> FactSource:
    """Return every body's settings and every term as the tables hold them now."""
    states: dict[str, Any] = {}
    for body in db.session.execute(sa.select(Body).options(selectinload(Body.seat_list))).scalars():
        states |= body_fact(body)
    for member in db.session.execute(sa.select(Membership)).scalars():
        states |= term_fact(member)
    names = person_names()
    return FactSource("bodies and terms", KINDS, states, names)


def _source(sender: object, **kwargs: Any) -> FactSource:
    return bodies_source()


def connect() -> None:
    """Answer `flask verify`'s question for this area's facts (safe to call again)."""
    record_facts.connect(_source)
