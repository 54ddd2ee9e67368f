"""First journeys in a real browser: the front page is accessible; a clerk signs in and out
with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_home_page_has_no_axe_violations(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings, agendas and votes")
    expect(
        page.get_by_role("link", name="Key West City Commission: Regular meeting").first
    ).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/login", "/meetings", "/no-such-page"])
def test_other_first_pages_have_no_axe_violations(page: Page, live_server: str, path: str) -> None:
    page.goto(live_server + path)
    assert axe_violations(page) == []


def test_meeting_page_of_the_demo_has_no_axe_violations(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name="Key West City Commission: Regular meeting").first.click()
    expect(page.get_by_role("heading", name="Agenda", exact=True)).to_be_visible()
    assert axe_violations(page) == []


def test_clerk_signs_in_and_out_with_the_keyboard_only(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    # Tab from the top of the page: the skip link comes first, then the site's links.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Sign in":
            break
    else:
        pytest.fail("the Sign in link cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.id") != "email":
        page.keyboard.press("Tab")
    page.keyboard.type("clerk@demo.agenda.test")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-clerk-password")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Signed in as clerk@demo.agenda.test")).to_be_visible()
    assert axe_violations(page) == []

    sign_out = page.get_by_role("button", name="Sign out")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Sign out":
            break
    else:
        pytest.fail("the Sign out button cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(sign_out).to_have_count(0)
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_wrong_password_in_the_browser_shows_the_error_by_the_field(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("E-mail address").fill("clerk@demo.agenda.test")
    page.get_by_label("Password").fill("wrong password here")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Wrong e-mail address or password.")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
