"""Render the app's printed documents: a Jinja template through WeasyPrint, app-only fetches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, render_template

from agenda.documents.fetcher import INTERNAL_BASE_URL
from agenda.documents.operations import load_blob
from agenda.documents.prepared import ahead
from agenda.documents.render import default_fetcher, render_pdf


def render_template_pdf(template: str, **context: Any) -> bytes:
    """Render `templates/pdf/<template>` to a tagged PDF; only app files and blobs are fetched.

    The same page rendered twice in one request (ahead of a publication, then in it) is
    rendered once.
    """
    html = render_template(f"pdf/{template}", static_base=f"{INTERNAL_BASE_URL}static/", **context)
    fetcher = default_fetcher(Path(current_app.static_folder or ""), load_blob)
    return ahead(
        "pdf", [html], lambda: render_pdf(html, base_url=INTERNAL_BASE_URL, fetcher=fetcher)
    )
