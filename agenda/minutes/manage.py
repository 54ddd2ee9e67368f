"""The clerk's minutes screens: write the notes, preview, compare revisions, file Form 8B."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from agenda.auth.access import current_viewer
from agenda.db import utcnow
from agenda.documents.operations import check_upload_ahead
from agenda.errors import Conflict, Refused
from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.minutes import forms, rules
from agenda.minutes.disclosures import disclosure_rows, file_memorandum
from agenda.minutes.documents import minutes_context
from agenda.minutes.models import Disclosure, MinutesRevision, MinutesStatus
from agenda.minutes.operations import DRAFTABLE, save_draft
from agenda.minutes.queries import RevisionRow, approval_items, record_page, revision_rows
from agenda.timefmt import format_day
from agenda.web import Page, Saved, answer, form_errors

bp = Blueprint("minutes", __name__)


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
def edit(meeting_id: int) -> Page:
    """Show the minutes' notes for editing; on POST, save them as a new revision."""
    meeting = _meeting(meeting_id)
    rows = revision_rows(meeting.id)
    latest = rows[0].revision if rows else None
    form = forms.notes_form(meeting, latest)
    if not form.is_submitted():
        return _editor(meeting, rows, form)
    here = url_for(".edit", meeting_id=meeting_id)

    def run() -> Saved:
        meeting_notes, item_notes = forms.submitted_notes(form, meeting)
        _ensure_current(latest, form)
        if latest and rules.normalized_notes(meeting_notes, item_notes) == _notes(latest):
            return Saved(f"No changes to save; the minutes stay at revision {latest.number}.", here)
        revision = save_draft(
            meeting, meeting_notes=meeting_notes, item_notes=item_notes, actor=current_user
        )
        correction = " as a correction" if any(r.revision.approved_at for r in rows) else ""
        return Saved(f"Saved revision {revision.number} of the minutes{correction}.", here)

    return answer(run, lambda refusal: _editor(meeting, rows, form, refusal), form=form)


@bp.get("/meetings/<int:meeting_id>/minutes/preview")
def preview(meeting_id: int) -> Page:
    """Show the latest revision of the minutes as the public will read them."""
    meeting = _meeting(meeting_id)
    rows = revision_rows(meeting.id)
    if not rows:
        flash("Save the notes once to preview the minutes.", "warning")
        return redirect(url_for(".edit", meeting_id=meeting_id))
    context = minutes_context(meeting, rows[0].revision)
    return render_template("minutes/manage/preview.html", row=rows[0], **context)


@bp.get("/meetings/<int:meeting_id>/minutes/compare")
def compare(meeting_id: int) -> Page:
    """Show what changed in the notes between two revisions, line by line."""
    meeting = _meeting(meeting_id)
    by_number = {r.revision.number: r.revision for r in revision_rows(meeting.id)}
    asked = "a" in request.args or "b" in request.args
    form = forms.compare_form(list(by_number), request.args if asked else None)
    if asked and not form.validate():
        return _compare(meeting, form, None), 422
    a, b = by_number.get(form.a.data or 0), by_number.get(form.b.data or 0)
    if a is None or b is None:
        return _compare(meeting, form, None)
    labels = {str(n.item.id): n.heading for n in forms.agenda_items(meeting)}
    parts = rules.diff_notes(_notes(a), _notes(b), labels)
    return _compare(meeting, form, parts)


@bp.get("/disclosures")
def disclosures() -> Page:
    """List the conflict disclosures owed and filed, overdue ones first."""
    return _disclosures()


@bp.post("/disclosures/<int:disclosure_id>/file")
def disclosure_file(disclosure_id: int) -> Page:
    """File a member's Form 8B memorandum (a PDF) for a conflict disclosure."""
    disclosure = db.get_or_404(Disclosure, disclosure_id)
    form = forms.memorandum_form(disclosure)

    def run() -> Saved:
        upload = form.file.data
        file_memorandum(
            disclosure, upload.read(), filename=upload.filename or "", actor=current_user
        )
        message = f"Memorandum of {disclosure.person.name} filed."
        return Saved(message, url_for(".disclosures", _anchor=f"disclosure-{disclosure_id}"))

    def again(refusal: Refused | None) -> str:
        return _disclosures({disclosure.id: form})

    ahead = partial(check_upload_ahead, form.file.data)
    return answer(run, again, form=form, field="file", prepare=ahead)


def _meeting(meeting_id: int) -> Meeting:
    meeting = record_page(meeting_id, current_viewer())
    if meeting is None:
        abort(404)
    return meeting


def _notes(revision: MinutesRevision) -> tuple[str, dict[str, str]]:
    return revision.meeting_notes, dict(revision.item_notes or {})


def _ensure_current(latest: MinutesRevision | None, form: forms.NotesForm) -> None:
    # Saving over a revision the clerk has not seen would silently drop another clerk's words.
    if latest is None or forms.base_number(form) == latest.number:
        return
    raise Conflict(
        f"Revision {latest.number} was saved while you were editing, so nothing was saved. "
        f"Your text is below: compare it with revision {latest.number}, then save again."
    )


def _editor(
    meeting: Meeting,
    rows: list[RevisionRow],
    form: forms.NotesForm,
    refusal: Refused | None = None,
) -> str:
    approved = next((r for r in rows if r.revision.status is MinutesStatus.APPROVED), None)
    errors = form_errors(form)
    if refusal is not None:
        anchor = "#notes" if meeting.status in DRAFTABLE else "#status"
        errors += [(m, anchor) for m in refusal.messages]
    if isinstance(refusal, Conflict):
        form.base.data = str(rows[0].revision.number if rows else 0)
    return render_template(
        "minutes/manage/edit.html",
        meeting=meeting,
        form=form,
        items=forms.agenda_items(meeting),
        item_field=forms.item_field,
        rows=rows,
        approved=approved,
        is_draftable=meeting.status in DRAFTABLE,
        errors=errors,
        compare=forms.compare_form([r.revision.number for r in rows], None),
        approval_items=approval_items(meeting.id),
        hint=forms.MARKDOWN_HINT,
    )


def _compare(meeting: Meeting, form: forms.CompareForm, parts: list[rules.PartDiff] | None) -> str:
    return render_template(
        "minutes/manage/compare.html",
        meeting=meeting,
        form=form,
        parts=parts,
        errors=form_errors(form),
        has_revisions=bool(form.a.choices),
    )


def _disclosures(bound: dict[int, forms.MemorandumForm] | None = None) -> str:
    rows = disclosure_rows(utcnow())
    bound = bound or {}
    upload = {
        r.disclosure.id: bound.get(r.disclosure.id)
        or forms.memorandum_form(r.disclosure, formdata=None)
        for r in rows
        if r.disclosure.filed_at is None
    }
    # A refusal for a disclosure filed meanwhile has no form left on the page: point at its entry.
    errors = [
        (e, f"#{f.id}" if key in upload else f"#disclosure-{key}")
        for key, form in bound.items()
        for f in form
        for e in f.errors
    ]
    return render_template(
        "minutes/manage/disclosures.html",
        rows=rows,
        upload=upload,
        errors=errors,
        format_day=format_day,
    )
