"""A developer reads the API's page: a table of contents leading to each operation and schema,
nothing loaded from elsewhere, no script, and no accessibility violation (axe)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_a_developer_finds_an_operation_and_its_answer_from_the_contents(
    page: Page, live_server: str
) -> None:
    asked: list[str] = []

    def note(request: Request) -> None:
        asked.append(request.url)

    page.on("request", note)
    page.goto(live_server + "/api/v1/docs")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r" API$"))
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link", name="About", exact=True)).to_be_visible()
    assert axe_violations(page) == []

    contents.get_by_role("link", name=re.compile("Where everything is")).click()
    assert page.url.endswith("#op-root")
    operation = page.locator("section.api-operation", has=page.locator("#op-root"))
    expect(operation.get_by_role("heading", level=3)).to_have_text("GET /")
    expect(operation).to_contain_text("curl")
    expect(
        operation.get_by_role("table", name=re.compile("Fields of the 200 answer"))
    ).to_contain_text("openapi")

    operation.get_by_role("link", name="Root").first.click()
    assert page.url.endswith("#schema-Root")
    expect(page.get_by_role("heading", name="Root", level=3)).to_be_visible()

    assert page.locator("script").count() == 0
    assert all(url.startswith(live_server) for url in asked), asked
    page.get_by_role("link", name="openapi.json", exact=True).click()
    assert page.url == live_server + "/api/v1/openapi.json"
