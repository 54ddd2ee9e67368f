"""`flask demo load`: add the demo data once."""

from __future__ import annotations

import click

from agenda.db import utcnow
from agenda.demo.load import load_demo
from agenda.extensions import db


@click.group()
def demo() -> None:
    """Demo data for trying the app."""


@demo.command("load")
def load_command() -> None:
    """Load the Key West demo unless it is already loaded (safe to run again)."""
    summary = load_demo(utcnow())
    if not summary.loaded:
        click.echo("Demo data is already loaded; nothing changed.")
        return
    db.session.commit()
    click.echo(f"Loaded the demo: {summary.meetings} meetings. Demo logins:")
    for email, password in summary.logins.items():
        click.echo(f"  {email} / {password}")
