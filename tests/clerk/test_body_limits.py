"""A clerk limited to some bodies works only on theirs: every other body's record under /clerk
is not found (404) and stays unchanged; the workspace and the new-record forms offer only theirs."""

from __future__ import annotations

from typing import Any

import pytest

from agenda.auth.models import UserBody
from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.matters.operations import file_matter
from agenda.matters.rules import MatterType
from agenda.meetings.models import AgendaItem, AgendaSection, Attendance, Meeting
from agenda.meetings.rules import MeetingStatus
from agenda.votes.models import Motion, Vote
from agenda.votes.operations import record_roll_call
from agenda.votes.rules import Ballot, BallotValue
from tests.clerk.test_console import in_session, moved
from tests.conftest import PASSWORD, csrf_token, row_counts

RECORDS = (Meeting, AgendaSection, AgendaItem, Matter, Motion, Vote, Attendance)


class Browser:
    """A clerk's browser on an app of its own, so each request loads the user afresh."""

    def __init__(self, client: Any, email: str) -> None:
        self.client = client
        db.session.commit()  # end the test's read, so this browser may write (SQLite)
        token = csrf_token(client, "/login")
        signed_in = client.post(
            "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert signed_in.status_code == 302

    def get(self, path: str) -> Any:
        db.session.commit()
        return self.client.get(path)

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        db.session.commit()
        token = csrf_token(self.client, "/clerk/")
        return self.client.post(path, data={**(data or {}), "csrf_token": token})


@pytest.fixture
def planning(make_body, make_meeting) -> Meeting:
    """Body A: the Planning Board, with a published meeting and a resolution of its own."""
    board = make_body(name="Planning Board", seats=5)
    meeting = make_meeting(body=board)
    file_matter(board, matter_type=MatterType.RESOLUTION, title="Approve the site plan",
                text="", sponsor_ids=[], actor=None)  # fmt: skip
    db.session.commit()
    return meeting


@pytest.fixture
def limited(make_app, make_user, planning) -> Browser:
    """A clerk limited to the Planning Board, signed in."""
    clerk = make_user(Role.CLERK)
    db.session.add(UserBody(user_id=clerk.id, body_id=planning.body_id))
    return Browser(make_app().test_client(), clerk.email)


def test_another_bodys_records_are_not_found_and_stay_unchanged(
    limited, planning, meeting, item, people, matter
):
    in_session(meeting, people)
    vote = record_roll_call(moved(item, people), [Ballot(p.id, BallotValue.YES) for p in people],
                            actor=None)  # fmt: skip
    pending = moved(item, people, text="Move to amend.")
    section = item.section
    before = row_counts(*RECORDS)
    console = "/clerk/console"
    pages = [f"/clerk/meetings/{meeting.id}", f"/clerk/meetings/{meeting.id}/console",
             f"/clerk/items/{item.id}/edit", f"/clerk/matters/{matter.id}",
             f"/clerk/meetings/{meeting.id}/minutes"]  # fmt: skip
    for path in pages:
        assert limited.get(path).status_code == 404, path
    posts = {
        f"/clerk/meetings/{meeting.id}/cancel": {"cancel-reason": "Storm"},
        f"/clerk/meetings/{meeting.id}/items": {"item-title": "Sneaked in"},
        f"/clerk/sections/{section.id}/rename": {"title": "Renamed"},
        f"/clerk/items/{item.id}/remove": {},
        f"{console}/items/{item.id}/motions": {"motion-text": "Move to table."},
        f"{console}/motions/{pending.id}/roll-call": {f"vote-{p.id}": "yes" for p in people},
        f"{console}/votes/{vote.id}/corrections": {"reason": "Misheard"},
        f"/clerk/matters/{matter.id}": {"title": "Renamed"},
    }
    for path, data in posts.items():
        assert limited.post(path, data).status_code == 404, path
    db.session.expire_all()
    assert row_counts(*RECORDS) == before
    assert meeting.status is MeetingStatus.IN_PROGRESS and section.title == "Resolutions"
    # Their own body's pages open as usual.
    assert limited.get(f"/clerk/meetings/{planning.id}").status_code == 200


def test_the_workspace_lists_only_their_bodies(limited, planning, meeting, matter):
    page = limited.get("/clerk/").get_data(as_text=True)
    assert "Planning Board: Regular meeting" in page and "Approve the site plan" in page
    assert "Key West City Commission" not in page and matter.title not in page


def test_an_unlimited_clerk_sees_every_body(make_app, make_user, planning, meeting, matter):
    browser = Browser(make_app().test_client(), make_user(Role.CLERK).email)
    page = browser.get("/clerk/").get_data(as_text=True)
    assert "Planning Board: Regular meeting" in page and "Key West City Commission" in page
    assert browser.get(f"/clerk/meetings/{meeting.id}").status_code == 200


def test_a_limited_clerk_cannot_create_a_meeting_or_legislation_for_another_body(
    limited, planning, meeting
):
    form = limited.get("/clerk/meetings/new").get_data(as_text=True)
    assert "Planning Board" in form and "Key West City Commission" not in form
    assert "Key West City Commission" not in limited.get("/clerk/matters/new").get_data(
        as_text=True
    )
    before = row_counts(Meeting, Matter)
    data = {"body": meeting.body_id, "meeting_type": "regular", "day": "2026-09-01",
            "at": "17:00", "location": "City Hall"}  # fmt: skip
    refused = limited.post("/clerk/meetings/new", data)
    assert refused.status_code == 422
    assert "Choose a body from the list." in refused.get_data(as_text=True)
    matter = {"body": meeting.body_id, "matter_type": "resolution", "title": "Elsewhere"}
    assert limited.post("/clerk/matters/new", matter).status_code == 422
    assert row_counts(Meeting, Matter) == before
    allowed = limited.post("/clerk/meetings/new", {**data, "body": planning.body_id})
    assert allowed.status_code == 302
    assert row_counts(Meeting, Matter)["Meeting"] == before["Meeting"] + 1
