"""The admin's setup of the city: one parent blueprint at /admin whose guard admits admins only.

Each topic (the jurisdiction, bodies and their rules, people and terms, users) is a child
blueprint in its own module, hung under this parent, so every /admin route passes one check.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from agenda.admin import bodies, jurisdiction, people, users
from agenda.auth.rules import Role
from agenda.extensions import login_manager

CHILDREN = (jurisdiction.bp, bodies.bp, people.bp, users.bp)
# The admin's topics as the front page lists them: (endpoint, label, what it sets up).
TOPICS = (
    ("admin.jurisdiction.edit", "The jurisdiction", "name, time zone, notice statements, rules"),
    ("admin.bodies.index", "Bodies", "seats and their titles, voting rules, meeting defaults"),
    ("admin.people.index", "People and terms", "who holds which seat, from when to when"),
    ("admin.users.index", "Users", "invitations, roles, disabling and password resets"),
    ("clerk.tokens.index", "API tokens", "every user's tokens for the JSON API; revoke any"),
)


def require_admin() -> Response | None:
    """Sign in first; then admins only (clerks and commissioners are refused)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role is not Role.ADMIN:
        abort(403)
    return None


def home() -> str:
    return render_template("admin/home.html", topics=TOPICS)


def blueprint() -> Blueprint:
    """Return the /admin parent blueprint with its guard, its front page and every topic."""
    bp = Blueprint("admin", __name__, url_prefix="/admin")
    bp.before_request(require_admin)
    bp.add_url_rule("/", "home", home)
    for child in CHILDREN:
        bp.register_blueprint(child)
    return bp
