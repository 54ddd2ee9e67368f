"""`flask search reindex`: read the words of stored documents and rebuild the search index."""

from __future__ import annotations

import click

from agenda.extensions import db
from agenda.search.index import rebuild


@click.group("search")
def search() -> None:
    """Full-text search of the public record."""


@search.command("reindex")
def reindex() -> None:
    """Read the text of documents not read yet, then rebuild every search entry."""
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
