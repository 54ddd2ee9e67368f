"""The legislation a person sponsored, as the public may see it."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from agenda.auth.rules import PUBLIC
from agenda.extensions import db
from agenda.matters.models import Matter, MatterSponsor
from agenda.matters.queries import visible_matter_ids
from agenda.meetings.models import AgendaItem

# How many of a member's sponsored matters their page lists; the rest are one link away.
SPONSORED_SHOWN = 10


def sponsored_by(person_id: int, limit: int = SPONSORED_SHOWN) -> tuple[Sequence[sa.Row], int]:
    """Return the newest public matters a person sponsored, and how many there are in all.

    Each row: id, file number, title, type, status; newest filed first, at most `limit`. A
    matter is public once it is on a published agenda. One query (the total is a window count).
    """
    rows = db.session.execute(
        sa.select(
            Matter.id,
            Matter.file_number,
            Matter.title,
            Matter.matter_type,
            Matter.status,
            sa.func.count().over().label("total"),
        )
        .join(MatterSponsor, MatterSponsor.matter_id == Matter.id)
        .where(
            MatterSponsor.person_id == person_id,
            # Each sponsored matter looks for one public placement of its own (EXISTS), rather
            # than every matter on every public agenda being listed first.
            visible_matter_ids(PUBLIC).where(AgendaItem.matter_id == Matter.id).exists(),
        )
        .order_by(Matter.created_at.desc(), Matter.id.desc())
        .limit(limit)
    ).all()
    return rows, (rows[0].total if rows else 0)
