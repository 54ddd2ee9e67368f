"""`flask verify`, `backup` and `restore`: check the record; keep copies that pass the check."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa

from agenda.audit.backup import Verification, restore_backup, write_backup
from agenda.audit.models import AuditEvent
from agenda.audit.verify import area_checks, first_break
from agenda.errors import Refused
from agenda.extensions import db


@click.command("verify")
def verify() -> None:
    """Recompute the audit hash chain and each area's digests; fail on the first break."""
    checks = area_checks()
    broken = first_break(checks)
    if broken is not None:
        raise click.ClickException(f"The record does not verify. First break: {broken}.")
    events = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
    parts = [f"{events} audit events chained", *(f"{c.checked} {c.what}" for c in checks)]
    click.echo(f"The record verifies: {', '.join(parts)}.")


BACKUP_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("backup")
@click.argument("file", type=BACKUP_FILE)
def backup(file: Path) -> None:
    """Write a backup of the database to FILE (never replacing a file), then verify the backup."""
    try:
        verification = write_backup(file)
    except Refused as refusal:
        raise click.ClickException(str(refusal)) from None
    _report(f"Backup written to {file}", verification)


@click.command("restore")
@click.argument("file", type=BACKUP_FILE)
def restore(file: Path) -> None:
    """Restore the backup FILE into the empty database, then verify the restored record."""
    try:
        verification = restore_backup(file)
    except Refused as refusal:
        raise click.ClickException(str(refusal)) from None
    _report(f"Restored {file}", verification)


def _report(done: str, verification: Verification) -> None:
    if verification.broken is not None:
        raise click.ClickException(
            f"{done}, but the record does not verify. First break: {verification.broken}."
        )
    click.echo(f"{done}: the record verifies: {verification.checked}.")
