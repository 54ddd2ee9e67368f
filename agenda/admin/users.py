"""Admin screens: users. Invite by a one-time link, change roles and bodies, disable, reset."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from agenda.admin import user_forms as forms
from agenda.auth.mail import link_message, mail_configured, send_mail
from agenda.auth.models import LinkPurpose, User
from agenda.auth.operations import (
    IssuedLink,
    disable_user,
    enable_user,
    invite_user,
    new_link,
    update_user,
)
from agenda.auth.queries import body_choices, local_zone, people_choices, user_row, user_rows
from agenda.errors import Refused
from agenda.extensions import db
from agenda.timefmt import format_datetime
from agenda.web import Page, Saved, answer, form_errors

bp = Blueprint("users", __name__, url_prefix="/users")
# The session key under which a new link waits to be shown once.
ISSUED = "issued_link"


@bp.get("/")
def index() -> str:
    """List every user with their role, bodies, state and last sign-in."""
    return render_template("admin/users/index.html", rows=user_rows())


def _invite_page(form: forms.InviteForm, refusal: Refused | None = None) -> str:
    errors = form_errors(form) + ([(m, "#email") for m in refusal.messages] if refusal else [])
    return render_template("admin/users/invite.html", form=form, errors=errors)


@bp.route("/new", methods=["GET", "POST"])
def invite() -> Page:
    """Invite a user by e-mail with a role; the one-time link is shown next."""
    form = forms.user_form(forms.InviteForm, people_choices(), body_choices())
    if not form.is_submitted():
        return _invite_page(form)

    def run() -> Saved:
        issued = invite_user(
            email=form.email.data or "", **forms.assignment_of(form), actor=current_user
        )
        return _hand_over(issued, f"Invited {issued.user.email}.")

    return answer(run, lambda refusal: _invite_page(form, refusal), form=form)


def _hand_over(issued: IssuedLink, message: str) -> Saved:
    """Send the link by mail if a server is set, and keep it to show the admin once."""
    endpoint = "auth.invite" if issued.purpose is LinkPurpose.INVITE else "auth.reset"
    url = url_for(endpoint, token=issued.token, _external=True)
    expires = format_datetime(issued.expires_at, local_zone())
    sent = None
    if mail_configured():
        site = current_app.config["SITE_NAME"]
        subject, text = link_message(site, issued.purpose is LinkPurpose.INVITE, url, expires)
        sent = send_mail(issued.user.email, subject, text)
    session[ISSUED] = {"user_id": issued.user.id, "url": url, "expires": expires, "sent": sent}
    warnings = (
        ("Sending the e-mail failed: send the link below yourself.",) if sent is False else ()
    )
    return Saved(message, url_for(".issued", user_id=issued.user.id), warnings)


@bp.get("/<int:user_id>/link")
def issued(user_id: int) -> str:
    """Show a link just made, once; afterwards only a new link can be shown."""
    user = db.get_or_404(User, user_id)
    link = session.get(ISSUED)
    if link is None or link.get("user_id") != user_id:
        link = None
    else:
        session.pop(ISSUED)
    return render_template("admin/users/issued.html", row=user_row(user), link=link)


def _user_page(user: User, form: FlaskForm | None = None, refusal: Refused | None = None) -> str:
    bound = form is not None
    if form is None:
        data = {
            "name": user.name,
            "role": user.role,
            "person": user.person_id,
            "bodies": [b.body_id for b in user.body_ids],
        }
        form = forms.user_form(forms.UserForm, people_choices(), body_choices(), data=data)
    errors = form_errors(form) if bound else []
    error = " ".join(refusal.messages) if refusal is not None else ""
    if error:
        errors.append((error, "#account"))
    return render_template(
        "admin/users/user.html",
        row=user_row(user),
        form=form,
        errors=errors,
        error=error,
        is_self=user.id == current_user.id,
    )


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int) -> Page:
    """Show a user; on POST, save their name, role, person and bodies."""
    target = db.get_or_404(User, user_id)
    form = forms.user_form(forms.UserForm, people_choices(), body_choices())
    if not form.is_submitted():
        return _user_page(target)

    def run() -> Saved:
        changed = update_user(target, **forms.assignment_of(form), actor=current_user)
        message = f"Saved: {', '.join(changed)}." if changed else "No changes to save."
        return Saved(message, url_for(".user", user_id=user_id))

    return answer(run, lambda refusal: _user_page(target, form, refusal), form=form)


@bp.post("/<int:user_id>/disable")
def disable(user_id: int) -> Page:
    """Disable a user: their sessions end at once."""
    target = db.get_or_404(User, user_id)

    def run() -> Saved:
        disable_user(target, actor=current_user)
        message = f"{target.email} is disabled and signed out everywhere."
        return Saved(message, url_for(".user", user_id=user_id))

    return answer(run, lambda refusal: _user_page(target, refusal=refusal))


@bp.post("/<int:user_id>/enable")
def enable(user_id: int) -> Page:
    """Enable a disabled user again."""
    target = db.get_or_404(User, user_id)

    def run() -> Saved:
        enable_user(target, actor=current_user)
        return Saved(f"{target.email} is enabled again.", url_for(".user", user_id=user_id))

    return answer(run, lambda refusal: _user_page(target, refusal=refusal))


@bp.post("/<int:user_id>/new-link")
def link(user_id: int) -> Page:
    """Make a fresh password link (a new invitation for a user who never set a password)."""
    target = db.get_or_404(User, user_id)
    purpose = LinkPurpose.RESET if target.has_password else LinkPurpose.INVITE

    def run() -> Saved:
        issued = new_link(target, purpose, actor=current_user)
        kind = "password" if target.has_password else "invitation"
        message = f"Made a new {kind} link for {target.email}; older links no longer work."
        return _hand_over(issued, message)

    return answer(run, lambda refusal: _user_page(target, refusal=refusal))
