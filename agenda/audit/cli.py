"""`flask verify`: check the audit chain, then every area's check of the record."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa

from agenda.audit.head import SHA256_HEX, extends, head_in_pdf
from agenda.audit.models import AuditEvent
from agenda.audit.verify import area_checks, first_break
from agenda.extensions import db


@click.command("verify")
@click.option("--head", "head", metavar="HASH", help="Also prove the chain extends this head.")
@click.option(
    "--head-from",
    "head_from",
    metavar="FILE.pdf",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also prove the chain extends the head printed in this agenda or minutes PDF.",
)
def verify(head: str | None, head_from: Path | None) -> None:
    """Recompute the audit hash chain and each area's digests; fail on the first break."""
    check_head(head, head_from)
    checks = area_checks()
    broken = first_break(checks)
    if broken is not None:
        raise click.ClickException(f"The record does not verify. First break: {broken}.")
    events = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
    parts = [f"{events} audit events chained", *(f"{c.checked} {c.what}" for c in checks)]
    click.echo(f"The record verifies: {', '.join(parts)}.")


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
