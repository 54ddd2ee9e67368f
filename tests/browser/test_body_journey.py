"""A citizen in a real browser reads the commission's page: the roster on a past date, its
meetings, and how often its members vote alike, drawn and tabled, at desktop and phone widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

COMMISSION = "Key West City Commission"


def fits_and_passes_axe(page: Page, width: int) -> None:
    """At `width` px: no sideways scrolling, the drawing within the page, no axe violations."""
    page.set_viewport_size({"width": width, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    drawing = page.get_by_role("img", name=f"How often members of the {COMMISSION} voted alike")
    assert drawing.bounding_box()["width"] <= width
    assert axe_violations(page) == []


def test_a_citizen_reads_the_commission_roster_and_its_agreement_matrix(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/bodies")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bodies")
    assert axe_violations(page) == []
    page.get_by_role("link", name=COMMISSION).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COMMISSION)

    roster = page.get_by_role("table").filter(has_text="Seats on")
    expect(roster.get_by_role("row").filter(has_text="Sam Kaufman")).to_be_visible()
    expect(page.get_by_role("link", name=f"Every meeting of the {COMMISSION}")).to_be_visible()

    drawing = page.get_by_role("img", name=f"How often members of the {COMMISSION} voted alike")
    expect(drawing).to_be_visible()
    table = page.get_by_role("table").filter(has_text="How often each pair voted alike")
    kaufman = table.get_by_role("row").filter(has_text="Sam Kaufman")
    expect(kaufman.get_by_role("rowheader")).to_have_text("6. Sam Kaufman")
    expect(kaufman.get_by_role("cell").nth(5)).to_have_text("\N{EM DASH}")
    # The member who voted no on 287(g) split from Kaufman once: the cell is under 100%.
    drew = kaufman.get_by_role("cell").nth(3)
    expect(drew).not_to_have_text("100%", use_inner_text=True)
    expect(drew).to_contain_text("%")

    fits_and_passes_axe(page, 1280)
    fits_and_passes_axe(page, 390)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The roster on a day before anyone held a seat: every seat vacant, nobody to compare.
    page.get_by_label("Roster on", exact=True).fill("1990-01-01")
    page.get_by_role("button", name="Show the roster").click()
    expect(page.get_by_role("caption").filter(has_text="Seats on January 1, 1990")).to_be_visible()
    expect(page.get_by_text("Vacant: never filled")).to_have_count(7)
    expect(page.get_by_text("Fewer than two members to compare")).to_be_visible()
    assert axe_violations(page) == []

    # A year typed out of range is refused with a message, not an error page of ours.
    page.goto(live_server + page.url.split(live_server)[1].split("?")[0] + "?year=1800")
    expect(page.get_by_text("Choose a year from 1900 to 2199.")).to_be_visible()
