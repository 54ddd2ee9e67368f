"""Clerk routes for meetings: create, edit and publish meetings and build their agendas."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from agenda.bodies.models import Body
from agenda.clerk.meeting_forms import (
    CancelForm,
    ItemForm,
    NewItemForm,
    NewMeetingForm,
    SectionForm,
    details_form,
    details_of,
    item_form,
    move_form,
    new_section_form,
)
from agenda.clerk.meeting_pages import (
    item_page,
    place_error,
    refused,
    saved,
    workspace,
)
from agenda.clerk.views import bp
from agenda.documents.forms import UploadForm
from agenda.documents.pdfcheck import InvalidPdf
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.matters.queries import body_matters
from agenda.meetings import agenda_editing as editing
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.operations import MeetingEditError, schedule_meeting, update_meeting
from agenda.meetings.publishing import PublishingError, cancel_meeting, publish_meeting
from agenda.meetings.queries import bodies

Page = str | tuple[str, int] | Response
STEPS = {"up": -1, "down": 1}


@bp.route("/meetings/new", methods=["GET", "POST"])
def meeting_new() -> Page:
    """Create a draft meeting at a local date and time."""
    form = NewMeetingForm()
    form.body.choices = [SelectChoice(str(b.id), b.name) for b in bodies()]
    if form.validate_on_submit():
        try:
            meeting = schedule_meeting(
                db.get_or_404(Body, form.body.data), actor=current_user, **details_of(form)
            )
        except MeetingEditError as error:
            db.session.rollback()
            place_error(form, error)
        else:
            db.session.commit()
            flash("Meeting created as a draft. Build its agenda below.", "success")
            return redirect(url_for(".meeting_edit", meeting_id=meeting.id))
    return render_template("clerk/meetings/new.html", form=form), 400 if form.errors else 200


@bp.route("/meetings/<int:meeting_id>", methods=["GET", "POST"])
def meeting_edit(meeting_id: int) -> Page:
    """Show the meeting's workspace; on POST, save its details."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = details_form(meeting)
    if not form.is_submitted():
        return workspace(meeting_id)
    if not form.validate():
        return refused(meeting_id, "details", details=form)
    try:
        changes = update_meeting(meeting, actor=current_user, **details_of(form))
    except MeetingEditError as error:
        return refused(meeting_id, "details", error, details=form)
    return saved(meeting_id, "; ".join(changes) or "No changes to save", "details")


@bp.post("/meetings/<int:meeting_id>/publish")
def meeting_publish(meeting_id: int) -> Page:
    """Publish a draft agenda, showing each notice warning."""
    meeting = db.get_or_404(Meeting, meeting_id)
    try:
        result = publish_meeting(meeting, actor=current_user)
    except PublishingError as error:
        return refused(meeting_id, "status", error)
    response = saved(meeting_id, f"Agenda published (revision {result.revision.number})", "status")
    for warning in result.warnings:
        flash(warning, "warning")
    return response


@bp.post("/meetings/<int:meeting_id>/cancel")
def meeting_cancel(meeting_id: int) -> Page:
    """Cancel a meeting with the reason the public will see."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = CancelForm(prefix="cancel")
    if not form.validate():
        return refused(meeting_id, "cancel", cancel=form)
    try:
        cancel_meeting(meeting, form.reason.data or "", actor=current_user)
    except PublishingError as error:
        return refused(meeting_id, "cancel", error, field="reason", cancel=form)
    return saved(meeting_id, "Meeting cancelled; the public page shows the reason", "status")


@bp.post("/meetings/<int:meeting_id>/items")
def item_add(meeting_id: int) -> Page:
    """Add an item to a section of the agenda."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = item_form(meeting, body_matters(meeting.body_id), NewItemForm, prefix="item")
    if not form.validate():
        return refused(meeting_id, "add-item", item=form)
    try:
        section = _section_of(meeting, form.section.data)
        item = editing.add_agenda_item(section, actor=current_user, **_item_fields(form))
    except MeetingEditError as error:
        return refused(meeting_id, "add-item", error, item=form)
    label = editing.label_of(item)
    return saved(meeting_id, f"Added item {label}", f"item-{item.id}")


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def item_edit(item_id: int) -> Page:
    """Show an item's form; on POST, save its title, description and legislation."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting = item.section.meeting
    data = {"title": item.title, "description": item.description, "matter": item.matter_id}
    form = item_form(meeting, body_matters(meeting.body_id), ItemForm, data=data)
    if not form.is_submitted():
        return item_page(item, form)
    if not form.validate():
        return item_page(item, form, 400)
    try:
        change = editing.update_item(item, actor=current_user, **_item_fields(form))
    except MeetingEditError as error:
        db.session.rollback()
        place_error(form, error)
        return item_page(item, form, 400)
    return saved(meeting.id, change or "No changes to save", f"item-{item_id}")


@bp.post("/items/<int:item_id>/move")
def item_move(item_id: int) -> Page:
    """Move an item one place up or down in its section."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id = item.section.meeting_id
    try:
        change = editing.move_item(item, position=item.position + _step(), actor=current_user)
    except MeetingEditError as error:
        return refused(meeting_id, f"item-{item_id}", error)
    return saved(meeting_id, change, f"item-{item_id}")


@bp.post("/items/<int:item_id>/move-to")
def item_move_to(item_id: int) -> Page:
    """Move an item to another section, at the end unless placed."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting = item.section.meeting
    form = move_form(meeting, item)
    bound, anchor = {f"move{item_id}": form}, f"item-{item_id}"
    if not form.validate():
        return refused(meeting.id, anchor, **bound)
    try:
        section = _section_of(meeting, form.section.data)
        position = form.position.data
        change = editing.move_item(item, section=section, position=position, actor=current_user)
    except MeetingEditError as error:
        return refused(meeting.id, anchor, error, **bound)
    return saved(meeting.id, change, f"item-{item_id}")


@bp.post("/items/<int:item_id>/remove")
def item_remove(item_id: int) -> Page:
    """Remove an item from the agenda."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id, section_id = item.section.meeting_id, item.section_id
    try:
        change = editing.remove_item(item, actor=current_user)
    except MeetingEditError as error:
        return refused(meeting_id, f"item-{item_id}", error)
    return saved(meeting_id, change, f"section-{section_id}")


@bp.post("/items/<int:item_id>/attachments")
def item_attach(item_id: int) -> Page:
    """Attach a PDF to an item."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id, form = item.section.meeting_id, UploadForm(prefix=f"file{item_id}")
    bound, anchor = {f"file{item_id}": form}, f"item-{item_id}"
    if not form.validate():
        return refused(meeting_id, anchor, **bound)
    upload, title = form.file.data, form.title.data or ""
    try:
        data, filename = upload.read(), upload.filename or ""
        document = editing.attach_item_document(
            item, data, filename=filename, title=title, actor=current_user
        )
    except (InvalidPdf, MeetingEditError) as error:
        return refused(meeting_id, anchor, error, field="file", **bound)
    number = editing.number_of(item)
    return saved(meeting_id, f"Attached {document.title} to item {number}", anchor)


@bp.post("/meetings/<int:meeting_id>/sections")
def section_add(meeting_id: int) -> Page:
    """Add a section to the agenda."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = new_section_form(meeting)
    if not form.validate():
        return refused(meeting_id, "add-section", section=form)
    try:
        section = editing.add_section(
            meeting,
            title=form.title.data or "",
            position=form.place.data,
            is_consent=form.is_consent.data,
            actor=current_user,
        )
    except MeetingEditError as error:
        return refused(meeting_id, "add-section", error, section=form)
    added = f"Added section {section.position}: {section.title}"
    return saved(meeting_id, added, f"section-{section.id}")


@bp.post("/sections/<int:section_id>/rename")
def section_rename(section_id: int) -> Page:
    """Rename a section."""
    section = db.get_or_404(AgendaSection, section_id)
    meeting_id, form = section.meeting_id, SectionForm(prefix=f"section{section_id}")
    bound, anchor = {f"section{section_id}": form}, f"section-{section_id}"
    if not form.validate():
        return refused(meeting_id, anchor, **bound)
    try:
        change = editing.rename_section(section, title=form.title.data or "", actor=current_user)
    except MeetingEditError as error:
        return refused(meeting_id, anchor, error, **bound)
    return saved(meeting_id, change, f"section-{section_id}")


@bp.post("/sections/<int:section_id>/consent")
def section_consent(section_id: int) -> Page:
    """Mark a section as the consent agenda, or unmark it."""
    section = db.get_or_404(AgendaSection, section_id)
    is_consent = request.form.get("is_consent") == "yes"
    try:
        change = editing.set_consent(section, is_consent=is_consent, actor=current_user)
    except MeetingEditError as error:
        return refused(section.meeting_id, f"section-{section_id}", error)
    return saved(section.meeting_id, change, f"section-{section_id}")


@bp.post("/sections/<int:section_id>/move")
def section_move(section_id: int) -> Page:
    """Move a section one place up or down."""
    section = db.get_or_404(AgendaSection, section_id)
    meeting_id = section.meeting_id
    try:
        change = editing.move_section(
            section, position=section.position + _step(), actor=current_user
        )
    except MeetingEditError as error:
        return refused(meeting_id, f"section-{section_id}", error)
    return saved(meeting_id, change, f"section-{section_id}")


@bp.post("/sections/<int:section_id>/remove")
def section_remove(section_id: int) -> Page:
    """Remove an empty section."""
    section = db.get_or_404(AgendaSection, section_id)
    meeting_id = section.meeting_id
    try:
        change = editing.remove_section(section, actor=current_user)
    except MeetingEditError as error:
        return refused(meeting_id, f"section-{section_id}", error)
    return saved(meeting_id, change, "agenda")


def _step() -> int:
    step = STEPS.get(request.form.get("direction", ""))
    if step is None:
        raise MeetingEditError("Choose whether to move it up or down.")
    return step


def _section_of(meeting: Meeting, section_id: int) -> AgendaSection:
    section = db.session.get(AgendaSection, section_id)
    if section is None or section.meeting_id != meeting.id:
        raise MeetingEditError("Choose a section of this meeting's agenda.", field="section")
    return section


def _item_fields(form: ItemForm) -> dict[str, Any]:
    matter = db.session.get(Matter, form.matter.data) if form.matter.data else None
    return {
        "title": form.title.data or "",
        "description": form.description.data or "",
        "matter": matter,
    }
