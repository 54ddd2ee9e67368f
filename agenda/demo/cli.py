"""`flask demo load` adds the demo data once; `flask demo remove` takes it all away."""

from __future__ import annotations

import click

from agenda.db import utcnow
from agenda.demo.load import load_demo
from agenda.demo.remove import DemoRemovalRefused, remove_demo
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


@demo.command("remove")
def remove_command() -> None:
    """Delete every demo row and nothing else; refuses when real records refer to demo ones."""
    try:
        removal = remove_demo()
    except DemoRemovalRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    except Exception:
        db.session.rollback()
        raise
    if not removal.total:
        db.session.rollback()
        click.echo("There is no demo data to remove; nothing changed.")
        return
    db.session.commit()
    click.echo(f"Removed the demo: {removal.total} rows.")
    for table, count in sorted(removal.counts.items()):
        click.echo(f"  {table}: {count}")
    click.echo("Set up your city next: flask --app agenda setup")
