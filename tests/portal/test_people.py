"""The public pages of people: the members list, a member's terms, attendance, ballots and CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.bodies.models import Person
from agenda.bodies.rules import TermEnd
from agenda.demo import data
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.matters.operations import file_matter
from agenda.matters.rules import MatterType
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import MeetingStatus
from agenda.meetings.session import adjourn
from tests.conftest import PAGE_QUERIES, hold, vote_on

START = datetime(2025, 3, 4, 22, tzinfo=UTC)  # 5 PM in Key West


def text_of(response) -> str:
    """Return a page's text with tags dropped, entities decoded and spaces collapsed."""
    page = unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    return " ".join(page.split())


def held_meeting(make_meeting, body, people, at, titles, *, matter=None):
    """Hold a published meeting at `at` with everyone present; return its items by title."""
    meeting = make_meeting(body=body, scheduled_at=at)
    section = section_titled(meeting, "Resolutions")
    items = [
        add_item(section, title=t, matter=matter if n == 0 else None, actor=None)
        for n, t in enumerate(titles)
    ]
    hold(meeting, people, at)
    return meeting, items


@pytest.fixture
def record(make_body, make_meeting):
    """A commission with two held meetings in 2025 and one in 2026; seat 4 votes no twice."""
    body = make_body(name="Key West City Commission")
    people = [m.person for m in body.memberships]
    resolution = file_matter(
        body, matter_type=MatterType.RESOLUTION, title="Authorize a declaratory-judgment action",
        text="WHEREAS;", sponsor_ids=[people[3].id], actor=None,
    )  # fmt: skip
    first, (adopt, budget) = held_meeting(
        make_meeting, body, people, START, ["End the 287(g) agreement", "Adopt the budget"],
        matter=resolution,
    )  # fmt: skip
    vote_on(adopt, people, START + timedelta(hours=1), no=(3,))  # passes 6-1: seat 4 against
    vote_on(budget, people, START + timedelta(hours=2), no=(0, 1, 2, 3))  # fails 3-4: with
    adjourn(first, actor=None, at=START + timedelta(hours=3))
    later = START + timedelta(days=400)
    second, (pier,) = held_meeting(make_meeting, body, people, later, ["Repair the pier"])
    vote_on(pier, people, later + timedelta(hours=1), recused=3)
    adjourn(second, actor=None, at=later + timedelta(hours=2))
    db.session.commit()
    return SimpleNamespace(body=body, people=people, first=first, second=second, matter=resolution)


def test_kaufmans_page_shows_his_vote_on_the_287g_resolution(demo_app):
    client = demo_app.test_client()
    kaufman = db.session.execute(sa.select(Person).where(Person.name == "Sam Kaufman")).scalar_one()
    matter = db.session.execute(
        sa.select(Matter).where(Matter.title == data.TERMINATE_287G_TITLE)
    ).scalar_one()
    listing = client.get("/people")
    assert listing.status_code == 200
    assert f'href="/people/{kaufman.id}"' in listing.get_data(as_text=True)
    assert "Sam Kaufman Key West City Commission : Commissioner, seat 6" in text_of(listing)

    response = client.get(f"/people/{kaufman.id}")
    assert response.status_code == 200
    page = text_of(response)
    html = response.get_data(as_text=True)
    assert "Sam Kaufman" in page and "Commissioner, seat 6" in page
    assert "Yes · Key West City Commission, regular meeting of" in page
    assert f"{data.TERMINATE_287G_TITLE} ( {matter.file_number} )" in page
    assert f"Move to adopt {matter.file_number}, ending the City's 287(g) agreement." in page
    assert "Passed 6-1" in page
    assert f'href="/matters/{matter.id}"' in html
    # The special meeting before had no attendance taken: it is not held against him.
    assert "Present at 2 of 2 meetings held during their terms" in page
    assert "2 of 2 roll calls (100%)" in page
    assert "Authorizing the City Attorney" in page or data.DECLARATORY_TITLE in page

    # His name on the 287(g) meeting's roll call and the body's roster leads to his page.
    meeting_id = int(re.search(r'href="/meetings/(\d+)#motion-', html).group(1))
    meeting_page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert f'<a class="member" href="/people/{kaufman.id}">Commissioner Sam Kaufman</a>' in (
        meeting_page
    )
    body_page = client.get(f"/bodies/{matter.body_id}").get_data(as_text=True)
    assert f'<a href="/people/{kaufman.id}">Sam Kaufman</a>' in body_page


def test_a_vote_recorded_in_the_test_shows_with_its_motion_result_and_the_majority(client, record):
    member = record.people[3]
    response = client.get(f"/people/{member.id}")
    assert response.status_code == 200
    page = text_of(response)
    html = response.get_data(as_text=True)
    # The pier vote (2026) comes first, then the 2025 meeting in agenda order.
    assert page.index("Repair the pier") < page.index("End the 287(g)") < page.index("Adopt the")
    assert "Recused (Owns property next to the site)" in page
    assert "No · Key West City Commission, regular meeting of March 4, 2025" in page
    assert "Passed 6-1" in page and "Failed 3-4" in page and "Passed 6-0 (1 recused)" in page
    assert f'href="/matters/{record.matter.id}"' in html
    assert f"{record.matter.file_number} Authorize a declaratory-judgment action" in page
    # No on a motion that passed is against it; no on one that failed is with it.
    assert "Voted with the majority 1 of 2 roll calls (50%)" in page
    assert "Present at 2 of 2 meetings" in page
    assert "Showing votes 1 to 3 of 3." in page


def test_filters_by_body_year_and_value_also_in_the_csv(client, record):
    member = record.people[3]
    page = text_of(client.get(f"/people/{member.id}?year=2025&value=no"))
    assert "Showing votes 1 to 2 of 2." in page and "Repair the pier" not in page
    page = text_of(client.get(f"/people/{member.id}?year=2026"))
    assert "Showing votes 1 to 1 of 1." in page and "Repair the pier" in page
    assert "No decided roll call yet among the ballots filtered below." in page
    page = text_of(client.get(f"/people/{member.id}?body={record.body.id}&value=yes"))
    assert "No votes match these filters." in page
    html = client.get(f"/people/{member.id}?year=2025&value=no").get_data(as_text=True)
    assert f'href="/people/{member.id}/ballots.csv?year=2025&amp;value=no"' in html

    response = client.get(f"/people/{member.id}/ballots.csv?year=2025&value=no")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="ballots-{member.id}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["date"], r["item"], r["vote"], r["result"]) for r in rows] == [
        ("2025-03-04", "End the 287(g) agreement", "No", "Passed 6-1"),
        ("2025-03-04", "Adopt the budget", "No", "Failed 3-4"),
    ]
    assert rows[0]["matter"] == record.matter.file_number
    assert rows[0]["matter_url"].endswith(f"/matters/{record.matter.id}")
    assert rows[0]["meeting_url"].endswith(f"/meetings/{record.first.id}")


def test_the_csv_escapes_text_and_defuses_formulas(client, make_body, make_meeting):
    body = make_body()
    people = [m.person for m in body.memberships]
    titles = ['=HYPERLINK("http://evil.example","Click")', 'Pier, "north" side\nphase 2']
    _, items = held_meeting(make_meeting, body, people, START, titles)
    for n, item in enumerate(items):
        vote_on(item, people, START + timedelta(hours=n + 1))
    db.session.commit()
    response = client.get(f"/people/{people[0].id}/ballots.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    items_column = rows[0].index("item")
    assert [r[items_column] for r in rows[1:]] == [
        "'" + titles[0],  # a spreadsheet shows it as text instead of running it
        titles[1],  # commas, quotes and a line break survive the round trip
    ]
    assert '"Pier, ""north"" side\nphase 2"' in response.get_data(as_text=True)


def test_only_the_public_record_shows_whoever_looks(client, auth, record):
    member = record.people[3]
    # A meeting turned back into a draft (and one with an amendment pending) hides its votes.
    record.second.status, record.second.published_at = MeetingStatus.DRAFT, None
    db.session.commit()
    auth.login(Role.CLERK)
    page = text_of(client.get(f"/people/{member.id}"))
    assert "Repair the pier" not in page and "Showing votes 1 to 2 of 2." in page
    assert "Present at 1 of 1 meeting held" in page
    # Legislation sponsored shows once it is on a published agenda.
    assert f"{record.matter.file_number} Authorize a declaratory-judgment action" in page
    record.first.amendment_notes = "Added an item"
    db.session.commit()
    page = text_of(client.get(f"/people/{member.id}"))
    assert "No votes match these filters." in page


def test_people_who_never_held_a_seat_are_not_found(client, make_body):
    body = make_body(seats=1)
    staff = Person(name="Deputy Clerk Only")
    db.session.add(staff)
    db.session.commit()
    assert client.get(f"/people/{staff.id}").status_code == 404
    assert client.get(f"/people/{staff.id}/ballots.csv").status_code == 404
    assert "Deputy Clerk Only" not in client.get("/people").get_data(as_text=True)
    assert client.get("/people/999999").status_code == 404
    assert client.get("/people/99999999999999999999").status_code == 404
    assert client.get(f"/people/{body.memberships[0].person_id}").status_code == 200


def test_current_and_former_members_are_listed_apart(client, make_body):
    body = make_body(seats=2)
    gone = body.memberships[1]
    gone.ends_on, gone.end_reason = date(2021, 6, 30), TermEnd.RESIGNED
    db.session.commit()
    page = text_of(client.get("/people"))
    current, former = page.split("Former members")
    assert body.memberships[0].person.name in current
    assert gone.person.name in former and gone.person.name not in current
    assert "Commissioner, seat 2, from January 1, 2020 to June 30, 2021" in former
    person = text_of(client.get(f"/people/{gone.person_id}"))
    assert "to June 30, 2021 (resigned)" in person


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("body=999999", "never sat on a body numbered 999999"),
        ("body=abc", "must be a whole number"),
        ("year=1800", "Choose a year from 1900 to 2199."),
        ("year=20x5", "must be a whole number"),
        ("value=maybe", "Unknown vote 'maybe': choose one of yes, no"),
        ("page=0", "Pages are numbered from 1."),
        ("page=-1", "must be a whole number"),
        ("page=2", "There is no page 2: these votes fill 1 page."),
    ],
)
def test_bad_filters_answer_400_with_a_message(client, make_body, query, message):
    person_id = make_body(seats=1).memberships[0].person_id
    for path in (f"/people/{person_id}?{query}", f"/people/{person_id}/ballots.csv?{query}"):
        if "page=2" in query and path.endswith(query) and "csv" in path:
            continue  # the CSV has every page
        response = client.get(path)
        assert response.status_code == 400, path
        assert message in unescape(response.get_data(as_text=True)), path


def test_attendance_counts_only_meetings_held_during_the_term(client, make_body, make_meeting):
    body = make_body(seats=5)
    people = [m.person for m in body.memberships]
    late = body.memberships[4]
    late.starts_on = date(2025, 7, 15)
    db.session.commit()
    for at in (START, START + timedelta(days=120), START + timedelta(days=150)):
        meeting = make_meeting(body=body, scheduled_at=at)
        hold(meeting, people[:4], at)  # the late member is never there
    # A meeting called to order with no attendance taken, and a published one not yet held.
    make_meeting(
        body=body, scheduled_at=START + timedelta(days=200), status=MeetingStatus.ADJOURNED
    )
    make_meeting(body=body, scheduled_at=datetime.now(UTC) + timedelta(days=3))
    db.session.commit()
    assert "Present at 3 of 3 meetings" in text_of(client.get(f"/people/{people[0].id}"))
    # The late member's term began after the first two: only the third counts, and they missed it.
    assert "Present at 0 of 1 meeting held" in text_of(client.get(f"/people/{late.person_id}"))


def test_ballots_are_paged_by_100_and_the_page_runs_a_fixed_number_of_queries(
    client, count_queries, make_body, make_meeting
):
    body = make_body()
    people = [m.person for m in body.memberships]
    titles = [f"Item {n}" for n in range(105)]
    _, items = held_meeting(make_meeting, body, people, START, titles)
    person = people[0]

    def measured(path: str) -> tuple[int, str]:
        db.session.commit()
        db.session.expire_all()
        with count_queries() as statements:
            response = client.get(path)
        assert response.status_code == 200
        return len(statements), text_of(response)

    vote_on(items[0], people, START + timedelta(minutes=1))
    few_queries, page = measured(f"/people/{person.id}")
    assert "Showing votes 1 to 1 of 1." in page
    for n, item in enumerate(items[1:], start=2):
        vote_on(item, people, START + timedelta(minutes=n))
    many_queries, page = measured(f"/people/{person.id}")
    assert "Showing votes 1 to 100 of 105." in page and "Next page" in page
    assert "Item 99" in page and "Item 100" not in page
    assert many_queries == few_queries <= PAGE_QUERIES
    page_2_queries, page = measured(f"/people/{person.id}?page=2")
    assert "Showing votes 101 to 105 of 105." in page and "Previous page" in page
    assert "Item 104" in page and "Item 99 " not in page
    assert page_2_queries == few_queries


def test_a_prolific_sponsor_shows_the_newest_and_links_to_all_in_the_legislation_list(
    client, record, make_meeting
):
    member = record.people[3]
    meeting = make_meeting(body=record.body, scheduled_at=START + timedelta(days=30))
    section = section_titled(meeting, "Resolutions")
    for n in range(12):
        matter = file_matter(
            record.body, matter_type=MatterType.RESOLUTION, title=f"Seawall segment {n + 1}",
            text="WHEREAS;", sponsor_ids=[member.id], actor=None,
        )  # fmt: skip
        add_item(section, title=f"Seawall segment {n + 1}", matter=matter, actor=None)
    db.session.commit()

    page = client.get(f"/people/{member.id}").get_data(as_text=True)
    text = text_of(client.get(f"/people/{member.id}"))
    # 13 in all (the fixture's resolution and these twelve): the newest ten, then a link.
    assert "The newest 10 of 13." in text
    assert "Seawall segment 12" in text and "Authorize a declaratory-judgment action" not in text
    link = re.search(r'href="(/matters\?sponsor=\d+)">All 13 in the legislation list', page)
    assert link is not None
    listed = text_of(client.get(unescape(link.group(1))))
    assert "Authorize a declaratory-judgment action" in listed
    assert all(f"Seawall segment {n}" in listed for n in range(1, 13))
