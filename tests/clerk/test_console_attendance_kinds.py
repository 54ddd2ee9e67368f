"""The console's attendance form records who is there remotely and which absence or departure
the body excused; the console, the public page and the minutes say so, and the voting rules
read the saved rows. A combination that makes no sense is refused and nothing is saved."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings.models import Attendance, Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import AttendanceStatus
from agenda.meetings.session import call_to_order
from agenda.votes.rules import AttendanceRecord, Presence, presence_at
from tests.conftest import csrf_token, pdf_text

# July 7, 2026, 5:00 PM in Key West.
START = datetime(2026, 7, 7, 21, 0, tzinfo=UTC)
AFTER = datetime(2026, 7, 8, 2, 0, tzinfo=UTC)  # 10:00 PM, after every departure below
# What a browser submits from the form as shown: times, the chosen radios, the ticked boxes.
TIMES = re.compile(r'name="((?:arrived|left|returned)-\d+(?:-\d+)?)" value="([^"]*)"')
CHOSEN = re.compile(
    r'<input type="(?:radio|checkbox)" id="[^"]*" name="([^"]+)" value="([^"]+)" checked'
)


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
    """The console's attendance form, posted as the page shows it with the clerk's changes."""

    def __init__(self, client: Any, meeting: Meeting, people: list[Any]) -> None:
        self.client, self.people = client, people
        self.url = f"/clerk/meetings/{meeting.id}/console"

    def save(self, changes: dict[str, str | None], follow: bool = True) -> Any:
        """Post the form; a change to None unticks a box (the browser then sends nothing)."""
        page = self.client.get(self.url).get_data(as_text=True)
        data = {f"status-{p.id}": "present" for p in self.people}
        data |= dict(TIMES.findall(page)) | dict(CHOSEN.findall(page))
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        data["csrf_token"] = csrf_token(self.client, self.url)
        return self.client.post(f"{self.url}/attendance", data=data, follow_redirects=follow)


@pytest.fixture
def console(auth, client, meeting, people) -> Console:
    auth.login(Role.CLERK)
    console = Console(client, meeting, people)
    assert "7 of 7 present" in text_of(console.save({}))
    return console


def saved_rows() -> list[tuple[int, str, str | None, bool, bool]]:
    """Every attendance row: person, status, departure (UTC clock), remote, excused."""
    db.session.expire_all()
    rows = db.session.execute(sa.select(Attendance).order_by(Attendance.id)).scalars()
    return [
        (
            a.person_id,
            a.status.value,
            a.left_at.astimezone(UTC).strftime("%H:%M") if a.left_at else None,
            a.is_remote,
            a.is_excused,
        )
        for a in rows
    ]


def records() -> list[AttendanceRecord]:
    """The saved rows as the voting rules take them, with where and whether excused."""
    db.session.expire_all()
    return [
        AttendanceRecord(a.person_id, a.status, a.arrived_at, a.left_at, a.is_remote, a.is_excused)
        for a in db.session.execute(sa.select(Attendance)).scalars()
    ]


def test_the_clerk_records_remote_excused_absence_and_departures(
    console, meeting, people, tmp_path
):
    mayor, remote, away, excused, walked_out = (p.id for p in people[:5])
    saved = console.save({
        f"remote-{remote}": "1",
        f"status-{away}": "absent",
        f"excused-{away}": "1",
        f"left-{excused}": "20:40",
        f"excused-left-{excused}": "1",
        f"left-{walked_out}": "20:15",
    })  # fmt: skip
    page = text_of(saved)
    assert "Attendance saved: 4 of 7 present." in page
    assert "Recorded: present (remote)." in page
    assert "Recorded: absent (excused)." in page
    assert "Recorded: left 8:40 PM (excused)." in page
    assert "Recorded: left 8:15 PM." in page
    html = saved.get_data(as_text=True)
    for box in (f"remote-{remote}", f"excused-{away}", f"excused-left-{excused}"):
        assert re.search(rf'name="{box}" value="1" checked', html), box
    assert not re.search(rf'name="excused-left-{walked_out}" value="1" checked', html)

    rows = {row[0]: row[1:] for row in saved_rows()}
    assert rows[remote] == ("present", None, True, False)
    assert rows[away] == ("absent", None, False, True)
    assert rows[excused] == ("present", "00:40", False, True)
    assert rows[walked_out] == ("present", "00:15", False, False)
    assert rows[mayor] == ("present", None, False, False)

    assert presence_at(records(), AFTER) == {
        mayor: Presence.IN_PERSON,
        remote: Presence.REMOTE,
        away: Presence.EXCUSED,
        excused: Presence.EXCUSED,
        walked_out: Presence.LEFT_UNEXCUSED,
    } | {p.id: Presence.IN_PERSON for p in people[5:]}

    events = db.session.execute(
        sa.select(AuditEvent.details)
        .where(AuditEvent.action == "attendance.record")
        .order_by(AuditEvent.id)
    ).scalars()
    latest = {d["person_id"]: d for d in events}
    assert latest[remote]["is_remote"] is True
    assert latest[away]["is_excused"] is True and latest[away]["status"] == "absent"
    assert latest[excused]["excused_departures"] == ["2026-07-08T00:40:00+00:00"]
    assert latest[walked_out]["excused_departures"] == []

    public = text_of(console.client.get(f"/meetings/{meeting.id}"))
    remote_name, away_name, excused_name, out_name = (p.name for p in people[1:5])
    assert f"Commissioner {remote_name} (remote)" in public
    assert f"Absent (1): Commissioner {away_name} (excused)" in public
    assert f"Commissioner {excused_name}: left 8:40 PM (excused)" in public
    assert f"Commissioner {out_name}: left 8:15 PM " in public

    editor = f"/clerk/meetings/{meeting.id}/minutes"
    notes = {"base": "0", "meeting_notes": "", "csrf_token": csrf_token(console.client, editor)}
    assert console.client.post(editor, data=notes).status_code == 302
    minutes = text_of(console.client.get(f"/meetings/{meeting.id}/minutes"))
    pdf = " ".join(
        pdf_text(console.client.get(f"/meetings/{meeting.id}/minutes.pdf").data, tmp_path).split()
    )
    for shown in (minutes, pdf):
        assert f"Commissioner {remote_name} (remote)" in shown
        assert f"Commissioner {away_name} (excused)" in shown
        assert f"Commissioner {excused_name}: left 8:40 PM (excused)" in shown


def test_a_remote_member_who_steps_out_is_remote_in_every_stay(console, people):
    remote = people[2].id
    console.save({f"remote-{remote}": "1", f"left-{remote}": "18:15"})
    page = text_of(console.save({f"returned-{remote}": "18:40"}))
    assert "Recorded: present (remote), left 6:15 PM, returned 6:40 PM." in page
    mine = [row[1:] for row in saved_rows() if row[0] == remote]
    assert mine == [("present", "22:15", True, False), ("present", None, True, False)]
    # Unticked: in the room from now on, every stay.
    console.save({f"remote-{remote}": None})
    assert [row[3] for row in saved_rows() if row[0] == remote] == [False, False]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"status-{pid}": "absent", "remote-{pid}": "1"},
            "is marked absent, so cannot be there remotely",
        ),
        ({"excused-{pid}": "1"}, "is marked present: only an absence is excused"),
        (
            {"excused-left-{pid}": "1"},
            "Enter the time Commissioner {name} left to excuse the departure, "
            "or untick Departure excused.",
        ),
    ],
)
def test_a_combination_that_makes_no_sense_is_refused_beside_the_member(
    console, people, changes, message
):
    member, other = people[3], people[4]
    before = saved_rows()
    typed = {k.format(pid=member.id): v for k, v in changes.items()}
    # Another member's good change in the same form is not saved either.
    refused = console.save(typed | {f"remote-{other.id}": "1"}, follow=False)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    beside = re.search(rf'<p class="error" id="attendance-{member.id}-error">([^<]*)</p>', html)
    assert beside and message.format(name=member.name) in htmllib.unescape(beside.group(1))
    assert "Nothing was saved" in text_of(refused)
    assert saved_rows() == before


def test_everyone_present_leaves_no_absence_excused(console, people):
    away = people[6].id
    console.save({f"status-{away}": "absent", f"excused-{away}": "1"})
    assert [row[1:] for row in saved_rows() if row[0] == away] == [("absent", None, False, True)]
    page = text_of(console.save({"everyone_present": "1"}))
    assert "Attendance saved: 7 of 7 present." in page
    assert [row[1:] for row in saved_rows() if row[0] == away] == [("present", None, False, False)]
    assert all(row[1] == AttendanceStatus.PRESENT.value for row in saved_rows())
