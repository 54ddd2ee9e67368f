"""`flask setup`: make a fresh install this city's (the password never on the command line)."""

from __future__ import annotations

import sys

import click

from agenda.admin.setup import SetupRequest, already_set_up, set_up
from agenda.bodies.rules import PRESETS, RulesPreset
from agenda.errors import Refused
from agenda.extensions import db


def _read_password() -> str:
    # A password on the command line would end up in shell history and `ps`.
    if sys.stdin.isatty():
        return click.prompt("Admin's password", hide_input=True, confirmation_prompt=True)
    first = sys.stdin.readline().rstrip("\r\n")
    second = sys.stdin.readline().rstrip("\r\n")
    if first != second:
        raise click.ClickException("The two passwords do not match; nothing changed.")
    return first


@click.command("setup")
@click.option("--name", prompt="Jurisdiction's name", help="e.g. Village of Example.")
@click.option("--timezone", prompt="Time zone (e.g. America/New_York)", help="IANA time zone.")
@click.option("--admin-email", prompt="First admin's e-mail", help="The first admin's sign-in.")
@click.option("--admin-name", default="", help="The first admin's display name.")
@click.option("--address", default="", help="The jurisdiction's address.")
@click.option("--website", default="", help="The jurisdiction's web site (https://...).")
@click.option(
    "--preset",
    type=click.Choice([p.value for p in RulesPreset]),
    default=RulesPreset.GENERAL.value,
    show_default=True,
    help="The voting rules new bodies start from (each body may then change them): "
    + "; ".join(f"{p.value}: {PRESETS[p].label}" for p in RulesPreset)
    + ".",
)
def setup(
    name: str,
    timezone: str,
    admin_email: str,
    admin_name: str,
    address: str,
    website: str,
    preset: str,
) -> None:
    """Create the jurisdiction and its first admin; refuses when already set up."""
    if refusal := already_set_up():
        raise click.ClickException(refusal)
    request = SetupRequest(
        name=name,
        timezone=timezone,
        admin_email=admin_email,
        admin_password=_read_password(),
        admin_name=admin_name,
        address=address,
        website=website,
        preset=RulesPreset(preset),
    )
    try:
        jurisdiction, admin = set_up(request)
    except Refused as error:
        db.session.rollback()
        raise click.ClickException(f"{error} Nothing changed.") from error
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    click.echo(f"Set up {jurisdiction.name} ({jurisdiction.timezone}).")
    rules = PRESETS[jurisdiction.rules_preset]
    click.echo(f"New bodies start from the voting rules: {rules.label} ({rules.citation}).")
    click.echo(f"Sign in at /login as {admin.email}, then open /admin to add bodies and people.")
