"""A body's public page: the roster on any date with vacancies, past members, its meetings, and
the agreement matrix drawn and tabled, from votes recorded through the operations."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.bodies.models import Body, Membership, Person
from agenda.bodies.rules import TermEnd
from agenda.extensions import db
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import MeetingStatus
from agenda.portal.heatmap import BANDS, NONE_SHARED, SELF
from tests.conftest import PAGE_QUERIES, hold, vote_on

NOW = datetime.now(UTC).replace(microsecond=0)


def text_of(html: str) -> str:
    """Return the page's text with tags dropped and spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def matrix_table(html: str) -> dict[tuple[str, str], str]:
    """Return the agreement table's cells by (row, column) member: {(a, b): '33% (1 of 3)'}."""
    table = html[html.index('<table class="agreement-table">') :]
    table = table[: table.index("</table>")]
    head, body = table.split("<tbody>")
    columns = [text_of(c) for c in re.findall(r'<th scope="col">(.*?)</th>', head)][1:]
    cells = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        name = text_of(re.search(r'<th scope="row">(.*?)</th>', row).group(1))
        values = [text_of(v) for v in re.findall(r"<td>(.*?)</td>", row)]
        cells.update({(name, column): value for column, value in zip(columns, values, strict=True)})
    return cells


def label(position: int, person: Person) -> str:
    return f"{position}. {person.name}"


def held_meeting(body: Body, make_meeting, at: datetime, splits: list[dict]) -> None:
    """Hold a meeting at `at` of `body` and vote one item per entry of `splits` (vote_on's args)."""
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=at)
    items = [
        add_item(section_titled(meeting, "Resolutions"), title=f"Resolution {i}", actor=None)
        for i in range(len(splits))
    ]
    hold(meeting, people, at)
    for i, (item, split) in enumerate(zip(items, splits, strict=True)):
        vote_on(item, people, at + timedelta(minutes=10 + i), **split)
    meeting.status = MeetingStatus.ADJOURNED
    db.session.commit()


def test_the_roster_on_any_date_shows_vacancies_successors_and_past_members(
    client, make_body, make_meeting
):
    body = make_body(seats=3)
    leaving: Membership = body.memberships[2]
    leaving.ends_on, leaving.end_reason = date(2021, 6, 30), TermEnd.RESIGNED
    successor = Person(name="Jordan Successor")
    body.memberships.append(
        Membership(person=successor, seat=3, title="Commissioner", starts_on=date(2021, 8, 1))
    )
    db.session.commit()
    name = leaving.person.name

    during = client.get(f"/bodies/{body.id}?on=2021-07-15").get_data(as_text=True)
    assert "Seats on July 15, 2021" in during
    assert f'<strong class="vacant">Vacant since July 1, 2021: {name} resigned</strong>' in during
    past = text_of(during[during.index("Past members") : during.index("<h2>Meetings")])
    assert f"{name} Commissioner, seat 3: January 1, 2020 to June 30, 2021 (resigned)" in past

    later = client.get(f"/bodies/{body.id}?on=2022-01-01").get_data(as_text=True)
    roster = text_of(later[later.index('<table class="roster">') : later.index("</table>")])
    assert "3 Commissioner Jordan Successor" in roster and "Vacant" not in roster

    before = client.get(f"/bodies/{body.id}?on=2020-06-01").get_data(as_text=True)
    assert name in before[before.index('<table class="roster">') : before.index("</table>")]
    assert "Jordan Successor" not in before
    assert "No one had left the" in before

    never = client.get(f"/bodies/{body.id}?on=2019-12-31").get_data(as_text=True)
    assert never.count("Vacant: never filled") == 3


def test_the_body_page_lists_its_public_meetings_and_links_the_full_list(
    client, auth, make_body, make_meeting
):
    body = make_body()
    upcoming = make_meeting(body=body, scheduled_at=NOW + timedelta(days=3))
    past = make_meeting(body=body, scheduled_at=NOW - timedelta(days=3))
    draft = make_meeting(body=body, published=False, status=MeetingStatus.DRAFT)
    other = make_meeting()
    for viewer in ("public", Role.CLERK):
        if viewer == Role.CLERK:
            auth.login(Role.CLERK)
        page = client.get(f"/bodies/{body.id}").get_data(as_text=True)
        soon = page[page.index("Upcoming meetings") : page.index("Recent meetings")]
        assert f"/meetings/{upcoming.id}" in soon and f"/meetings/{past.id}" not in soon
        assert f"/meetings/{past.id}" in page[page.index("Recent meetings") :]
        assert f"/meetings/{draft.id}" not in page and f"/meetings/{other.id}" not in page
        assert f'href="/meetings?body={body.id}"' in page
    listing = client.get(f"/meetings?body={body.id}").get_data(as_text=True)
    assert f"/meetings/{past.id}" in listing and f"/meetings/{other.id}" not in listing


def test_two_members_who_always_agree_show_100_and_a_split_pair_its_share(
    client, make_body, make_meeting
):
    body = make_body()
    people = [m.person for m in body.memberships]
    # Seat 4 (index 3) votes no twice; seat 5 (index 4) recuses once: that roll call is left out.
    held_meeting(body, make_meeting, NOW - timedelta(days=20),
                 [{}, {"no": (3,)}, {"no": (3,), "recused": 4}])  # fmt: skip
    page = client.get(f"/bodies/{body.id}").get_data(as_text=True)
    cells = matrix_table(page)
    first, second, split, recuser = (label(i + 1, people[i]) for i in (0, 1, 3, 4))
    assert cells[first, second] == cells[second, first] == "100% (3 of 3)"
    assert cells[first, split] == cells[split, first] == "33% (1 of 3)"
    assert cells[split, recuser] == "50% (1 of 2)"
    assert cells[first, first] == "\N{EM DASH}"
    words = text_of(page)
    assert "in the whole record to" in words and "(3 roll calls)" in words
    # The drawing prints the same numbers, with a title and description for screen readers.
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="agreement-title agreement-desc"' in svg
    assert '<title id="agreement-title">How often members of' in svg
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg)
    assert svg.count(">33%</text>") == 10 and svg.count(">100%</text>") == 30
    assert svg.count(">50%</text>") == 2 and ">no roll call shared</text>" in svg
    for position, person in enumerate(people, start=1):
        assert f">{label(position, person)}</text>" in svg

    # The year of the votes shows the same; a year without votes shows nobody to compare.
    year = (NOW - timedelta(days=20)).year
    same = matrix_table(client.get(f"/bodies/{body.id}?year={year}").get_data(as_text=True))
    assert same[first, split] == "33% (1 of 3)"
    empty = client.get(f"/bodies/{body.id}?year=2019").get_data(as_text=True)
    assert "Fewer than two members to compare in 2019." in empty
    empty = client.get(f"/bodies/{body.id}?year=2021").get_data(as_text=True)
    assert "No two of these members both voted yes or no on the same roll call in 2021" in empty
    assert matrix_table(empty)[first, second] == "none"


def test_the_matrix_covers_the_last_twelve_months_once_they_hold_enough_roll_calls(
    client, make_body, make_meeting
):
    body = make_body()
    people = [m.person for m in body.memberships]
    first, split = label(1, people[0]), label(4, people[3])
    long_ago = NOW - timedelta(days=800)
    held_meeting(body, make_meeting, long_ago, [{"no": (3,)}])
    held_meeting(body, make_meeting, NOW - timedelta(days=30), [{}] * 10)
    words = text_of(client.get(f"/bodies/{body.id}").get_data(as_text=True))
    assert "in the twelve months to" in words and "(10 roll calls)" in words
    cells = matrix_table(client.get(f"/bodies/{body.id}").get_data(as_text=True))
    assert cells[first, split] == "100% (10 of 10)"
    old = client.get(f"/bodies/{body.id}?year={long_ago.year}").get_data(as_text=True)
    assert matrix_table(old)[first, split] == "0% (0 of 1)"
    # The roster on a day before the recent votes: the twelve months to that day.
    day = (NOW - timedelta(days=300)).date().isoformat()
    then = client.get(f"/bodies/{body.id}?on={day}").get_data(as_text=True)
    assert matrix_table(then)[first, split] == "0% (0 of 1)"
    assert "in the whole record to" in text_of(then)


def test_a_member_who_left_drops_out_of_the_current_matrix_but_not_out_of_their_year(
    client, make_body, make_meeting
):
    body = make_body()
    people = [m.person for m in body.memberships]
    voted_on = NOW - timedelta(days=60)
    held_meeting(body, make_meeting, voted_on, [{"no": (6,)}])
    body.memberships[6].ends_on = (NOW - timedelta(days=30)).date()
    body.memberships[6].end_reason = TermEnd.EXPIRED
    db.session.commit()
    now = client.get(f"/bodies/{body.id}").get_data(as_text=True)
    assert people[6].name not in now[now.index("<svg") : now.index("</table>")]
    assert "(expired)" in now
    year = client.get(f"/bodies/{body.id}?year={voted_on.year}").get_data(as_text=True)
    assert matrix_table(year)[label(1, people[0]), label(7, people[6])] == "0% (0 of 1)"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("on=banana", "is not a date: write it as YYYY-MM-DD"),
        ("on=2026-02-30", "is not a date: write it as YYYY-MM-DD"),
        ("on=20260707", "is not a date: write it as YYYY-MM-DD"),
        ("on=1899-12-31", "Choose a date from 1900 to 2199."),
        ("on=2200-01-01", "Choose a date from 1900 to 2199."),
        ("year=1899", "Choose a year from 1900 to 2199."),
        ("year=2200", "Choose a year from 1900 to 2199."),
        ("year=twenty", "Choose a year from 1900 to 2199."),
        ("year=-5", "Choose a year from 1900 to 2199."),
        ("year=%D9%A1%D9%A9%D9%A9%D9%A9", "Choose a year from 1900 to 2199."),
    ],
)
def test_bad_dates_and_years_answer_400_with_a_message(client, make_body, query, message):
    body = make_body(seats=3)
    response = client.get(f"/bodies/{body.id}?{query}")
    assert response.status_code == 400
    assert message in text_of(response.get_data(as_text=True))


def test_edge_dates_and_empty_filters_are_accepted(client, make_body):
    body = make_body(seats=3)
    for query in ("on=1900-01-01", "on=2199-12-31", "year=1900", "year=2199", "on=&year="):
        assert client.get(f"/bodies/{body.id}?{query}").status_code == 200, query


def test_the_page_runs_at_most_8_queries_whatever_the_number_of_votes(
    client, make_body, make_meeting, count_queries
):
    body = make_body()
    held_meeting(body, make_meeting, NOW - timedelta(days=40), [{}])
    path = f"/bodies/{body.id}"
    with count_queries() as few:
        assert client.get(path).status_code == 200
    held_meeting(body, make_meeting, NOW - timedelta(days=20), [{"no": (2,)}] * 12)
    for query in ("", "?year=2025", f"?on={(NOW - timedelta(days=30)).date()}"):
        with count_queries() as many:
            assert client.get(path + query).status_code == 200
        assert len(many) <= PAGE_QUERIES, many
    assert len(few) == len(many) <= PAGE_QUERIES, (few, many)


def test_the_demo_commission_shows_kaufman_and_the_287g_split(demo_app, count_queries):
    body = db.session.execute(sa.select(Body).order_by(Body.id)).scalars().first()
    client, path = demo_app.test_client(), f"/bodies/{body.id}"
    with count_queries() as statements:
        page = client.get(path).get_data(as_text=True)
    assert len(statements) <= PAGE_QUERIES, statements
    assert "Sam Kaufman" in page[page.index('<table class="roster">') :]
    cells = matrix_table(page)
    kaufman = next(row for row, _ in cells if row.endswith("Sam Kaufman"))
    assert any(v.startswith("100%") for (row, _), v in cells.items() if row == kaufman)
    # The member who voted no on 287(g) did not always vote with Kaufman.
    assert any(not v.startswith("100%") and v != "\N{EM DASH}" for (r, _), v in cells.items()
               if r == kaufman)  # fmt: skip
    listing = client.get("/bodies").get_data(as_text=True)
    assert f'href="/bodies/{body.id}"' in listing and "7 seats" in listing


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_cells_number_is_readable_on_its_colour():
    for fill, ink in [*((b[1], b[2]) for b in BANDS), NONE_SHARED[:2], SELF]:
        assert contrast(fill, ink) >= 4.5, (fill, ink)
