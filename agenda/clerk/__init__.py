"""The clerk's workspace: one parent blueprint whose single guard admits clerks and admins.

Each area's staff screens are child blueprints (`<area>/manage.py`) that the app factory
hangs under this parent, so every route below /clerk/ passes the same access check.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from agenda.auth.access import current_viewer, fresh_viewer
from agenda.auth.rules import is_staff
from agenda.extensions import db, login_manager
from agenda.matters.models import Matter
from agenda.matters.queries import recent_matters
from agenda.matters.rules import STATUS_NAMES
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import meetings_page
from agenda.minutes.models import Disclosure
from agenda.votes.models import Motion, Vote

# How each id a /clerk route names leads to its body: a query of the body's id.
_MEETING = sa.select(Meeting.body_id)
_SECTION = _MEETING.join(AgendaSection, AgendaSection.meeting_id == Meeting.id)
_ITEM = _SECTION.join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
_MOTION = _ITEM.join(Motion, Motion.agenda_item_id == AgendaItem.id)
BODY_OF = {
    "meeting_id": (_MEETING, Meeting.id),
    "section_id": (_SECTION, AgendaSection.id),
    "item_id": (_ITEM, AgendaItem.id),
    "motion_id": (_MOTION, Motion.id),
    "vote_id": (_MOTION.join(Vote, Vote.motion_id == Motion.id), Vote.id),
    "disclosure_id": (
        _MEETING.join(Disclosure, Disclosure.meeting_id == Meeting.id),
        Disclosure.id,
    ),
    "matter_id": (sa.select(Matter.body_id), Matter.id),
}


def require_staff() -> Response | None:
    """Check access once for the whole workspace: sign in first, then clerks and admins only.

    A clerk limited to some bodies gets 404 for any other body's meeting, item, motion...
    """
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_staff(current_user.role):
        abort(403)
    viewer = fresh_viewer()
    if viewer.limited_to is not None:
        for body_id in _named_bodies(request.view_args or {}):
            if not viewer.works_on(body_id):
                abort(404)
    return None


def _named_bodies(view_args: dict[str, object]) -> list[int]:
    """Return the bodies of the records a route names (missing records are the view's 404)."""
    found = []
    for name, value in view_args.items():
        if name not in BODY_OF:
            continue
        query, key = BODY_OF[name]
        body_id = db.session.execute(query.where(key == value)).scalar_one_or_none()
        if body_id is not None:
            found.append(body_id)
    return found


def dashboard() -> str:
    """The workspace's front page: every meeting a page at a time, and the newest legislation."""
    limited_to = current_viewer().limited_to
    page = meetings_page(request.args.get("page", 1, type=int), body_ids=limited_to)
    return render_template(
        "clerk/dashboard.html",
        page=page,
        meetings=page.meetings,
        matters=recent_matters(body_ids=limited_to),
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
