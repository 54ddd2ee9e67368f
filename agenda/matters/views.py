"""Public pages of this area: the list of legislation with its filters.

The page of one matter shows its votes too, so it lives in the portal.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from agenda.auth.access import current_viewer
from agenda.matters.listing import matter_list, read_filters
from agenda.matters.rules import STATUS_NAMES, TYPE_NAMES
from agenda.pagecache import public_page
from agenda.paging import BadValue

bp = Blueprint("matters", __name__)


@bp.route("/matters")
@public_page
def index() -> str:
    try:
        filters = read_filters(request.args)
        found = matter_list(current_viewer(), filters)
    except BadValue as refusal:
        abort(400, description=" ".join(refusal.messages))
    return render_template(
        "matters/index.html",
        found=found,
        filters=filters,
        type_names=TYPE_NAMES,
        status_names=STATUS_NAMES,
    )
