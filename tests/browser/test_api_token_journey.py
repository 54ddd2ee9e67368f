"""The admin invites a clerk limited to one body; the clerk sets a password, makes an API token
in the screens, copies its secret from the one page that shows it, reads the record with it
over HTTP, then revokes it, and the server refuses it. Every screen on the way has no axe
violations."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations
from tests.browser.test_users_journey import invite, set_password, sign_in

pytestmark = pytest.mark.browser


def api_get(url: str, secret: str) -> tuple[int, dict]:
    """GET `url` as a program would, with the token; return the status and the JSON body."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def test_a_clerk_makes_uses_and_revokes_an_api_token(page: Page, live_server: str) -> None:
    # The clerk is one the admin invites through the screens, limited to the commission.
    sign_in(page, live_server, "admin@demo.agenda.test", "demo-admin-password")
    page.goto(live_server + "/admin/users/new")
    email = f"tokens-{uuid.uuid4().hex[:6]}@city.test"
    link = invite(page, email, "Terry Tokens", "clerk", "Key West City Commission")
    page.get_by_role("button", name="Sign out").click()
    set_password(page, link, "a clerk's long password")
    sign_in(page, live_server, email, "a clerk's long password")

    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Make a token").click()
    page.get_by_role("button", name="Make the token").click()  # no name
    expect(page.get_by_text("Name the token after what will use it.").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Name").fill("Vote display in the chamber")
    page.get_by_label("Read and write").check()
    # Only the bodies the clerk works on are offered.
    expect(page.get_by_label("Planning Board")).to_have_count(0)
    page.get_by_label("Key West City Commission").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_text("Made the token “Vote display in the chamber”.")).to_be_visible()
    expect(page.get_by_text("this page shows it only once")).to_be_visible()
    assert axe_violations(page) == []
    secret = page.get_by_label("The token", exact=True).input_value()
    assert secret.startswith("agt_")

    status, bodies = api_get(f"{live_server}/api/v1/bodies", secret)
    assert status == 200
    assert "Key West City Commission" in [b["name"] for b in bodies["results"]]

    page.reload()  # the secret is never shown again
    expect(page.get_by_text("The token was already shown.")).to_be_visible()
    assert secret not in page.content()

    page.get_by_role("link", name="Back to the API tokens").click()
    row = page.get_by_role("row", name="Vote display in the chamber")
    expect(row).to_contain_text("Read and write")
    expect(row).to_contain_text("Active")
    assert axe_violations(page) == []
    row.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Revoke the token “Vote display in the chamber”"
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_text("it no longer works")).to_be_visible()
    expect(page.get_by_role("row", name="Vote display in the chamber")).to_contain_text("Revoked")

    status, refused = api_get(f"{live_server}/api/v1/bodies", secret)
    assert status == 401
    assert refused["error"]["code"] == 401
