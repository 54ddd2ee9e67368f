"""The dais keeps up: on a meeting made in the workspace, an item is moved, seconded,
roll-called by 7 members and disposed in a handful of actions, with no page load.

The journey prints the actions per voted item and the server's time per console action
(median and 95th percentile, from the Server-Timing header of each background request).
"""

from __future__ import annotations

import re
import statistics
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, Response, expect

from tests.browser.conftest import axe_violations, settled

pytestmark = pytest.mark.browser

BODY = "Key West City Commission"
TIMING = re.compile(r"app;dur=([0-9.]+)")


class Journey:
    """Counts what the clerk does (clicks, picks from a list, key chords) and page loads."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.actions = 0
        self.loads = 0
        self.timings: dict[str, list[float]] = {}
        page.on("load", lambda _: self._loaded())
        page.on("response", self._timed)

    def _loaded(self) -> None:
        self.loads += 1

    def _timed(self, response: Response) -> None:
        found = TIMING.search(response.headers.get("server-timing", ""))
        if found and "/clerk/" in response.url:
            path = re.sub(r"/\d+", "/N", urlsplit(response.url).path)
            kind = f"{response.request.method} {path}"
            self.timings.setdefault(kind, []).append(float(found.group(1)))

    def click(self, target: Locator) -> None:
        self.actions += 1
        target.click()

    def pick(self, select: Locator, label: str) -> None:
        self.actions += 1
        options = select.locator("option").all_inner_texts()
        select.select_option(label=next(o for o in options if o.strip().startswith(label)))

    def key(self, chord: str) -> None:
        self.actions += 1
        self.page.keyboard.press(chord)


def new_meeting_with_items(page: Page, live_server: str) -> None:
    """Create a workshop today at 9 PM with four resolutions, and publish its agenda."""
    page.goto(live_server + "/clerk/meetings/new")
    page.get_by_label("Body").select_option(label=BODY)
    page.get_by_label("Type of meeting").select_option(label="Workshop")
    today = datetime.now(ZoneInfo("America/New_York")).date()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Start time").fill("21:00")
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Workshop meeting")
    for title in [
        "Resolution: harbor dredging contract",
        "Resolution: seawall repairs",
        "Resolution: mooring field rules",
        "Resolution: anchorage limits",
    ]:
        section = page.get_by_label("Section", exact=True)
        options = section.locator("option").all_inner_texts()
        section.select_option(label=next(o for o in options if "Resolutions" in o))
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_role("button", name="Add item").click()
        expect(page.get_by_text(title).first).to_be_visible()
    page.get_by_role("button", name="Publish agenda").click()
    expect(page.locator(".flash-success", has_text="Agenda published")).to_be_visible()


def test_an_item_is_moved_voted_and_disposed_in_a_few_actions_without_a_page_load(
    page: Page, live_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("E-mail address").fill("clerk@demo.agenda.test")
    page.get_by_label("Password").fill("demo-clerk-password")
    page.get_by_role("button", name="Sign in").click()
    new_meeting_with_items(page, live_server)
    page.get_by_role("link", name="Open the live console").click()
    page.get_by_role("button", name="Call to order").click()
    settled(page)
    page.get_by_role("button", name="Mark everyone present and save").click()
    settled(page)
    expect(page.get_by_text("Attendance saved: 7 of 7 present.")).to_be_visible()
    page.locator("form.console-item-picker").get_by_role("button", name="Show item").click()
    settled(page)
    assert axe_violations(page) == []

    journey = Journey(page)
    results: list[tuple[str, int]] = []

    # Item 1, unanimous, by clicks: mover, seconder, record (blank text takes the usual
    # words), all yes, record the roll call (its box records the item as adopted).
    move(journey, page)
    journey.click(page.get_by_role("button", name="Record all yes"))
    journey.click(page.get_by_role("button", name="Record the roll call"))
    settled(page)
    expect(page.get_by_text(re.compile(r"Passed 7-0.*adopted\.")).first).to_be_visible()
    results.append(("7-0, by clicks", journey.actions))
    assert journey.actions <= 6 and journey.loads == 0
    assert axe_violations(page) == []

    # Item 2, 5-2, by keyboard in the grid: Y five times, N twice, Enter.
    before = journey.actions
    page.get_by_role("link", name=re.compile(r"Next item")).click()
    settled(page)
    expect(page.locator(".console-item-title")).to_contain_text("seawall")
    move(journey, page)
    # The grid fits a 1024x768 tablet for a body of up to 15 members: its form with 7 rows
    # plus 8 more rows of the same height is shorter than the screen.
    page.set_viewport_size({"width": 1024, "height": 768})
    grid = page.locator("form[id^='rollcall-form-']")
    rows = grid.locator(".console-ballot")
    assert rows.count() == 7
    row = rows.first.bounding_box()
    box = grid.bounding_box()
    assert row and box and box["width"] <= 1024
    assert box["height"] + 8 * (row["height"] + 3) <= 768, (box, row)
    assert axe_violations(page) == []
    journey.click(page.get_by_role("button", name="Record all yes"))  # focus: first member
    for _ in range(5):
        journey.key("y")
    journey.key("n")
    journey.key("n")
    assert page.evaluate("document.activeElement.textContent").startswith("Record the roll call")
    journey.key("Enter")
    settled(page)
    expect(page.get_by_text(re.compile(r"Passed 5-2.*adopted\.")).first).to_be_visible()
    results.append(("5-2, by keys in the grid", journey.actions - before))
    assert journey.loads == 0

    # Item 3, 6-1, by clicks: all yes, the dissenting member's No, Enter records.
    page.get_by_role("link", name=re.compile(r"Next item")).click()
    settled(page)
    expect(page.locator(".console-item-title")).to_contain_text("mooring")
    before = journey.actions
    move(journey, page)
    journey.click(page.get_by_role("button", name="Record all yes"))
    journey.click(page.locator(".console-ballot").last.get_by_label("No", exact=True))
    journey.key("Enter")
    settled(page)
    expect(page.get_by_text(re.compile(r"Passed 6-1.*adopted\.")).first).to_be_visible()
    results.append(("6-1, by clicks", journey.actions - before))
    assert journey.actions - before <= 6 and journey.loads == 0
    assert axe_violations(page) == []

    # Item 4, 6-1 with the focus on the dissenting member: Shift+Y, N, Enter (3 key chords).
    page.get_by_role("link", name=re.compile(r"Next item")).click()
    settled(page)
    expect(page.locator(".console-item-title")).to_contain_text("anchorage")
    move(journey, page)
    page.locator(".console-ballot").last.locator('input[value="yes"]').focus()
    before = journey.actions
    journey.key("Shift+Y")
    journey.key("n")
    journey.key("Enter")
    settled(page)
    expect(page.get_by_text(re.compile(r"Passed 6-1.*adopted\.")).first).to_be_visible()
    results.append(("all yes and one change, from the grid", journey.actions - before))
    assert journey.actions - before == 3 and journey.loads == 0

    lines = ["Actions per voted item: " + "; ".join(f"{n} ({how})" for how, n in results)]
    for kind, values in sorted(journey.timings.items()):
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
        lines.append(f"Server time {kind}: median {statistics.median(values):.1f} ms, "
                     f"p95 {p95:.1f} ms ({len(values)} requests)")  # fmt: skip
    with capsys.disabled():  # printed in every run, CI's included
        print("\n" + "\n".join(lines))
    assert any(kind.startswith("POST") for kind in journey.timings), "posts carry Server-Timing"


def move(journey: Journey, page: Page) -> None:
    """Kaufman moves, Blake seconds, the motion takes its usual words: three actions."""
    motion = page.locator("#new-motion")
    journey.pick(motion.get_by_label("Moved by"), "Sam Kaufman")
    journey.pick(motion.get_by_label("Seconded by"), "Blake")
    journey.click(motion.get_by_role("button", name="Record the motion"))
    settled(page)
    expect(page.get_by_text("moved and seconded").first).to_be_visible()
