"""Calendar (/meetings.ics) and news (/feed.atom) feeds: what a subscriber's app receives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.bodies.models import Jurisdiction
from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import Disposition, MeetingStatus
from agenda.meetings.session import adjourn
from agenda.minutes.operations import save_draft
from agenda.portal.feed_rules import AgendaLine, host_domain, main_items, meeting_end, sequence_of
from agenda.votes.outcomes import set_disposition
from agenda.votes.rules import Threshold
from tests.conftest import PAGE_QUERIES, hold, vote_on
from tests.minutes.test_minutes_cycle import Screens

START = datetime(2026, 7, 7, 21, tzinfo=UTC)  # 5 PM in Key West


def calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.data)


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.id}@localhost"


def news(response) -> feedparser.FeedParserDict:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    return feed


def links(entry) -> dict[str, str]:
    return {link.get("title") or link.rel: link.href for link in entry.links}


# The demo: Key West's commission (an amended agenda, a cancelled meeting, a draft, approved
# minutes) and its planning board.


@pytest.fixture
def demo(demo_app):
    meetings = db.session.execute(sa.select(Meeting).order_by(Meeting.id)).scalars().all()
    return {
        "draft": next(m for m in meetings if m.status is MeetingStatus.DRAFT),
        "cancelled": next(m for m in meetings if m.status is MeetingStatus.CANCELLED),
        "amended": next(
            m for m in meetings if len(m.revisions) > 1 and m.status is MeetingStatus.PUBLISHED
        ),
        "board": next(m for m in meetings if m.body_id != meetings[0].body_id),
        "client": demo_app.test_client(),
    }  # fmt: skip


def test_the_demo_calendar_holds_every_public_meeting_in_key_west_time(demo):
    cal = calendar(demo["client"].get("/meetings.ics"))
    zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert zones == ["America/New_York"]
    found = events(cal)
    assert uid(demo["draft"]) not in found
    assert str(found[uid(demo["cancelled"])]["STATUS"]) == "CANCELLED"
    assert str(found[uid(demo["cancelled"])]["SUMMARY"]).startswith("Cancelled: ")
    amended = found[uid(demo["amended"])]
    assert amended["SEQUENCE"] == 1 and str(amended["STATUS"]) == "CONFIRMED"
    start = amended.decoded("DTSTART")
    assert start.tzinfo is not None and str(amended["DTSTART"].params["TZID"]) == "America/New_York"
    assert start == demo["amended"].scheduled_at
    assert amended.decoded("DTEND") > start
    assert str(amended["URL"]) == f"http://localhost/meetings/{demo['amended'].id}"
    assert "287(g)" in str(amended["DESCRIPTION"])  # the resolution, among the main items
    assert "City Hall" in str(amended["LOCATION"])
    assert str(cal["X-WR-CALNAME"]) == "City of Key West (demo) meetings"


def test_the_demo_news_feed_has_publications_an_amendment_and_approved_minutes(demo):
    feed = news(demo["client"].get("/feed.atom"))
    titles = [e.title for e in feed.entries]
    assert any(t.startswith("Agenda published: Key West City Commission") for t in titles)
    assert any(t.startswith("Amended agenda (revision 2): ") for t in titles)
    assert any(t.startswith("Meeting cancelled: ") for t in titles)
    minutes = next(e for e in feed.entries if e.title.startswith("Minutes approved: "))
    assert links(minutes)["alternate"].startswith("http://localhost/meetings/")
    pdf = links(minutes)["Minutes (PDF)"]
    assert demo["client"].get(pdf.removeprefix("http://localhost")).status_code == 200
    # Newest first, in UTC, with nothing of the draft.
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert all(e.updated.endswith("+00:00") for e in feed.entries)
    draft_page = f"http://localhost/meetings/{demo['draft'].id}"
    assert all(links(e)["alternate"] != draft_page for e in feed.entries)
    amendment = next(e for e in feed.entries if e.title.startswith("Amended agenda"))
    agenda = links(amendment)["Agenda, revision 2 (PDF)"]
    answer = demo["client"].get(agenda.removeprefix("http://localhost"))
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"


def test_a_bodys_feeds_hold_only_that_body(demo):
    board = demo["board"]
    found = events(calendar(demo["client"].get(f"/bodies/{board.body_id}/meetings.ics")))
    assert set(found) == {uid(board)}
    feed = news(demo["client"].get(f"/bodies/{board.body_id}/feed.atom"))
    assert feed.entries
    assert all(board.body.name in e.title for e in feed.entries)
    everyone = news(demo["client"].get("/feed.atom"))
    assert len(everyone.entries) > len(feed.entries)


def test_alternate_links_lead_from_the_pages_where_a_visitor_starts(demo):
    client, meeting = demo["client"], demo["amended"]
    body = f"/bodies/{meeting.body_id}"
    pages = {
        "/": [],
        "/meetings": [],
        f"/meetings?body={meeting.body_id}": [body],
        body: [body],
        f"/meetings/{meeting.id}": [body],
    }
    for page, own in pages.items():
        html = client.get(page).get_data(as_text=True)
        for prefix in ["", *own]:
            assert '<link rel="alternate" type="text/calendar"' in html, page
            assert f'href="{prefix}/meetings.ics"' in html, page
            assert 'type="application/atom+xml" title=' in html, page
            assert f'href="{prefix}/feed.atom"' in html, page
    # And on the page itself, for people: the links work.
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/meetings.ics">calendar of all meetings</a>' in home
    assert client.get("/meetings.ics").status_code == 200


# Records made through the clerk's screens and operations.


def test_an_amendment_keeps_the_uid_and_raises_the_sequence(client, auth, public, make_body):
    body = make_body(name="Key West City Commission")
    auth.login(Role.CLERK)
    screens = Screens(client)
    day = datetime.now(ZoneInfo(body.timezone)).date() + timedelta(days=20)
    meeting = screens.new_meeting(body.id, day)
    screens.add_item(meeting, "Resolutions", "Seawall repairs at Higgs Beach")
    draft_uid = uid(meeting)
    assert draft_uid not in events(calendar(public.get("/meetings.ics")))
    assert draft_uid not in events(calendar(public.get(f"/bodies/{body.id}/meetings.ics")))
    assert not news(public.get("/feed.atom")).entries

    workspace = f"/clerk/meetings/{meeting.id}"
    screens.post(f"{workspace}/publish", {}, workspace)
    first = events(calendar(public.get("/meetings.ics")))[draft_uid]
    assert first["SEQUENCE"] == 0 and str(first["STATUS"]) == "CONFIRMED"
    assert "Seawall repairs at Higgs Beach" in str(first["DESCRIPTION"])
    local = first.decoded("DTSTART").astimezone(ZoneInfo("America/New_York"))
    assert (local.date(), local.hour) == (day, 17)

    screens.add_item(meeting, "Resolutions", "Hurricane shelter contract")
    # Pending changes are not published: the calendar still shows what was.
    pending = events(calendar(public.get("/meetings.ics")))[draft_uid]
    assert pending["SEQUENCE"] == 0 and "Hurricane" not in str(pending["DESCRIPTION"])
    screens.post(
        f"{workspace}/amendment", {"amendment-reason": "Shelter contract added."}, workspace
    )
    amended = events(calendar(public.get("/meetings.ics")))[draft_uid]
    assert amended["SEQUENCE"] == 1
    assert "Hurricane shelter contract" in str(amended["DESCRIPTION"])

    screens.post(f"{workspace}/cancel", {"cancel-reason": "Storm warning."}, workspace)
    cancelled = events(calendar(public.get(f"/bodies/{body.id}/meetings.ics")))[draft_uid]
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled["SEQUENCE"] == 2
    assert "Storm warning." in str(cancelled["DESCRIPTION"])

    titles = [e.title for e in news(public.get(f"/bodies/{body.id}/feed.atom")).entries]
    label = f"Key West City Commission regular meeting of {day:%B} {day.day}, {day.year}"
    assert titles == [
        f"Meeting cancelled: {label}",
        f"Amended agenda (revision 2): {label}",
        f"Agenda published: {label}",
    ]
    ids = [e.id for e in news(public.get("/feed.atom")).entries]
    assert ids == [e.id for e in news(public.get("/feed.atom")).entries]  # stable
    assert len(set(ids)) == 3


def test_approved_minutes_enter_the_feed(public, make_body, make_meeting):
    body = make_body()
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=START)
    hold(meeting, people, START)
    adjourn(meeting, actor=None, at=START + timedelta(hours=3))
    save_draft(meeting, meeting_notes="Public comment was heard.", item_notes={}, actor=None)
    later = make_meeting(body=body, scheduled_at=START + timedelta(days=14))
    approval = add_item(section_titled(later, "Approval of minutes"), title="Minutes of July 7",
                        minutes_of=[meeting], actor=None)  # fmt: skip
    db.session.commit()
    assert not any("Minutes" in e.title for e in news(public.get("/feed.atom")).entries)

    hold(later, people, later.scheduled_at)
    at = later.scheduled_at + timedelta(minutes=10)
    motion = vote_on(approval, people, at, threshold=Threshold.MAJORITY_CAST)
    set_disposition(approval, Disposition.ADOPTED, motion=motion, actor=None)
    db.session.commit()
    feed = news(public.get(f"/bodies/{body.id}/feed.atom"))
    entry = next(e for e in feed.entries if e.title.startswith("Minutes approved: "))
    assert "July 7, 2026" in entry.title
    assert links(entry)["alternate"] == f"http://localhost/meetings/{meeting.id}"
    assert links(entry)["Minutes"] == f"http://localhost/meetings/{meeting.id}/minutes"
    assert public.get(links(entry)["Minutes (PDF)"]).status_code == 200
    # The calendar blocks the meeting until it adjourned.
    held = events(calendar(public.get("/meetings.ics")))[uid(meeting)]
    assert held.decoded("DTEND") - held.decoded("DTSTART") == timedelta(hours=3)


def test_feeds_revalidate_with_etags_and_stay_short_lived(client, auth, make_meeting):
    make_meeting(scheduled_at=START)
    for path in ("/meetings.ics", "/feed.atom"):
        first = client.get(path)
        assert first.headers["Cache-Control"] == "public, max-age=300"
        etag = first.headers["ETag"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and not again.data
        assert again.headers["ETag"] == etag
    before = client.get("/meetings.ics").headers["ETag"]
    make_meeting(scheduled_at=START + timedelta(days=7))
    changed = client.get("/meetings.ics", headers={"If-None-Match": before})
    assert changed.status_code == 200 and changed.headers["ETag"] != before
    # A signed-in user's answer may carry their cookie: no shared cache keeps it.
    auth.login(Role.CLERK)
    assert client.get("/feed.atom").headers["Cache-Control"] == "private, max-age=300"


def test_the_calendar_uses_the_jurisdictions_time_zone(public, make_body, make_meeting):
    db.session.add(Jurisdiction(name="City of Denver", timezone="America/Denver"))
    body = make_body(name="Denver City Council", timezone="America/Denver")
    meeting = make_meeting(body=body, scheduled_at=START, timezone="America/Denver")
    cal = calendar(public.get("/meetings.ics"))
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/Denver"]
    event = events(cal)[uid(meeting)]
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTSTART").astimezone(ZoneInfo("America/Denver")).hour == 15
    assert str(cal["X-WR-CALNAME"]) == "City of Denver meetings"


def test_an_empty_install_serves_empty_feeds(app, public):
    assert events(calendar(public.get("/meetings.ics"))) == {}
    assert news(public.get("/feed.atom")).entries == []


@pytest.mark.parametrize(
    "path",
    [
        "/bodies/999999/meetings.ics",
        "/bodies/999999/feed.atom",
        "/bodies/99999999999999999999/meetings.ics",
        "/bodies/abc/feed.atom",
        "/bodies/-1/meetings.ics",
    ],
)
def test_bad_body_ids_answer_404(app, public, path):
    assert public.get(path).status_code == 404


def test_the_calendar_costs_the_same_queries_for_one_meeting_or_many(
    public, make_body, make_meeting, count_queries
):
    body = make_body()
    make_meeting(body=body, scheduled_at=START)
    with count_queries() as few_ics:
        assert public.get("/meetings.ics").status_code == 200
    with count_queries() as few_atom:
        assert public.get("/feed.atom").status_code == 200
    for days in range(1, 6):
        make_meeting(body=body, scheduled_at=START + timedelta(days=7 * days))
    with count_queries() as many_ics:
        assert public.get("/meetings.ics").status_code == 200
    with count_queries() as many_atom:
        assert public.get("/feed.atom").status_code == 200
    assert len(few_ics) == len(many_ics) <= PAGE_QUERIES
    assert len(few_atom) == len(many_atom) <= PAGE_QUERIES


# The pure rules.


def test_main_items_name_legislation_first_in_agenda_order_and_count_the_rest():
    lines = [
        AgendaLine("Call to order", "1.a", "Call to order"),
        AgendaLine("Approval of minutes", "3.a", "Minutes of June 2"),
        AgendaLine("Consent agenda", "4.a", "Seawall repairs"),
        AgendaLine("Resolutions", "6.a", "Declaratory judgment", "Res 25-214"),
        AgendaLine("Discussion", "8.a", "Parking"),
        AgendaLine("Ordinances", "7.a", "Rentals", "Ord 26-001"),
    ]
    assert main_items(lines, limit=3) == [
        "4.a Seawall repairs",
        "6.a Res 25-214 Declaratory judgment",
        "7.a Ord 26-001 Rentals",
        "and 1 more item",
    ]
    assert main_items(lines[:2]) == []


def test_uids_sequences_and_ends():
    assert host_domain("Agenda.Example.org:8443") == "agenda.example.org"
    assert host_domain("[::1]:5000") == "[::1]"
    assert [sequence_of(n) for n in (None, 1, 2, 5)] == [0, 0, 1, 4]
    assert meeting_end(START, None) == START + timedelta(hours=2)
    assert meeting_end(START, START + timedelta(hours=4)) == START + timedelta(hours=4)
    assert meeting_end(START, START - timedelta(hours=1)) == START + timedelta(hours=2)
