"""`flask setup`: a fresh install becomes this city's, once, with its first admin."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.models import User
from agenda.auth.rules import Role
from agenda.bodies.models import Jurisdiction
from agenda.bodies.rules import PRESETS, RulesPreset
from agenda.extensions import db
from tests.conftest import count_rows, csrf_token, row_counts

PASSWORD = "correct horse battery staple"
FLAGS = ["setup", "--name", "Village of Example", "--timezone", "America/Chicago",
         "--admin-email", "Admin@Example.org"]  # fmt: skip


def twice(password: str = PASSWORD) -> str:
    return f"{password}\n{password}\n"


def test_setup_creates_the_jurisdiction_and_an_admin_who_can_sign_in(runner, client) -> None:
    result = runner.invoke(
        args=[*FLAGS, "--admin-name", "Pat Clerk", "--address", "1 Main St",
              "--website", "https://example.org", "--preset", "florida"],
        input=twice(),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Set up Village of Example (America/Chicago)" in result.output
    assert PASSWORD not in result.output
    jurisdiction = db.session.execute(sa.select(Jurisdiction)).scalar_one()
    assert (jurisdiction.name, jurisdiction.timezone, jurisdiction.address) == (
        "Village of Example", "America/Chicago", "1 Main St")  # fmt: skip
    assert jurisdiction.rules_preset == RulesPreset.FLORIDA and not jurisdiction.is_demo
    admin = db.session.execute(sa.select(User)).scalar_one()
    assert (admin.email, admin.role, admin.name) == ("admin@example.org", Role.ADMIN, "Pat Clerk")
    event = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "jurisdiction.setup")
    ).scalar_one()
    assert event.actor_label == "admin@example.org"
    assert event.details["name"] == "Village of Example"

    response = client.post(
        "/login",
        data={"email": "admin@example.org", "password": PASSWORD,
              "csrf_token": csrf_token(client, "/login")},
    )  # fmt: skip
    assert response.status_code == 302  # signed in (a wrong password re-renders the form)
    assert "/login" not in response.headers["Location"]


def test_a_second_setup_is_refused_and_changes_nothing(runner) -> None:
    assert runner.invoke(args=FLAGS, input=twice()).exit_code == 0
    before = row_counts(Jurisdiction, User, AuditEvent)
    again = runner.invoke(
        args=["setup", "--name", "Other Town", "--timezone", "UTC",
              "--admin-email", "other@example.org"],
        input=twice(),
    )  # fmt: skip
    assert again.exit_code == 1
    assert "Already set up as Village of Example; nothing changed." in again.output
    assert row_counts(Jurisdiction, User, AuditEvent) == before
    assert db.session.execute(sa.select(Jurisdiction.name)).scalar_one() == "Village of Example"


def test_setup_on_the_demo_says_to_remove_the_demo_first(runner) -> None:
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    before = row_counts(Jurisdiction, User)
    result = runner.invoke(args=FLAGS, input=twice())
    assert result.exit_code == 1
    assert "This database holds the demo; remove it first" in result.output
    assert row_counts(Jurisdiction, User) == before


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (FLAGS, f"{PASSWORD}\nanother password here\n", "The two passwords do not match"),
        (FLAGS, twice("short"), "Use at least"),
        (["setup", "--name", "Village", "--timezone", "Mars/Olympus_Mons",
          "--admin-email", "a@example.org"], twice(), "“Mars/Olympus_Mons” is not a time zone"),
        (["setup", "--name", "Village", "--timezone", "UTC", "--admin-email", "not-an-address"],
         twice(), "“not-an-address” is not an e-mail address"),
        (["setup", "--name", "V" * 201, "--timezone", "UTC", "--admin-email", "a@example.org"],
         twice(), "Use at most 200 characters for the name"),
        (["setup", "--name", "  ", "--timezone", "UTC", "--admin-email", "a@example.org"],
         twice(), "Enter the jurisdiction's name"),
        ([*FLAGS, "--website", "example.org"], twice(), "starting with https://"),
    ],
)  # fmt: skip
def test_bad_input_exits_1_with_the_message_and_no_rows(runner, args, stdin, message) -> None:
    result = runner.invoke(args=args, input=stdin)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert count_rows(Jurisdiction) == 0
    assert count_rows(User) == 0
    assert count_rows(AuditEvent) == 0


def test_missing_flags_are_prompted_for(runner) -> None:
    result = runner.invoke(
        args=["setup"],
        input=f"Village of Example\nEurope/Berlin\nadmin@example.org\n{twice()}",
    )
    assert result.exit_code == 0, result.output
    assert "Jurisdiction's name:" in result.output
    assert "Time zone" in result.output and "First admin's e-mail:" in result.output
    jurisdiction = db.session.execute(sa.select(Jurisdiction)).scalar_one()
    assert (jurisdiction.name, jurisdiction.timezone) == ("Village of Example", "Europe/Berlin")
    assert count_rows(User) == 1


@pytest.mark.parametrize("preset", list(RulesPreset))
def test_setup_takes_each_of_the_five_presets_and_says_it(runner, preset) -> None:
    result = runner.invoke(args=[*FLAGS, "--preset", preset.value], input=twice())
    assert result.exit_code == 0, result.output
    jurisdiction = db.session.execute(sa.select(Jurisdiction)).scalar_one()
    assert jurisdiction.rules_preset is preset
    rules = PRESETS[preset]
    assert f"New bodies start from the voting rules: {rules.label} ({rules.citation})." in (
        result.output
    )


def test_setup_help_lists_every_preset_with_its_label(runner) -> None:
    help_text = " ".join(runner.invoke(args=["setup", "--help"]).output.split())
    for preset in RulesPreset:
        assert f"{preset.value}: {' '.join(PRESETS[preset].label.split())}" in help_text
