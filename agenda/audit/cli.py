"""`flask verify`: check the audit chain, replay its facts against the tables, then every
area's check of the record; with --head, prove the chain extends a published head."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa

from agenda.audit.backup import restore_backup, write_backup
from agenda.audit.head import SHA256_HEX, extends, head_in_pdf
from agenda.audit.models import AuditEvent
from agenda.audit.operations import seal
from agenda.audit.verify import Verification, verify_record
from agenda.db import writing
from agenda.errors import Refused
from agenda.extensions import db

# Chains at least this long show a progress bar (on standard error) while they replay.
PROGRESS_FROM = 5000


@click.command("verify")
@click.option(
    "--seal",
    "sealing",
    is_flag=True,
    help="Record in the chain the rows it does not cover yet, so later edits are caught.",
)
@click.option("--head", "head", metavar="HASH", help="Also prove the chain extends this head.")
@click.option(
    "--head-from",
    "head_from",
    metavar="FILE.pdf",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also prove the chain extends the head printed in this agenda or minutes PDF.",
)
def verify(sealing: bool, head: str | None, head_from: Path | None) -> None:
    """Recompute the audit hash chain, replay every fact it records against the tables, and
    check each area's digests; fail on the first difference."""
    # Reading only: on SQLite a live site's clerks keep writing while the chain is replayed.
    with writing(False):
        check_head(head, head_from)
        total = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
        bar: Any = (
            click.progressbar(length=total, label="Replaying the audit chain", file=sys.stderr)
            if total >= PROGRESS_FROM
            else nullcontext()
        )
        with bar:
            verification = verify_record(lambda events: _ticking(events, bar))
        db.session.rollback()  # the reading transaction ends here
    if verification.broken is not None:
        raise click.ClickException(
            f"The record does not verify. First break: {verification.broken}."
        )
    click.echo(f"The record verifies: {verification.checked}.")
    missing = verification.uncovered
    if missing and sealing:
        event = seal(missing)
        db.session.commit()
        click.echo(
            f"Sealed {len(missing)} facts the chain did not cover, in audit event {event.id}."
        )
    elif missing:
        click.echo(
            f"{len(missing)} facts were made before the chain recorded them (first: "
            f"{sorted(missing)[0]}); `flask --app agenda verify --seal` records them so that "
            "later edits are caught."
        )


def _ticking(events: Iterable[AuditEvent], bar: Any) -> Iterator[AuditEvent]:
    for n, event in enumerate(events, start=1):
        if n % 1000 == 0 and hasattr(bar, "update"):
            bar.update(1000)
        yield event


def check_head(head: str | None, head_from: Path | None) -> None:
    """Prove the present chain extends a head given or read from a PDF; raise when it does not."""
    if head is not None and head_from is not None:
        raise click.ClickException("Give either --head or --head-from, not both.")
    if head_from is not None:
        head = head_in_pdf(head_from.read_bytes())
        if head is None:
            raise click.ClickException(
                f"{head_from} carries no record head in its metadata "
                "(only agenda and minutes PDFs published by Agenda do)."
            )
    if head is None:
        return
    head = head.strip().lower()
    if not SHA256_HEX.fullmatch(head):
        raise click.ClickException(
            "A head is an event's full SHA-256: 64 hexadecimal digits, as /record.json gives it."
        )
    extension = extends(head)
    if extension.problem is not None:
        raise click.ClickException(extension.problem)
    click.echo(f"The chain extends head {head} (event {extension.position} of {extension.total}).")


BACKUP_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("backup")
@click.argument("file", type=BACKUP_FILE)
def backup(file: Path) -> None:
    """Write a backup of the database to FILE (never replacing a file), then verify the backup."""
    _report(f"Backup written to {file}", lambda: write_backup(file))


@click.command("restore")
@click.argument("file", type=BACKUP_FILE)
def restore(file: Path) -> None:
    """Restore the backup FILE into the empty database, then verify the restored record."""
    _report(f"Restored {file}", lambda: restore_backup(file))


def _report(done: str, run: Callable[[], Verification]) -> None:
    """Run a backup or restore; say it verifies, or fail with the refusal or the first break."""
    try:
        verification = run()
    except Refused as refusal:
        raise click.ClickException(str(refusal)) from None
    if verification.broken is not None:
        raise click.ClickException(
            f"{done}, but the record does not verify. First break: {verification.broken}."
        )
    click.echo(f"{done}: the record verifies: {verification.checked}.")
