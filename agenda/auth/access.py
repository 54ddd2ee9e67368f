"""Access checks for views: one decorator at the top of each protected route."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user

from agenda.auth.rules import PUBLIC, Role, Viewer, is_staff
from agenda.bodies.queries import seated_body_ids
from agenda.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


def current_role() -> Role | None:
    """Return the signed-in user's role, or None for the public."""
    return current_user.role if current_user.is_authenticated else None


def current_viewer() -> Viewer:
    """Return who is looking at this request: the public, staff, or a commissioner and bodies."""
    if "viewer" not in g:
        if not current_user.is_authenticated:
            g.viewer = PUBLIC
        elif current_user.role is Role.COMMISSIONER and current_user.person_id is not None:
            bodies = seated_body_ids(current_user.person_id, date.today())
            g.viewer = Viewer(Role.COMMISSIONER, bodies)
        else:
            g.viewer = Viewer(current_user.role)
    return g.viewer


def staff_required(view: F) -> F:
    """Let only clerks and admins through; others get 403, the public is sent to sign in."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not is_staff(current_role()):
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
