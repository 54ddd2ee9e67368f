"""The session cookie: Secure behind TLS, and staff sessions that end after an idle time."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, logout_user, user_logged_in, user_logged_out
from werkzeug.wrappers import Response

from agenda.auth.rules import is_staff

# When the signed-in user last made a request (seconds since the epoch), in the signed cookie.
LAST_SEEN = "last_seen"


class TlsAwareSessionInterface(SecureCookieSessionInterface):
    """Mark the cookie Secure when the request came over HTTPS (directly, or through a trusted
    proxy's X-Forwarded-Proto), and always when SESSION_COOKIE_SECURE says so."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def idle_limit_text(minutes: int) -> str:
    """Say an idle limit in words: "8 hours", "1 hour", "90 minutes"."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def end_idle_staff_session() -> Response | None:
    """Sign out a clerk or admin whose last request is older than STAFF_IDLE_MINUTES.

    Commissioners' sessions are left as they were: they last until the browser closes.
    """
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if not is_staff(current_user.role):
        return None
    now = int(time.time())
    minutes = int(current_app.config["STAFF_IDLE_MINUTES"])
    seen = session.get(LAST_SEEN)
    if isinstance(seen, int) and now - seen > minutes * 60:
        logout_user()
        flash(f"You were signed out after {idle_limit_text(minutes)} without activity.", "warning")
        # Back to the page asked for after signing in again; a form's post is not repeated.
        back = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=back))
    session[LAST_SEEN] = now
    return None


def _started(sender: Any, **_: Any) -> None:
    # A new sign-in starts the idle clock anew (an old value may linger in the cookie).
    session[LAST_SEEN] = int(time.time())


def _ended(sender: Any, **_: Any) -> None:
    session.pop(LAST_SEEN, None)


def init_app(app: Flask) -> None:
    """Install the TLS-aware cookie and the staff idle limit."""
    app.session_interface = TlsAwareSessionInterface()
    app.before_request(end_idle_staff_session)
    user_logged_in.connect(_started, app)
    user_logged_out.connect(_ended, app)
