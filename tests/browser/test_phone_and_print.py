"""Every public page on a 390 px phone (no sideways scrolling, no axe violation) and on paper
(no navigation, forms, skip link or filters; the meeting page prints its title and content)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import axe_violations
from tests.conftest import pdf_text

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LISTS = ["/", "/meetings", "/matters", "/people", "/bodies", "/search?q=harbor", "/record"]
# Shown on screen, never on paper: the site's navigation and the skip link.
NAVIGATION_WORDS = ["Skip to main content", "Legislation", "Sign in", "Check the record"]
# Whatever is visible of these when printing, in a few words each.
PRINTED_CHROME = """() => Array.from(
  document.querySelectorAll("nav, form, .skip-link, .filters, .pager, .site-footer, button")
).filter((el) => el.getClientRects().length > 0).map((el) => el.outerHTML.slice(0, 80))"""


def first_link(page: Page, base: str, path: str, pattern: str) -> str:
    """Open `path` and return the first address on it that matches `pattern` in full."""
    page.goto(base + path)
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.pathname)")
    found = [h for h in hrefs if re.fullmatch(pattern, h)]
    assert found, (path, pattern, hrefs[:20])
    return found[0]


def public_pages(page: Page, base: str) -> list[str]:
    """Every kind of public page: the lists, and one of each record found through them."""
    minutes_pdf = first_link(page, base, "/meetings", r"/meetings/\d+/minutes\.pdf")
    return [
        *LISTS,
        first_link(page, base, "/meetings", r"/meetings/\d+"),
        minutes_pdf.removesuffix(".pdf"),
        first_link(page, base, "/matters", r"/matters/\d+"),
        first_link(page, base, "/people", r"/people/\d+"),
        first_link(page, base, "/bodies", r"/bodies/\d+"),
    ]


def test_every_public_page_fits_a_phone_and_prints_without_the_site_around_it(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size(PHONE)
    for path in public_pages(page, live_server):
        page.emulate_media(media="screen")
        response = page.goto(live_server + path)
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide on a 390 px phone"
        assert axe_violations(page) == [], path

        page.emulate_media(media="print")
        assert page.evaluate(PRINTED_CHROME) == [], path
        assert page.locator("main h1").is_visible(), path


def test_a_meeting_page_prints_to_a_pdf_of_its_content(
    page: Page, live_server: str, tmp_path: Path
) -> None:
    meeting = first_link(page, live_server, "/meetings", r"/meetings/\d+")
    page.goto(live_server + meeting)
    title = " ".join(page.locator("main h1").inner_text().split())
    body = page.locator("main .eyebrow").inner_text().strip()
    first_item = " ".join(page.locator(".item-title").first.inner_text().split())
    page.emulate_media(media="print")
    text = " ".join(pdf_text(page.pdf(format="Letter"), tmp_path).split())
    assert title in text and body in text
    assert first_item[:40] in text  # the agenda itself, not only its heading
    for words in NAVIGATION_WORDS:
        assert words not in text, words
