"""The public front page and the load balancer's health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template
from werkzeug.wrappers import Response

from agenda.auth.access import current_viewer
from agenda.db import utcnow
from agenda.extensions import db
from agenda.meetings.queries import upcoming_and_recent

bp = Blueprint("portal", __name__)


@bp.route("/")
def home() -> str:
    upcoming, recent = upcoming_and_recent(current_viewer(), utcnow())
    return render_template("portal/home.html", upcoming=upcoming, recent=recent)


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
