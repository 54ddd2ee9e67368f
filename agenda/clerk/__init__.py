"""The clerk's workspace: one parent blueprint whose single guard admits clerks and admins.

Each area's staff screens are child blueprints (`<area>/manage.py`) that the app factory
hangs under this parent, so every route below /clerk/ passes the same access check.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from agenda.auth.rules import is_staff
from agenda.extensions import login_manager
from agenda.matters.queries import recent_matters
from agenda.matters.rules import STATUS_NAMES
from agenda.meetings.queries import meetings_page


def require_staff() -> Response | None:
    """Check access once for the whole workspace: sign in first, then clerks and admins only."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_staff(current_user.role):
        abort(403)
    return None


def dashboard() -> str:
    """The workspace's front page: every meeting a page at a time, and the newest legislation."""
    page = meetings_page(request.args.get("page", 1, type=int))
    return render_template(
        "clerk/dashboard.html",
        page=page,
        meetings=page.meetings,
        matters=recent_matters(),
        status_names=STATUS_NAMES,
    )


def blueprint(children: Iterable[Blueprint]) -> Blueprint:
    """Return the parent blueprint at /clerk with its guard, its front page and the children."""
    bp = Blueprint("clerk", __name__, url_prefix="/clerk")
    bp.before_request(require_staff)
    bp.add_url_rule("/", "dashboard", dashboard)
    for child in children:
        bp.register_blueprint(child)
    return bp
