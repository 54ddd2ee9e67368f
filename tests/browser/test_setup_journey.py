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
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, axe_violations, seat_people, serving
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
    expect(page.get_by_text(email).first).to_be_visible()


def test_a_village_sets_itself_up_and_publishes_its_first_agenda(empty_install, page: Page):
    base, flask_command = empty_install
    setup = flask_command(
        "setup", "--name", "Village of Example", "--timezone", "America/Chicago",
        "--admin-email", ADMIN[0], "--preset", "general",
        stdin=f"{ADMIN[1]}\n{ADMIN[1]}\n",
    )  # fmt: skip
    assert setup.returncode == 0, setup.stdout + setup.stderr
    again = flask_command(
        "setup", "--name", "Village of Example", "--timezone", "America/Chicago",
        "--admin-email", "other@example-village.test", stdin=f"{ADMIN[1]}\n{ADMIN[1]}\n",
    )  # fmt: skip
    assert again.returncode == 1 and "Already set up" in again.stdout + again.stderr

    sign_in(page, base, *ADMIN)
    page.goto(base + "/admin/")
    checked(page)
    page.get_by_role("link", name="Bodies").click()
    checked(page)
    page.get_by_role("link", name="Add a body").click()
    checked(page)
    page.get_by_label("Name", exact=True).fill("Village of Example, Board of Trustees")
    page.get_by_label("Kind").select_option("board")
    page.get_by_label("Seats, one title per line").fill(
        "\n".join(title for _, title, _ in TRUSTEES)
    )
    page.get_by_label("Quorum", exact=True).select_option("majority_of_seats")
    page.get_by_label("Abstentions").select_option("allowed")
    page.get_by_label("Usual meeting place").fill("Village Hall, 1 Main Street")
    page.get_by_label("Usual start time").fill("19:00")
    page.get_by_role("button", name="Create the body").click()
    expect(page.get_by_text("is created.")).to_be_visible()
    expect(page.get_by_text("With 5 seats, quorum is 3.")).to_be_visible()
    checked(page)

    seat_people(page, base, "Village of Example, Board of Trustees", TRUSTEES,
                date.today() - timedelta(days=30))  # fmt: skip
    checked(page)
    page.goto(base + "/admin/people/")
    checked(page)

    page.goto(base + "/admin/users/")
    checked(page)
    page.get_by_role("link", name="Invite a user").click()
    checked(page)
    page.get_by_label("E-mail address").fill(CLERK[0])
    page.get_by_label("Name").fill("Village Clerk")
    page.get_by_label("Role").select_option("clerk")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text(f"Invited {CLERK[0]}.")).to_be_visible()
    checked(page)
    link = page.get_by_label("The link").input_value()
    page.goto(base + "/admin/jurisdiction")
    checked(page)
    page.get_by_role("button", name="Sign out").click()

    page.goto(link)
    page.get_by_label("New password").fill(CLERK[1])
    page.get_by_label("The same password again").fill(CLERK[1])
    page.get_by_role("button", name="Set password").click()
    sign_in(page, base, *CLERK)

    page.goto(base + "/clerk/meetings/new")
    page.get_by_label("Type of meeting").select_option(label="Regular")
    page.get_by_label("Date").fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Regular meeting")
    form = page.locator("#add-item")
    sections = form.get_by_label("Section").locator("option").all_inner_texts()
    form.get_by_label("Section").select_option(label=next(s for s in sections if "Discussion" in s))
    form.get_by_label("Title", exact=True).fill("Sidewalk repairs on Elm Street")
    form.get_by_role("button", name="Add item").click()
    page.get_by_role("button", name="Publish agenda").click()
    expect(page.get_by_text(re.compile("published", re.I)).first).to_be_visible()

    page.goto(base + "/bodies")
    page.get_by_role("link", name="Village of Example, Board of Trustees").click()
    body = page.locator("main")
    for _, _title, name in TRUSTEES:
        if name is not None:
            # On the roster each holder's name links to their page.
            expect(body.get_by_role("link", name=name, exact=True).first).to_be_visible()
    expect(body.get_by_text(re.compile("Vacant")).first).to_be_visible()
    expect(
        body.get_by_text("Sidewalk repairs on Elm Street")
        .or_(body.get_by_role("link", name=re.compile("Regular")))
        .first
    ).to_be_visible()
    assert axe_violations(page) == [], page.url
