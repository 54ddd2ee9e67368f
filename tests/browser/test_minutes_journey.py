"""The clerk writes the special meeting's minutes, the next regular meeting approves them 7-0
at the live console, a recusal's Form 8B memorandum is filed, and the public downloads the PDF."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from agenda.demo import data
from tests.browser.conftest import axe_violations, settled
from tests.conftest import make_pdf_bytes, pdf_text, qpdf

pytestmark = pytest.mark.browser

NOTES = "The Mayor opened the meeting; **three** residents spoke in public comment."


def accessible(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def fits_375(page: Page) -> None:
    """Check the page reads at 375 CSS pixels wide without sideways scrolling."""
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url
    accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def sign_in_as_clerk(page: Page, live_server: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("E-mail address").fill("clerk@demo.agenda.test")
    page.get_by_label("Password").fill("demo-clerk-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as clerk@demo.agenda.test")).to_be_visible()


def workspace_of(page: Page, live_server: str, row_text: re.Pattern[str]) -> str:
    """Open the clerk's workspace of the first meeting on the dashboard matching `row_text`."""
    page.goto(live_server + "/clerk/")
    row = page.get_by_role("row").filter(has_text=row_text).first
    page.goto(live_server + (row.get_by_role("link").get_attribute("href") or ""))
    return page.url


def choose_starting(page: Page | Locator, label: str, start: str) -> None:
    """Select the option of a select whose text starts with `start`."""
    select = page.get_by_label(label, exact=True)
    options = select.locator("option").all_inner_texts()
    select.select_option(label=next(o for o in options if o.strip().startswith(start)))


def open_console_item(page: Page, regular: str, number: str) -> None:
    """Open the regular meeting's console in session, everyone present, on item `number`."""
    page.goto(regular)
    page.get_by_role("link", name="Open the live console").click()
    if page.get_by_role("button", name="Call to order").count():
        early = page.get_by_label("Reason for calling to order before the meeting's date")
        if early.count():  # the demo's meeting is days ahead: the console asks why
            early.fill("Rehearsing the meeting ahead of its date.")
        page.get_by_role("button", name="Call to order").click()
    expect(page.get_by_role("heading", name="Meeting: In progress")).to_be_visible()
    if not page.get_by_role("button", name="Mark everyone present and save").is_visible():
        page.locator("summary", has_text="Change attendance").click()
    page.get_by_role("button", name="Mark everyone present and save").click()
    settled(page)
    expect(page.get_by_text("Attendance saved: 7 of 7 present.")).to_be_visible()
    choose_starting(page, "Current item", number)
    page.get_by_role("button", name="Show item").click()
    settled(page)
    expect(page.get_by_role("heading", name=f"Motions on item {number}")).to_be_visible()


def move_and_vote(
    page: Page, text: str | None, recusal: str | None = None, *, consent: bool = False
) -> None:
    """Kaufman moves, Blake seconds, everyone votes yes except a recusal if named.

    On a consent item, the clerk moves the consent agenda as a whole (`consent`).
    """
    form = page.locator("#consent" if consent else "#new-motion")
    if text is not None:
        form.get_by_label("Text of the motion").fill(text)
    choose_starting(form, "Moved by", "Sam Kaufman")
    choose_starting(form, "Seconded by", "Blake")
    name = "Record the consent motion" if consent else "Record the motion"
    form.get_by_role("button", name=name).click()
    settled(page)
    expect(page.get_by_text("moved and seconded").first).to_be_visible()
    page.get_by_role("button", name="Record all yes").click()
    if recusal:
        ballot = page.get_by_role("group", name=f"Vote of {recusal}")
        ballot.get_by_label("Recused", exact=True).check()
        ballot.get_by_label("Conflict stated, if recused").fill("Spouse works for the contractor")
    page.get_by_role("button", name="Record the roll call").click()
    settled(page)
    expect(page.get_by_text("Roll call recorded").first).to_be_visible()


def test_minutes_are_written_approved_and_published(
    page: Page, browser, live_server: str, tmp_path: Path
) -> None:
    sign_in_as_clerk(page, live_server)
    upcoming = re.compile(
        r"Key West City Commission: Regular meeting.*(Published|In progress)", re.S
    )
    regular = workspace_of(page, live_server, upcoming)
    title = page.get_by_text(re.compile(r"Minutes of the special meeting of \w+ \d+")).first
    day = re.search(r"of (\w+ \d+)", title.inner_text()).group(1)  # type: ignore[union-attr]

    # The demo's special meeting, adjourned (another journey may hold a special meeting that day).
    special_row = re.compile(rf"Special meeting.*{day}, .*Adjourned", re.S)
    special = workspace_of(page, live_server, special_row)
    special_id = special.rstrip("/").rsplit("/", 1)[-1]
    page.get_by_role("link", name="Minutes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes: Key West")
    accessible(page)
    page.get_by_label("Notes on the meeting").fill("Draft one.")
    page.get_by_label(re.compile(r"Notes on item 3\.a")).fill("Approved without changes.")
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_text(re.compile(r"Saved revision \d+ of the minutes\."))).to_be_visible()
    page.get_by_label("Notes on the meeting").fill(NOTES)
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_text(re.compile(r"Saved revision \d+ of the minutes\."))).to_be_visible()
    expect(page.get_by_text(re.compile("Saved by Demo City Clerk")).first).to_be_visible()
    accessible(page)
    fits_375(page)

    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("rowheader", name="Removed").first).to_be_visible()
    expect(page.get_by_role("rowheader", name="Added").first).to_be_visible()
    accessible(page)
    fits_375(page)

    page.get_by_role("link", name="Back to the minutes").click()
    page.get_by_role("link", name="Preview the minutes (web page)").click()
    expect(page.get_by_text("DRAFT minutes: not approved")).to_be_visible()
    expect(page.get_by_text("residents spoke in public comment")).to_be_visible()
    accessible(page)
    fits_375(page)

    # A later meeting made in the workspace takes these draft minutes up for approval: the
    # clerk creates it, adds the approval item and links the minutes from the item's form.
    page.goto(live_server + "/clerk/meetings/new")
    page.get_by_label("Body").select_option(label="Key West City Commission")
    page.get_by_label("Type of meeting").select_option(label="Special")
    today = datetime.now(ZoneInfo("America/New_York")).date()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Start time").fill("17:00")
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Special meeting")
    choose_starting(page, "Section", "3. Approval of minutes")
    page.get_by_label("Title", exact=True).fill("Minutes of the special meeting")
    minutes = page.get_by_role("group", name="Takes up for approval the minutes of (optional)")
    minutes.get_by_label(re.compile(r"^Special meeting")).first.check()
    accessible(page)
    page.get_by_role("button", name="Add item").click()
    expect(
        page.get_by_text("Takes up for approval the minutes of the special meeting")
    ).to_be_visible()
    page.get_by_role("button", name="Publish agenda").click()
    expect(page.locator(".flash-success", has_text="Agenda published")).to_be_visible()

    open_console_item(page, page.url, "3.a")
    move_and_vote(page, "Move to approve the minutes of the special meeting as presented.")
    # The roll call records the item's outcome too (its box is ticked by default).
    expect(page.get_by_text("Passed 7-0").first).to_be_visible()
    expect(page.get_by_text("Item 3.a: adopted.")).to_be_visible()
    accessible(page)

    # A recusal under Florida's rule opens a Form 8B disclosure; the clerk files the memorandum.
    open_console_item(page, regular, "4.a")
    move_and_vote(page, None, "Commissioner Casey Placeholder (demo)", consent=True)
    expect(page.get_by_text("Adopted on the consent agenda").first).to_be_visible()
    page.goto(live_server + "/clerk/")
    page.get_by_role("link", name="Conflict disclosures").click()
    expect(page.get_by_role("heading", name=re.compile("Casey Placeholder")).first).to_be_visible()
    accessible(page)
    page.get_by_label("Filed memorandum of Casey Placeholder (demo) (PDF)").first.set_input_files(
        files=[{"name": "form-8b-casey.pdf", "mimeType": "application/pdf",
                "buffer": make_pdf_bytes("Form 8B: memorandum of voting conflict")}]
    )  # fmt: skip
    page.get_by_role("button", name="File the memorandum of Casey Placeholder (demo)").first.click()
    expect(page.get_by_text("Memorandum of Casey Placeholder (demo) filed.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("form-8b-casey.pdf")).first).to_be_visible()
    accessible(page)
    fits_375(page)

    public = browser.new_context().new_page()
    public.goto(f"{live_server}/meetings/{special_id}")
    link = public.get_by_role("link", name="Minutes (PDF)")
    accessible(public)
    response = public.request.get(live_server + (link.get_attribute("href") or ""))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(response.body(), tmp_path).split())
    for _, _, name in data.COMMISSION:
        assert name in text
    assert re.search(r"Approved on \w+ \d+, \d{4}, 7-0", text)
    assert "three residents spoke in public comment" in text
    assert "DRAFT" not in text
    assert qpdf(response.body(), tmp_path, "--check").returncode == 0
    public.context.close()
