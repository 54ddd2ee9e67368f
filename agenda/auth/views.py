"""Sign in and sign out; set a password through an invitation or reset link."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from agenda.auth.forms import LoginForm, SetPasswordForm
from agenda.auth.models import LinkPurpose, User
from agenda.auth.operations import (
    AuthError,
    authenticate,
    end_sessions,
    open_link,
    record_sign_in,
    use_link,
)
from agenda.auth.rules import Role, is_staff
from agenda.auth.throttle import clear_failures, is_blocked, record_failure
from agenda.db import utcnow
from agenda.errors import Refused
from agenda.extensions import db, limiter, write_phase
from agenda.web import Page, Saved, answer, form_errors

bp = Blueprint("auth", __name__)
# Posts to one-time links, per address: tokens are unguessable, but guessing costs nothing.
LINK_LIMIT = "20 per 15 minutes"


def init_login(manager: LoginManager) -> None:
    """Configure Flask-Login: where to sign in, and how a session cookie names a user."""
    manager.login_view = "auth.login"
    manager.login_message = "Please sign in to see that page."
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        uid, _, token = user_id.partition(":")
        if not uid.isdigit() or not token:
            return None
        user = db.session.execute(
            sa.select(User).where(User.id == int(uid), User.session_token == token)
        ).scalar_one_or_none()
        return user if user is not None and user.is_enabled else None


def _safe_next(target: str | None, role: Role) -> str:
    # Only same-site paths: never redirect to another host after signing in.
    parts = urlsplit(target or "")
    if target and target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    # Otherwise the role's home.
    return home_of(role)


def home_of(role: Role) -> str:
    """Return a role's home: the workspace for staff, "My meetings" for commissioners."""
    if is_staff(role):
        return url_for("clerk.dashboard")
    if role is Role.COMMISSIONER:
        return url_for("members.home")
    return url_for("portal.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Sign in; failed attempts are counted in the database, where every worker sees them."""
    if current_user.is_authenticated:
        return redirect(home_of(current_user.role))
    form = LoginForm()
    if form.validate_on_submit():
        address, email, now = get_remote_address() or "", form.email.data or "", utcnow()
        if is_blocked(address, email, now):
            abort(429)
        credentials = authenticate(email, form.password.data or "")
        with write_phase():
            user = record_sign_in(credentials) if credentials is not None else None
            if user is None:
                record_failure(address, email, now)
            else:
                clear_failures(address, email)
            db.session.commit()
        if user is not None:
            login_user(user)
            flash(f"Signed in as {user.email}.", "success")
            return redirect(_safe_next(request.args.get("next"), user.role))
        form.password.errors = ["Wrong e-mail address or password."]
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    with write_phase():
        end_sessions(current_user)
        db.session.commit()
    logout_user()
    flash("You are signed out.", "success")
    return redirect(url_for("portal.home"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT, key_func=get_remote_address, methods=["POST"])
def invite(token: str) -> Page:
    """Let an invited user set their first password."""
    return _link_page(token, LinkPurpose.INVITE)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT, key_func=get_remote_address, methods=["POST"])
def reset(token: str) -> Page:
    """Let a user set a new password through the link an admin made."""
    return _link_page(token, LinkPurpose.RESET)


def _link_page(token: str, purpose: LinkPurpose) -> Page:
    try:
        link = open_link(token, purpose)
    except AuthError as refusal:
        page = render_template("auth/link_gone.html", message=refusal.messages[0])
        return page, refusal.status
    form = SetPasswordForm()
    email, invited = link.user.email, purpose is LinkPurpose.INVITE

    def again(refusal: Refused | None) -> str:
        errors = form_errors(form) + (
            [(m, "#password") for m in refusal.messages] if refusal else []
        )
        return render_template(
            "auth/set_password.html", form=form, email=email, invited=invited, errors=errors
        )

    if not form.is_submitted():
        return again(None)

    def run() -> Saved:
        use_link(token, purpose, form.password.data or "", form.confirmation.data or "")
        return Saved("Your password is set. Sign in with it now.", url_for(".login"))

    return answer(run, again, form=form)
