"""Clerk routes for legislation: file matters, attach documents, place them on agendas."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from agenda.auth.access import current_viewer
from agenda.bodies.models import Body
from agenda.clerk.matter_forms import edit_form, new_form, place_form, upload_form
from agenda.clerk.views import bp
from agenda.documents.forms import UploadForm
from agenda.documents.pdfcheck import InvalidPdf
from agenda.extensions import db
from agenda.matters.operations import (
    MatterError,
    attach_to_matter,
    file_matter,
    place_on_agenda,
    remove_attachment,
    update_matter,
)
from agenda.matters.queries import (
    MatterPage,
    matter_attachment,
    matter_page,
    placement_meetings,
    seated_members,
    sponsor_rosters,
)
from agenda.matters.rules import ACTION_NAMES, STATUS_NAMES, TYPE_NAMES
from agenda.meetings.models import Meeting
from agenda.meetings.rules import item_number

__all__ = ["bp"]

Page = tuple[str, int] | Response


@bp.route("/matters/new", methods=["GET", "POST"])
def matter_new() -> Page:
    form = new_form(sponsor_rosters(), request.args.get("body", type=int))
    if form.validate_on_submit():
        try:
            matter = file_matter(
                db.get_or_404(Body, form.body.data),
                matter_type=form.matter_type.data,
                title=form.title.data,
                text=form.text.data or "",
                sponsor_ids=form.sponsors.data or [],
                actor=current_user,
            )
        except MatterError as error:
            refuse(form, error.field, str(error))
        else:
            db.session.commit()
            flash(f"Filed {matter.file_number}.", "success")
            return redirect(url_for("clerk.matter_edit", matter_id=matter.id))
    status = 400 if form.is_submitted() else 200
    return render_template("clerk/matters/new.html", form=form), status


@bp.route("/matters/<int:matter_id>", methods=["GET", "POST"])
def matter_edit(matter_id: int) -> Page:
    page = load_page(matter_id)
    submitted = request.method == "POST"
    form = edit_form(page.matter, seated_members(page.matter.body), submitted=submitted)
    if form.validate_on_submit():
        try:
            changes = update_matter(
                page.matter,
                title=form.title.data,
                text=form.text.data or "",
                sponsor_ids=form.sponsors.data or [],
                status=form.status.data,
                actor=current_user,
            )
        except MatterError as error:
            refuse(form, error.field, str(error))
            page = load_page(matter_id)
        else:
            db.session.commit()
            flash(f"Saved: {'; '.join(changes)}." if changes else "Nothing changed.", "success")
            return redirect(url_for("clerk.matter_edit", matter_id=matter_id))
    return edit_page(page, form=form)


@bp.post("/matters/<int:matter_id>/attachments")
def matter_attach(matter_id: int) -> Page:
    page = load_page(matter_id)
    upload = upload_form(submitted=True)
    if upload.validate_on_submit():
        try:
            attachment = attach_to_matter(
                page.matter,
                upload.file.data.read(),
                filename=upload.file.data.filename or "document.pdf",
                title=upload.title.data or "",
                actor=current_user,
            )
        except InvalidPdf as error:
            refuse(upload, "file", str(error))
            page = load_page(matter_id)
        else:
            db.session.commit()
            flash(f"Attached {attachment.title} ({attachment.page_count} pages).", "success")
            return redirect(url_for("clerk.matter_edit", matter_id=matter_id))
    return edit_page(page, upload=upload)


@bp.post("/matters/<int:matter_id>/attachments/<int:attachment_id>/remove")
def matter_attachment_remove(matter_id: int, attachment_id: int) -> Response:
    attachment = matter_attachment(matter_id, attachment_id)
    if attachment is None:
        abort(404)
    title = attachment.title
    remove_attachment(attachment, actor=current_user)
    db.session.commit()
    flash(f"Removed {title}.", "success")
    return redirect(url_for("clerk.matter_edit", matter_id=matter_id))


@bp.post("/matters/<int:matter_id>/place")
def matter_place(matter_id: int) -> Page:
    page = load_page(matter_id)
    place = place_form(page.matter, placement_meetings(page.matter), submitted=True)
    if place.validate_on_submit():
        try:
            item = place_on_agenda(
                page.matter,
                db.get_or_404(Meeting, place.meeting.data),
                place.section.data,
                actor=current_user,
            )
        except MatterError as error:
            refuse(place, error.field, str(error))
            page = load_page(matter_id)
        else:
            db.session.commit()
            number = item_number(item.section.position, item.position)
            flash(f"Placed on the agenda as item {number}.", "success")
            return redirect(url_for("clerk.matter_edit", matter_id=matter_id))
    return edit_page(page, place=place)


def load_page(matter_id: int) -> MatterPage:
    """Return the matter with everything the edit page shows, or answer 404."""
    page = matter_page(matter_id, current_viewer())
    if page is None:
        abort(404)
    return page


def refuse(form: FlaskForm, field: str | None, message: str) -> None:
    """Undo the request's writes and show the message next to the field (or at the top)."""
    db.session.rollback()
    if field is not None and field in form:
        form[field].errors.append(message)
    else:
        flash(message, "error")


def edit_page(
    page: MatterPage,
    *,
    form: FlaskForm | None = None,
    upload: UploadForm | None = None,
    place: FlaskForm | None = None,
) -> tuple[str, int]:
    """Render the edit page; the submitted form keeps its input and errors (400 after a POST)."""
    matter = page.matter
    meetings = placement_meetings(matter)
    return render_template(
        "clerk/matters/edit.html",
        page=page,
        matter=matter,
        form=form or edit_form(matter, seated_members(matter.body), submitted=False),
        upload=upload or upload_form(submitted=False),
        place=place or place_form(matter, meetings, submitted=False),
        meetings=meetings,
        type_names=TYPE_NAMES,
        status_names=STATUS_NAMES,
        action_names=ACTION_NAMES,
    ), 400 if request.method == "POST" else 200
