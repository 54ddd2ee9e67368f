"""At the console, with the keyboard alone, the clerk marks Commissioner Kaufman present remotely
and another commissioner absent with the body's leave; a box ticked where it makes no sense is
refused beside the member; the public page then says "(remote)" and "(excused)"."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import serving
from tests.browser.test_console_journey import accessible, open_console, press, sign_in, tab_to

pytestmark = pytest.mark.browser

REMOTE = "Commissioner Sam Kaufman"
AWAY = "Commissioner Casey Placeholder (demo)"
PRESENT = "Commissioner Blake Placeholder (demo)"


@pytest.fixture(scope="module")
def own_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: Callable[[], str]
) -> Iterator[str]:
    """A server on its own copy of the demo: the other journeys expect everyone present."""
    with serving(tmp_path_factory.mktemp("attendance-kinds"), demo_database()) as base:
        yield base


def open_attendance(page: Page) -> None:
    """Open the attendance form if it is folded away."""
    if not page.get_by_role("button", name="Save attendance").is_visible():
        press(page, "Change attendance")
    expect(page.get_by_role("button", name="Save attendance")).to_be_visible()


def tick(page: Page, member: str, box: str) -> None:
    """Tab to a member's box and press Space, as a keyboard user does."""
    tab_to(page, f"Attendance of {member} | {box}")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is True


def test_the_clerk_marks_a_member_remote_and_another_absent_excused(
    page: Page, own_server: str
) -> None:
    sign_in(page, own_server)
    open_console(page, own_server)
    early = page.get_by_label("Reason for calling to order before the meeting's date")
    if early.count():  # the demo's meeting is days ahead: the console asks why
        early.fill("Rehearsing the meeting ahead of its date.")
    press(page, "Call to order")
    expect(page.get_by_text("Meeting called to order.")).to_be_visible()
    open_attendance(page)
    press(page, "Mark everyone present and save")
    expect(page.get_by_text("Attendance saved: 7 of 7 present.")).to_be_visible()

    # A present member's absence cannot be excused: refused beside them, nothing saved.
    open_attendance(page)
    accessible(page)
    tick(page, PRESENT, "Absence excused")
    press(page, "Save attendance")
    expect(page.get_by_role("heading", name="Nothing was saved")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("only an absence is excused"))).to_be_visible()
    expect(page.locator(".console-member.has-error legend")).to_have_text(
        f"Attendance of {PRESENT}"
    )
    accessible(page)
    tab_to(page, f"Attendance of {PRESENT} | Absence excused")
    page.keyboard.press("Space")  # untick

    tick(page, REMOTE, "Remote")
    tab_to(page, f"Attendance of {AWAY} | Present")
    page.keyboard.press("ArrowRight")  # to "Absent"
    assert page.evaluate("document.activeElement.value") == "absent"
    tick(page, AWAY, "Absence excused")
    press(page, "Save attendance")
    expect(page.get_by_text("Attendance saved: 6 of 7 present.")).to_be_visible()
    expect(page.locator("#present-count")).to_contain_text(
        f"6 of 7 (quorum: 4); not present: {AWAY}"
    )

    open_attendance(page)
    form = page.locator(".console-attendance-form")
    expect(form.get_by_role("group", name=f"Attendance of {REMOTE}")).to_contain_text(
        "Recorded: present (remote)."
    )
    expect(form.get_by_role("group", name=f"Attendance of {AWAY}")).to_contain_text(
        "Recorded: absent (excused)."
    )
    expect(page.get_by_label(f"Remote: {REMOTE}")).to_be_checked()
    expect(page.get_by_label(f"Absence excused: {AWAY}")).to_be_checked()
    accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="Meeting workspace").click()
    page.get_by_role("link", name="Public page").click()
    attendance = page.locator("section.attendance")
    expect(attendance).to_contain_text(f"{REMOTE} (remote)")
    expect(attendance).to_contain_text(f"Absent (1): {AWAY} (excused)")
    accessible(page)
