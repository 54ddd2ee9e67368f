"""The clerk's workspace blueprint: every route on it is for clerks and admins only."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from agenda.auth.rules import is_staff
from agenda.extensions import db, login_manager
from agenda.matters.models import Matter
from agenda.meetings.models import Meeting

bp = Blueprint("clerk", __name__, url_prefix="/clerk")


@bp.before_request
def require_staff() -> Response | None:
    """Check access once for the whole workspace: sign in first, then clerks and admins only."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_staff(current_user.role):
        abort(403)
    return None


@bp.route("/")
def dashboard() -> str:
    meetings = db.session.execute(
        sa.select(Meeting).options(selectinload(Meeting.body)).order_by(Meeting.scheduled_at.desc())
    ).scalars()
    matters = db.session.execute(
        sa.select(Matter).order_by(Matter.created_at.desc()).limit(50)
    ).scalars()
    return render_template("clerk/dashboard.html", meetings=list(meetings), matters=list(matters))
