"""The public lists: legislation at /matters and meetings at /meetings, and votes that stand out.

With the demo and with records made through the clerk's screens and the operations; SQL
queries are counted: a list page runs at most 8 whatever its size.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.bodies.models import Person
from agenda.demo import data
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.matters.operations import file_matter, place_on_agenda
from agenda.matters.rules import MatterType
from agenda.meetings.agenda_editing import add_agenda_item
from agenda.meetings.models import Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.publishing import publish_meeting
from agenda.meetings.rules import MeetingStatus
from tests.conftest import PAGE_QUERIES, csrf_token, hold, publish_pending, vote_on

NOW = datetime.now(UTC).replace(microsecond=0)
MAX_QUERIES = PAGE_QUERIES


def text_of(response) -> str:
    """Return a page's main content as the words a reader sees, on one line."""
    html = response.get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def upcoming_and_past(response) -> tuple[str, str]:
    """Return the words of the upcoming section and of the past section of the meetings list."""
    upcoming, _, past = text_of(response).partition("Past meetings")
    return upcoming, past


class Rows(HTMLParser):
    """Collect the words of each row of a list (`<li class="list-row">`, nested lists too)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth and tag == "li":
            self.depth += 1
        elif tag == "li" and ("class", "list-row") in attrs:
            self.depth = 1
            self.rows.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "li":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.rows[-1] += f" {data}"


def rows_of(response) -> list[str]:
    """Return the words of each row of the list on a page (meetings or legislation)."""
    parser = Rows()
    parser.feed(response.get_data(as_text=True))
    return [" ".join(row.split()) for row in parser.rows]


# Legislation -------------------------------------------------------------------------------


def test_the_demos_legislation_is_listed_with_number_type_status_sponsor_and_latest_action(
    demo_app,
):
    client = demo_app.test_client()
    response = client.get("/matters")
    assert response.status_code == 200
    words = text_of(response)
    adopted = db.session.execute(
        sa.select(Matter).where(Matter.title == data.TERMINATE_287G_TITLE)
    ).scalar_one()
    row = next(r for r in rows_of(response) if r.startswith(adopted.file_number))
    assert "Type Resolution Status Adopted" in row
    assert "Latest action Adopted" in row and "Key West City Commission" in row
    assert f'href="/matters/{adopted.id}"' in response.get_data(as_text=True)
    assert "5 matters." in words
    # A sponsor is a person: Commissioner Kaufman's resolution, and nothing else.
    kaufman = db.session.execute(sa.select(Person).where(Person.name == "Sam Kaufman")).scalar_one()
    his = client.get(f"/matters?sponsor={kaufman.id}")
    assert len(rows_of(his)) == 1
    assert "Sponsor Sam Kaufman" in rows_of(his)[0]
    assert "authorizing the City Attorney" in rows_of(his)[0]
    ordinances = rows_of(client.get("/matters?type=ordinance"))
    assert len(ordinances) == 1 and "Type Ordinance" in ordinances[0]
    assert len(rows_of(client.get("/matters?status=adopted"))) == 1
    year = adopted.created_at.astimezone(UTC).year
    assert len(rows_of(client.get(f"/matters?year={year}"))) == 5
    assert "No legislation matches these filters." in text_of(client.get("/matters?year=1990"))


def test_a_matter_filed_through_the_clerk_screens_is_listed_once_its_agenda_is_published(
    client, auth, public, body, make_meeting
):
    auth.login(Role.CLERK)
    sponsor = body.memberships[5].person
    token = csrf_token(client, "/clerk/matters/new")
    response = client.post(
        "/clerk/matters/new",
        data={"csrf_token": token, "body": str(body.id), "matter_type": "ordinance",
              "title": "Ordinance on dock permits", "text": "Section 1.",
              "sponsors": [str(sponsor.id)]},
    )  # fmt: skip
    assert response.status_code == 302
    matter = db.session.execute(sa.select(Matter)).scalar_one()
    # The clerk sees it at once; the public only once it is on a published agenda.
    staff_rows = rows_of(client.get(f"/matters?type=ordinance&sponsor={sponsor.id}"))
    assert len(staff_rows) == 1 and "Ordinance on dock permits" in staff_rows[0]
    assert rows_of(public.get("/matters?type=ordinance")) == []
    meeting = make_meeting(body=body)
    token = csrf_token(client, f"/clerk/matters/{matter.id}")
    placed = client.post(
        f"/clerk/matters/{matter.id}/place",
        data={"csrf_token": token, "meeting": str(meeting.id), "section": "Ordinances"},
    )
    assert placed.status_code == 302
    assert rows_of(public.get("/matters?type=ordinance")) == []  # the amendment is pending
    publish_pending(meeting)
    db.session.commit()
    listed = rows_of(public.get(f"/matters?type=ordinance&sponsor={sponsor.id}"))
    assert len(listed) == 1
    assert listed[0].startswith(matter.file_number)
    assert f"Sponsor {sponsor.name}" in listed[0]
    assert "Status On an agenda" in listed[0]
    assert "Latest action Placed on the agenda" in listed[0]
    assert rows_of(public.get("/matters?type=resolution")) == []


def file_many(body, count: int) -> list[Matter]:
    sponsor = body.memberships[1].person_id
    matters = [
        file_matter(body, matter_type=MatterType.RESOLUTION, title=f"Resolution number {n}",
                    text="", sponsor_ids=[sponsor], actor=None)
        for n in range(count)
    ]  # fmt: skip
    db.session.commit()
    return matters


def test_legislation_comes_25_to_a_page_with_links_that_keep_the_filters(client, auth, body):
    file_many(body, 30)
    auth.login(Role.CLERK)
    first = client.get("/matters?type=resolution")
    assert len(rows_of(first)) == 25
    assert "Showing 1\u201325 of 30, page 1 of 2." in text_of(first)
    assert 'href="/matters?type=resolution&amp;page=2" rel="next"' in first.get_data(as_text=True)
    second = client.get("/matters?type=resolution&page=2")
    assert len(rows_of(second)) == 5
    assert "Resolution number 0" in text_of(second)  # oldest last
    assert 'href="/matters?type=resolution" rel="prev"' in second.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("type=bylaw", "Choose a type from: resolution (Resolution), ordinance (Ordinance)"),
        ("status=passed", "Choose a status from: draft (Draft), filed (Filed)"),
        ("year=0", "Choose a year from 1900 to 2199."),
        ("year=twenty", "The year must be a number."),
        ("sponsor=abc", "The sponsor must be a number."),
        ("page=0", "Choose a page number from 1 to 10,000."),
        ("page=1.5", "Choose a page number from 1 to 10,000."),
        ("page=2", "There is no page 2: these matters fill 1 page."),
    ],
)
def test_bad_filters_and_pages_of_legislation_answer_400_with_a_message(client, query, message):
    response = client.get(f"/matters?{query}")
    assert response.status_code == 400
    assert message in text_of(response)


def count_page(client, count_queries, path: str) -> tuple[int, object]:
    db.session.expire_all()
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements), response


def test_the_legislation_list_runs_the_same_few_queries_for_3_rows_or_25(
    client, count_queries, body, make_meeting
):
    meeting = make_meeting(body=body)
    for matter in file_many(body, 3):
        place_on_agenda(matter, meeting, "Resolutions", actor=None)
    publish_pending(meeting)
    db.session.commit()
    few, small = count_page(client, count_queries, "/matters")
    for matter in file_many(body, 40):
        place_on_agenda(matter, meeting, "Resolutions", actor=None)
    publish_pending(meeting)
    db.session.commit()
    many, large = count_page(client, count_queries, "/matters?year=" + str(NOW.year))
    assert len(rows_of(small)) == 3 and len(rows_of(large)) == 25
    assert few == many <= MAX_QUERIES


# The matter page ---------------------------------------------------------------------------


def test_the_matter_page_links_every_meeting_and_every_vote(client, body, matter, make_meeting):
    people = [m.person for m in body.memberships]
    first = make_meeting(body=body, scheduled_at=NOW - timedelta(days=14))
    second = make_meeting(body=body, scheduled_at=NOW - timedelta(days=7))
    place_on_agenda(matter, first, "Resolutions", actor=None)
    place_on_agenda(matter, second, "Resolutions", actor=None)
    for meeting in (first, second):
        hold(meeting, people, meeting.scheduled_at)
        vote_on(section_titled(meeting, "Resolutions").items[0], people, meeting.scheduled_at,
                no=(3,))  # fmt: skip
    db.session.commit()
    html = client.get(f"/matters/{matter.id}").get_data(as_text=True)
    for meeting in (first, second):
        item = section_titled(meeting, "Resolutions").items[0]
        assert html.count(f'href="/meetings/{meeting.id}#item-{item.id}"') == 2  # meetings, votes
    assert html.count("No:</strong> Commissioner Member 4 of Key West City Commission") == 2


# Meetings ----------------------------------------------------------------------------------


def test_the_demos_meetings_show_status_subject_and_public_documents(demo_app):
    client = demo_app.test_client()
    response = client.get("/meetings")
    upcoming, past = upcoming_and_past(response)
    assert "Cancelled" in upcoming and "Amended agenda" in upcoming
    assert "Main items: A Resolution approving a contract for the repair of the seawall" in upcoming
    # The 287(g) meeting: adjourned, with its resolution as subject and approved minutes.
    held = next(r for r in rows_of(response) if "terminating the Memorandum" in r)
    assert "Adjourned" in held
    assert "Agenda of" in held and "Packet of" in held and "Minutes of" in held
    assert "Main items: A Resolution of the City Commission" in held
    assert held in past
    # Routine items (roll call, approval of minutes, public comment) are never the subject.
    assert "Main items: Public comment" not in text_of(response)
    assert "Roll call;" not in text_of(response)


def test_drafts_never_appear_to_the_public_and_are_marked_for_staff(
    client, auth, public, body, make_meeting
):
    make_meeting(body=body, published=False, location="Draft room")
    published = make_meeting(body=body, scheduled_at=NOW + timedelta(days=3))
    db.session.commit()
    rows = rows_of(public.get("/meetings"))
    assert len(rows) == 1 and "Published" in rows[0]
    assert f"/meetings/{published.id}" in public.get("/meetings").get_data(as_text=True)
    auth.login(Role.CLERK)
    staff = rows_of(client.get("/meetings"))
    assert len(staff) == 2 and any("Draft" in r for r in staff)
    # A draft has no public documents: no badge links to its agenda.
    assert not any("Agenda of" in r for r in staff if "Draft" in r)


def test_a_meeting_reads_its_status_subject_and_documents(public, body, matter, make_meeting):
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, published=False, scheduled_at=NOW - timedelta(days=1))
    add_item(section_titled(meeting, "Discussion"), title="Parking downtown", actor=None)
    add_item(section_titled(meeting, "Public comment"), title="Public comment", actor=None)
    place_on_agenda(matter, meeting, "Resolutions", actor=None)
    publish_meeting(meeting, actor=None)
    db.session.commit()
    row = rows_of(public.get("/meetings"))[0]
    assert "Published" in row
    assert "Main items: Authorize a declaratory-judgment action; Parking downtown" in row
    assert "Agenda of" in row and "Packet of" in row and "Minutes of" not in row
    add_agenda_item(section_titled(meeting, "Discussion"), title="Added later", description="",
                    matter=None, actor=None)  # fmt: skip
    db.session.commit()
    # Until the amendment is published, the public reads the published agenda.
    assert "Added later" not in rows_of(public.get("/meetings"))[0]
    publish_pending(meeting)
    db.session.commit()
    assert "Amended agenda" in rows_of(public.get("/meetings"))[0]
    hold(meeting, people, NOW - timedelta(hours=20))
    db.session.commit()
    in_session = public.get("/meetings")
    assert "In session" in upcoming_and_past(in_session)[0]  # it is happening now
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = "Storm."
    db.session.commit()
    assert "Cancelled" in rows_of(public.get("/meetings"))[0]


def make_past_meetings(body, make_meeting, count: int) -> list[Meeting]:
    meetings = [
        make_meeting(body=body, scheduled_at=NOW - timedelta(days=n + 1)) for n in range(count)
    ]
    for meeting in meetings:
        add_item(section_titled(meeting, "Discussion"), title=f"Topic {meeting.id}", actor=None)
    db.session.commit()
    return meetings


def test_past_meetings_come_25_to_a_page_and_upcoming_ones_on_their_own_list(
    public, body, make_meeting
):
    make_past_meetings(body, make_meeting, 30)
    soon = make_meeting(body=body, scheduled_at=NOW + timedelta(days=2))
    first = public.get("/meetings")
    assert len(rows_of(first)) == 26  # the one upcoming, then 25 past
    assert "Showing 1\u201325 of 30, page 1 of 2." in text_of(first)
    second = public.get("/meetings?page=2")
    assert "Upcoming meetings" not in text_of(second)
    assert len(rows_of(second)) == 5
    upcoming = public.get("/meetings?when=upcoming")
    assert len(rows_of(upcoming)) == 1 and f"/meetings/{soon.id}" in upcoming.get_data(as_text=True)
    assert "Past meetings" not in text_of(upcoming)
    past = public.get(f"/meetings?when=past&body={body.id}&page=2")
    assert len(rows_of(past)) == 5
    assert f'href="/meetings?body={body.id}&amp;when=past" rel="prev"' in past.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("when=soon", "Choose a list from: upcoming (upcoming meetings), past (past meetings)."),
        ("body=abc", "The body must be a number."),
        ("year=0", "Choose a year from 1900 to 2199."),
        ("page=-1", "Choose a page number from 1 to 10,000."),
        ("page=3", "There is no page 3: these meetings fill 1 page."),
    ],
)
def test_bad_filters_and_pages_of_meetings_answer_400_with_a_message(
    client, make_meeting, query, message
):
    make_meeting()
    response = client.get(f"/meetings?{query}")
    assert response.status_code == 400
    assert message in text_of(response)


def test_the_meetings_list_runs_the_same_few_queries_for_3_meetings_or_50(
    client, count_queries, body, make_meeting
):
    make_past_meetings(body, make_meeting, 3)
    # The most a page asks: with a year, and a meeting whose amendment the public cannot see yet.
    pending = make_meeting(body=body, published=False, scheduled_at=NOW - timedelta(hours=2))
    publish_meeting(pending, actor=None)
    add_agenda_item(section_titled(pending, "Discussion"), title="Not yet public", description="",
                    matter=None, actor=None)  # fmt: skip
    db.session.commit()
    few, small = count_page(client, count_queries, f"/meetings?year={NOW.year}")
    assert "Not yet public" not in text_of(small)
    make_past_meetings(body, make_meeting, 30)
    for n in range(30):
        make_meeting(body=body, scheduled_at=NOW + timedelta(days=n + 1))
    many, large = count_page(client, count_queries, f"/meetings?year={NOW.year}")
    assert len(rows_of(large)) > len(rows_of(small))  # 50 but in early January
    assert few == many <= MAX_QUERIES


# Votes that stand out ----------------------------------------------------------------------


def test_each_vote_names_its_no_votes_and_recusals_apart_from_the_roll(
    client, body, matter, make_meeting
):
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=NOW - timedelta(days=1))
    place_on_agenda(matter, meeting, "Resolutions", actor=None)
    hold(meeting, people, NOW - timedelta(days=1))
    vote_on(section_titled(meeting, "Resolutions").items[0], people, NOW - timedelta(days=1),
            no=(3, 6), recused=2)  # fmt: skip
    db.session.commit()
    html = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    name = "Commissioner Member {} of Key West City Commission"
    assert (
        '<li class="stand-out stand-out-no"><span class="marker" aria-hidden="true">\u2717</span> '
        f"<strong>No:</strong> {name.format(4)}, {name.format(7)}</li>"
    ) in html
    assert (
        f"<strong>Recused:</strong> {name.format(3)} (Owns property next to the site)</li>"
    ) in html
    # The roll call still lists everyone.
    assert html.count('<span class="vote vote-yes">') == 4


def test_a_unanimous_vote_has_no_lines_that_stand_out(client, body, matter, make_meeting):
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=NOW - timedelta(days=1))
    place_on_agenda(matter, meeting, "Resolutions", actor=None)
    hold(meeting, people, NOW - timedelta(days=1))
    vote_on(section_titled(meeting, "Resolutions").items[0], people, NOW - timedelta(days=1))
    db.session.commit()
    html = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Passed 7-0" in html
    assert "stand-out" not in html
