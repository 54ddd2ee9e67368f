"""Who is looking at a request, for the access checks of views and queries."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import g
from flask_login import current_user

from agenda.auth.models import User, UserBody
from agenda.auth.rules import PUBLIC, Role, Viewer
from agenda.bodies.queries import seated_body_ids
from agenda.extensions import db


def current_viewer() -> Viewer:
    """Return who is looking at this request: the public, staff, or a commissioner and bodies."""
    key = current_user.get_id() if current_user.is_authenticated else None
    # Cached per app context and keyed by the user, so a sign-in mid-context is seen at once.
    if g.get("viewer_key", "unset") != key:
        g.viewer_key, g.viewer = key, _viewer()
    return g.viewer


def _viewer() -> Viewer:
    if not current_user.is_authenticated:
        return PUBLIC
    return viewer_of(current_user)


def viewer_of(user: User) -> Viewer:
    """Return what a signed-in user (or their API token) may see and work on."""
    if user.role is Role.COMMISSIONER and user.person_id is not None:
        return Viewer(Role.COMMISSIONER, seated_body_ids(user.person_id, date.today()))
    if user.role is Role.CLERK:
        limits = frozenset(
            db.session.execute(
                sa.select(UserBody.body_id).where(UserBody.user_id == user.id)
            ).scalars()
        )
        return Viewer(Role.CLERK, limited_to=limits or None)
    return Viewer(user.role)


def fresh_viewer() -> Viewer:
    """Return who is looking, read afresh (a clerk's bodies may have changed since)."""
    g.pop("viewer_key", None)
    return current_viewer()
