"""`flask verify`: check the audit chain, replay its facts against the tables, then every
area's check of the record."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from typing import Any

import click
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.audit.operations import seal
from agenda.audit.verify import (
    area_checks,
    fact_check,
    fact_sources,
    replay_chain,
    uncovered,
)
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
def verify(sealing: bool) -> None:
    """Recompute the audit hash chain, replay every fact it records against the tables, and
    check each area's digests; fail on the first difference."""
    total = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
    bar: Any = (
        click.progressbar(length=total, label="Replaying the audit chain", file=sys.stderr)
        if total >= PROGRESS_FROM
        else nullcontext()
    )
    with bar:
        replayed = replay_chain(lambda events: _ticking(events, bar))
    sources = fact_sources()
    checks = [*area_checks(), *(fact_check(source, replayed) for source in sources)]
    broken = replayed.broken or next((b for c in checks for b in c.breaks), None)
    if broken is not None:
        raise click.ClickException(f"The record does not verify. First break: {broken}.")
    missing = uncovered(sources, replayed)
    parts = [f"{replayed.count} audit events chained", *(f"{c.checked} {c.what}" for c in checks)]
    click.echo(f"The record verifies: {', '.join(parts)}.")
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
