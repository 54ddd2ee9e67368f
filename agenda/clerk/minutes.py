"""Clerk routes for minutes: write the notes, preview, compare revisions, file Form 8B memoranda."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from agenda.auth.access import current_viewer
from agenda.auth.models import User
from agenda.clerk import minutes_forms as forms
from agenda.clerk.views import bp
from agenda.db import utcnow
from agenda.documents.pdfcheck import InvalidPdf
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import meeting_page
from agenda.minutes import rules
from agenda.minutes.disclosures import DisclosureError, disclosure_rows, file_memorandum
from agenda.minutes.documents import minutes_context
from agenda.minutes.models import Disclosure, Minutes, MinutesRevision, MinutesStatus
from agenda.minutes.operations import DRAFTABLE, MinutesError, save_draft
from agenda.minutes.queries import approval_items
from agenda.votes.models import Motion

Page = str | tuple[str, int] | Response


@dataclass(frozen=True)
class RevisionRow:
    """A revision of the minutes, who saved it, and the motion that approved it, if any."""

    revision: MinutesRevision
    saved_by: str
    approval: Motion | None


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
def minutes_edit(meeting_id: int) -> Page:
    """Show the minutes' notes for editing; on POST, save them as a new revision."""
    meeting = _meeting(meeting_id)
    rows = revision_rows(meeting.id)
    latest = rows[0].revision if rows else None
    form = forms.notes_form(meeting, latest)
    if not form.is_submitted():
        return _editor(meeting, rows, form)
    if not form.validate():
        return _editor(meeting, rows, form, 400)
    meeting_notes, item_notes = forms.submitted_notes(form, meeting)
    if (stale := _stale(latest, form)) is not None:
        return _editor(meeting, rows, form, 409, error=stale)
    if latest and rules.normalized_notes(meeting_notes, item_notes) == _notes(latest):
        flash(f"No changes to save; the minutes stay at revision {latest.number}.", "success")
        return redirect(url_for(".minutes_edit", meeting_id=meeting_id))
    try:
        revision = save_draft(
            meeting, meeting_notes=meeting_notes, item_notes=item_notes, actor=current_user
        )
    except MinutesError as error:
        db.session.rollback()
        return _editor(meeting, rows, form, 400, error=str(error))
    db.session.commit()
    correction = " as a correction" if any(r.revision.approved_at for r in rows) else ""
    flash(f"Saved revision {revision.number} of the minutes{correction}.", "success")
    return redirect(url_for(".minutes_edit", meeting_id=meeting_id))


@bp.get("/meetings/<int:meeting_id>/minutes/preview")
def minutes_preview(meeting_id: int) -> Page:
    """Show the latest revision of the minutes as the public will read them."""
    meeting = _meeting(meeting_id)
    rows = revision_rows(meeting.id)
    if not rows:
        flash("Save the notes once to preview the minutes.", "warning")
        return redirect(url_for(".minutes_edit", meeting_id=meeting_id))
    context = minutes_context(meeting, rows[0].revision)
    return render_template("clerk/minutes/preview.html", row=rows[0], **context)


@bp.get("/meetings/<int:meeting_id>/minutes/compare")
def minutes_compare(meeting_id: int) -> Page:
    """Show what changed in the notes between two revisions, line by line."""
    meeting = _meeting(meeting_id)
    by_number = {r.revision.number: r.revision for r in revision_rows(meeting.id)}
    asked = "a" in request.args or "b" in request.args
    form = forms.compare_form(list(by_number), request.args if asked else None)
    if asked and not form.validate():
        return _compare(meeting, form, None, 400)
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
    if not form.validate():
        return _disclosures({disclosure.id: form}, 400)
    upload = form.file.data
    try:
        file_memorandum(
            disclosure, upload.read(), filename=upload.filename or "", actor=current_user
        )
    except (InvalidPdf, DisclosureError) as error:
        db.session.rollback()
        form.file.errors = [*form.file.errors, str(error)]
        return _disclosures({disclosure.id: form}, 400)
    db.session.commit()
    flash(f"Memorandum of {disclosure.person.name} filed.", "success")
    return redirect(url_for(".disclosures", _anchor=f"disclosure-{disclosure_id}"))


def revision_rows(meeting_id: int) -> list[RevisionRow]:
    """Return every revision of a meeting's minutes, newest first, with who saved and approved."""
    found = db.session.execute(
        sa.select(MinutesRevision, User.name, User.email)
        .join(Minutes, MinutesRevision.minutes_id == Minutes.id)
        .outerjoin(User, User.id == MinutesRevision.created_by_id)
        .where(Minutes.meeting_id == meeting_id)
        .order_by(MinutesRevision.number.desc())
    ).all()
    ids = [r.approved_by_motion_id for r, *_ in found if r.approved_by_motion_id]
    motions = db.session.execute(
        sa.select(Motion)
        .where(Motion.id.in_(ids))
        .options(
            selectinload(Motion.vote),
            joinedload(Motion.agenda_item)
            .joinedload(AgendaItem.section)
            .joinedload(AgendaSection.meeting),
        )
    ).scalars()
    by_id = {m.id: m for m in motions}
    return [
        RevisionRow(r, name or email or "the system", by_id.get(r.approved_by_motion_id or 0))
        for r, name, email in found
    ]


def _meeting(meeting_id: int) -> Meeting:
    meeting = meeting_page(meeting_id, current_viewer())
    if meeting is None:
        abort(404)
    return meeting


def _notes(revision: MinutesRevision) -> tuple[str, dict[str, str]]:
    return revision.meeting_notes, dict(revision.item_notes or {})


def _stale(latest: MinutesRevision | None, form: forms.NotesForm) -> str | None:
    # Saving over a revision the clerk has not seen would silently drop another clerk's words.
    if latest is None or forms.base_number(form) == latest.number:
        return None
    return (
        f"Revision {latest.number} was saved while you were editing, so nothing was saved. "
        f"Your text is below: compare it with revision {latest.number}, then save again."
    )


def _editor(
    meeting: Meeting,
    rows: list[RevisionRow],
    form: forms.NotesForm,
    status: int = 200,
    *,
    error: str = "",
) -> tuple[str, int]:
    approved = next((r for r in rows if r.revision.status is MinutesStatus.APPROVED), None)
    errors = [(e, f"#{f.id}") for f in form for e in f.errors]
    if error:
        errors.append((error, "#notes" if meeting.status in DRAFTABLE else "#status"))
    if status == 409:
        form.base.data = str(rows[0].revision.number if rows else 0)
    return render_template(
        "clerk/minutes/edit.html",
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
    ), status


def _compare(
    meeting: Meeting,
    form: forms.CompareForm,
    parts: list[rules.PartDiff] | None,
    status: int = 200,
) -> tuple[str, int]:
    errors = [(e, f"#{f.id}") for f in form for e in f.errors]
    return render_template(
        "clerk/minutes/compare.html",
        meeting=meeting,
        form=form,
        parts=parts,
        errors=errors,
        has_revisions=bool(form.a.choices),
    ), status


def _disclosures(
    bound: dict[int, forms.MemorandumForm] | None = None, status: int = 200
) -> tuple[str, int]:
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
        "clerk/minutes/disclosures.html",
        rows=rows,
        upload=upload,
        errors=errors,
        format_day=rules.format_day,
    ), status
