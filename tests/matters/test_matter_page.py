"""The public page of a matter: text made safe, sponsors, documents, meetings and history."""

from html.parser import HTMLParser

import pytest

from agenda.auth.rules import Role
from agenda.documents.models import Blob
from agenda.documents.operations import attach_pdf
from agenda.extensions import db
from agenda.matters.operations import file_matter, place_on_agenda, update_matter
from agenda.matters.rules import MatterStatus
from tests.conftest import count_rows, make_pdf_bytes, publish_pending

HOSTILE = (
    "WHEREAS the Commission voted **6-1**;\n\n"
    "<script>alert(1)</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    "[x](javascript:alert(1)) and [the statute](https://www.flsenate.gov/Laws/Statutes)\n\n"
    "![i](http://169.254.169.254/x.png)\n"
)


@pytest.fixture
def matter(make_body):
    body = make_body(name="Key West City Commission")
    kaufman = body.memberships[3].person
    kaufman.name = "Sam Kaufman"
    matter = file_matter(
        body,
        matter_type="resolution",
        title="Authorize a declaratory-judgment action <b>now</b>",
        text=HOSTILE,
        sponsor_ids=[kaufman.id],
        actor=None,
    )
    db.session.commit()
    return matter


class Elements(HTMLParser):
    """Collect every element and its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))


def text_section(page: str) -> str:
    return page.split('id="text-heading"', 1)[1].split("</section>", 1)[0]


def test_a_matter_on_a_published_agenda_is_public(client, matter, make_meeting):
    meeting = make_meeting(body=matter.body)
    place_on_agenda(matter, meeting, "Resolutions", actor=None)
    db.session.commit()
    assert client.get(f"/matters/{matter.id}").status_code == 404  # not published yet
    publish_pending(meeting)
    db.session.commit()
    response = client.get(f"/matters/{matter.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Authorize a declaratory-judgment action &lt;b&gt;now&lt;/b&gt;" in page
    assert matter.file_number in page
    assert "Resolution" in page
    assert "Sam Kaufman" in page
    assert "On an agenda" in page
    assert "<strong>6-1</strong>" in page
    assert 'href="https://www.flsenate.gov/Laws/Statutes"' in page
    assert f'href="/meetings/{meeting.id}#item-' in page
    assert "6.a" in page
    assert "Placed on the agenda" in page


def test_hostile_text_is_sanitized(client, auth, matter):
    auth.login(Role.CLERK)
    page = client.get(f"/matters/{matter.id}").get_data(as_text=True)
    text = text_section(page)
    assert "WHEREAS the Commission voted" in text
    elements = Elements()
    elements.feed(page)
    assert not {"script", "img", "iframe", "object"} & {tag for tag, _ in elements.seen}
    attributes = [(name, value or "") for _, attrs in elements.seen for name, value in attrs]
    assert not [name for name, _ in attributes if name.startswith("on") or name == "src"]
    assert not [v for _, v in attributes if v.strip().lower().startswith("javascript:")]
    assert "169.254.169.254" not in page
    # What markdown refused stays visible as inert text, escaped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_matter_on_no_public_agenda_is_404_for_the_public(client, matter, make_meeting):
    place_on_agenda(
        matter, make_meeting(body=matter.body, published=False), "Resolutions", actor=None
    )
    db.session.commit()
    response = client.get(f"/matters/{matter.id}")
    assert response.status_code == 404
    assert matter.title not in response.get_data(as_text=True)
    assert client.get("/matters/999999").status_code == 404


def test_staff_see_a_draft_matter(client, auth, matter):
    update_matter(
        matter,
        title=matter.title,
        text=matter.text,
        sponsor_ids=[s.person_id for s in matter.sponsors],
        status=MatterStatus.DRAFT,
        actor=None,
    )
    db.session.commit()
    auth.login(Role.CLERK)
    page = client.get(f"/matters/{matter.id}").get_data(as_text=True)
    assert "Draft" in page
    assert "Not on any meeting's agenda yet." in page


def test_commissioners_see_drafts_of_their_own_body(client, auth, matter):
    auth.login(Role.COMMISSIONER, person_id=matter.body.memberships[2].person_id)
    assert client.get(f"/matters/{matter.id}").status_code == 200


def test_commissioners_of_another_body_get_404(client, auth, matter):
    auth.login(Role.COMMISSIONER)  # seated on a body of its own
    assert client.get(f"/matters/{matter.id}").status_code == 404


def test_public_page_lists_documents_and_hides_draft_meetings(client, matter, make_meeting):
    public = make_meeting(body=matter.body)
    draft = make_meeting(body=matter.body, published=False)
    for meeting in (public, draft):
        place_on_agenda(matter, meeting, "Resolutions", actor=None)
    publish_pending(public)
    memo = attach_pdf(
        make_pdf_bytes("Legal memo"), filename="memo.pdf", title="Legal memo", actor=None,
        matter=matter,
    )  # fmt: skip
    db.session.commit()
    page = client.get(f"/matters/{matter.id}").get_data(as_text=True)
    assert f'href="/attachments/{memo.id}/memo.pdf">Legal memo</a>' in page
    assert f"/meetings/{public.id}#" in page
    assert f"/meetings/{draft.id}" not in page
    download = client.get(f"/attachments/{memo.id}/memo.pdf")
    assert download.status_code == 200
    assert download.data.startswith(b"%PDF-")
    assert count_rows(Blob) >= 1
