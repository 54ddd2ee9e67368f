"""Printed documents of a matter: its full text as a PDF."""

from __future__ import annotations

from agenda.documents.markdown import render_markdown
from agenda.documents.printing import render_template_pdf
from agenda.matters.models import Matter
from agenda.matters.rules import TYPE_NAMES


def render_matter_pdf(matter: Matter) -> bytes:
    """Render a matter's number, title, sponsors and full text as a tagged PDF."""
    return render_template_pdf(
        "matter.html",
        matter=matter,
        type_name=TYPE_NAMES[matter.matter_type],
        sponsors=[s.person.name for s in matter.sponsors],
        text_html=render_markdown(matter.text),
    )
