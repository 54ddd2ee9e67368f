"""A member leaves and returns several times: the console records each stay, roll calls and
counts follow them, and the public page and the minutes print them."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, Attendance, Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.session import call_to_order
from agenda.votes.models import Ballot, Motion
from agenda.votes.rules import BallotValue
from tests.conftest import csrf_token, pdf_text

# July 7, 2026, 5:00 PM in Key West.
START = datetime(2026, 7, 7, 21, 0, tzinfo=UTC)


def text_of(response: Any) -> str:
    """Return a page's text with entities decoded and spaces collapsed."""
    page = htmllib.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    return " ".join(page.split())


@pytest.fixture
def meeting(body, make_meeting) -> Meeting:
    meeting = make_meeting(body=body, scheduled_at=START)
    add_item(section_titled(meeting, "Discussion"), title="Hurricane shelters", actor=None)
    call_to_order(meeting, actor=None, at=START)
    db.session.commit()
    return meeting


@pytest.fixture
def people(body) -> list[Any]:
    return [m.person for m in body.memberships]


class Console:
    """The attendance form of the console, posted as the page shows it plus the clerk's typing."""

    def __init__(self, client: Any, meeting: Meeting, people: list[Any]) -> None:
        self.client, self.people = client, people
        self.url = f"/clerk/meetings/{meeting.id}/console"

    def save(self, typed: dict[str, str], follow: bool = True) -> Any:
        # The form comes back with every member's recorded stays filled in: keep them.
        page = self.client.get(self.url).get_data(as_text=True)
        shown = dict(re.findall(r'name="((?:arrived|left)-\d+(?:-\d+)?)" value="([^"]*)"', page))
        data = {f"status-{p.id}": "present" for p in self.people} | shown | typed
        data["csrf_token"] = csrf_token(self.client, self.url)
        return self.client.post(f"{self.url}/attendance", data=data, follow_redirects=follow)


@pytest.fixture
def console(auth, client, meeting, people) -> Console:
    auth.login(Role.CLERK)
    console = Console(client, meeting, people)
    assert "7 of 7 present" in text_of(console.save({}))
    return console


def stays_of(person_id: int) -> list[tuple[str | None, str | None]]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Attendance).where(Attendance.person_id == person_id)
    ).scalars()
    clock = "%H:%M"
    found = [
        (
            a.arrived_at.astimezone(UTC).strftime(clock) if a.arrived_at else None,
            a.left_at.astimezone(UTC).strftime(clock) if a.left_at else None,
        )
        for a in rows
    ]
    return sorted(found, key=lambda stay: stay[0] or "")


def test_a_member_leaves_and_returns_without_retyping_the_others(
    console, meeting, people, tmp_path
):
    mayor, kaufman = people[0].id, people[5].id
    left = text_of(console.save({f"left-{kaufman}": "18:15"}))
    assert "Attendance saved: 6 of 7 present." in left and "Present now 6 of 7" in left
    assert "Recorded: left 6:15 PM." in left

    returned = console.save({f"returned-{kaufman}": "18:40"})
    page = text_of(returned)
    assert "Attendance saved: 7 of 7 present." in page and "Present now 7 of 7" in page
    assert "Recorded: left 6:15 PM, returned 6:40 PM." in page
    assert f'name="arrived-{kaufman}-1" value="18:40"' in returned.get_data(as_text=True)
    assert stays_of(kaufman) == [(None, "22:15"), ("22:40", None)]

    # He steps out once more; the Mayor's whole-meeting stay is untouched.
    again = text_of(console.save({f"left-{kaufman}-1": "19:30", f"returned-{kaufman}": "19:45"}))
    assert "Attendance saved: 7 of 7 present." in again
    assert "left 6:15 PM, returned 6:40 PM, left 7:30 PM, returned 7:45 PM" in again
    assert stays_of(kaufman) == [(None, "22:15"), ("22:40", "23:30"), ("23:45", None)]
    assert stays_of(mayor) == [(None, None)]

    public = text_of(console.client.get(f"/meetings/{meeting.id}"))
    assert "Attendance Present (7):" in public
    assert f"{people[5].name}: left 6:15 PM, returned 6:40 PM, left 7:30 PM" in public

    notes = {"base": "0", "meeting_notes": "All present."}
    editor = f"/clerk/meetings/{meeting.id}/minutes"
    saved = console.client.post(
        editor, data=notes | {"csrf_token": csrf_token(console.client, editor)}
    )
    assert saved.status_code == 302
    minutes = text_of(console.client.get(f"/meetings/{meeting.id}/minutes"))
    assert "left 6:15 PM, returned 6:40 PM, left 7:30 PM, returned 7:45 PM" in minutes
    pdf = " ".join(pdf_text(console.client.get(f"/meetings/{meeting.id}/minutes.pdf").data,
                            tmp_path).split())  # fmt: skip
    assert "left 6:15 PM, returned 6:40 PM, left 7:30 PM, returned 7:45 PM" in pdf


def test_overlapping_stays_and_a_return_before_leaving_are_refused(console, people):
    kaufman = people[5].id
    before = stays_of(kaufman)
    no_leave = console.save({f"returned-{kaufman}": "18:40"}, follow=False)
    assert no_leave.status_code == 422
    assert "cannot return at 6:40 PM without having left" in text_of(no_leave)
    early = console.save({f"left-{kaufman}": "18:15", f"returned-{kaufman}": "18:10"}, False)
    assert early.status_code == 422
    assert "cannot return at 6:10 PM, before leaving at 6:15 PM" in text_of(early)
    assert stays_of(kaufman) == before

    console.save({f"left-{kaufman}": "18:15", f"returned-{kaufman}": "18:40"})
    console.save({f"left-{kaufman}-1": "19:30"})
    # Moving the second stay's return before the first departure would overlap the first.
    overlap = console.save({f"arrived-{kaufman}-1": "18:00"}, follow=False)
    assert overlap.status_code == 422
    assert "cannot return at 6:00 PM, before leaving at 6:15 PM: stays cannot overlap" in text_of(
        overlap
    )
    assert stays_of(kaufman) == [(None, "22:15"), ("22:40", "23:30")]
    # Emptying a later stay's times removes it.
    removed = console.save({f"arrived-{kaufman}-1": "", f"left-{kaufman}-1": ""})
    assert "Attendance saved: 6 of 7 present." in text_of(removed)
    assert stays_of(kaufman) == [(None, "22:15")]


def test_who_is_present_at_a_roll_call_follows_the_stays(console, meeting, people):
    kaufman = people[5].id
    console.save({f"left-{kaufman}": "18:15"})
    item = db.session.execute(sa.select(AgendaItem)).scalar_one()

    def vote(voters: list[Any]) -> Motion:
        data = {"kind": "main", "threshold": "", "text": "Move to adopt.",
                "mover": str(people[1].id), "seconder": str(people[2].id)}  # fmt: skip
        data = {f"motion-{k}": v for k, v in data.items()}
        data["csrf_token"] = csrf_token(console.client, console.url)
        assert (
            console.client.post(f"/clerk/console/items/{item.id}/motions", data=data).status_code
            == 302
        )
        motion = db.session.execute(sa.select(Motion).order_by(Motion.id.desc())).scalars().first()
        ballots = {f"vote-{p.id}": "yes" for p in voters}
        ballots["csrf_token"] = csrf_token(console.client, console.url)
        posted = console.client.post(f"/clerk/console/motions/{motion.id}/roll-call", data=ballots)
        assert posted.status_code == 302, text_of(posted)[-500:]
        return motion

    out = vote([p for p in people if p.id != kaufman])
    db.session.expire_all()
    assert db.session.get(Motion, out.id).vote.explanation.startswith("Passed 6-0")
    absent = db.session.execute(
        sa.select(Ballot).where(Ballot.vote_id == out.vote.id, Ballot.person_id == kaufman)
    ).scalar_one()
    assert absent.value is BallotValue.ABSENT

    console.save({f"returned-{kaufman}": "18:40"})
    back = vote(people)
    db.session.expire_all()
    assert db.session.get(Motion, back.id).vote.explanation.startswith("Passed 7-0")
