"""The clerk's legislation screens: file and edit matters, attach documents, place on agendas."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from agenda.auth.access import current_viewer
from agenda.bodies.models import Body
from agenda.bodies.queries import seated_today
from agenda.documents.forms import UploadForm
from agenda.documents.operations import check_upload_ahead
from agenda.errors import Refused
from agenda.extensions import db
from agenda.matters import forms
from agenda.matters.operations import (
    attach_to_matter,
    file_matter,
    place_on_agenda,
    remove_attachment,
    update_matter,
)
from agenda.matters.queries import MatterPage, matter_attachment, matter_page, sponsor_rosters
from agenda.matters.rules import ACTION_NAMES, STATUS_NAMES, TYPE_NAMES
from agenda.meetings.display import number_of
from agenda.meetings.models import Meeting
from agenda.meetings.queries import open_agendas
from agenda.text import plural
from agenda.web import Page, Saved, answer, form_errors

bp = Blueprint("matters", __name__)


@bp.route("/matters/new", methods=["GET", "POST"])
def new() -> Page:
    """File a new matter; its file number is given on saving."""
    # A clerk limited to some bodies is offered only theirs; another body's id is refused.
    rosters = [r for r in sponsor_rosters() if current_viewer().works_on(r[0].id)]
    form = forms.new_form(rosters, request.args.get("body", type=int))
    if not form.is_submitted():
        return _new_page(form)

    def run() -> Saved:
        matter = file_matter(
            db.get_or_404(Body, form.body.data),
            matter_type=form.matter_type.data,
            title=form.title.data,
            text=form.text.data or "",
            sponsor_ids=form.sponsors.data or [],
            actor=current_user,
        )
        return Saved(f"Filed {matter.file_number}.", url_for(".edit", matter_id=matter.id))

    return answer(run, lambda refusal: _new_page(form, refusal), form=form)


def _new_page(form: FlaskForm, refusal: Refused | None = None) -> str:
    errors = form_errors(form) + [(m, "#title") for m in (refusal.messages if refusal else ())]
    return render_template("matters/manage/new.html", form=form, errors=errors)


@bp.route("/matters/<int:matter_id>", methods=["GET", "POST"])
def edit(matter_id: int) -> Page:
    """Show a matter's page for the clerk; on POST, save its details."""
    page = load_page(matter_id)
    submitted = request.method == "POST"
    form = forms.edit_form(page.matter, seated_today(page.matter.body), submitted=submitted)
    if not submitted:
        return edit_page(page)

    def run() -> Saved:
        changes = update_matter(
            page.matter,
            title=form.title.data,
            text=form.text.data or "",
            sponsor_ids=form.sponsors.data or [],
            status=form.status.data,
            actor=current_user,
        )
        message = f"Saved: {'; '.join(changes)}." if changes else "Nothing changed."
        return Saved(message, url_for(".edit", matter_id=matter_id))

    return answer(run, again(matter_id, form=form), form=form)


@bp.post("/matters/<int:matter_id>/attachments")
def attach(matter_id: int) -> Page:
    """Attach a PDF to the matter; open agendas it is on are amended."""
    page = load_page(matter_id)
    upload = forms.upload_form(submitted=True)

    def run() -> Saved:
        attachment = attach_to_matter(
            page.matter,
            upload.file.data.read(),
            filename=upload.file.data.filename or "document.pdf",
            title=upload.title.data or "",
            actor=current_user,
        )
        message = f"Attached {attachment.title} ({plural(attachment.page_count, 'page')})."
        removed = (attachment.removed_note,) if attachment.removed_note else ()
        return Saved(message, url_for(".edit", matter_id=matter_id), removed)

    ahead = partial(check_upload_ahead, upload.file.data)
    return answer(run, again(matter_id, upload=upload), form=upload, field="file", prepare=ahead)


@bp.post("/matters/<int:matter_id>/attachments/<int:attachment_id>/remove")
def attachment_remove(matter_id: int, attachment_id: int) -> Page:
    """Take a document off the matter; open agendas it is on are amended."""
    attachment = matter_attachment(matter_id, attachment_id)
    if attachment is None:
        abort(404)

    def run() -> Saved:
        title = attachment.title
        remove_attachment(attachment, actor=current_user)
        return Saved(f"Removed {title}.", url_for(".edit", matter_id=matter_id))

    return answer(run, again(matter_id))


@bp.post("/matters/<int:matter_id>/place")
def place(matter_id: int) -> Page:
    """Place the matter on an open agenda of its body."""
    page = load_page(matter_id)
    meetings = open_agendas(page.matter.body_id, without_matter_id=matter_id)
    place_form = forms.place_form(page.matter, meetings, submitted=True)

    def run() -> Saved:
        meeting = db.get_or_404(Meeting, place_form.meeting.data)
        item = place_on_agenda(page.matter, meeting, place_form.section.data, actor=current_user)
        message = f"Placed on the agenda as item {number_of(item)}."
        return Saved(message, url_for(".edit", matter_id=matter_id))

    return answer(run, again(matter_id, place=place_form), form=place_form)


def load_page(matter_id: int) -> MatterPage:
    """Return the matter with everything the edit page shows, or answer 404."""
    page = matter_page(matter_id, current_viewer())
    if page is None:
        abort(404)
    return page


def again(matter_id: int, **bound: FlaskForm) -> Callable[[Refused | None], str]:
    """Return how to show the matter's page again after a refusal, with the forms as sent."""
    return lambda refusal: edit_page(load_page(matter_id), refusal, **bound)


def edit_page(
    page: MatterPage,
    refusal: Refused | None = None,
    *,
    form: FlaskForm | None = None,
    upload: UploadForm | None = None,
    place: FlaskForm | None = None,
) -> str:
    """Render the matter's page; the submitted form keeps its input and errors."""
    matter = page.matter
    meetings = open_agendas(matter.body_id, without_matter_id=matter.id)
    errors = form_errors(form, upload, place)
    errors += [(m, "#details-heading") for m in (refusal.messages if refusal else ())]
    return render_template(
        "matters/manage/edit.html",
        page=page,
        matter=matter,
        form=form or forms.edit_form(matter, seated_today(matter.body), submitted=False),
        upload=upload or forms.upload_form(submitted=False),
        place=place or forms.place_form(matter, meetings, submitted=False),
        meetings=meetings,
        errors=errors,
        type_names=TYPE_NAMES,
        status_names=STATUS_NAMES,
        action_names=ACTION_NAMES,
    )
