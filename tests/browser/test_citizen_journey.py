"""A citizen's whole journey through the record, at desktop and phone sizes: search the home page
for "287(g)", open the resolution and its vote, follow the roll call to Commissioner Kaufman's
page and his ballot, open the commission's roster and agreement matrix, subscribe to its
calendar; every page passes axe and fits the screen without sideways scrolling."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from agenda.demo import data
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

COMMISSION = "Key West City Commission"
KAUFMAN = "Sam Kaufman"
SIZES = [(1280, 900), (390, 844)]


def readable(page: Page, width: int) -> None:
    """Assert the page scrolls only downwards at `width` px and axe finds no violations."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, page.url)
    assert axe_violations(page) == [], (width, page.url)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_a_citizen_follows_287g_from_search_to_the_calendar(
    page: Page, live_server: str, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})

    # 1. The home page's own search form finds the resolution.
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings, agendas and votes")
    readable(page, width)
    search = page.get_by_role("search", name="Search the record")
    search.get_by_label("Search agendas, legislation and minutes").fill("287(g)")
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search\?q=287%28g%29$"))
    expect(page.get_by_label("Words to find")).to_have_value("287(g)")
    expect(page.get_by_role("status").filter(has_text="results for 287(g)")).to_be_visible()
    found = page.locator(".search-result").filter(
        has=page.locator(".badge", has_text="Legislation")
    )
    adopted = found.filter(has_text="terminating the Memorandum of Agreement")
    expect(adopted).to_have_count(1)
    expect(adopted).to_contain_text("Resolution, adopted")
    readable(page, width)
    adopted.get_by_role("link").click()

    # 2. The resolution's page shows the vote; the meeting's roll call leads to Kaufman.
    expect(page).to_have_url(re.compile(r"/matters/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(data.TERMINATE_287G_TITLE)
    file_number = (
        page.locator("dl.facts dt", has_text="File number")
        .locator("xpath=following-sibling::dd[1]")
        .inner_text()
    )
    assert re.fullmatch(r"Res \d\d-187", file_number), file_number
    votes = page.get_by_role("region", name="Motions and votes")
    expect(votes).to_contain_text(f"Move to adopt {file_number}")
    expect(votes).to_contain_text("Passed 6-1")
    expect(votes.get_by_role("list", name="Votes other than yes")).to_contain_text(
        "No: Commissioner Drew Placeholder (demo)"
    )
    roll_call = votes.get_by_role("list", name="Roll call on this motion")
    expect(roll_call.get_by_role("listitem").filter(has_text=KAUFMAN)).to_have_text(
        f"Commissioner {KAUFMAN}: Yes"
    )
    readable(page, width)

    votes.get_by_role("link", name=re.compile(r"^Regular meeting, .*, item \d")).click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+#item-\d+$"))
    meeting_path = urlparse(page.url).path
    expect(page.get_by_role("heading", level=1)).to_contain_text("Regular meeting")
    motion = page.locator(".motion", has_text=f"Move to adopt {file_number}")
    expect(motion).to_contain_text("Passed 6-1")
    readable(page, width)
    motion.get_by_role("list", name="Roll call on this motion").get_by_role(
        "link", name=f"Commissioner {KAUFMAN}"
    ).click()

    # His page: the 287(g) ballot reads Yes, with the resolution's file number and title.
    expect(page).to_have_url(re.compile(r"/people/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(KAUFMAN)
    ballot = page.locator(".ballot").filter(
        has=page.get_by_role("link", name=file_number, exact=True)
    )
    expect(ballot).to_have_count(1)
    expect(ballot.locator(".vote")).to_have_text("Yes")
    expect(ballot).to_contain_text(data.TERMINATE_287G_TITLE)
    expect(ballot).to_contain_text("Passed 6-1")
    readable(page, width)

    # 3. The commission's page: the roster and the agreement matrix, drawn and tabled.
    page.get_by_role("region", name="Terms and seats").get_by_role("link", name=COMMISSION).click()
    expect(page).to_have_url(re.compile(r"/bodies/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(COMMISSION)
    roster = page.get_by_role("table").filter(
        has=page.get_by_role("caption").filter(has_text="Seats on")
    )
    expect(roster.get_by_role("row")).to_have_count(8)  # the header and seven seats
    expect(roster.get_by_role("row").filter(has_text=KAUFMAN)).to_have_text(
        re.compile(rf"^\s*6\s*Commissioner\s*{KAUFMAN}\s*$")
    )

    drawing = page.get_by_role(
        "img", name=re.compile(rf"^How often members of the {COMMISSION} voted alike")
    )
    expect(drawing).to_be_visible()
    expect(drawing.locator(":scope > title")).to_contain_text(
        f"How often members of the {COMMISSION} voted alike"
    )
    table = page.get_by_role("table").filter(has_text="How often each pair voted alike")
    headers = table.get_by_role("columnheader").all_inner_texts()[1:]
    size = len(headers)
    assert size == 7, headers
    number = {h.split(". ", 1)[1]: int(h.split(".", 1)[0]) for h in headers}
    # Kaufman and the one member who voted no on 287(g): under 100%, the same in both.
    row, column = number[KAUFMAN], number["Drew Placeholder (demo)"]
    cell = table.get_by_role("row").nth(row).get_by_role("cell").nth(column - 1)
    figure = re.fullmatch(r"(\d+%) \((\d+ of \d+)\)", cell.inner_text())
    assert figure, cell.inner_text()
    percent, counts = figure.groups()
    assert percent != "100%"
    drawn = drawing.locator("g").nth((row - 1) * size + (column - 1))
    expect(drawn.locator("text")).to_have_text(percent)
    expect(drawn.locator("title")).to_have_text(f"{counts} roll calls alike")
    readable(page, width)

    # 4. Subscribe: the commission's calendar link, fetched as a calendar program would.
    link = page.get_by_role("link", name=f"calendar of {COMMISSION} meetings")
    href = link.get_attribute("href")
    assert href
    answer = page.request.get(urljoin(page.url, href))
    assert answer.ok, answer.status
    assert answer.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.body())
    assert calendar.name == "VCALENDAR"
    assert str(calendar["X-WR-CALNAME"]) == f"{COMMISSION} meetings"
    events = calendar.walk("VEVENT")
    assert len(events) >= 3
    assert all(f"{COMMISSION}: " in str(e["SUMMARY"]) for e in events)
    # The meeting of the 287(g) vote is among them, with the resolution in its description.
    voted = [e for e in events if urlparse(str(e["URL"])).path == meeting_path]
    assert len(voted) == 1, [str(e["URL"]) for e in events]
    assert str(voted[0]["SUMMARY"]) == f"{COMMISSION}: Regular meeting"
    assert file_number in str(voted[0]["DESCRIPTION"])
