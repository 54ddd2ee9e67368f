"""Access checks for views: one decorator at the top of each protected route."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from agenda.auth.rules import Role, is_staff
from agenda.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


def current_role() -> Role | None:
    """Return the signed-in user's role, or None for the public."""
    return current_user.role if current_user.is_authenticated else None


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
