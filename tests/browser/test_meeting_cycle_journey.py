"""The clerk's whole meeting cycle from the screens, on meetings made in the workspace.

Build and publish an agenda with a consent section, amend it once with a reason, run the
meeting (a late arrival, a member who leaves and returns, a consent vote, a motion that dies
for lack of a second, a withdrawn motion, a 5-2 roll call, a replayed submit that records
nothing twice), adjourn with confirmation, draft the minutes, approve them at a later meeting
made in the workspace; the public downloads the approved minutes and finds every vote in
them. axe reports no violation on any page of the journey.
"""

from __future__ import annotations

import re
import subprocess
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, choose, settled

pytestmark = pytest.mark.browser

BODY = "Key West City Commission"
KAUFMAN, BLAKE = "Sam Kaufman", "Blake"
CASEY = "Commissioner Casey Placeholder (demo)"
DREW = "Commissioner Drew Placeholder (demo)"
EMERY = "Commissioner Emery Placeholder (demo)"


def accessible(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def new_meeting(page: Page, live_server: str, kind: str, time: str) -> str:
    """Create a meeting of the commission today in the workspace; return its address."""
    page.goto(live_server + "/clerk/meetings/new")
    accessible(page)
    page.get_by_label("Body").select_option(label=BODY)
    page.get_by_label("Type of meeting").select_option(label=kind)
    today = datetime.now(ZoneInfo("America/New_York")).date()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Start time").fill(time)
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{kind} meeting")
    return page.url


def add_item(page: Page, section: str, title: str) -> None:
    form = page.locator("#add-item")
    choose(form, "Section", section)
    form.get_by_label("Title", exact=True).fill(title)
    form.get_by_role("button", name="Add item").click()
    expect(page.get_by_text(title).first).to_be_visible()


def console_item(page: Page, number: str) -> None:
    choose(page, "Current item", number)
    page.get_by_role("button", name="Show item").click()
    settled(page)
    expect(page.get_by_role("heading", name=f"Motions on item {number}")).to_be_visible()


def motion(page: Page, mover: str, seconder: str | None, button: str = "Record the motion",
           text: str | None = None) -> None:  # fmt: skip
    form = page.locator("#new-motion")
    if text:
        form.get_by_label("Text of the motion").fill(text)
    choose(form, "Moved by", mover)
    if seconder:
        choose(form, "Seconded by", seconder)
    form.get_by_role("button", name=button).click()
    settled(page)


def roll_call(page: Page, noes: tuple[str, ...] = ()) -> None:
    page.get_by_role("button", name="Record all yes").click()
    for member in noes:
        page.get_by_role("group", name=f"Vote of {member}").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Record the roll call").click()
    settled(page)
    expect(page.get_by_text("Roll call recorded").first).to_be_visible()


def test_the_whole_cycle_from_the_screens(page: Page, live_server: str, tmp_path: Path) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("E-mail address").fill("clerk@demo.agenda.test")
    page.get_by_label("Password").fill("demo-clerk-password")
    page.get_by_role("button", name="Sign in").click()

    # The agenda: two consent items and two resolutions, published, then amended once.
    workspace = new_meeting(page, live_server, "Workshop", "18:00")
    add_item(page, "4. Consent agenda", "Accept the marina's annual report")
    add_item(page, "4. Consent agenda", "Approve the purchase of two patrol boats")
    add_item(page, "6. Resolutions", "Resolution: harbor dredging contract")
    accessible(page)
    page.get_by_role("button", name="Publish agenda").click()
    expect(page.locator(".flash-success", has_text="Agenda published")).to_be_visible()
    add_item(page, "6. Resolutions", "Resolution: seawall repairs")
    amend_once(page, live_server, workspace.rstrip("/").rsplit("/", 1)[-1])
    accessible(page)

    # The meeting.
    page.get_by_role("link", name="Open the live console").click()
    page.get_by_role("button", name="Call to order").click()
    settled(page)
    expect(page.get_by_role("heading", name="Meeting: In progress")).to_be_visible()
    attendance_with_a_late_arrival(page)
    accessible(page)

    console_item(page, "4.a")
    consent = page.locator("#consent")
    choose(consent, "Moved by", KAUFMAN)
    choose(consent, "Seconded by", BLAKE)
    consent.get_by_role("button", name="Record the consent motion").click()
    settled(page)
    roll_call(page)
    expect(page.get_by_text("Adopted on the consent agenda: 2 items.")).to_be_visible()
    accessible(page)

    console_item(page, "6.a")
    motion(
        page,
        "Drew Placeholder",
        None,
        "Died for lack of a second",
        text="Move to reject the contract.",
    )
    expect(page.get_by_text("Died for lack of a second").first).to_be_visible()
    motion(page, KAUFMAN, BLAKE, text="Move to approve the contract at $2 million.")
    ended = page.locator("details", has_text="Withdraw or void motion 2")
    ended.locator("summary").click()
    choose(ended, "How the motion ends", "Withdrawn by its mover")
    ended.get_by_label("Reason").fill("The mover will bring a corrected amount.")
    ended.get_by_role("button", name="End motion 2 without a vote").click()
    settled(page)
    expect(page.get_by_text("Withdrawn by its mover").first).to_be_visible()
    accessible(page)
    leaves_and_returns(page)

    # The 5-2 roll call, then the same submit replayed: it records nothing twice.
    motion(page, KAUFMAN, BLAKE)
    form = page.locator("form[id^='rollcall-form-']")
    page.get_by_role("button", name="Record all yes").click()
    for member in (DREW, EMERY):
        page.get_by_role("group", name=f"Vote of {member}").get_by_label("No", exact=True).check()
    fields = form.evaluate("f => Object.fromEntries(new FormData(f))")
    action = form.evaluate("f => f.action")
    page.get_by_role("button", name="Record the roll call").click()
    settled(page)
    expect(page.get_by_text(re.compile(r"Passed 5-2.*adopted\.")).first).to_be_visible()
    replay = page.request.post(action, form=fields)
    assert replay.ok and "Already recorded" in replay.text()
    assert replay.text().count("Roll call on motion 3") == 1
    accessible(page)

    # Adjourn: item 6.b has no outcome, so the console asks first.
    page.get_by_role("button", name="Adjourn the meeting").click()
    settled(page)
    expect(page.get_by_text("1 item without an outcome").first).to_be_visible()
    page.get_by_label(re.compile("adjourn all the same", re.I)).check()
    page.get_by_role("button", name="Adjourn the meeting").click()
    settled(page)
    expect(page.get_by_text("Meeting adjourned.").first).to_be_visible()
    accessible(page)

    # Draft minutes.
    page.goto(workspace)
    page.get_by_role("link", name="Minutes", exact=True).click()
    page.get_by_label("Notes on the meeting").fill("The harbor master answered questions.")
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_text(re.compile(r"Saved revision 1 of the minutes\."))).to_be_visible()
    accessible(page)
    workshop_id = workspace.rstrip("/").rsplit("/", 1)[-1]

    # A later meeting made in the workspace approves them.
    new_meeting(page, live_server, "Special", "20:30")
    approve_item(page)
    accessible(page)
    page.get_by_role("button", name="Publish agenda").click()
    expect(page.locator(".flash-success", has_text="Agenda published")).to_be_visible()
    page.get_by_role("link", name="Open the live console").click()
    page.get_by_role("button", name="Call to order").click()
    settled(page)
    page.get_by_role("button", name="Mark everyone present and save").click()
    settled(page)
    console_item(page, "3.a")
    motion(page, KAUFMAN, BLAKE)
    roll_call(page)
    expect(page.get_by_text("Item 3.a: adopted.").first).to_be_visible()

    # The public downloads the approved minutes; every vote is in them.
    public = page.context.browser.new_page()  # type: ignore[union-attr]
    response = public.request.get(f"{live_server}/meetings/{workshop_id}/minutes.pdf")
    assert response.ok
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.body())
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                       check=True).stdout.split()
    )  # fmt: skip
    assert "DRAFT" not in text
    # Attendance as it happened: the late arrival, the member who left and came back.
    assert re.search(r"Emery Placeholder \(demo\): arrived \d", text), text[:600]
    assert re.search(r"Casey Placeholder \(demo\): left \d[^,]*, returned \d", text), text[:600]
    for vote in [
        "Approve the consent agenda: items 4.a, 4.b.",
        "Passed 7-0",
        "Died for lack of a second.",
        "Withdrawn by its mover before the vote. Reason: The mover will bring a corrected",
        "Passed 5-2",
    ]:
        assert vote in text, vote
    public.goto(f"{live_server}/meetings/{workshop_id}")
    accessible(public)
    public.close()


def amend_once(page: Page, live_server: str, meeting_id: str) -> None:
    """The edit after publication reaches the public once, as one amendment with its reason."""
    public = page.context.browser.new_page()  # type: ignore[union-attr]
    public.goto(f"{live_server}/meetings/{meeting_id}")
    expect(public.get_by_text("harbor dredging")).to_be_visible()
    expect(public.get_by_text("seawall")).to_have_count(0)
    amendment = page.locator("#amendment")
    expect(amendment).to_contain_text("Amendment pending: 1 change")
    amendment.get_by_label(re.compile("What changed and why")).fill(
        "Added 6.b, the seawall repairs, at the Harbor Board's request."
    )
    amendment.get_by_role("button", name="Publish the amended agenda").click()
    expect(page.locator(".flash-success").first).to_be_visible()
    public.reload()
    expect(public.get_by_text("seawall").first).to_be_visible()
    expect(public.get_by_text("at the Harbor Board's request").first).to_be_visible()
    accessible(public)
    public.close()


def now_here() -> str:
    """The time in Key West now, as a clerk types it (with seconds: the journey is quick)."""
    return datetime.now(ZoneInfo("America/New_York")).strftime("%H:%M:%S")


def save_attendance(page: Page, times: dict[str, str], present: int) -> None:
    attendance = page.locator("#attendance")
    if not attendance.get_by_role("button", name="Save attendance").is_visible():
        attendance.locator("summary").click()
    for label, value in times.items():
        attendance.get_by_label(label, exact=True).fill(value)
    attendance.get_by_role("button", name="Save attendance").click()
    settled(page)
    expect(page.get_by_text(f"Attendance saved: {present} of 7 present.")).to_be_visible()
    expect(page.locator("#present-count")).to_contain_text(f"{present} of 7")


def attendance_with_a_late_arrival(page: Page) -> None:
    """Everyone present; Emery arrived after the call to order."""
    page.get_by_role("button", name="Mark everyone present and save").click()
    settled(page)
    expect(page.get_by_text("Attendance saved: 7 of 7 present.")).to_be_visible()
    time.sleep(1.1)
    save_attendance(page, {f"Arrived at: {EMERY}": now_here()}, 7)
    expect(page.locator("#attendance")).to_contain_text("Recorded: arrived")


def leaves_and_returns(page: Page) -> None:
    """Casey steps out (the header counts 6), then comes back before the next vote."""
    save_attendance(page, {f"Left at: {CASEY}": now_here()}, 6)
    time.sleep(1.1)
    save_attendance(page, {f"Returned at (new stay): {CASEY}": now_here()}, 7)
    expect(page.locator("#attendance")).to_contain_text("returned")


def approve_item(page: Page) -> None:
    """Add an approval-of-minutes item that takes up the workshop's draft minutes."""
    form = page.locator("#add-item")
    choose(form, "Section", "3. Approval of minutes")
    form.get_by_label("Title", exact=True).fill("Minutes of the workshop")
    form.get_by_role("checkbox", name=re.compile("Workshop meeting")).check()
    form.get_by_role("button", name="Add item").click()
    expect(
        page.get_by_text("Takes up for approval the minutes of the workshop").first
    ).to_be_visible()
