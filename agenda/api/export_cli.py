"""`flask export ocd DIR`: write the public record as Open Civic Data files."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import click
from flask import current_app

from agenda.api import export
from agenda.api.export_files import Bar, write_directory
from agenda.bodies.models import Body
from agenda.extensions import db

LABELS = {
    "jurisdiction": "Jurisdiction", "organization": "Bodies", "person": "People",
    "membership": "Terms", "event": "Meetings", "bill": "Legislation", "vote_event": "Votes",
}  # fmt: skip


@click.group("export")
def export_group() -> None:
    """Export the public record for other systems."""


def _bar(kind: str, total: int) -> AbstractContextManager[Bar]:
    return click.progressbar(length=total, label=f"{LABELS[kind]:<12}", show_pos=True)


@export_group.command("ocd")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--body", "body_id", type=int, help="Only this body's record (its id).")
@click.option(
    "--base-url",
    default="http://localhost/",
    envvar="AGENDA_PUBLIC_URL",
    show_default=True,
    help="The public site's address, which every link in the files starts with "
    "(or AGENDA_PUBLIC_URL).",
)
def ocd_command(folder: Path, body_id: int | None, base_url: str) -> None:
    """Write what the public may see as OCD JSON files (one per object) and manifest.json.

    Files of an earlier export into FOLDER that the record no longer has are removed; a
    second export of an unchanged record writes the same bytes.
    """
    if body_id is not None and db.session.get(Body, body_id) is None:
        raise click.BadParameter(f"No body has the id {body_id}.", param_hint="--body")
    with current_app.test_request_context(base_url=base_url):
        manifest = write_directory(folder, export.Scope(body_id), _bar)
    counts = manifest["counts"]
    click.echo(
        f"Wrote {sum(counts.values())} objects to {folder}: "
        + ", ".join(f"{counts[kind]} {kind}" for kind in export.KINDS)
        + f" ({manifest['contains']['agenda_item']} agenda items, "
        f"{manifest['contains']['ballot']} votes cast)."
    )
