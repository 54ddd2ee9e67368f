"""A citizen follows a meeting in session: the clerk records a roll call in the console, and
the citizen's open page shows the result within seconds, without reloading, focus kept."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.browser.conftest import axe_violations, choose, serving
from tests.browser.test_console_journey import move, open_console, press, roll_call, sign_in

pytestmark = pytest.mark.browser

SIX_ONE = "Passed 6-1 (4 votes required"
# Set on the citizen's window once; a reload would lose it.
MARK = "window.__sameDocument = true"
FOCUSED = "document.activeElement ? document.activeElement.textContent.trim() : ''"


@pytest.fixture
def own_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: Callable[[], str]
) -> Iterator[str]:
    """A server of its own: this journey calls the demo's meeting to order."""
    with serving(tmp_path_factory.mktemp("live-journey"), demo_database()) as base:
        yield base


def call_to_order(clerk: Page, base: str) -> int:
    """As the clerk, call the demo's regular meeting to order, everyone present, at 6.a."""
    sign_in(clerk, base)
    open_console(clerk, base)
    meeting_id = int(re.search(r"/clerk/meetings/(\d+)/console", clerk.url)[1])  # type: ignore[index]
    early = clerk.get_by_label("Reason for calling to order before the meeting's date")
    if early.count():
        early.fill("Rehearsing the meeting ahead of its date.")
    press(clerk, "Call to order")
    expect(clerk.get_by_text("Meeting called to order.")).to_be_visible()
    if not clerk.get_by_role("button", name="Mark everyone present and save").is_visible():
        press(clerk, "Change attendance")
    press(clerk, "Mark everyone present and save")
    choose(clerk, "Current item", "6.a")
    press(clerk, "Show item")
    return meeting_id


def test_a_citizen_sees_the_roll_call_within_seconds_without_reloading(
    browser: Browser, own_server: str
) -> None:
    clerk = browser.new_context().new_page()
    clerk.set_default_timeout(10_000)
    meeting_id = call_to_order(clerk, own_server)

    citizen = browser.new_context().new_page()
    citizen.set_default_timeout(10_000)
    answers: list[Response] = []

    def polled(response: Response) -> None:
        if response.request.resource_type == "fetch":
            answers.append(response)

    citizen.on("response", polled)
    citizen.goto(f"{own_server}/meetings/{meeting_id}")
    panel = citizen.locator("#live")
    expect(panel.get_by_role("heading", name="In session")).to_be_visible()
    # No motion yet: the first item without a disposition is before the body.
    first_open = citizen.locator(".item:not(:has(.disposition)) .item-title .num").first
    now = panel.locator('[data-live-slot="current"]')
    expect(now).to_contain_text(f"Now: {first_open.inner_text()} ")
    assert axe_violations(citizen) == []
    citizen.evaluate(MARK)
    # While nothing changes the page asks with its ETag and is told 304 Not Modified.
    citizen.wait_for_event("response", lambda r: r.status == 304, timeout=15_000)
    asked = [a.request.headers.get("if-none-match") for a in answers if a.status == 304]
    assert asked and all(asked)

    # A reader is on the resolution's link when the vote comes in.
    link = citizen.locator("#agenda-heading ~ ol .item", has_text="South Miami").locator("a").first
    link.focus()
    held = citizen.evaluate(FOCUSED)

    move(clerk, "Move to adopt the resolution authorizing the declaratory-judgment action.")
    roll_call(clerk, {"Commissioner Drew Placeholder (demo)": 1})
    expect(clerk.get_by_text(SIX_ONE).first).to_be_visible()

    results = panel.locator(".live-results li")
    item = citizen.locator(".item", has_text="South Miami")
    expect(results.first).to_contain_text(SIX_ONE, timeout=10_000)
    expect(results.first).to_contain_text("Item 6.a")
    expect(item.locator(".result").first).to_contain_text(SIX_ONE)  # and in the agenda below
    # The console recorded 6.a adopted with its roll call: the body is on the first item left.
    expect(item.locator(".disposition")).to_contain_text("Adopted")
    expect(now).to_contain_text(f"Now: {first_open.inner_text()} ")
    assert citizen.evaluate("window.__sameDocument") is True  # updated in place, not reloaded
    assert citizen.evaluate(FOCUSED) == held
    assert panel.get_attribute("aria-live") == "polite"
    assert axe_violations(citizen) == []

    # Adjourned: the page says so, and stops asking.
    confirm = clerk.get_by_label("Adjourn all the same, leaving these open")
    if confirm.count():
        confirm.check()
    clerk.get_by_role("button", name="Adjourn the meeting").click()
    expect(panel).to_contain_text("no longer in session", timeout=10_000)
    count = len(answers)
    citizen.wait_for_timeout(6_000)
    assert len(answers) == count
    assert citizen.evaluate("window.__sameDocument") is True
