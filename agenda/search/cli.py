"""`flask search reindex`: read the words of stored documents and rebuild the search index."""

from __future__ import annotations

import click
import sqlalchemy as sa

from agenda.extensions import db
from agenda.search.index import rebuild
from agenda.search.models import SearchEntry


@click.group("search")
def search() -> None:
    """Full-text search of the public record."""


@search.command("reindex")
@click.option(
    "--if-empty",
    "if_empty",
    is_flag=True,
    help="Only when the index holds nothing yet (after upgrading to the release that adds it).",
)
def reindex(if_empty: bool) -> None:
    """Read the text of documents not read yet, then rebuild every search entry."""
    if if_empty:
        held = db.session.execute(sa.select(sa.func.count(SearchEntry.id))).scalar_one()
        if held:
            click.echo(f"The index already holds {held} entries; nothing to do.")
            return
    bars: dict[str, click.progressbar] = {}  # type: ignore[type-arg]

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = click.progressbar(length=total, label=f"Indexing {stage}", file=None)
            bars[stage].__enter__()
        bars[stage].update(1)
        if done == total:
            bars.pop(stage).__exit__(None, None, None)

    read, count = rebuild(db.session, progress)
    db.session.commit()
    click.echo(f"Read the text of {read} document(s); the index holds {count} entries.")
