"""The whole minutes cycle through the screens, on meetings the clerk made in the workspace."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, Meeting
from agenda.minutes.models import MinutesRevision
from agenda.minutes.rules import MinutesStatus
from agenda.votes.models import Motion
from tests.conftest import csrf_token, pdf_text


class Screens:
    """Post the clerk's forms as a browser would, each with its page's CSRF token."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def post(self, path: str, data: dict[str, Any], page: str | None = None) -> Any:
        token = csrf_token(self.client, page or path)
        response = self.client.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 302, (path, response.get_data(as_text=True)[-3000:])
        return response

    def new_meeting(self, body_id: int, day: date) -> Meeting:
        self.post(
            "/clerk/meetings/new",
            {"body": str(body_id), "meeting_type": "regular", "day": day.isoformat(),
             "at": "17:00", "location": "City Hall", "notes": ""},
        )  # fmt: skip
        return db.session.execute(
            sa.select(Meeting).order_by(Meeting.id.desc()).limit(1)
        ).scalar_one()

    def add_item(self, meeting: Meeting, section: str, title: str, **extra: str) -> AgendaItem:
        section_id = next(s.id for s in meeting.sections if s.title == section)
        fields = {"section": str(section_id), "title": title, "matter": "", "minutes_of": ""}
        data = {f"item-{k}": v for k, v in {**fields, **extra}.items()}
        self.post(f"/clerk/meetings/{meeting.id}/items", data, f"/clerk/meetings/{meeting.id}")
        return db.session.execute(
            sa.select(AgendaItem).order_by(AgendaItem.id.desc()).limit(1)
        ).scalar_one()

    def hold(self, meeting: Meeting, people: list[Any]) -> str:
        console = f"/clerk/meetings/{meeting.id}/console"
        self.post(f"/clerk/meetings/{meeting.id}/publish", {}, f"/clerk/meetings/{meeting.id}")
        self.post(f"{console}/call-to-order", {}, console)
        self.post(f"{console}/attendance", {f"status-{p.id}": "present" for p in people}, console)
        return console

    def adopt(self, meeting: Meeting, item: AgendaItem, people: list[Any]) -> None:
        console = f"/clerk/meetings/{meeting.id}/console"
        motion = {"kind": "main", "text": "Move to approve.", "mover": str(people[5].id),
                  "seconder": str(people[1].id), "threshold": ""}  # fmt: skip
        data = {f"motion-{k}": v for k, v in motion.items()}
        self.post(f"/clerk/console/items/{item.id}/motions", data, console)
        moved = db.session.execute(
            sa.select(Motion).where(Motion.agenda_item_id == item.id)
        ).scalar_one()
        votes = {f"vote-{p.id}": "yes" for p in people}
        self.post(f"/clerk/console/motions/{moved.id}/roll-call", votes, console)
        outcome = {"disposition-disposition": "adopted", "disposition-motion": str(moved.id),
                   "disposition-continued_to": ""}  # fmt: skip
        self.post(f"/clerk/console/items/{item.id}/disposition", outcome, console)


def test_minutes_of_a_meeting_made_in_the_workspace_are_approved_at_a_later_one(
    client, auth, make_body, tmp_path
):
    body = make_body(name="Key West City Commission")
    people = [m.person for m in body.memberships]
    auth.login(Role.CLERK)
    screens = Screens(client)
    # Two weeks ago, then today (each called to order on its own day), in the body's time zone.
    today = datetime.now(ZoneInfo(body.timezone)).date()
    first_day = today - timedelta(days=14)
    first = screens.new_meeting(body.id, first_day)
    topic = screens.add_item(first, "Discussion", "Hurricane shelter plan")
    screens.hold(first, people)
    screens.adopt(first, topic, people)
    screens.post(
        f"/clerk/meetings/{first.id}/console/adjourn", {}, f"/clerk/meetings/{first.id}/console"
    )
    editor = f"/clerk/meetings/{first.id}/minutes"
    screens.post(editor, {"base": "0", "meeting_notes": "All present.",
                          f"item_{topic.id}": "Adopted after a short discussion."})  # fmt: skip

    later = screens.new_meeting(body.id, today)
    workspace = client.get(f"/clerk/meetings/{later.id}").get_data(as_text=True)
    offered = re.search(r'<select[^>]*id="item-minutes_of".*?</select>', workspace, re.S)
    assert offered and f'value="{first.id}"' in offered.group(0)
    approval = screens.add_item(
        later, "Approval of minutes", "Minutes of the first meeting", minutes_of=str(first.id)
    )
    assert approval.minutes_of_id == first.id
    assert "Takes up for approval the minutes of the regular meeting of" in client.get(
        f"/clerk/meetings/{later.id}"
    ).get_data(as_text=True)
    screens.hold(later, people)
    screens.adopt(later, approval, people)

    db.session.expire_all()
    revision = db.session.execute(sa.select(MinutesRevision)).scalar_one()
    assert revision.status is MinutesStatus.APPROVED and revision.pdf_sha256
    public_page = client.get(f"/meetings/{later.id}").get_data(as_text=True)
    assert f'href="/meetings/{first.id}">minutes of the regular meeting of' in public_page
    auth.logout()
    pdf = client.get(f"/meetings/{first.id}/minutes.pdf")
    assert pdf.status_code == 200 and "immutable" not in pdf.headers["Cache-Control"]
    text = pdf_text(pdf.data, tmp_path)
    assert "Hurricane shelter plan" in text and "Adopted after a short discussion." in text
    assert "DRAFT" not in text
    # Approved minutes take no new approval item: they are no longer offered.
    auth.login(Role.CLERK)
    third = screens.new_meeting(body.id, today + timedelta(days=14))
    page = client.get(f"/clerk/meetings/{third.id}").get_data(as_text=True)
    offered = re.search(r'<select[^>]*id="item-minutes_of".*?</select>', page, re.S)
    assert offered and f'value="{first.id}"' not in offered.group(0)
