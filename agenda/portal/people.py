"""The public pages of people: the members of every body, and one member's record and ballots.

The record is the public's whatever the visitor's role: drafts never show here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

from flask import Blueprint, Response, abort, render_template, request, stream_with_context, url_for

from agenda.bodies.people import Member, member, members
from agenda.bodies.queries import body_today
from agenda.errors import Refused
from agenda.matters.rules import STATUS_NAMES, TYPE_NAMES
from agenda.matters.sponsored import sponsored_by
from agenda.pagecache import public_page
from agenda.paging import paging
from agenda.timefmt import format_day, local_date
from agenda.votes.display import MOTION_LABELS, VALUE_LABELS
from agenda.votes.history import all_ballots, attendance_during, ballot_groups, ballot_page
from agenda.votes.history_rules import (
    BALLOTS_PER_PAGE,
    VALUE_CHOICES,
    BallotFilters,
    TermSpan,
    csv_cell,
    majority_share,
    parse_filters,
    result_words,
    value_counts,
)

bp = Blueprint("people", __name__)
P = ParamSpec("P")
T = TypeVar("T")

CSV_COLUMNS = [
    "date", "body", "meeting", "meeting_url", "item", "matter", "matter_url", "motion",
    "motion_text", "vote", "reason", "result", "yes", "no", "abstain", "recused",
]  # fmt: skip


@bp.route("/people")
@public_page
def index() -> str:
    everyone = members()
    return render_template(
        "portal/people.html",
        current=[m for m in everyone if m.is_current],
        former=[m for m in everyone if not m.is_current],
        fmt=format_day,
    )


@bp.route("/people/<int:person_id>")
@public_page
def show(person_id: int) -> str:
    found, filters = _member_and_filters(person_id)
    groups = ballot_groups(person_id, filters, found.timezones)
    counts = value_counts(groups)
    total = counts[filters.value] if filters.value else sum(counts.values())
    pages = _refuse(paging, filters.page, total, BALLOTS_PER_PAGE, noun="votes")
    spans = [TermSpan(t.body_id, t.starts_on, t.ends_on) for t in found.terms]
    sponsored, sponsored_total = sponsored_by(person_id)
    return render_template(
        "portal/person.html",
        found=found,
        filters=filters,
        ballots=ballot_page(person_id, filters, found.timezones),
        total=total,
        pages=pages,
        majority=majority_share(groups),
        attendance=attendance_during(person_id, spans),
        sponsored=sponsored,
        sponsored_total=sponsored_total,
        years=_years(found),
        value_choices=VALUE_CHOICES,
        type_names=TYPE_NAMES,
        status_names=STATUS_NAMES,
        result_words=result_words,
        per_page=BALLOTS_PER_PAGE,
        fmt=format_day,
    )


@bp.route("/people/<int:person_id>/ballots.csv")
@public_page
def ballots_csv(person_id: int) -> Response:
    found, filters = _member_and_filters(person_id)
    # Plain values only: the request's session is done with its objects while the CSV streams.
    rows = stream_with_context(_csv_lines(person_id, filters, frozenset(found.timezones)))
    response = Response(rows, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="ballots-{person_id}.csv"'
    return response


def _member_and_filters(person_id: int) -> tuple[Member, BallotFilters]:
    found = member(person_id)
    if found is None:
        abort(404)
    return found, _refuse(parse_filters, request.args, found.body_ids)


def _refuse(check: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call `check`; a bad filter answers 400 with its message."""
    try:
        return check(*args, **kwargs)
    except Refused as refused:  # a bad filter or a page past the last: both say status 400
        abort(refused.status, description=str(refused))


def _years(found: Member) -> list[int]:
    """Return the years of the member's terms, newest first (to this year for a running term)."""
    this_year = max(body_today(t.body).year for t in found.terms)
    first = min(t.starts_on.year for t in found.terms)
    ends = [t.ends_on.year if t.ends_on else this_year for t in found.terms]
    last = max(*ends, *(t.starts_on.year for t in found.terms))
    return list(range(last, first - 1, -1))


def _csv_lines(person_id: int, filters: BallotFilters, timezones: frozenset[str]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for n, row in enumerate(all_ballots(person_id, filters, timezones)):
        meeting_url = url_for("portal.meeting", meeting_id=row.meeting_id, _external=True)
        matter_url = (
            url_for("portal.matter", matter_id=row.matter_id, _external=True)
            if row.matter_id
            else ""
        )
        text = [
            row.body_name,
            f"{row.meeting_type.value.capitalize()} meeting",
            meeting_url,
            row.item_title,
            row.file_number or "",
            matter_url,
            MOTION_LABELS[row.motion_kind],
            row.motion_text,
            VALUE_LABELS[row.value],
            row.reason or "",
            result_words(row.result, row.method, row.yes_count, row.no_count),
        ]
        day = local_date(row.scheduled_at, row.timezone).isoformat()
        counts = [row.yes_count, row.no_count, row.abstain_count, row.recused_count]
        writer.writerow([day, *(csv_cell(t) for t in text), *counts])
        if n % 200 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
