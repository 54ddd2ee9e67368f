"""A citizen who does not know the date finds the 287(g) resolution by searching for it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def readable_at(page: Page, width: int) -> None:
    """Check the page has no axe violations and no sideways scrolling at this width."""
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, page.url)
    assert axe_violations(page) == [], (width, page.url)


def test_a_citizen_searches_287g_and_opens_the_resolution(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the record")
    readable_at(page, 1280)

    page.get_by_label("Words to find").fill("287(g)")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("results for 287(g)")).to_be_visible()
    result = page.get_by_role("link", name="Res 26-214: A Resolution").first
    expect(result).to_be_visible()
    # SQLite marks "287(g" as one phrase, PostgreSQL "287" and "g" apart.
    expect(page.locator(".search-result mark").first).to_have_text(re.compile(r"^287"))
    readable_at(page, 1280)
    readable_at(page, 390)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Kind").select_option(label="Legislation")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".search-result .badge").first).to_have_text("Legislation")
    page.get_by_role("link", name="Res 26-214: A Resolution").click()
    expect(page).to_have_url(re.compile(r"/matters/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("declaratory judgment")


def test_nothing_found_and_bad_input_read_as_pages(page: Page, live_server: str) -> None:
    page.goto(live_server + "/search?q=NEAR(%22")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the record")
    expect(page.get_by_text("Nothing matches")).to_be_visible()
    readable_at(page, 390)
    readable_at(page, 1280)
