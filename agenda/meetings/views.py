"""Public meeting pages: the list with filters and one meeting's agenda."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from agenda.auth.access import current_role
from agenda.meetings.queries import bodies, list_meetings, meeting_page
from agenda.meetings.rules import item_number

bp = Blueprint("meetings", __name__)


@bp.route("/meetings")
def index() -> str:
    body_id = request.args.get("body", type=int)
    year = request.args.get("year", type=int)
    meetings = list_meetings(current_role(), body_id=body_id, year=year)
    return render_template(
        "meetings/index.html", meetings=meetings, bodies=bodies(), body_id=body_id, year=year
    )


@bp.route("/meetings/<int:meeting_id>")
def detail(meeting_id: int) -> str:
    meeting = meeting_page(meeting_id, current_role())
    if meeting is None:
        abort(404)
    return render_template("meetings/detail.html", meeting=meeting, item_number=item_number)
