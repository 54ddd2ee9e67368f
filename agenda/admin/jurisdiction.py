"""Admin screens: the jurisdiction's name, time zone, notice statements and rules preset."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import current_user

from agenda.admin.body_forms import JurisdictionForm
from agenda.bodies.operations import JURISDICTION_FIELDS, jurisdiction, update_jurisdiction
from agenda.bodies.rules import PRESETS, RulesPreset
from agenda.errors import Refused
from agenda.web import Page, Saved, answer, form_errors

bp = Blueprint("jurisdiction", __name__, url_prefix="/jurisdiction")


@bp.route("", methods=["GET", "POST"])
def edit() -> Page:
    """Show the jurisdiction's settings; on POST, save them (creating the row if none)."""
    found = jurisdiction()
    form = JurisdictionForm(obj=found)
    if not form.is_submitted():
        return page(form)

    def run() -> Saved:
        update_jurisdiction(
            actor=current_user, **{n: form[n].data or "" for n in JURISDICTION_FIELDS}
        )
        return Saved("The jurisdiction is saved.", url_for(".edit"))

    return answer(run, lambda refusal: page(form, refusal), form=form)


def page(form: JurisdictionForm, refusal: Refused | None = None) -> str:
    errors = form_errors(form)
    if refusal is not None:
        errors.append((" ".join(refusal.messages), "#jurisdiction-form"))
    presets = [(PRESETS[p].label, PRESETS[p].citation) for p in RulesPreset]
    return render_template(
        "admin/jurisdiction/edit.html", form=form, errors=errors, presets=presets
    )
