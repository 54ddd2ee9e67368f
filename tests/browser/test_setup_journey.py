"""A city that is not the demo sets itself up from the screens, and publishes its first agenda.

It starts as a newcomer would: an empty, migrated database (what `DEMO=0 make run` serves)
and `flask --app agenda setup` with the password typed twice on standard input. The admin
signs in, creates the Village of Example's Board of Trustees with five seats (one left
vacant), its people and terms, and invites a clerk; the clerk sets a password through the
one-time link and builds and publishes the board's first agenda; the public sees the board
with its roster. axe reports no violation on any admin page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, axe_violations, serving
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.browser

ADMIN = ("admin@example-village.test", "trustees admin passphrase")
CLERK = ("clerk@example-village.test", "village clerk passphrase")
TRUSTEES = [
    (1, "Village President", "Pat Rivera"),
    (2, "Trustee", "Lee Okafor"),
    (3, "Trustee", "Sam Lindqvist"),
    (4, "Trustee", "Robin Tanaka"),
    (5, "Trustee", None),  # vacant
]


def flask(instance: Path, url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "AGENDA_INSTANCE": str(instance),
        "SECRET_KEY": "live-server-test-key",
        "PASSWORD_HASH_PROFILE": "test",
        "DATABASE_URL": url,
    }
    flask_bin = Path(sys.executable).parent / "flask"
    return subprocess.run(
        [str(flask_bin), "--app", "agenda", *args],
        cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture
def empty_install(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[str, Callable[..., subprocess.CompletedProcess]]]:
    """An empty database migrated as `DEMO=0 make run` does, served by gunicorn."""
    if TEST_DATABASE_URL.startswith("postgresql"):
        url = request.getfixturevalue("pg_database")()
    else:
        url = f"sqlite:///{tmp_path / 'village.sqlite'}"
    instance = tmp_path / "instance"
    instance.mkdir()
    migrated = flask(instance, url, "db", "upgrade")
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    with serving(instance, url) as base:
        yield base, lambda *args, stdin="": flask(instance, url, *args, stdin=stdin)


def checked(page: Page) -> None:
    """Every admin page the journey opens has no axe violation."""
    assert axe_violations(page) == [], page.url


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(email)).to_be_visible()
