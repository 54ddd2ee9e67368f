"""The meeting workspace page: the agenda with its forms, shown again with any refusal."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, request, url_for
from flask_wtf import FlaskForm

from agenda.auth.access import current_viewer
from agenda.errors import Refused
from agenda.meetings import forms
from agenda.meetings.display import number_of
from agenda.meetings.models import AgendaItem
from agenda.meetings.queries import item_matter_loader, meeting_page, minutes_choices
from agenda.meetings.rules import item_number, meeting_state
from agenda.meetings.snapshot import pending_changes
from agenda.web import form_errors


def back(meeting_id: int, anchor: str) -> str:
    """Return the workspace's address, scrolled to the block that changed."""
    return url_for("clerk.meetings.edit", meeting_id=meeting_id, _anchor=anchor)


def workspace(
    meeting_id: int, refusal: Refused | None = None, anchor: str = "", **bound: FlaskForm
) -> str:
    """Render the meeting's workspace; `bound` forms (with their errors) replace blank ones."""
    meeting = meeting_page(meeting_id, current_viewer(), item_options=[item_matter_loader()])
    if meeting is None:
        abort(404)
    section_id = request.args.get("section", type=int)
    blank = forms.workspace_forms(
        meeting, meeting.body.matters, minutes_choices(meeting), section_id
    )
    page_forms = {**blank, **bound}
    errors = form_errors(*bound.values())
    error = " ".join(refusal.messages) if refusal is not None else ""
    if error:
        errors.append((error, f"#{anchor}"))
    return render_template(
        "meetings/manage/edit.html",
        meeting=meeting,
        state=meeting_state(meeting.status),
        forms=page_forms,
        errors=errors,
        error=error,
        anchor=anchor,
        item_number=item_number,
        pending=pending_changes(meeting),
    )


def again(meeting_id: int, anchor: str, **bound: FlaskForm) -> Callable[[Refused | None], str]:
    """Return how to show the workspace again after a refusal, near `anchor`."""
    return lambda refusal: workspace(meeting_id, refusal, anchor, **bound)


def new_page(form: forms.NewMeetingForm, refusal: Refused | None = None) -> str:
    """Render the new-meeting form with its errors."""
    errors = form_errors(form) + ([(m, "#body") for m in refusal.messages] if refusal else [])
    return render_template("meetings/manage/new.html", form=form, errors=errors)


def item_page(item: AgendaItem, form: forms.ItemForm, refusal: Refused | None = None) -> str:
    """Render the form that edits one agenda item, with its errors."""
    meeting = item.section.meeting
    errors = form_errors(form) + ([(m, "#title") for m in refusal.messages] if refusal else [])
    return render_template(
        "meetings/manage/item.html",
        item=item,
        number=number_of(item),
        form=form,
        errors=errors,
        state=meeting_state(meeting.status),
    )
