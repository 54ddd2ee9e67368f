"""A real gunicorn serving the demo on its own database, and headless Chromium driving it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Outside CI, skip browser tests (saying why) when Chromium is not installed."""
    if IN_CI or Path(CHROMIUM).exists():
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skipif(True, reason=f"no Chromium at {CHROMIUM}"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(instance: Path, database_url: str) -> Iterator[str]:
    """Run gunicorn as `make run` does on `database_url`; yield its base URL, then stop it."""
    env = {
        **os.environ,
        "AGENDA_INSTANCE": str(instance),
        "SECRET_KEY": "live-server-test-key",
        "PASSWORD_HASH_PROFILE": "test",
        "DATABASE_URL": database_url,
    }
    bin_dir = Path(sys.executable).parent
    port = free_port()
    log = (instance / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(
                    "gunicorn did not start: " + (instance / "gunicorn.log").read_text()
                ) from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: Callable[[], str]
) -> Iterator[str]:
    """Serve a fresh copy of the demo with gunicorn, as `make run` does; yield its base URL."""
    with serving(tmp_path_factory.mktemp("live-instance"), demo_database()) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is required for browser tests and is not at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page: Page) -> list[str]:
    """Run axe-core with the WCAG 2.1 A and AA rules; return one line per violation."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {[n['target'] for n in v['nodes'][:3]]})"
        for v in results.response["violations"]
    ]


def settled(page: Page) -> None:
    """Wait until the console has redrawn after a background post (it is busy until then)."""
    expect(page.locator('.console[aria-busy="true"]')).to_have_count(0)


def choose(scope: Page | Locator, label: str, start: str) -> None:
    """Select the option of a select whose text starts with (or contains) `start`."""
    select = scope.get_by_label(label, exact=True)
    options = select.locator("option").all_inner_texts()
    found = [o for o in options if o.strip().startswith(start) or start in o]
    assert found, (label, start, options)
    select.select_option(label=found[0])


def seat_people(
    page: Page, base: str, body: str, members: list[tuple[int, str, str | None]], start: date
) -> None:
    """As the admin, add each named member and their term from `start`; None leaves a vacancy."""
    for seat, title, name in members:
        if name is None:
            continue
        page.goto(base + "/admin/people/")
        page.get_by_role("link", name="Add a person").click()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_role("button", name="Add person").click()
        expect(page.get_by_text(f"Added {name}.")).to_be_visible()
        term = page.locator("form", has=page.get_by_role("button", name="Add term"))
        term.get_by_label("Body and seat").select_option(
            label=f"{body}: {seat} \N{EN DASH} {title}"
        )
        term.get_by_label("From").fill(start.isoformat())
        term.get_by_role("button", name="Add term").click()
        expect(page.get_by_text(title).first).to_be_visible()
