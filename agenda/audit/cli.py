"""`flask verify`: check the audit chain, then every area's check of the record."""

from __future__ import annotations

import click
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.audit.verify import area_checks, first_break
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
