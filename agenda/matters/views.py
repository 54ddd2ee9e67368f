"""Public pages of legislation: one matter with its text, sponsors, documents and history."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from agenda.auth.access import current_viewer
from agenda.documents.markdown import render_markdown
from agenda.documents.queries import matter_is_visible
from agenda.matters.queries import matter_page
from agenda.matters.rules import ACTION_NAMES, STATUS_NAMES, TYPE_NAMES

bp = Blueprint("matters", __name__)


@bp.route("/matters/<int:matter_id>")
def detail(matter_id: int) -> str:
    viewer = current_viewer()
    # Invisible and missing matters answer alike, so the public cannot probe for drafts.
    page = matter_page(matter_id, viewer) if matter_is_visible(matter_id, viewer) else None
    if page is None:
        abort(404)
    return render_template(
        "matters/detail.html",
        page=page,
        matter=page.matter,
        text_html=render_markdown(page.matter.text),
        type_names=TYPE_NAMES,
        status_names=STATUS_NAMES,
        action_names=ACTION_NAMES,
    )
