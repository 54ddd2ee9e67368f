"""The clerk's meeting workspace: create, edit, publish and cancel meetings; build agendas."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, abort, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from agenda.auth.access import current_viewer
from agenda.bodies.models import Body
from agenda.bodies.queries import bodies
from agenda.db import utcnow
from agenda.documents.forms import UploadForm
from agenda.documents.operations import check_upload_ahead
from agenda.extensions import db
from agenda.meetings import agenda_editing as editing
from agenda.meetings import forms
from agenda.meetings.display import label_of, number_of
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.operations import MeetingEditError, schedule_meeting, update_meeting
from agenda.meetings.publishing import (
    cancel_meeting,
    delete_draft,
    prepare,
    publish_amendment,
    publish_meeting,
)
from agenda.meetings.queries import minutes_choices
from agenda.meetings.workspace import again, back, item_page, new_page, workspace
from agenda.web import Page, Saved, answer

bp = Blueprint("meetings", __name__)
STEPS = {"up": -1, "down": 1}


@bp.route("/meetings/new", methods=["GET", "POST"])
def new() -> Page:
    """Create a draft meeting at a local date and time."""
    form = forms.NewMeetingForm()
    viewer = current_viewer()  # a clerk limited to some bodies is offered only theirs
    every = [b for b in bodies() if viewer.works_on(b.id)]
    form.body.choices = [SelectChoice(str(b.id), b.name) for b in every]
    if not form.is_submitted():
        if len(every) == 1:  # one body: its usual place and time are the form's start
            form.location.data, form.at.data = every[0].default_location, every[0].default_time
        return new_page(form)

    def run() -> Saved:
        body = db.get_or_404(Body, form.body.data)
        meeting = schedule_meeting(body, actor=current_user, **forms.details_of(form))
        message = "Meeting created as a draft. Build its agenda below."
        return Saved(message, url_for(".edit", meeting_id=meeting.id))

    return answer(run, lambda refusal: new_page(form, refusal), form=form)


@bp.route("/meetings/<int:meeting_id>", methods=["GET", "POST"])
def edit(meeting_id: int) -> Page:
    """Show the meeting's workspace; on POST, save its details."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = forms.details_form(meeting)
    if not form.is_submitted():
        return workspace(meeting_id)

    def run() -> Saved:
        changes = update_meeting(meeting, actor=current_user, **forms.details_of(form))
        message = "; ".join(changes) or "No changes to save"
        return Saved(f"{message}.", back(meeting_id, "details"))

    return answer(run, again(meeting_id, "details", details=form), form=form)


@bp.post("/meetings/<int:meeting_id>/publish")
def publish(meeting_id: int) -> Page:
    """Publish a draft agenda, showing each notice warning."""
    meeting = db.get_or_404(Meeting, meeting_id)
    now = utcnow()

    def run() -> Saved:
        result = publish_meeting(meeting, actor=current_user, now=now)
        message = f"Agenda published (revision {result.revision.number})."
        return Saved(message, back(meeting_id, "status"), tuple(result.warnings))

    ahead = partial(prepare, meeting, "publish", now=now)
    return answer(run, again(meeting_id, "status"), prepare=ahead)


@bp.post("/meetings/<int:meeting_id>/amendment")
def amend(meeting_id: int) -> Page:
    """Publish the agenda's pending changes as one amended revision, with the clerk's reason."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = forms.AmendmentForm(prefix="amendment")
    now = utcnow()

    def run() -> Saved:
        reason = form.reason.data or ""
        revision = publish_amendment(meeting, reason, actor=current_user, now=now)
        message = f"Amended agenda published (revision {revision.number})."
        return Saved(message, back(meeting_id, "status"))

    ahead = partial(prepare, meeting, "amend", form.reason.data or "", now=now)
    return answer(run, again(meeting_id, "amendment", amendment=form), form=form, prepare=ahead)


@bp.post("/meetings/<int:meeting_id>/cancel")
def cancel(meeting_id: int) -> Page:
    """Cancel a meeting with the reason the public will see."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = forms.CancelForm(prefix="cancel")
    now = utcnow()

    def run() -> Saved:
        was_public = cancel_meeting(meeting, form.reason.data or "", actor=current_user, now=now)
        message = (
            "Meeting cancelled; the public page shows the reason."
            if was_public
            else "Draft meeting cancelled; it was never published, so the public never saw it."
        )
        return Saved(message, back(meeting_id, "status"))

    ahead = partial(prepare, meeting, "cancel", form.reason.data or "", now=now)
    return answer(run, again(meeting_id, "cancel", cancel=form), form=form, prepare=ahead)


@bp.post("/meetings/<int:meeting_id>/delete")
def delete(meeting_id: int) -> Page:
    """Delete a meeting that was never published, after the clerk confirms."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = forms.DeleteForm(prefix="delete")

    def run() -> Saved:
        label = delete_draft(meeting, actor=current_user)
        return Saved(f"Deleted the draft {label}.", url_for("clerk.dashboard"))

    return answer(run, again(meeting_id, "delete", delete=form), form=form)


@bp.post("/meetings/<int:meeting_id>/items")
def item_add(meeting_id: int) -> Page:
    """Add an item to a section of the agenda."""
    meeting = db.get_or_404(Meeting, meeting_id)
    minutes = minutes_choices(meeting)
    form = forms.item_form(meeting, meeting.body.matters, minutes, forms.NewItemForm, prefix="item")

    def run() -> Saved:
        section = _section_of(meeting, form.section.data)
        fields = _item_fields(meeting, form, minutes)
        item = editing.add_agenda_item(section, actor=current_user, **fields)
        message = f"Added item {label_of(item)}."
        return Saved(message, back(meeting_id, f"item-{item.id}"))

    return answer(run, again(meeting_id, "add-item", item=form), form=form)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def item_edit(item_id: int) -> Page:
    """Show an item's form; on POST, save its title, description, legislation and kind."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting = item.section.meeting
    data = {
        "title": item.title,
        "description": item.description,
        "matter": item.matter_id,
        "minutes_of": [m.id for m in item.minutes_of],
        "is_quasi_judicial": item.is_quasi_judicial,
    }
    minutes = minutes_choices(meeting, item.minutes_of)
    form = forms.item_form(meeting, meeting.body.matters, minutes, forms.ItemForm, data=data)
    if not form.is_submitted():
        return item_page(item, form)

    def run() -> Saved:
        fields = _item_fields(meeting, form, minutes)
        change = editing.update_item(item, actor=current_user, **fields)
        message = change or "No changes to save"
        return Saved(f"{message}.", back(meeting.id, f"item-{item_id}"))

    return answer(run, lambda refusal: item_page(item, form, refusal), form=form)


@bp.post("/items/<int:item_id>/move")
def item_move(item_id: int) -> Page:
    """Move an item one place up or down in its section."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id, anchor = item.section.meeting_id, f"item-{item_id}"

    def run() -> Saved:
        position = item.position + _step()
        return Saved(
            f"{editing.move_item(item, position=position, actor=current_user)}.",
            back(meeting_id, anchor),
        )

    return answer(run, again(meeting_id, anchor))


@bp.post("/items/<int:item_id>/move-to")
def item_move_to(item_id: int) -> Page:
    """Move an item to another section, at the end unless placed."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting = item.section.meeting
    form, anchor = forms.move_form(meeting, item), f"item-{item_id}"

    def run() -> Saved:
        section = _section_of(meeting, form.section.data)
        change = editing.move_item(
            item, section=section, position=form.position.data, actor=current_user
        )
        return Saved(f"{change}.", back(meeting.id, anchor))

    return answer(run, again(meeting.id, anchor, **{f"move{item_id}": form}), form=form)


@bp.post("/items/<int:item_id>/remove")
def item_remove(item_id: int) -> Page:
    """Remove an item from the agenda."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id, section_id = item.section.meeting_id, item.section_id

    def run() -> Saved:
        change = editing.remove_item(item, actor=current_user)
        return Saved(f"{change}.", back(meeting_id, f"section-{section_id}"))

    return answer(run, again(meeting_id, f"item-{item_id}"))


@bp.post("/items/<int:item_id>/attachments")
def item_attach(item_id: int) -> Page:
    """Attach a PDF to an item."""
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id, form = item.section.meeting_id, UploadForm(prefix=f"file{item_id}")
    anchor = f"item-{item_id}"

    def run() -> Saved:
        upload = form.file.data
        document = editing.attach_item_document(
            item,
            upload.read(),
            filename=upload.filename or "",
            title=form.title.data or "",
            actor=current_user,
        )
        return Saved(
            f"Attached {document.title} to item {number_of(item)}.",
            back(meeting_id, anchor),
            (document.removed_note,) if document.removed_note else (),
        )

    bound = {f"file{item_id}": form}
    ahead = partial(check_upload_ahead, form.file.data)
    return answer(run, again(meeting_id, anchor, **bound), form=form, field="file", prepare=ahead)


@bp.post("/items/<int:item_id>/attachments/<int:attachment_id>/remove")
def item_attachment_remove(item_id: int, attachment_id: int) -> Page:
    """Take one of an item's own documents off the agenda."""
    item = db.get_or_404(AgendaItem, item_id)
    attachment = next((a for a in item.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    meeting_id, anchor = item.section.meeting_id, f"item-{item_id}"

    def run() -> Saved:
        change = editing.remove_item_document(item, attachment, actor=current_user)
        return Saved(f"{change}.", back(meeting_id, anchor))

    return answer(run, again(meeting_id, anchor))


@bp.post("/meetings/<int:meeting_id>/sections")
def section_add(meeting_id: int) -> Page:
    """Add a section to the agenda."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = forms.new_section_form(meeting)

    def run() -> Saved:
        section = editing.add_section(
            meeting,
            title=form.title.data or "",
            position=form.place.data,
            is_consent=form.is_consent.data,
            actor=current_user,
        )
        message = f"Added section {section.position}: {section.title}."
        return Saved(message, back(meeting_id, f"section-{section.id}"))

    return answer(run, again(meeting_id, "add-section", section=form), form=form)


@bp.post("/sections/<int:section_id>/rename")
def section_rename(section_id: int) -> Page:
    """Rename a section."""
    section = db.get_or_404(AgendaSection, section_id)
    meeting_id, key = section.meeting_id, f"section{section_id}"
    form, anchor = forms.SectionForm(prefix=key), f"section-{section_id}"

    def run() -> Saved:
        change = editing.rename_section(section, title=form.title.data or "", actor=current_user)
        return Saved(f"{change}.", back(meeting_id, anchor))

    return answer(run, again(meeting_id, anchor, **{key: form}), form=form)


@bp.post("/sections/<int:section_id>/consent")
def section_consent(section_id: int) -> Page:
    """Mark a section as the consent agenda, or unmark it."""
    section = db.get_or_404(AgendaSection, section_id)
    is_consent, anchor = request.form.get("is_consent") == "yes", f"section-{section_id}"

    def run() -> Saved:
        change = editing.set_consent(section, is_consent=is_consent, actor=current_user)
        return Saved(f"{change}.", back(section.meeting_id, anchor))

    return answer(run, again(section.meeting_id, anchor))


@bp.post("/sections/<int:section_id>/move")
def section_move(section_id: int) -> Page:
    """Move a section one place up or down."""
    section = db.get_or_404(AgendaSection, section_id)
    meeting_id, anchor = section.meeting_id, f"section-{section_id}"

    def run() -> Saved:
        position = section.position + _step()
        change = editing.move_section(section, position=position, actor=current_user)
        return Saved(f"{change}.", back(meeting_id, anchor))

    return answer(run, again(meeting_id, anchor))


@bp.post("/sections/<int:section_id>/remove")
def section_remove(section_id: int) -> Page:
    """Remove an empty section."""
    section = db.get_or_404(AgendaSection, section_id)
    meeting_id = section.meeting_id

    def run() -> Saved:
        change = editing.remove_section(section, actor=current_user)
        return Saved(f"{change}.", back(meeting_id, "agenda"))

    return answer(run, again(meeting_id, f"section-{section_id}"))


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


def _item_fields(meeting: Meeting, form: forms.ItemForm, minutes: list[Meeting]) -> dict[str, Any]:
    # The form offers only these choices, so a valid submission names one of them.
    matter = next((m for m in meeting.body.matters if m.id == form.matter.data), None)
    return {
        "title": form.title.data or "",
        "description": form.description.data or "",
        "matter": matter,
        "minutes_of": [m for m in minutes if m.id in (form.minutes_of.data or [])],
        "is_quasi_judicial": bool(form.is_quasi_judicial.data),
    }
