"""Reads of a body's voting record for its public page: how its members voted, side by side.

Only roll calls of meetings the public may see count. One query whatever the number of
ballots: the database sums each roll call's ballots into two bit masks (who voted yes, who
voted no) and groups roll calls by them, so twenty years arrive as a few hundred rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from agenda.auth.rules import PUBLIC
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import visible_to
from agenda.votes.agreement import MOST_MEMBERS, Period
from agenda.votes.models import Ballot, Motion, Vote
from agenda.votes.rules import BallotValue


def start_of(day: date, tz: str) -> datetime:
    """Return the UTC instant at which `day` begins in `tz`."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def side_patterns(
    body_id: int, period: Period, tz: str, person_ids: Sequence[int]
) -> list[tuple[int, int, int]]:
    """Return (yes mask, no mask, roll calls) of the body's public roll calls in `period`.

    Bit k of a mask stands for `person_ids[k]` (at most MOST_MEMBERS of them); roll calls on
    which none of them voted yes or no are left out. Days are counted in `tz`.
    """
    if not person_ids:
        return []
    if len(person_ids) > MOST_MEMBERS:
        raise ValueError(f"at most {MOST_MEMBERS} members can be compared at once")
    bit = sa.case({p: 1 << k for k, p in enumerate(person_ids)}, value=Ballot.person_id, else_=0)
    per_roll_call = (
        sa.select(
            sa.func.sum(sa.case((Ballot.value == BallotValue.YES, bit), else_=0)).label("yes"),
            sa.func.sum(sa.case((Ballot.value == BallotValue.NO, bit), else_=0)).label("no"),
        )
        .select_from(Vote)
        .join(Motion, Motion.id == Vote.motion_id)
        .join(AgendaItem, AgendaItem.id == Motion.agenda_item_id)
        .join(AgendaSection, AgendaSection.id == AgendaItem.section_id)
        .join(Meeting, Meeting.id == AgendaSection.meeting_id)
        .join(Ballot, Ballot.vote_id == Vote.id)
        .where(
            Meeting.body_id == body_id,
            visible_to(PUBLIC),
            Meeting.scheduled_at < start_of(period.last + timedelta(days=1), tz),
            Ballot.person_id.in_(person_ids),
            Ballot.value.in_([BallotValue.YES, BallotValue.NO]),
        )
        .group_by(Vote.id)
    )
    if period.first is not None:
        per_roll_call = per_roll_call.where(Meeting.scheduled_at >= start_of(period.first, tz))
    masks = per_roll_call.subquery()
    query = sa.select(masks.c.yes, masks.c.no, sa.func.count()).group_by(masks.c.yes, masks.c.no)
    return [(int(y), int(n), int(count)) for y, n, count in db.session.execute(query).all()]
