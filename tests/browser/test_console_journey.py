"""The clerk runs a live meeting with the keyboard alone: call to order, attendance, motions,
roll calls (6-1 passes, a four-fifths motion fails 5-2, an abstention is refused)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, settled

pytestmark = pytest.mark.browser

# The focused control in words: "<legend of its fieldset> | <its label or text>".
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const set = el.closest("fieldset");
  const legend = set && set.querySelector("legend") ? set.querySelector("legend").textContent : "";
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  const name = label || el.getAttribute("aria-label") || el.textContent || "";
  return (legend + " | " + name).replace(/\\s+/g, " ").trim();
}"""


def accessible(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def tab_to(page: Page, wanted: str, limit: int = 400) -> None:
    """Press Tab until the focused control's legend and label contain `wanted`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted in page.evaluate(FOCUSED):
            return
    pytest.fail(f"{wanted!r} cannot be reached with Tab")


def press(page: Page, wanted: str) -> None:
    """Tab to a button or link and press Enter."""
    tab_to(page, wanted)
    page.keyboard.press("Enter")
    settled(page)


def choose(page: Page, label: str, option: str) -> None:
    """Tab to a select and type the start of an option, as a keyboard user does."""
    tab_to(page, label)
    page.keyboard.type(option)
    assert page.evaluate("document.activeElement.selectedOptions[0].text").startswith(option)


def vote(page: Page, member: str, steps: int) -> None:
    """Tab into a member's vote and move the choice `steps` places right (Yes, No, Abstain)."""
    tab_to(page, f"Vote of {member} |")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")


def sign_in(page: Page, live_server: str) -> None:
    page.goto(live_server + "/login")
    tab_to(page, "E-mail address")
    page.keyboard.type("clerk@demo.agenda.test")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-clerk-password")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Signed in as clerk@demo.agenda.test")).to_be_visible()


def open_console(page: Page, live_server: str) -> None:
    """Open the upcoming Key West regular meeting's workspace, then its console."""
    page.goto(live_server + "/clerk/")
    rows = page.get_by_role("row").filter(
        has_text=re.compile(
            r"Key West City Commission: Regular meeting.*(Published|In progress)", re.S
        )
    )
    page.goto(live_server + (rows.first.get_by_role("link").get_attribute("href") or ""))
    press(page, "Open the live console")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Live console")
    accessible(page)


def roll_call(page: Page, changes: dict[str, int]) -> None:
    """Record all yes, change the members named in `changes`, and record the roll call."""
    press(page, "Record all yes")
    expect(page.locator('.console-rollcall input[value="yes"]:checked').first).to_be_visible()
    for member, steps in changes.items():
        vote(page, member, steps)
    press(page, "Record the roll call")


def move(page: Page, text: str, threshold: str | None = None) -> None:
    """Move a main motion on the current item: Kaufman moves, Blake seconds."""
    tab_to(page, "Text of the motion")
    page.keyboard.type(text)
    choose(page, "Moved by", "Sam Kaufman")
    choose(page, "Seconded by", "Blake")
    if threshold:
        choose(page, "Votes required", threshold)
    press(page, "Record the motion")
    expect(page.get_by_text("moved and seconded").first).to_be_visible()


def test_clerk_runs_the_meeting_from_the_console(page: Page, live_server: str) -> None:
    sign_in(page, live_server)
    open_console(page, live_server)

    if page.get_by_role("button", name="Call to order").count():
        early = page.get_by_label("Reason for calling to order before the meeting's date")
        if early.count():  # the demo's meeting is days ahead: the console asks why
            early.fill("Rehearsing the meeting ahead of its date.")
        press(page, "Call to order")
        expect(page.get_by_text("Meeting called to order.")).to_be_visible()
    expect(page.get_by_role("heading", name="Meeting: In progress")).to_be_visible()
    accessible(page)

    if not page.get_by_role("button", name="Mark everyone present and save").is_visible():
        press(page, "Change attendance")
    press(page, "Mark everyone present and save")
    expect(page.get_by_text("Attendance saved: 7 of 7 present.")).to_be_visible()
    accessible(page)

    choose(page, "Current item", "6.a")
    press(page, "Show item")
    expect(page.locator(".console-item-title")).to_contain_text("South Miami")
    accessible(page)

    move(page, "Move to adopt the resolution authorizing the declaratory-judgment action.")
    accessible(page)
    roll_call(page, {"Commissioner Drew Placeholder (demo)": 1})
    expect(page.get_by_text("Passed 6-1 (4 votes required").first).to_be_visible()
    accessible(page)

    move(page, "Move to make the action effective at once.", threshold="Four-fifths of the full")
    expect(page.get_by_text("Four-fifths of the full body").first).to_be_visible()
    roll_call(
        page,
        {"Commissioner Drew Placeholder (demo)": 1, "Commissioner Emery Placeholder (demo)": 1},
    )
    expect(page.get_by_text("Failed 5-2 (6 votes required").first).to_be_visible()
    accessible(page)

    move(page, "Move to ask the City Manager for a report.")
    roll_call(page, {"Commissioner Casey Placeholder (demo)": 2})
    expect(page.get_by_role("heading", name="Nothing was saved")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("cannot abstain"))).to_be_visible()
    accessible(page)

    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    accessible(page)
