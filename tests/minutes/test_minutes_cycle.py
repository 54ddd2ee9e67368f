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

    def add_item(self, meeting: Meeting, section: str, title: str, **extra: Any) -> AgendaItem:
        section_id = next(s.id for s in meeting.sections if s.title == section)
        fields = {"section": str(section_id), "title": title, "matter": ""}
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


def minutes_offered(page: str) -> str:
    """Return the add-item form's checkboxes of minutes to take up, as HTML."""
    found = re.search(r'<fieldset[^>]*id="item-minutes_of".*?</fieldset>', page, re.S)
    assert found, "the add-item form offers minutes to take up"
    return found.group(0)


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
    offered = minutes_offered(workspace)
    assert offered and f'value="{first.id}"' in offered
    approval = screens.add_item(
        later, "Approval of minutes", "Minutes of the first meeting", minutes_of=[str(first.id)]
    )
    assert [m.id for m in approval.minutes_of] == [first.id]
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
    assert f'value="{first.id}"' not in minutes_offered(page)


def held_with_draft(screens: Screens, body_id: int, day: date, people: list[Any]) -> Meeting:
    """Make, hold and adjourn a meeting from the screens, and draft its minutes."""
    meeting = screens.new_meeting(body_id, day)
    topic = screens.add_item(meeting, "Discussion", f"Budget workshop of {day}")
    screens.hold(meeting, people)
    console = f"/clerk/meetings/{meeting.id}/console"
    screens.post(f"{console}/adjourn", {"adjourn-confirm": "y"}, console)
    editor = f"/clerk/meetings/{meeting.id}/minutes"
    screens.post(editor, {"base": "0", "meeting_notes": f"Notes of {day}.",
                          f"item_{topic.id}": "Discussed."})  # fmt: skip
    return meeting


def test_one_item_approves_two_meetings_minutes_in_one_adoption(client, auth, make_body, tmp_path):
    body = make_body(name="Key West City Commission")
    people = [m.person for m in body.memberships]
    auth.login(Role.CLERK)
    screens = Screens(client)
    today = datetime.now(ZoneInfo(body.timezone)).date()
    first = held_with_draft(screens, body.id, today - timedelta(days=21), people)
    second = held_with_draft(screens, body.id, today - timedelta(days=14), people)
    later = screens.new_meeting(body.id, today)
    offered = minutes_offered(client.get(f"/clerk/meetings/{later.id}").get_data(as_text=True))
    assert 'type="checkbox"' in offered and "<legend>" in offered
    assert f'value="{first.id}"' in offered and f'value="{second.id}"' in offered

    # A meeting whose minutes are not offered is refused, and nothing is added.
    path, page = f"/clerk/meetings/{later.id}/items", f"/clerk/meetings/{later.id}"
    section_id = next(s.id for s in later.sections if s.title == "Approval of minutes")
    refused = client.post(path, data={
        "item-section": str(section_id), "item-title": "Minutes", "item-matter": "",
        "item-minutes_of": [str(first.id), str(later.id)], "csrf_token": csrf_token(client, page),
    })  # fmt: skip
    assert refused.status_code == 422 and "Choose minutes from the list." in refused.get_data(
        as_text=True
    )
    assert db.session.execute(sa.select(sa.func.count(AgendaItem.id))).scalar_one() == 2

    approval = screens.add_item(
        later, "Approval of minutes", "Minutes of the two workshops",
        minutes_of=[str(first.id), str(second.id)],
    )  # fmt: skip
    assert [m.id for m in approval.minutes_of] == [first.id, second.id]
    workspace = client.get(page).get_data(as_text=True)
    first_day = f"{first.scheduled_at.astimezone(ZoneInfo(body.timezone)):%B} "
    assert "Takes up for approval the minutes of the regular meeting of " in workspace
    assert re.search(
        r"minutes of the regular meeting of [^<]* and the regular meeting of", workspace
    )
    edit_path = f"/clerk/items/{approval.id}/edit"
    edit = client.get(edit_path).get_data(as_text=True)
    assert edit.count("checked") == 2
    # The edit form unticks one, then ticks it again.
    fields = {"title": "Minutes of the two workshops", "description": "", "matter": ""}
    screens.post(edit_path, {**fields, "minutes_of": [str(second.id)]})
    db.session.expire_all()
    assert [m.id for m in approval.minutes_of] == [second.id]
    screens.post(edit_path, {**fields, "minutes_of": [str(first.id), str(second.id)]})
    db.session.expire_all()
    assert [m.id for m in approval.minutes_of] == [first.id, second.id]

    screens.hold(later, people)
    screens.adopt(later, approval, people)

    db.session.expire_all()
    motion = db.session.execute(
        sa.select(Motion).where(Motion.agenda_item_id == approval.id)
    ).scalar_one()
    approved = (
        db.session.execute(
            sa.select(MinutesRevision).where(MinutesRevision.status == MinutesStatus.APPROVED)
        )
        .scalars()
        .all()
    )
    assert len(approved) == 2
    assert {r.approved_by_motion_id for r in approved} == {motion.id}
    public_page = client.get(f"/meetings/{later.id}").get_data(as_text=True)
    assert f'href="/meetings/{first.id}">minutes of the regular meeting of' in public_page
    assert f'href="/meetings/{second.id}">minutes of the regular meeting of' in public_page
    agenda = pdf_text(client.get(f"/meetings/{later.id}/agenda.pdf").data, tmp_path)
    assert " ".join(agenda.split()).count("meeting of " + first_day.strip()) >= 1
    assert "Approval of the minutes of the regular meeting of" in " ".join(agenda.split())
    auth.logout()
    for earlier in (first, second):
        pdf = client.get(f"/meetings/{earlier.id}/minutes.pdf")
        text = pdf_text(pdf.data, tmp_path)
        assert pdf.status_code == 200 and "DRAFT" not in text and "Discussed." in text
