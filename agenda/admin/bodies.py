"""Admin screens: bodies, their seats, voting rules and meeting defaults."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, url_for
from flask_login import current_user

from agenda.admin.body_forms import (
    THRESHOLD_FIELDS,
    BodyForm,
    body_values,
    section_data,
    threshold_data,
)
from agenda.bodies.models import Body
from agenda.bodies.operations import create_body, new_body_settings, update_body
from agenda.bodies.queries import bodies, seated_today
from agenda.errors import Refused
from agenda.extensions import db
from agenda.votes.rules import abstention_sentence, quorum_sentence
from agenda.web import Page, Saved, answer, form_errors

bp = Blueprint("bodies", __name__, url_prefix="/bodies")


@bp.route("")
def index() -> str:
    """List every body: kind, seats, seats filled today."""
    rows = [(b, len(seated_today(b))) for b in bodies()]
    return render_template("admin/bodies/index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
def new() -> Page:
    """Create a body, starting from the jurisdiction's preset and time zone."""
    start = {**new_body_settings(), **section_data(None), "seat_titles": "Mayor\nCommissioner"}
    form = BodyForm(data=start)

    def run() -> Saved:
        body = create_body(actor=current_user, **body_values(form))
        return Saved(f"{body.name} is created.", url_for(".edit", body_id=body.id))

    if not form.is_submitted():
        return page(form, None)
    return answer(run, lambda refusal: page(form, None, refusal), form=form)


@bp.route("/<int:body_id>", methods=["GET", "POST"])
def edit(body_id: int) -> Page:
    """Show a body's settings; on POST, save them."""
    body = db.get_or_404(Body, body_id)
    titles = "\n".join(s.title for s in body.seat_list)
    data = {
        "seat_titles": titles,
        **threshold_data(body.default_thresholds or {}),
        **section_data(body.section_template),
    }
    form = BodyForm(obj=body, data=data)

    def run() -> Saved:
        update_body(body, actor=current_user, **body_values(form))
        return Saved(f"{body.name} is saved.", url_for(".edit", body_id=body.id))

    if not form.is_submitted():
        return page(form, body)
    return answer(run, lambda refusal: page(form, body, refusal), form=form)


def page(form: BodyForm, body: Body | None, refusal: Refused | None = None) -> str:
    errors = form_errors(form)
    if refusal is not None:
        errors.append((" ".join(refusal.messages), "#body-form"))
    return render_template(
        "admin/bodies/edit.html",
        form=form,
        body=body,
        errors=errors,
        say=_sentences(form),
        thresholds=[form[name] for name, _, _, _ in THRESHOLD_FIELDS],
    )


def _sentences(form: BodyForm) -> dict[str, Any]:
    seats = len([t for t in (form.seat_titles.data or "").splitlines() if t.strip()]) or 1
    return {
        "quorum": quorum_sentence(seats, form.quorum_rule.data, form.quorum_fixed.data),
        "abstention": abstention_sentence(form.abstention_policy.data),
    }
