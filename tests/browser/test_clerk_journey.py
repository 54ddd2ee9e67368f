"""The clerk builds a meeting of three items, attaches a PDF to a resolution, publishes,
amends, and the public sees the amended agenda; axe checks every page on the way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations
from tests.conftest import make_pdf_bytes

pytestmark = pytest.mark.browser


def accessible(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def sign_in_as_clerk(page: Page, live_server: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("E-mail address").fill("clerk@demo.agenda.test")
    page.get_by_label("Password").fill("demo-clerk-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as clerk@demo.agenda.test")).to_be_visible()


def test_clerk_builds_publishes_and_amends_an_agenda(page: Page, browser, live_server: str):
    sign_in_as_clerk(page, live_server)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Clerk's workspace"
    ).click()
    accessible(page)

    page.get_by_role("link", name="New meeting").click()
    accessible(page)
    page.get_by_label("Body").select_option(label="Key West City Commission")
    page.get_by_label("Type of meeting").select_option(label="Special")
    day = date.today() + timedelta(days=30)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("17:30")
    page.get_by_label("Location").fill("City Hall, Commission Chambers")
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Special meeting")
    accessible(page)
    workspace = page.url

    # The resolution, with its document, goes on the agenda from the legislation page.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Clerk's workspace"
    ).click()
    page.get_by_role("link", name="New legislation").click()
    page.get_by_label("Body").select_option(label="Key West City Commission")
    page.get_by_label("Type").select_option(label="Resolution")
    page.get_by_label("Title").fill("A Resolution supporting the harbor walk lighting (journey)")
    page.get_by_label("Sponsors").select_option(label="Sam Kaufman (Commissioner)")
    page.get_by_label("Full text (Markdown)").fill("**Resolved**, the lights go on.")
    page.get_by_role("button", name="File the matter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Res ")
    accessible(page)
    page.get_by_label("PDF document").set_input_files(
        files=[{"name": "lighting.pdf", "mimeType": "application/pdf",
                "buffer": make_pdf_bytes("Harbor walk lighting plan")}]
    )  # fmt: skip
    page.get_by_label("Title shown in the agenda and packet").fill("Lighting plan")
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("link", name="Lighting plan")).to_be_visible()
    meeting_select = page.get_by_label("Meeting", exact=True)
    special = [o for o in meeting_select.locator("option").all_inner_texts() if "Special" in o]
    meeting_select.select_option(label=special[0])
    page.get_by_label("Section of the agenda").select_option(label="Resolutions")
    page.get_by_role("button", name="Add to the agenda").click()
    accessible(page)

    page.goto(workspace)
    for section, title in [
        ("4. Consent agenda", "Approve the seawall inspection contract"),
        ("8. Discussion", "Hurricane season readiness"),
    ]:
        page.get_by_label("Section", exact=True).select_option(label=section)
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_role("button", name="Add item").click()
        expect(page.get_by_text(title).first).to_be_visible()
    for number in ("4.a", "6.a", "8.a"):
        expect(page.get_by_role("link", name=f"Edit item {number}")).to_be_visible()
    accessible(page)

    page.get_by_role("button", name="Publish agenda").click()
    expect(page.get_by_role("heading", name="Status: Published")).to_be_visible()
    accessible(page)

    page.get_by_label("Section", exact=True).select_option(label="8. Discussion")
    page.get_by_label("Title", exact=True).fill("Late addition: beach cleanup day")
    page.get_by_role("button", name="Add item").click()
    expect(page.get_by_text("Added item 8.b").first).to_be_visible()
    expect(page.get_by_role("heading", name="Amendment pending: 1 change")).to_be_visible()
    accessible(page)
    public_url = workspace.replace("/clerk/meetings/", "/meetings/")

    # The public sees the addition only once the clerk publishes the amendment, with a reason.
    public = browser.new_context().new_page()
    public.goto(public_url)
    expect(public.get_by_text("Late addition: beach cleanup day")).to_have_count(0)
    reason = page.get_by_label("What changed and why")
    expect(reason).to_have_value("Added item 8.b: Late addition: beach cleanup day")
    reason.fill("Added 8.b, the beach cleanup day")
    page.get_by_role("button", name="Publish the amended agenda").click()
    expect(page.get_by_text("Amended agenda published (revision 2).")).to_be_visible()

    public.goto(public_url)
    expect(public.get_by_role("heading", name="Amended agenda")).to_be_visible()
    expect(public.get_by_text("Added 8.b, the beach cleanup day")).to_be_visible()
    expect(public.get_by_text("Late addition: beach cleanup day").first).to_be_visible()
    expect(public.get_by_role("link", name="Lighting plan")).to_be_visible()
    accessible(public)
    public.context.close()
