"""The public search page, `/search?q=`: ranked results with highlighted snippets, filters."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from agenda.auth.access import current_viewer
from agenda.bodies.queries import bodies
from agenda.bodies.rules import EARLIEST_DAY, LATEST_DAY
from agenda.pagecache import public_page
from agenda.search.queries import Filters, search
from agenda.search.rules import KIND_LABELS, MAX_PAGE, SearchKind, page_count, parse_query

bp = Blueprint("search", __name__)


@bp.route("/search")
@public_page
def index() -> str:
    raw = request.args.get("q", "")
    parsed = parse_query(raw)
    filters = _filters()
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(400, f"Choose a page from 1 to {MAX_PAGE}.")
    found = search(parsed, current_viewer(), filters, page)
    return render_template(
        "search/index.html",
        query=parsed.text,
        parsed=parsed,
        asked=bool(raw.strip()),
        filters=filters,
        found=found,
        page=page,
        pages=page_count(found.total),
        bodies=bodies(),
        kinds=KIND_LABELS,
    )


def _filters() -> Filters:
    year = request.args.get("year", type=int)
    if year is not None and not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        abort(400, f"Choose a year from {EARLIEST_DAY.year} to {LATEST_DAY.year}.")
    kind = request.args.get("kind", "")
    if kind and kind not in set(SearchKind):
        abort(400, "Choose a kind of record from the list.")
    return Filters(
        body_id=request.args.get("body", type=int),
        year=year,
        kind=SearchKind(kind) if kind else None,
    )
