"""The clerk's meeting workspace page, and the answers after an edit: saved, or refused."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from agenda.auth.access import current_viewer
from agenda.clerk.meeting_forms import ItemForm, workspace_forms
from agenda.extensions import db
from agenda.matters.queries import body_matters
from agenda.meetings.models import AgendaItem
from agenda.meetings.queries import meeting_page
from agenda.meetings.rules import is_agenda_editable, item_number


def saved(meeting_id: int, message: str, anchor: str) -> Response:
    """Commit the edit, say what changed, and go back to the workspace near the change."""
    db.session.commit()
    flash(f"{message}.", "success")
    return redirect(url_for("clerk.meeting_edit", meeting_id=meeting_id, _anchor=anchor))


def refused(
    meeting_id: int,
    anchor: str,
    error: Exception | None = None,
    *,
    field: str | None = None,
    **bound: FlaskForm,
) -> tuple[str, int]:
    """Undo everything, then show the workspace again with the error beside its field."""
    db.session.rollback()
    message = ""
    if error is not None:
        form = next(iter(bound.values()), None)
        message = place_error(form, error, field) if form else str(error)
    return workspace(meeting_id, 400, error=message, anchor=anchor, **bound)


def place_error(form: FlaskForm, error: Exception, field: str | None = None) -> str:
    """Show the error next to its field when the form has it; else return it for the page."""
    target = getattr(form, getattr(error, "field", field) or "", None)
    if target is None:
        return str(error)
    target.errors = [*target.errors, str(error)]
    return ""


def workspace(
    meeting_id: int, status: int = 200, *, error: str = "", anchor: str = "", **bound: FlaskForm
) -> tuple[str, int]:
    """Render the meeting's workspace; `bound` forms (with their errors) replace blank ones."""
    meeting = meeting_page(meeting_id, current_viewer())
    if meeting is None:
        abort(404)
    section_id = request.args.get("section", type=int)
    forms = {**workspace_forms(meeting, body_matters(meeting.body_id), section_id), **bound}
    errors = [(e, f"#{f.id}") for form in bound.values() for f in form for e in f.errors]
    if error:
        errors.append((error, f"#{anchor}"))
    return render_template(
        "clerk/meetings/edit.html",
        meeting=meeting,
        forms=forms,
        errors=errors,
        error=error,
        anchor=anchor,
        is_editable=is_agenda_editable(meeting.status),
        item_number=item_number,
    ), status


def item_page(item: AgendaItem, form: ItemForm, status: int = 200) -> tuple[str, int]:
    """Render the form that edits one agenda item."""
    number = item_number(item.section.position, item.position)
    editable = is_agenda_editable(item.section.meeting.status)
    return render_template(
        "clerk/meetings/item.html", item=item, number=number, form=form, is_editable=editable
    ), status
