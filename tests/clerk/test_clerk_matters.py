"""Clerk legislation screens: file, edit, attach, place on agendas; refusals change nothing."""

import io
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.documents.models import Attachment, Blob
from agenda.documents.operations import store_blob
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.matters.rules import MatterStatus
from agenda.meetings.models import AgendaItem, AgendaRevision
from agenda.meetings.publishing import publish_meeting
from tests.conftest import blank_pdf, csrf_token, row_counts

MULTIPART = "multipart/form-data"


# The tables a refused request must leave as they were.
TOUCHED = (Matter, Attachment, Blob, AgendaItem, AgendaRevision, AuditEvent)


def audit_actions() -> list[str]:
    query = sa.select(AuditEvent.action).order_by(AuditEvent.id)
    return list(db.session.execute(query).scalars())


def year() -> str:
    return f"{datetime.now(ZoneInfo('America/New_York')).year % 100:02d}"


@pytest.fixture
def public_get(make_app):
    """Read a page as the public, through a second app so no signed-in state is shared."""
    public = make_app()

    def get(path: str):
        db.session.commit()
        return public.test_client().get(path)

    return get


@pytest.fixture
def published(make_meeting):
    """Return a meeting of the matter's body, published the way the clerk does it."""

    def make(body):
        meeting = make_meeting(body=body, published=False)
        publish_meeting(meeting, actor=None)
        db.session.commit()
        return meeting

    return make


@pytest.fixture
def clerk_client(client, auth):
    auth.login(Role.CLERK)
    return client


def post_new(client, body, **fields):
    token = csrf_token(client, "/clerk/matters/new")
    data = {
        "csrf_token": token,
        "body": str(body.id),
        "matter_type": "resolution",
        "title": "Authorize a declaratory-judgment action",
        "text": "WHEREAS the Commission voted 6-1;",
        **fields,
    }
    return client.post("/clerk/matters/new", data=data)


def upload(client, matter, data: bytes, name: str = "memo.pdf", title: str = ""):
    token = csrf_token(client, f"/clerk/matters/{matter.id}")
    return client.post(
        f"/clerk/matters/{matter.id}/attachments",
        data={"file": (io.BytesIO(data), name), "title": title, "csrf_token": token},
        content_type=MULTIPART,
    )


def test_new_matters_are_numbered_per_type_and_year(clerk_client, body):
    sponsor = body.memberships[3].person
    response = post_new(clerk_client, body, sponsors=[str(sponsor.id)])
    assert response.status_code == 302
    page = clerk_client.get(response.location).get_data(as_text=True)
    assert f"Filed Res {year()}-001." in page
    assert sponsor.name in page
    post_new(clerk_client, body, title="Second resolution")
    post_new(clerk_client, body, matter_type="ordinance", title="An ordinance")
    numbers = db.session.execute(sa.select(Matter.file_number).order_by(Matter.id)).scalars()
    assert list(numbers) == [f"Res {year()}-001", f"Res {year()}-002", f"Ord {year()}-001"]
    assert audit_actions().count("matter.create") == 3


def test_the_new_form_is_labelled_and_lists_seated_members(clerk_client, body):
    page = clerk_client.get(f"/clerk/matters/new?body={body.id}").get_data(as_text=True)
    for field in ("body", "matter_type", "title", "sponsors", "text"):
        assert f'<label for="{field}">' in page
    assert f'<optgroup label="{body.name}">' in page
    assert "Member 4 of Key West City Commission (Commissioner)" in page
    assert f'<option selected value="{body.id}">' in page


def test_an_empty_title_is_shown_next_to_the_field_and_nothing_is_saved(clerk_client, body):
    before = row_counts(*TOUCHED)
    response = post_new(clerk_client, body, title="   ")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<p class="error" id="title-error">Give the matter a title. </p>' in page
    assert 'aria-describedby="title-error"' in page
    assert row_counts(*TOUCHED) == before


def test_a_sponsor_from_another_body_is_refused(clerk_client, body, make_body):
    outsider = make_body().memberships[0].person_id
    before = row_counts(*TOUCHED)
    response = post_new(clerk_client, body, sponsors=[str(outsider)])
    assert response.status_code == 422
    assert "Choose sponsors from the members of the Key West City Commission" in (
        response.get_data(as_text=True)
    )
    assert row_counts(*TOUCHED) == before


def test_a_form_without_its_csrf_token_is_refused(clerk_client, body, matter):
    before = row_counts(*TOUCHED)
    data = {"body": str(body.id), "matter_type": "resolution", "title": "No token"}
    response = clerk_client.post("/clerk/matters/new", data=data)
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    response = clerk_client.post(f"/clerk/matters/{matter.id}", data={"title": "Changed"})
    assert response.status_code == 400
    assert row_counts(*TOUCHED) == before
    assert db.session.get(Matter, matter.id).title == "Authorize a declaratory-judgment action"


def clerk_routes(matter_id: int, attachment_id: int) -> list[tuple[str, str]]:
    base = f"/clerk/matters/{matter_id}"
    return [
        ("GET", "/clerk/matters/new"),
        ("POST", "/clerk/matters/new"),
        ("GET", base),
        ("POST", base),
        ("POST", f"{base}/attachments"),
        ("POST", f"{base}/attachments/{attachment_id}/remove"),
        ("POST", f"{base}/place"),
    ]


@pytest.mark.parametrize("role", [Role.COMMISSIONER, None])
def test_others_are_kept_out_of_every_clerk_route(client, auth, matter, make_meeting, role):
    meeting = make_meeting(body=matter.body)
    blob = store_blob(blank_pdf())
    attachment = Attachment(
        sha256=blob.sha256, filename="memo.pdf", title="Memo", page_count=1, matter=matter
    )
    db.session.add(attachment)
    db.session.commit()
    if role is not None:
        auth.login(role, person_id=matter.body.memberships[2].person_id)
    token = csrf_token(client, "/login" if role is None else "/")
    before = row_counts(*TOUCHED)
    data = {
        "csrf_token": token,
        "body": str(matter.body_id),
        "matter_type": "resolution",
        "title": "Hijacked",
        "meeting": str(meeting.id),
        "section": "Resolutions",
        "file": (io.BytesIO(blank_pdf()), "x.pdf"),
    }
    for method, path in clerk_routes(matter.id, attachment.id):
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data=dict(data), content_type=MULTIPART)
            data["file"] = (io.BytesIO(blank_pdf()), "x.pdf")
        if role is None:
            assert response.status_code == 302, path
            assert "/login" in response.location
        else:
            assert response.status_code == 403, path
    assert row_counts(*TOUCHED) == before
    assert db.session.get(Matter, matter.id).title != "Hijacked"


def test_placing_on_a_published_agenda_amends_it_for_the_public(
    clerk_client, matter, published, public_get
):
    meeting = published(matter.body)
    assert public_get(f"/matters/{matter.id}").status_code == 404
    edit = clerk_client.get(f"/clerk/matters/{matter.id}").get_data(as_text=True)
    assert '<option selected value="Resolutions">Resolutions</option>' in edit
    token = csrf_token(clerk_client, f"/clerk/matters/{matter.id}")
    response = clerk_client.post(
        f"/clerk/matters/{matter.id}/place",
        data={"csrf_token": token, "meeting": str(meeting.id), "section": "Resolutions"},
    )
    assert response.status_code == 302
    assert "Placed on the agenda as item 6.a." in (
        clerk_client.get(response.location).get_data(as_text=True)
    )
    summary = f"Added item 6.a: {matter.file_number} {matter.title}"

    def revisions() -> list[str]:
        query = sa.select(AgendaRevision.summary).where(AgendaRevision.meeting_id == meeting.id)
        return list(db.session.execute(query).scalars())

    # The placement waits in the agenda's pending amendment: nothing public yet.
    assert revisions() == ["Agenda published."]
    assert db.session.get(Matter, matter.id).status is MatterStatus.FILED
    assert matter.file_number not in public_get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert public_get(f"/matters/{matter.id}").status_code == 404
    token = csrf_token(clerk_client, f"/clerk/meetings/{meeting.id}")
    published_now = clerk_client.post(
        f"/clerk/meetings/{meeting.id}/amendment",
        data={"csrf_token": token, "amendment-reason": summary},
    )
    assert published_now.status_code == 302
    assert revisions() == ["Agenda published.", summary]
    db.session.expire_all()
    assert db.session.get(Matter, matter.id).status is MatterStatus.ON_AGENDA
    page = public_get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert matter.file_number in page
    assert summary in page
    assert public_get(f"/matters/{matter.id}").status_code == 200
    assert {"agenda_item.create", "matter.place", "meeting.amend"} <= set(audit_actions())


def test_a_wrong_placement_is_shown_next_to_the_field(clerk_client, matter, make_meeting):
    meeting = make_meeting(body=matter.body)
    before = row_counts(*TOUCHED)
    token = csrf_token(clerk_client, f"/clerk/matters/{matter.id}")
    response = clerk_client.post(
        f"/clerk/matters/{matter.id}/place",
        data={"csrf_token": token, "meeting": str(meeting.id + 1000), "section": "Resolutions"},
    )
    assert response.status_code == 422
    assert 'id="meeting-error">Choose one of the meetings listed.' in response.get_data(
        as_text=True
    )
    assert row_counts(*TOUCHED) == before


def test_editing_a_matter_on_a_published_agenda_amends_it(
    clerk_client, matter, published, public_get
):
    meeting = published(matter.body)
    token = csrf_token(clerk_client, f"/clerk/matters/{matter.id}")
    clerk_client.post(
        f"/clerk/matters/{matter.id}/place",
        data={"csrf_token": token, "meeting": str(meeting.id), "section": "Resolutions"},
    )
    clerk_client.post(
        f"/clerk/meetings/{meeting.id}/amendment",
        data={"csrf_token": token, "amendment-reason": "Added 6.a"},
    )
    response = clerk_client.post(
        f"/clerk/matters/{matter.id}",
        data={
            "csrf_token": token,
            "title": "Join <em>South Miami</em>'s lawsuit",
            "text": "WHEREAS the Commission voted 6-1;",
            "sponsors": [str(matter.body.memberships[3].person_id)],
            "status": "on_agenda",
        },
    )
    assert response.status_code == 302
    page = clerk_client.get(response.location).get_data(as_text=True)
    assert "Saved: title changed." in page
    assert "Join &lt;em&gt;South Miami&lt;/em&gt;&#39;s lawsuit" in page
    assert "<em>South Miami</em>" not in page
    assert "South Miami" not in public_get(f"/meetings/{meeting.id}").get_data(as_text=True)
    clerk_client.post(
        f"/clerk/meetings/{meeting.id}/amendment",
        data={"csrf_token": token, "amendment-reason": "Corrected the title of 6.a"},
    )
    text = public_get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Corrected the title of 6.a" in text
    assert "Join &lt;em&gt;South Miami&lt;/em&gt;&#39;s lawsuit" in text
    assert "matter.update" in audit_actions()


def test_a_matter_on_a_draft_agenda_is_404_for_the_public_and_shown_to_the_clerk(
    clerk_client, matter, make_meeting, public_get
):
    meeting = make_meeting(body=matter.body, published=False)
    token = csrf_token(clerk_client, f"/clerk/matters/{matter.id}")
    clerk_client.post(
        f"/clerk/matters/{matter.id}/place",
        data={"csrf_token": token, "meeting": str(meeting.id), "section": "Resolutions"},
    )
    assert public_get(f"/matters/{matter.id}").status_code == 404
    page = clerk_client.get(f"/matters/{matter.id}").get_data(as_text=True)
    assert matter.title in page
    assert "Draft" in page


class Form(HTMLParser):
    """Collect ids, label targets and form controls of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.labels: set[str] = set()
        self.controls: list[str] = []
        self.forms: list[dict[str, str | None]] = []
        self.tokens = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if attr.get("id"):
            self.ids.append(attr["id"] or "")
        if tag == "label":
            self.labels.add(attr.get("for") or "")
        if tag == "form":
            self.forms.append(attr)
        if tag in {"input", "select", "textarea"} and attr.get("type") != "hidden":
            self.controls.append(attr.get("id") or "")
        if attr.get("name") == "csrf_token":
            self.tokens += 1


def test_the_edit_page_is_labelled_with_unique_ids_and_a_token_per_form(
    clerk_client, matter, make_meeting
):
    make_meeting(body=matter.body, published=False)
    upload(clerk_client, matter, blank_pdf(), "memo.pdf", "Memo")
    page = Form()
    page.feed(clerk_client.get(f"/clerk/matters/{matter.id}").get_data(as_text=True))
    assert len(page.ids) == len(set(page.ids))
    assert set(page.controls) <= page.labels
    assert {
        "title",
        "sponsors",
        "text",
        "status",
        "file",
        "upload-title",
        "meeting",
        "section",
    } <= (set(page.controls))
    assert all(f.get("method") == "post" for f in page.forms)
    assert page.tokens == len(page.forms)  # the sign-out form in the header included


def test_the_edit_page_offers_no_outcome_and_refuses_one_sent_anyway(clerk_client, matter):
    path = f"/clerk/matters/{matter.id}"
    page = clerk_client.get(path).get_data(as_text=True)
    options = page[page.index('id="status"') : page.index("</select>", page.index('id="status"'))]
    assert "Withdrawn</option>" in options and "Filed</option>" in options
    assert "Adopted" not in options and "Failed" not in options
    token = csrf_token(clerk_client, path)
    before = row_counts(*TOUCHED)
    response = clerk_client.post(
        path,
        data={"csrf_token": token, "title": matter.title, "text": matter.text, "status": "adopted"},
    )
    assert response.status_code == 422
    assert "Choose a status from the list." in response.get_data(as_text=True)
    assert db.session.get(Matter, matter.id).status is MatterStatus.FILED
    assert row_counts(*TOUCHED) == before
