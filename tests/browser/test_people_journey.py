"""A citizen finds how Commissioner Kaufman voted: People, his page, his 287(g) vote, a filter,
the CSV; every page passes axe and fits a phone without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from agenda.demo import data
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

SIZES = [(1280, 900), (390, 844)]


def fits_the_width(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_a_citizen_finds_kaufmans_vote_on_287g(
    page: Page, live_server: str, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert axe_violations(page) == []
    assert fits_the_width(page)

    page.get_by_role("link", name="Sam Kaufman").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Kaufman")
    expect(page.get_by_text("Commissioner, seat 6")).to_be_visible()
    vote = page.locator(".ballot", has=page.get_by_role("link", name=data.TERMINATE_287G_TITLE))
    expect(vote.locator(".vote")).to_have_text("Yes")
    expect(vote.locator(".result")).to_have_text("Passed 6-1")
    # The demo's meetings held in his term, and any an earlier journey on this server held.
    expect(
        page.get_by_text(re.compile(r"Present at \d+ of \d+ meetings held during their terms"))
    ).to_be_visible()
    assert axe_violations(page) == []
    assert fits_the_width(page)

    # Only his no votes: the demo has none (an earlier journey on this server may add some).
    page.get_by_label("Vote", exact=True).select_option(label="No")
    page.get_by_role("button", name="Show votes").click()
    assert "value=no" in page.url
    expect(
        page.locator(".ballot", has=page.get_by_role("link", name=data.TERMINATE_287G_TITLE))
    ).to_have_count(0)
    assert axe_violations(page) == []

    page.get_by_label("Vote", exact=True).select_option(label="Every vote")
    page.get_by_role("button", name="Show votes").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these votes (CSV)").click()
    path = download.value.path()
    assert data.TERMINATE_287G_TITLE in path.read_text()

    # From his vote to the meeting, where his name leads back to his page.
    vote = page.locator(".ballot", has=page.get_by_role("link", name=data.TERMINATE_287G_TITLE))
    vote.get_by_role("link", name="Key West City Commission, regular meeting of").click()
    page.get_by_role("link", name="Commissioner Sam Kaufman").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Kaufman")
