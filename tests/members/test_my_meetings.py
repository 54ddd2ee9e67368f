"""A commissioner's home, "My meetings": their bodies' upcoming meetings, marked when amended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings import agenda_editing as editing
from agenda.meetings.models import Meeting
from agenda.meetings.operations import section_titled
from agenda.meetings.publishing import publish_meeting
from agenda.members.models import AgendaView
from tests.conftest import PASSWORD, csrf_token, publish_pending

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
MARKER = "Amended since you last opened it"


@pytest.fixture
def body(make_body):
    return make_body(name="Key West City Commission")


@pytest.fixture
def commissioner(make_user, body):
    return make_user(Role.COMMISSIONER, person_id=body.memberships[2].person_id)


@pytest.fixture
def upcoming(make_meeting, body) -> Meeting:
    meeting = make_meeting(body=body, published=False, scheduled_at=SOON)
    publish_meeting(meeting, actor=None)
    db.session.commit()
    return meeting


def sign_in(client, user) -> str:
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return response.location


def amend(meeting: Meeting, title: str) -> None:
    """The clerk adds an item to the published agenda and publishes the amendment."""
    section = section_titled(meeting, "Resolutions")
    editing.add_agenda_item(section, title=title, description="", matter=None, actor=None)
    publish_pending(meeting)
    db.session.commit()


def test_a_commissioner_lands_on_the_meetings_of_their_bodies(
    client, commissioner, upcoming, make_meeting, body
):
    draft = make_meeting(body=body, published=False, scheduled_at=SOON + timedelta(days=7))
    past = make_meeting(body=body, scheduled_at=SOON - timedelta(days=30))
    elsewhere = make_meeting(scheduled_at=SOON)
    assert sign_in(client, commissioner) == "/my/meetings"
    response = client.get("/my/meetings")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>My meetings</h1>" in page
    assert f'href="/meetings/{upcoming.id}"' in page
    assert f'href="/meetings/{upcoming.id}/agenda.pdf">Agenda (PDF)' in page
    assert f'href="/meetings/{upcoming.id}/packet.pdf">Agenda packet (PDF)' in page
    # Commissioners already see their bodies' drafts; the draft's documents say so.
    assert f'href="/meetings/{draft.id}/agenda.pdf">Draft agenda (PDF)' in page
    assert f"/meetings/{past.id}" not in page
    assert f"/meetings/{elsewhere.id}" not in page
    assert page.index(f"/meetings/{upcoming.id}") < page.index(f"/meetings/{draft.id}")
    assert MARKER not in page
    assert client.get(f"/meetings/{upcoming.id}/packet.pdf").status_code == 200


def test_the_marker_shows_after_an_amendment_and_goes_once_opened(client, commissioner, upcoming):
    sign_in(client, commissioner)
    assert client.get(f"/meetings/{upcoming.id}").status_code == 200
    assert MARKER not in client.get("/my/meetings").get_data(as_text=True)

    # Edits waiting in a pending amendment are no news yet.
    section = section_titled(upcoming, "Resolutions")
    editing.add_agenda_item(
        section, title="Hurricane shelter contract", description="", matter=None, actor=None
    )
    db.session.commit()
    assert MARKER not in client.get("/my/meetings").get_data(as_text=True)
    publish_pending(upcoming)
    db.session.commit()
    page = client.get("/my/meetings").get_data(as_text=True)
    assert MARKER in page
    assert "Added item 6.a: Hurricane shelter contract" in page

    assert client.get(f"/meetings/{upcoming.id}/agenda.pdf").status_code == 200
    assert MARKER not in client.get("/my/meetings").get_data(as_text=True)
    views = db.session.execute(sa.select(AgendaView)).scalars().all()
    assert [(v.user_id, v.meeting_id, v.revision_number) for v in views] == [
        (commissioner.id, upcoming.id, 2)
    ]

    amend(upcoming, "Seawall repairs")
    assert MARKER in client.get("/my/meetings").get_data(as_text=True)
    assert client.get(f"/meetings/{upcoming.id}").status_code == 200
    assert MARKER not in client.get("/my/meetings").get_data(as_text=True)


def test_opening_a_draft_then_its_first_publication_is_no_amendment(
    client, commissioner, make_meeting, body
):
    draft = make_meeting(body=body, published=False, scheduled_at=SOON)
    sign_in(client, commissioner)
    assert client.get(f"/meetings/{draft.id}/agenda.pdf").status_code == 200
    publish_meeting(draft, actor=None)
    db.session.commit()
    assert MARKER not in client.get("/my/meetings").get_data(as_text=True)
    amend(draft, "Hurricane shelter contract")
    assert MARKER in client.get("/my/meetings").get_data(as_text=True)


def test_my_meetings_is_for_commissioners_only(client, auth):
    anonymous = client.get("/my/meetings")
    assert anonymous.status_code == 302
    assert anonymous.location.startswith("/login")
    auth.login(Role.CLERK)
    assert client.get("/my/meetings").status_code == 403
    assert db.session.execute(sa.select(sa.func.count(AgendaView.id))).scalar_one() == 0
