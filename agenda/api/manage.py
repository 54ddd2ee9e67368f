"""The API-token screens at /clerk/api-tokens: make a token, see its secret once, revoke it.

A clerk sees and revokes their own tokens; an admin sees and may revoke everyone's. The
secret waits in the session for the one page that shows it, never stored anywhere else.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from agenda.api import forms
from agenda.auth.access import current_viewer
from agenda.auth.models import ApiToken, User
from agenda.auth.queries import local_zone, token_row, token_rows
from agenda.auth.rules import is_admin, token_expiry
from agenda.auth.tokens import create_token, may_manage, revoke_token
from agenda.bodies.queries import bodies
from agenda.errors import Refused
from agenda.extensions import db
from agenda.web import Page, Saved, answer, form_errors

bp = Blueprint("tokens", __name__, url_prefix="/api-tokens")
# The session key under which a new token's secret waits to be shown once.
ISSUED = "issued_api_token"


@bp.get("/")
def index() -> str:
    """List the person's tokens (an admin: everyone's), usable ones first."""
    everyone = is_admin(current_user.role)
    rows = token_rows(None if everyone else current_user.id)
    return render_template("api/tokens.html", rows=rows, everyone=everyone)


def _new_page(form: forms.TokenForm, refusal: Refused | None = None) -> str:
    errors = form_errors(form) + ([(m, "#name") for m in refusal.messages] if refusal else [])
    return render_template("api/new.html", form=form, errors=errors)


@bp.route("/new", methods=["GET", "POST"])
def new() -> Page:
    """Make a token for oneself: name, scope, bodies (among one's own), optional last day."""
    viewer = current_viewer()
    form = forms.token_form([(b.id, b.name) for b in bodies() if viewer.works_on(b.id)])
    if not form.is_submitted():
        return _new_page(form)

    def run() -> Saved:
        holder = db.session.get(User, current_user.id)
        assert holder is not None  # the workspace's guard admitted them
        last_day = form.expires_at.data
        token, secret = create_token(
            holder, name=form.name.data or "", scope=form.scope.data,
            body_ids=form.bodies.data or [], actor=holder,
            expires_at=token_expiry(last_day, local_zone()) if last_day else None,
        )  # fmt: skip
        session[ISSUED] = {"token_id": token.id, "secret": secret}
        return Saved(f"Made the token “{token.name}”.", url_for(".issued", token_id=token.id))

    return answer(run, lambda refusal: _new_page(form, refusal), form=form)


@bp.get("/<int:token_id>/secret")
def issued(token_id: int) -> Response:
    """Show a token's secret once, just after it was made; never again, never cached."""
    token = _managed(token_id)
    kept = session.get(ISSUED)
    secret = None
    if kept is not None and kept.get("token_id") == token.id:
        secret = session.pop(ISSUED)["secret"]
    page = render_template("api/issued.html", row=token_row(token), secret=secret)
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


def _revoke_page(token: ApiToken, form: forms.RevokeForm, refusal: Refused | None = None) -> str:
    errors = form_errors(form) + ([(m, "#token") for m in refusal.messages] if refusal else [])
    return render_template("api/revoke.html", row=token_row(token), form=form, errors=errors)


@bp.route("/<int:token_id>/revoke", methods=["GET", "POST"])
def revoke(token_id: int) -> Page:
    """Ask to confirm; on POST, revoke the token: its next request is refused."""
    token = _managed(token_id)
    form = forms.RevokeForm()
    if not form.is_submitted():
        return _revoke_page(token, form)

    def run() -> Saved:
        revoke_token(token, actor=current_user)
        message = f"Revoked {token.prefix}… “{token.name}”: it no longer works."
        return Saved(message, url_for(".index"))

    return answer(run, lambda refusal: _revoke_page(token, form, refusal), form=form)


def _managed(token_id: int) -> ApiToken:
    """Return the token if the person may manage it; 404 otherwise (others' tokens stay unseen)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or not may_manage(current_user, token):
        abort(404)
    return token
