"""`flask --app agenda import legistar DIR [--dry-run]`: bring a city's history over from
Legistar, in one transaction, with a progress bar per kind and a report at the end."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from agenda.api.legistar.importer import import_legistar
from agenda.api.legistar.reader import read_directory
from agenda.errors import Refused
from agenda.extensions import db
from agenda.matters.rules import MatterType


@click.group("import")
def import_group() -> None:
    """Import a city's record from another system."""


def _bar(label: str, length: int) -> Any:
    return click.progressbar(length=length, label=f"{label:<11}", file=sys.stderr)


@import_group.command("legistar")
@click.argument(
    "folder", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DIR"
)
@click.option("--dry-run", is_flag=True, help="Report what would be imported; keep nothing.")
@click.option(
    "--default-type",
    type=click.Choice([t.value for t in MatterType]),
    help="File matters of a MatterTypeName we do not know as this type (else they are skipped).",
)
def legistar(folder: Path, dry_run: bool, default_type: str | None) -> None:
    """Import DIR's Legistar Web API answers (Bodies.json, Persons.json, ... see the README);
    running it again changes nothing."""
    try:
        data = read_directory(folder)
        run = import_legistar(
            data,
            default_type=MatterType(default_type) if default_type else None,
            progress=_bar,
        )
    except Refused as refused:
        db.session.rollback()
        raise click.ClickException(" ".join(refused.messages)) from None
    for line in run.report.lines():
        click.echo(line)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was kept.")
        return
    db.session.commit()
    if not any(count.created for count in run.report.counts.values()):
        click.echo("Nothing new: the record already holds everything imported.")
        return
    click.echo("Imported. Indexing for search, so it finds the imported meetings and matters:")
    _reindex()


def _reindex() -> None:
    """Run `flask search reindex`: the search area's command, as the app wired it (the import
    writes its rows in batches, which the index's listeners do not follow)."""
    context = click.get_current_context()
    root = context.find_root()
    search = root.command.get_command(root, "search")
    reindex = search.get_command(context, "reindex") if isinstance(search, click.Group) else None
    if reindex is None:
        click.echo("Run `flask --app agenda search reindex` so search finds them.")
        return
    context.invoke(reindex, if_empty=False)
