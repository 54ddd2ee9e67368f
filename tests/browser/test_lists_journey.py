"""A citizen finds legislation by its sponsor and a meeting by its subject, on a desktop and a
phone: the lists and the vote that stands out pass axe and fit the screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def fits(page: Page) -> bool:
    """Tell whether the page fits the screen's width (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", SIZES)
def test_a_citizen_finds_kaufmans_resolution_in_the_legislation_list(
    page: Page, live_server: str, size: str
) -> None:
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(live_server + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Legislation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Legislation")
    # The demo's five matters, or more where an earlier journey on this server filed one.
    expect(page.get_by_text(re.compile(r"^([5-9]|\d\d+) matters\.$"))).to_be_visible()
    assert axe_violations(page) == []
    assert fits(page)

    page.get_by_label("Sponsor").select_option(label="Sam Kaufman")
    page.get_by_label("Type").select_option(label="Resolution")
    page.get_by_role("button", name="Show legislation").click()
    # The demo's one resolution he sponsored (more where an earlier journey on this server
    # filed one in his name).
    expect(
        page.get_by_text(re.compile(r"^\d+ matters? matche?s? these filters\.$"))
    ).to_be_visible()
    expect(page.get_by_label("Sponsor")).to_have_value(page.url.split("sponsor=")[1].split("&")[0])
    expect(page.locator("li.list-row").filter(has_not_text="Sam Kaufman")).to_have_count(0)
    row = page.locator("li.list-row", has_text="authorizing the City Attorney")
    expect(row).to_have_count(1)
    # Its latest action: placed on the agenda in the demo, adopted after an earlier journey.
    expect(row).to_contain_text(re.compile(r"Latest action\s*(Placed on the agenda|Adopted), "))
    assert axe_violations(page) == []
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("authorizing the City Attorney")


@pytest.mark.parametrize("size", SIZES)
def test_a_citizen_finds_the_287g_meeting_and_sees_the_no_vote_stand_out(
    page: Page, live_server: str, size: str
) -> None:
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(live_server + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", name="Upcoming meetings")).to_be_visible()
    expect(page.get_by_role("heading", name="Past meetings")).to_be_visible()
    assert axe_violations(page) == []
    assert fits(page)

    held = page.locator("li.list-row", has_text="terminating the Memorandum")
    expect(held).to_contain_text("Adjourned")
    expect(held.get_by_role("link", name="Minutes of")).to_be_visible()
    held.get_by_role("link", name="Key West City Commission: Regular meeting").click()
    expect(page.get_by_role("heading", name="Agenda", exact=True)).to_be_visible()
    no_line = page.locator(".stand-out-no")
    expect(no_line).to_have_text("\u2717 No: Commissioner Drew Placeholder (demo)")
    assert axe_violations(page) == []
    assert fits(page)

    page.go_back()
    page.get_by_label("Show").select_option(label="Past only")
    page.get_by_role("button", name="Show meetings").click()
    expect(page.get_by_role("heading", name="Upcoming meetings")).to_have_count(0)
    expect(page.locator("li.list-row", has_text="terminating the Memorandum")).to_be_visible()
    assert axe_violations(page) == []
