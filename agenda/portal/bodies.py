"""The public pages of bodies: the list, and one body's roster on any date, past members,
meetings, voting rules and how often its members vote alike.

The routes belong to the portal's blueprint, so their endpoints stay `portal.body_list` and
`portal.body`.
"""

from __future__ import annotations

import re
from datetime import date

from flask import abort, render_template, request

from agenda.auth.rules import PUBLIC
from agenda.bodies.models import Body
from agenda.bodies.queries import bodies, body_today
from agenda.bodies.roster_history import body_with_terms, members_between, past_members, seats_on
from agenda.bodies.rules import EARLIEST_DAY, LATEST_DAY, RosterSeat
from agenda.db import utcnow
from agenda.meetings.queries import upcoming_and_recent
from agenda.pagecache import public_page
from agenda.portal.body_rules import rules_summary
from agenda.portal.heatmap import heatmap
from agenda.portal.views import bp
from agenda.timefmt import format_day
from agenda.votes.agreement import (
    MOST_MEMBERS,
    Matrix,
    Period,
    agreement_matrix,
    count_patterns,
    default_period,
    period_words,
    twelve_months_to,
    year_period,
)
from agenda.votes.body_history import side_patterns

RANGE = f"from {EARLIEST_DAY.year} to {LATEST_DAY.year}"


@bp.route("/bodies")
@public_page
def body_list() -> str:
    return render_template("portal/bodies.html", bodies=bodies())


@bp.route("/bodies/<int:body_id>")
@public_page
def body(body_id: int) -> str:
    found = body_with_terms(body_id)
    if found is None:
        abort(404)
    day, year = _day_asked() or body_today(found), _year_asked()
    # The public's view whoever asks: drafts never show on the body's page.
    upcoming, recent = upcoming_and_recent(PUBLIC, utcnow(), body_id=found.id)
    seats = seats_on(found, day)
    period, matrix, roll_calls = _agreement(found, seats, day, year)
    return render_template(
        "portal/body.html",
        body=found,
        kind=found.kind.value.capitalize(),
        day=day,
        year=year,
        seats=seats,
        past=past_members(found, day),
        rules=rules_summary(found),
        upcoming=upcoming,
        recent=recent,
        matrix=matrix,
        drawing=heatmap(matrix),
        period=period_words(period),
        roll_calls=roll_calls,
        fmt=format_day,
    )


def _agreement(
    body: Body, seats: list[RosterSeat], day: date, year: int | None
) -> tuple[Period, Matrix, int]:
    """Return the matrix's period, the matrix and its roll calls: one query, or two when the
    last twelve months hold too few roll calls and the whole record to `day` is read instead.

    Without a year: the members seated on `day`; with one, everyone seated during it.
    """
    if year is None:
        members = [(s.term.person_id, s.term.person_name) for s in seats if s.term]
        period = twelve_months_to(day)
    else:
        period = year_period(year)
        members = members_between(body, period.first, period.last)
    ids = [person_id for person_id, _ in members[:MOST_MEMBERS]]
    patterns = side_patterns(body.id, period, body.timezone, ids)
    if year is None:
        chosen = default_period(day, sum(n for _, _, n in patterns))
        if chosen != period:
            period, patterns = chosen, side_patterns(body.id, chosen, body.timezone, ids)
    matrix = agreement_matrix(members[:MOST_MEMBERS], count_patterns(ids, patterns))
    return period, matrix, sum(n for _, _, n in patterns)


def _day_asked() -> date | None:
    raw = request.args.get("on", "").strip()
    if not raw:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError
        day = date.fromisoformat(raw)
    except ValueError:
        abort(400, f"“{raw[:40]}” is not a date: write it as YYYY-MM-DD, such as 2026-07-07.")
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        abort(400, f"Choose a date {RANGE}.")
    return day


def _year_asked() -> int | None:
    raw = request.args.get("year", "").strip()
    if not raw:
        return None
    is_number = raw.isascii() and raw.isdecimal()
    if not is_number or not EARLIEST_DAY.year <= int(raw) <= LATEST_DAY.year:
        abort(400, f"Choose a year {RANGE}.")
    return int(raw)
