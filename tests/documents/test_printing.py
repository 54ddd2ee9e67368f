"""The app's own printed documents never fetch outside the app, whatever users write."""

from __future__ import annotations

from io import BytesIO

import pikepdf
import pytest

from agenda.extensions import db
from agenda.matters.documents import render_matter_pdf
from agenda.matters.operations import create_matter
from agenda.matters.rules import MatterType
from tests.conftest import pdf_text
from tests.documents.test_fetcher import Listener


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_hostile_markdown_and_title_in_a_matter_fetch_nothing(app, make_body, listener, tmp_path):
    port = listener.port
    body = make_body()
    matter = create_matter(
        body,
        matter_type=MatterType.RESOLUTION,
        title=f'Title <link rel="stylesheet" href="http://127.0.0.1:{port}/t.css">',
        text=(
            "![passwd](file:///etc/passwd)\n\n"
            f"![local](http://127.0.0.1:{port}/x.png)\n\n"
            "![metadata](http://169.254.169.254/latest/meta-data/)\n\n"
            '<style>@import url("file:///etc/passwd");</style>\n\n'
            '<link rel="attachment" href="file:///etc/passwd">\n\n'
            f'<img src="http://127.0.0.1:{port}/y.png">\n\n'
            "Resolved, the text survives."
        ),
        sponsors=[body.memberships[0].person],
        actor=None,
    )
    db.session.flush()
    with app.test_request_context():
        data = render_matter_pdf(matter)
    text = pdf_text(data, tmp_path)
    assert listener.connections == 0
    assert "root:x:0:0" not in text
    assert "Resolved, the text survives." in text
    # Markup typed by a user is printed as text, never obeyed.
    assert "<link" in " ".join(text.split())
    with pikepdf.open(BytesIO(data)) as pdf:
        assert len(pdf.attachments) == 0
