"""The admin invites a clerk limited to one body; the clerk sets a password through the
one-time link and signs in. Every screen on the way has no axe violations."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {email}")).to_be_visible()


def invite(page: Page, email: str, name: str, role: str, body: str) -> str:
    """On the admin's invitation form, invite `email` limited to `body`; return the link."""
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Role").select_option(role)
    page.get_by_label(body).check()
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text(f"Invited {email}.")).to_be_visible()
    return page.get_by_label("The link").input_value()


def set_password(page: Page, link: str, password: str) -> None:
    """Follow a one-time link and set the password."""
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    page.get_by_label("New password").fill(password)
    page.get_by_label("The same password again").fill(password)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your password is set.")).to_be_visible()


def test_the_admin_invites_a_clerk_who_sets_a_password(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "admin@demo.agenda.test", "demo-admin-password")
    page.goto(live_server + "/admin/users/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Invite a user").click()
    page.get_by_role("button", name="Invite").click()  # nothing filled in
    expect(page.get_by_text("Enter the e-mail address to invite.").first).to_be_visible()
    assert axe_violations(page) == []

    email = f"deputy-{uuid.uuid4().hex[:6]}@city.test"
    link = invite(page, email, "Dana Deputy", "clerk", "Key West City Commission")
    assert axe_violations(page) == []
    assert "/invite/" in link

    page.get_by_role("link", name="the user's page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(email)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    page.get_by_label("New password").fill("short")
    page.get_by_label("The same password again").fill("short")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Use at least 12 characters.").first).to_be_visible()
    assert axe_violations(page) == []
    set_password(page, link, "a deputy's long password")
    sign_in(page, live_server, email, "a deputy's long password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clerk's workspace")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert axe_violations(page) == []
