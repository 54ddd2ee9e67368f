"""Admin screens: bodies, their seats, voting rules and meeting defaults."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from agenda.admin.body_forms import BodyForm, PresetForm
from agenda.admin.body_values import (
    body_data,
    body_values,
    form_sentences,
    new_body_data,
    preset_data,
)
from agenda.admin.rule_forms import THRESHOLD_FIELDS
from agenda.bodies.models import Body
from agenda.bodies.operations import create_body, jurisdiction, new_body_settings, update_body
from agenda.bodies.queries import bodies, seated_today
from agenda.bodies.rules import PRESETS, RulesPreset
from agenda.errors import Refused
from agenda.extensions import db
from agenda.web import Page, Saved, answer, form_errors

bp = Blueprint("bodies", __name__, url_prefix="/bodies")


@bp.route("")
def index() -> str:
    """List every body: kind, seats, seats filled today."""
    rows = [(b, len(seated_today(b))) for b in bodies()]
    return render_template("admin/bodies/index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
def new() -> Page:
    """Create a body, starting from the jurisdiction's preset (or another) and time zone."""
    found = jurisdiction()
    presets = chosen_preset(found.rules_preset if found else RulesPreset.GENERAL)
    form = BodyForm(data=new_body_data(new_body_settings(presets.chosen)))

    def run() -> Saved:
        body = create_body(actor=current_user, **body_values(form))
        return Saved(f"{body.name} is created.", url_for(".edit", body_id=body.id))

    if not form.is_submitted():
        return page(form, None, presets)
    return answer(run, lambda refusal: page(form, None, presets, refusal), form=form)


@bp.route("/<int:body_id>", methods=["GET", "POST"])
def edit(body_id: int) -> Page:
    """Show a body's settings (filled from a preset when asked); on POST, save them."""
    body = db.get_or_404(Body, body_id)
    presets = chosen_preset(RulesPreset.GENERAL)
    data = body_data(body)
    if presets.chosen is not None:
        data.update(preset_data(presets.chosen, body.presiding_seat))
    stored = (body.default_thresholds or {}).values()
    form = BodyForm(data=data, stored_thresholds=stored)

    def run() -> Saved:
        update_body(body, actor=current_user, **body_values(form))
        return Saved(f"{body.name} is saved.", url_for(".edit", body_id=body.id))

    if not form.is_submitted():
        return page(form, body, presets)
    return answer(run, lambda refusal: page(form, body, presets, refusal), form=form)


@dataclass(frozen=True)
class PresetChoice:
    """The "Start from a preset" form and the preset it asks for (None: none, or not valid)."""

    form: PresetForm
    chosen: RulesPreset | None


def chosen_preset(default: RulesPreset) -> PresetChoice:
    """Read `?preset=` from the address: the preset to fill the body form from, if any."""
    if "preset" not in request.args:
        return PresetChoice(PresetForm(formdata=None, data={"preset": default}), None)
    form = PresetForm(formdata=request.args)
    return PresetChoice(form, form.preset.data if form.validate() else None)


def page(
    form: BodyForm, body: Body | None, presets: PresetChoice, refusal: Refused | None = None
) -> Page:
    errors = form_errors(form, presets.form)
    if refusal is not None:
        errors.append((" ".join(refusal.messages), "#body-form"))
    html = render_template(
        "admin/bodies/edit.html",
        form=form,
        body=body,
        errors=errors,
        say=form_sentences(form),
        presets=presets.form,
        filled=PRESETS[presets.chosen] if presets.chosen else None,
        thresholds=[form[name] for name, _, _, _ in THRESHOLD_FIELDS],
    )
    # An unknown preset in the address is bad input too; the form shows what it can.
    return (html, 422) if presets.form.errors else html
