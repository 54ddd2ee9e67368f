"""`flask demo load` adds the demo data once; `flask demo remove` takes it all away."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

import click

from agenda.db import utcnow
from agenda.demo.generate import GenerateRefused, generate_city
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


@demo.command("generate")
@click.option("--years", type=click.IntRange(1, 50), default=20, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same city.")
def generate_command(years: int, seed: int) -> None:
    """Generate YEARS of a synthetic city (demo data), ending last year.

    About 50 meetings, 2,000 items, 250 matters and 14,000 ballots a year, marked demo
    (`flask demo remove` takes them away). Refused on a database with real records, and
    refused when generated data is already there.
    """
    started = time.perf_counter()
    try:
        summary = generate_city(years, seed, today=utcnow().date(), progress=_progress)
    except GenerateRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    seconds = time.perf_counter() - started
    click.echo(
        f"Generated {summary.first_year}-{summary.last_year} in {seconds:.0f} s "
        f"({summary.events} audit events):"
    )
    for table in ("meetings", "agenda_items", "matters", "votes", "ballots", "attachments",
                  "people", "memberships"):  # fmt: skip
        click.echo(f"  {table}: {summary.counts[table]:,}")


def _progress(items: Iterable[Any], length: int, label: str) -> Iterator[Any]:
    with click.progressbar(items, length=length, label=label) as bar:
        yield from bar
