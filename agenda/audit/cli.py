"""`flask verify`: check the audit chain and every approved minutes' digest."""

from __future__ import annotations

import click
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.audit.verify import first_break
from agenda.extensions import db
from agenda.minutes.models import MinutesRevision


@click.command("verify")
def verify() -> None:
    """Recompute the audit hash chain and approved minutes' digests; fail on the first break."""
    broken = first_break()
    if broken is not None:
        raise click.ClickException(f"The record does not verify. First break: {broken}.")
    events = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
    approved = db.session.execute(
        sa.select(sa.func.count(MinutesRevision.id)).where(
            MinutesRevision.record_sha256.is_not(None)
        )
    ).scalar_one()
    click.echo(f"The record verifies: {events} audit events chained, {approved} approved minutes.")
