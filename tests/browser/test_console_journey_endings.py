"""At the console, a motion is withdrawn, another dies for lack of a second, a third is carried
without objection; every page stays accessible, and the public page says how each ended."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import settled
from tests.browser.test_console_journey import accessible, open_console, press, sign_in

pytestmark = pytest.mark.browser


def motion(page: Page, text: str, *, seconded: bool = True) -> None:
    """Move a main motion: Kaufman moves and, if `seconded`, Blake seconds."""
    page.get_by_label("Text of the motion").fill(text)
    mover = page.get_by_label("Moved by")
    mover.select_option(label=next(o for o in mover.locator("option").all_inner_texts()
                                   if "Sam Kaufman" in o))  # fmt: skip
    seconder = page.get_by_label("Seconded by")
    options = seconder.locator("option").all_inner_texts()
    seconder.select_option(
        label=next(o for o in options if "Blake" in o) if seconded else options[0]
    )


def test_motions_end_without_a_roll_call_at_the_console(page: Page, live_server: str) -> None:
    sign_in(page, live_server)
    open_console(page, live_server)
    if page.get_by_role("button", name="Call to order").count():
        early = page.get_by_label("Reason for calling to order before the meeting's date")
        if early.count():
            early.fill("Rehearsing the meeting ahead of its date.")
        press(page, "Call to order")
    if not page.get_by_role("button", name="Mark everyone present and save").is_visible():
        press(page, "Change attendance")
    press(page, "Mark everyone present and save")
    # The last item, so the other journeys' item keeps no pending motion of ours.
    picker = page.get_by_label("Current item")
    picker.select_option(index=picker.locator("option").count() - 1)
    page.get_by_role("button", name="Show item").click()
    settled(page)

    motion(page, "Move to fly the flag at half-staff.", seconded=False)
    page.get_by_role("button", name="Died for lack of a second").click()
    settled(page)
    expect(page.get_by_text("died for lack of a second.").first).to_be_visible()
    accessible(page)

    motion(page, "Move to rename the pier.")
    page.get_by_role("button", name="Record the motion").click()
    settled(page)
    details = page.locator("details", has_text="Withdraw or void motion").last
    details.locator("summary").click()
    settled(page)
    accessible(page)
    details.get_by_label("Reason").fill("The mover will bring it back with a map.")
    details.get_by_role("button", name="without a vote").click()
    settled(page)
    expect(page.get_by_text("withdrawn by its mover.").first).to_be_visible()
    expect(page.get_by_text("Reason: The mover will bring it back with a map.")).to_be_visible()
    accessible(page)

    motion(page, "Move to receive the harbor report.")
    page.get_by_role("button", name="Record the motion").click()
    settled(page)
    accessible(page)
    page.get_by_role("button", name="Carried without objection").last.click()
    settled(page)
    expect(page.get_by_text("Carried without objection (members present:").first).to_be_visible()
    accessible(page)
