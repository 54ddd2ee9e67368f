"""A meeting in session, as the public follows it: the live panel with the current item and
the latest results, fresh at the next request after the clerk records a roll call (a new
ETag), 304 while nothing changed, and a reload every 30 seconds for browsers without script."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest

from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.matters.operations import place_on_agenda
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.session import adjourn
from agenda.votes.models import Motion
from agenda.votes.operations import record_roll_call
from agenda.votes.rules import Ballot, BallotValue
from tests.clerk.test_console import START, Clerk, ballots, in_session, moved, text_of
from tests.conftest import Visitor, publish_pending

SIX_ONE = "Passed 6-1 (4 votes required: majority of the 7 votes cast)"
REFRESH = '<noscript><meta http-equiv="refresh" content="30"></noscript>'
SCRIPT = "/static/js/live.js"


@pytest.fixture
def meeting(body, matter, make_meeting) -> Meeting:
    """A published meeting on July 7, 2026: the resolution as 6.a, a report as 6.b."""
    meeting = make_meeting(body=body, scheduled_at=START)
    place_on_agenda(matter, meeting, "Resolutions", actor=None)
    add_item(section_titled(meeting, "Resolutions"), title="Harbor dredging report", actor=None)
    publish_pending(meeting)
    db.session.commit()
    return meeting


@pytest.fixture
def people(body) -> list[Any]:
    return [m.person for m in body.memberships]


@pytest.fixture
def items(meeting) -> list[AgendaItem]:
    return [i for s in meeting.sections for i in s.items]


def live_panel(response: Any) -> str:
    """Return the live panel's text as shown (hidden lines left out), or "" when there is none."""
    found = re.search(r'<section class="live".*?</section>', response.get_data(as_text=True), re.S)
    if found is None:
        return ""
    shown = re.sub(r"<p[^>]* hidden>.*?</p>", "", found[0], flags=re.S)
    words = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", shown)).split())
    return re.sub(r" ([,.:])", r"\1", words)


def again(public: Visitor, url: str, etag: str) -> Any:
    """Ask for a page again as a browser that has it does: with its ETag."""
    db.session.commit()
    return public.client.get(url, headers={"If-None-Match": etag})


def now_line(panel: str) -> str:
    return panel.split("Now:")[1].split("Latest results")[0].strip()


def test_the_public_sees_the_current_item_and_each_result_at_the_next_request(
    auth, client, public, meeting, items, people
):
    resolution, report = items
    in_session(meeting, people)
    url = f"/meetings/{meeting.id}"
    before = public.get(url)
    panel = live_panel(before)
    assert before.status_code == 200 and panel.startswith("In session")
    assert now_line(panel) == f"6.a {resolution.matter.file_number} {resolution.title}"
    assert "No vote yet at this meeting." in panel
    etag = before.headers["ETag"]
    assert again(public, url, etag).status_code == 304

    # The clerk moves a motion on the report and records the roll call through the console.
    auth.login(Role.CLERK)
    clerk = Clerk(client, meeting)
    moved_response = clerk.motion(report, text="Move to accept the dredging report.",
                                  mover=people[5].id, seconder=people[1].id)  # fmt: skip
    assert moved_response.status_code == 302
    motion = db.session.query(Motion).filter_by(agenda_item_id=report.id).one()
    assert clerk.roll_call(motion, ballots(people, {3: "no"})).status_code == 302

    after = again(public, url, etag)
    assert after.status_code == 200 and after.headers["ETag"] != etag
    panel = live_panel(after)
    assert now_line(panel) == "6.b Harbor dredging report"
    assert f"Item 6.b, motion: Move to accept the dredging report. {SIX_ONE}" in panel
    assert "No vote yet" not in panel
    # The agenda below shows the same result in its place.
    assert text_of(after).count(SIX_ONE) == 2
    unchanged = again(public, url, after.headers["ETag"])
    assert unchanged.status_code == 304 and unchanged.get_data() == b""

    # Once the report is disposed of, the body moves on to the first item left.
    data = {"disposition-disposition": "received_and_filed", "disposition-motion": motion.id}
    assert clerk.post(f"/clerk/console/items/{report.id}/disposition", data).status_code == 302
    panel = live_panel(public.get(url))
    assert now_line(panel).startswith(f"6.a {resolution.matter.file_number}")


def test_the_panel_lists_the_three_latest_results_newest_first(public, meeting, items, people):
    resolution = items[0]
    in_session(meeting, people)
    texts = ["Move to table.", "Move to take from the table.", "Move to amend.", "Move to adopt."]
    for text in texts:
        motion = moved(resolution, people, text=text)
        record_roll_call(motion, [Ballot(p.id, BallotValue.YES) for p in people], actor=None)
        db.session.commit()
    panel = live_panel(public.get(f"/meetings/{meeting.id}"))
    shown = re.findall(r"Item 6\.a, motion: (Move to [^.]+\.)", panel)
    assert shown == ["Move to adopt.", "Move to amend.", "Move to take from the table."]
    assert "Passed 7-0" in panel


def test_between_items_when_every_item_is_disposed_of(clerk_client, public, meeting, items, people):
    in_session(meeting, people)
    for item in items:
        motion = moved(item, people)
        record_roll_call(motion, [Ballot(p.id, BallotValue.YES) for p in people], actor=None)
        db.session.commit()
        data = {"disposition-disposition": "adopted", "disposition-motion": motion.id}
        response = clerk_client.post(f"/clerk/console/items/{item.id}/disposition", data)
        assert response.status_code == 302
    assert now_line(live_panel(public.get(f"/meetings/{meeting.id}"))) == "Between items"


@pytest.fixture
def clerk_client(auth, client, meeting) -> Clerk:
    auth.login(Role.CLERK)
    return Clerk(client, meeting)


def test_the_live_panel_and_the_reload_only_while_in_session(public, meeting, people):
    url = f"/meetings/{meeting.id}"
    published = public.get(url).get_data(as_text=True)
    assert REFRESH not in published and SCRIPT not in published
    assert live_panel(public.get(url)) == "" and "In session" not in text_of(public.get(url))

    in_session(meeting, people)
    page = public.get(url).get_data(as_text=True)
    head = page.split("</head>")[0]
    assert REFRESH in head  # a browser without script reloads every 30 seconds
    assert f'<script src="{SCRIPT}" defer></script>' in page
    assert 'aria-live="polite"' in page and page.count("aria-live") == 1

    adjourn(meeting, actor=None, at=START.replace(hour=23))
    db.session.commit()
    adjourned = public.get(url).get_data(as_text=True)
    assert REFRESH not in adjourned and SCRIPT not in adjourned
    assert live_panel(public.get(url)) == ""
