"""What every screen shares: one answer to an operation's outcome (saved, or refused)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, jsonify, redirect, request
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from agenda import once
from agenda.errors import Refused
from agenda.extensions import db, write_phase

# What a view returns: a page, a page with its status, or a redirect.
Page = str | tuple[str, int] | Response
# A screen's script posting in the background asks for the next address instead of a redirect.
FETCH_HEADER = "X-Agenda-Fetch"


@dataclass(frozen=True)
class Saved:
    """An operation went through: what to tell the person, and where to take them next."""

    message: str
    to: str
    warnings: tuple[str, ...] = ()


def answer(
    run: Callable[[], Saved],
    again: Callable[[Refused | None], str],
    *,
    form: FlaskForm | None = None,
    field: str | None = None,
    prepare: Callable[[], object] | None = None,
) -> Page:
    """Answer a submitted action: validate `form`, `run` the operation, then commit or undo.

    Saved: commit once, flash the message (and any warnings) and redirect. Refused: roll
    everything back and render the page `again` with the refusal (messages that concern a
    field of `form` are shown beside it; those naming no field go beside `field`, if given,
    as an upload's refusals go beside its file), answering 422, or 409 for a conflict.

    A form whose one-time key went through before records nothing: the person is told so
    and taken where the first submission led (see `agenda.once`).

    The operation runs in one short writing transaction (`write_phase`); what it can do
    ahead without writing, such as rendering the documents a publication stores, `prepare`
    does first, outside it, so other writers never wait for that.

    A background post (header `X-Agenda-Fetch`) gets `{"to": address}` instead of the
    redirect, so the script loads that page in place; refusals answer with the page as usual.
    """
    if form is not None and not form.validate():
        db.session.rollback()
        return again(None), 422
    if prepare is not None:
        prepare()
    refusal: Refused | None = None
    earlier: str | None = None  # where the first submission of this form's key led
    with write_phase():
        key = once.submitted_key()
        if key is not None:
            claimed = once.claim(key, getattr(current_user, "id", None))
            if claimed is not None:
                earlier = claimed.result_url or request.path
        if earlier is None:
            try:
                saved = run()
            except Refused as refused:
                refusal = refused
            else:
                if key is not None:
                    once.settle(key, saved.to)
                db.session.commit()
        if earlier is not None or refusal is not None:
            db.session.rollback()
    # The page is rendered again, or the next one loaded, outside the writing transaction.
    if earlier is not None:
        flash(once.ALREADY, "success")
        return _go(earlier)
    if refusal is not None:
        return again(place(form, refusal, field)), refusal.status
    flash(saved.message, "success")
    for warning in saved.warnings:
        flash(warning, "warning")
    return _go(saved.to)


def _go(to: str) -> Response:
    if request.headers.get(FETCH_HEADER) == "1":
        return jsonify(to=to)
    return redirect(to)


def place(form: FlaskForm | None, refusal: Refused, default: str | None = None) -> Refused | None:
    """Put a refusal's messages beside the form field it names (or `default`); else return it."""
    name = refusal.field or default
    if form is None or name is None or name not in form:
        return refusal
    target = form[name]
    target.errors = [*target.errors, *refusal.messages]
    return None


def form_errors(*forms: FlaskForm | None) -> list[tuple[str, str]]:
    """List every field error of these forms with a link to its field, for the error summary."""
    return [(e, f"#{f.id}") for form in forms if form is not None for f in form for e in f.errors]
