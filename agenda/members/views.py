"""A commissioner's home: "My meetings", the upcoming meetings of the bodies they sit on."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from agenda.auth.access import current_viewer
from agenda.auth.rules import Role
from agenda.db import utcnow
from agenda.extensions import login_manager
from agenda.members.queries import my_meetings

bp = Blueprint("members", __name__, url_prefix="/my")


@bp.before_request
def require_commissioner() -> Response | None:
    """Admit commissioners only: sign in first; other roles are refused."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role is not Role.COMMISSIONER:
        abort(403)
    return None


@bp.route("/meetings")
def home() -> str:
    meetings = my_meetings(current_user.id, current_viewer(), utcnow())
    return render_template("members/home.html", meetings=meetings)
