"""Reads of a body's voting record for its public page: roll calls in a period, pair agreement.

Only roll calls of meetings the public may see count. Each function is one query whatever the
number of ballots: agreement is counted by the database, grouped by pair.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from agenda.auth.rules import PUBLIC
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import visible_to
from agenda.votes.agreement import SIDES, PairCount, Period
from agenda.votes.models import Ballot, Motion, Vote


def start_of(day: date, tz: str) -> datetime:
    """Return the UTC instant at which `day` begins in `tz`."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _public_votes_of(body_id: int) -> sa.Select[tuple[int]]:
    return (
        sa.select(Vote.id)
        .join(Motion, Motion.id == Vote.motion_id)
        .join(AgendaItem, AgendaItem.id == Motion.agenda_item_id)
        .join(AgendaSection, AgendaSection.id == AgendaItem.section_id)
        .join(Meeting, Meeting.id == AgendaSection.meeting_id)
        .where(Meeting.body_id == body_id, visible_to(PUBLIC))
    )


def roll_call_counts(body_id: int, first: date, last: date, tz: str) -> tuple[int, int]:
    """Return (roll calls from `first` to `last`, all roll calls up to `last`), days in `tz`."""
    since, until = start_of(first, tz), start_of(last + timedelta(days=1), tz)
    in_period = sa.case((Meeting.scheduled_at >= since, 1), else_=0)
    query = (
        _public_votes_of(body_id)
        .with_only_columns(sa.func.count(), sa.func.coalesce(sa.func.sum(in_period), 0))
        .where(Meeting.scheduled_at < until)
    )
    total, in_range = db.session.execute(query).one()
    return int(in_range), int(total)


def pair_counts(
    body_id: int, period: Period, tz: str, person_ids: Collection[int]
) -> dict[tuple[int, int], PairCount]:
    """Return, for each pair of the given people (smaller id first), their agreement in `period`."""
    if len(person_ids) < 2:
        return {}
    first, second = aliased(Ballot), aliased(Ballot)
    sides = sorted(SIDES)
    alike = sa.func.sum(sa.case((first.value == second.value, 1), else_=0))
    query = (
        _public_votes_of(body_id)
        .join(first, first.vote_id == Vote.id)
        .join(second, sa.and_(second.vote_id == Vote.id, first.person_id < second.person_id))
        .with_only_columns(first.person_id, second.person_id, sa.func.count(), alike)
        .where(
            first.value.in_(sides),
            second.value.in_(sides),
            first.person_id.in_(person_ids),
            second.person_id.in_(person_ids),
            Meeting.scheduled_at < start_of(period.last + timedelta(days=1), tz),
        )
        .group_by(first.person_id, second.person_id)
    )
    if period.first is not None:
        query = query.where(Meeting.scheduled_at >= start_of(period.first, tz))
    return {
        (a, b): PairCount(int(shared), int(same))
        for a, b, shared, same in db.session.execute(query).all()
    }
