"""Admin screens: people, their terms on the bodies' seats, and each body's roster on a date."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from agenda.admin import people_forms as forms
from agenda.auth.models import User
from agenda.bodies import terms
from agenda.bodies.models import Body, Membership, Person
from agenda.bodies.queries import (
    bodies,
    bodies_with_seats,
    body_roster,
    body_today,
    people_list,
    person_terms,
)
from agenda.bodies.rules import TermEnd
from agenda.errors import Refused
from agenda.extensions import db
from agenda.matters.models import MatterSponsor
from agenda.timefmt import format_day
from agenda.votes.queries import ballot_days
from agenda.web import Page, Saved, answer, form_errors

bp = Blueprint("people", __name__, url_prefix="/people")


def _today() -> date:
    return date.today()


@bp.get("/")
def index() -> str:
    current, former = people_list(_today())
    return render_template(
        "admin/people/index.html", current=current, former=former, bodies=bodies()
    )


def _new_page(form: forms.PersonForm, refusal: Refused | None = None) -> str:
    errors = form_errors(form) + ([(m, "#name") for m in refusal.messages] if refusal else [])
    return render_template("admin/people/new.html", form=form, errors=errors)


@bp.route("/new", methods=["GET", "POST"])
def new() -> Page:
    form = forms.PersonForm()
    if not form.is_submitted():
        return _new_page(form)

    def run() -> Saved:
        person = terms.create_person(form.name.data, form.email.data, actor=current_user)
        return Saved(f"Added {person.name}.", url_for(".person", person_id=person.id))

    return answer(run, lambda refusal: _new_page(form, refusal), form=form)


def _seat_choices() -> list[SelectChoice]:
    return [
        SelectChoice(f"{b.id}:{s.number}", f"{b.name}: {s.number} \N{EN DASH} {s.title}")
        for b in bodies_with_seats()
        for s in b.seat_list
    ]


def _term_rows(person: Person, chosen: int | None) -> list[dict[str, object]]:
    """Each term with its labels; one term at a time (the chosen, else the latest open or
    suspended one) carries the forms that end or reinstate it, so field ids stay unique."""
    members = person_terms(person.id)
    actionable = [m for m in members if m.ends_on is None or m.end_reason is TermEnd.SUSPENDED]
    if chosen is None or chosen not in {m.id for m in members}:
        chosen = actionable[0].id if actionable else None
    return [
        {
            "member": m,
            "started": m.start_reason.value.capitalize(),
            "ended": m.end_reason.value.capitalize() if m.end_reason else "",
            "can_end": m.id == chosen and m.ends_on is None,
            "can_reinstate": m.id == chosen and m.end_reason is TermEnd.SUSPENDED,
            "can_choose": m.id != chosen and m in actionable,
        }
        for m in members
    ]


def _person_page(person: Person, refusal: Refused | None = None, **given: object) -> str:
    details = given.get("details") or forms.PersonForm(obj=person)
    term = given.get("term") or forms.TermForm(prefix="term")
    term.seat.choices = _seat_choices()
    ending = given.get("ending") or forms.EndTermForm(prefix="end")
    back = given.get("back") or forms.ReinstateForm(prefix="back")
    failed = given.get("failed_term")
    errors = form_errors(details, *(f for f in given.values() if isinstance(f, forms.FlaskForm)))
    if refusal is not None:
        errors += [(m, "#error-summary") for m in refusal.messages]
    return render_template(
        "admin/people/person.html",
        person=person,
        rows=_term_rows(
            person, failed if isinstance(failed, int) else request.args.get("term", type=int)
        ),
        details=details,
        term=term,
        ending=ending,
        back=back,
        failed_term=failed,
        confirm=forms.ConfirmForm(),
        errors=errors,
        fmt=format_day,
    )


@bp.route("/<int:person_id>", methods=["GET", "POST"])
def person(person_id: int) -> Page:
    found = db.get_or_404(Person, person_id)
    if request.method == "GET":
        return _person_page(found)
    form = forms.PersonForm()

    def run() -> Saved:
        changed = terms.update_person(found, form.name.data, form.email.data, actor=current_user)
        message = "Saved." if changed else "No changes to save."
        return Saved(message, url_for(".person", person_id=found.id))

    return answer(run, lambda r: _person_page(found, r, details=form), form=form)


@bp.post("/<int:person_id>/terms")
def add_term(person_id: int) -> Page:
    found = db.get_or_404(Person, person_id)
    form = forms.TermForm(prefix="term")
    form.seat.choices = _seat_choices()

    def run() -> Saved:
        body_id, _, number = str(form.seat.data).partition(":")
        body = db.get_or_404(Body, int(body_id))
        terms.add_term(
            body,
            found,
            int(number),
            form.starts_on.data,
            form.ends_on.data,
            form.start_reason.data,
            actor=current_user,
            voted_days=ballot_days(found.id, body.id),
        )
        return Saved(f"{found.name} now holds a seat on {body.name}.", _back(found))

    return answer(run, lambda r: _person_page(found, None, term=form), form=form)


def _back(person: Person) -> str:
    return url_for(".person", person_id=person.id)


@bp.post("/terms/<int:term_id>/end")
def end_term(term_id: int) -> Page:
    member = db.get_or_404(Membership, term_id)
    form = forms.EndTermForm(prefix="end")

    def run() -> Saved:
        terms.end_term(
            member,
            form.ends_on.data,
            form.reason.data,
            actor=current_user,
            voted_days=ballot_days(member.person_id, member.body_id),
        )
        return Saved(f"Term ended ({form.reason.data.value}).", _back(member.person))

    return answer(
        run,
        lambda r: _person_page(member.person, None, ending=form, failed_term=member.id),
        form=form,
    )


@bp.post("/terms/<int:term_id>/reinstate")
def reinstate(term_id: int) -> Page:
    member = db.get_or_404(Membership, term_id)
    form = forms.ReinstateForm(prefix="back")

    def run() -> Saved:
        terms.reinstate(
            member,
            form.starts_on.data,
            form.ends_on.data,
            actor=current_user,
            voted_days=ballot_days(member.person_id, member.body_id),
        )
        return Saved(f"{member.person.name} is reinstated.", _back(member.person))

    return answer(
        run,
        lambda r: _person_page(member.person, None, back=form, failed_term=member.id),
        form=form,
    )


@bp.post("/terms/<int:term_id>/delete")
def delete_term(term_id: int) -> Page:
    member = db.get_or_404(Membership, term_id)
    person = member.person

    def run() -> Saved:
        terms.delete_term(
            member,
            actor=current_user,
            voted_days=ballot_days(member.person_id, member.body_id),
        )
        return Saved("Term deleted.", _back(person))

    return answer(run, lambda r: _person_page(person, r), form=forms.ConfirmForm())


@bp.post("/<int:person_id>/delete")
def delete_person(person_id: int) -> Page:
    found = db.get_or_404(Person, person_id)

    def run() -> Saved:
        voted = any(ballot_days(found.id, m.body_id) for m in found.memberships)
        blockers = []
        if db.session.scalar(
            sa.select(sa.func.count())
            .select_from(MatterSponsor)
            .where(MatterSponsor.person_id == found.id)
        ):
            blockers.append(f"{found.name} sponsors legislation; end their term instead.")
        if db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.person_id == found.id)
        ):
            blockers.append(f"{found.name} is linked to a user; end their term instead.")
        name = terms.delete_person(found, actor=current_user, voted=voted, held_elsewhere=blockers)
        return Saved(f"Deleted {name}.", url_for(".index"))

    return answer(run, lambda r: _person_page(found, r), form=forms.ConfirmForm())


@bp.get("/bodies/<int:body_id>/roster")
def roster(body_id: int) -> Page:
    body = db.get_or_404(Body, body_id)
    raw = request.args.get("on", "")
    problem = ""
    try:
        day = date.fromisoformat(raw) if raw else body_today(body)
    except ValueError:
        day, problem = body_today(body), "Enter a real date, like 2026-07-07."
    if not problem and not date(1900, 1, 1) <= day <= date(2199, 12, 31):
        day, problem = body_today(body), "Choose a date from 1900 to 2199."
    page = render_template(
        "admin/people/roster.html",
        body=body,
        day=day,
        raw=raw or day.isoformat(),
        problem=problem,
        seats=body_roster(body, day),
        fmt=format_day,
    )
    return (page, 422) if problem else page
