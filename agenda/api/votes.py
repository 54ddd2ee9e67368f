"""Roll calls to read: every vote event with its counts and ballots, by body, date or member."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from pydantic import Field
from sqlalchemy.orm import contains_eager, selectinload

from agenda.api import core
from agenda.api.convert import vote_event
from agenda.api.filters import DatedQuery, after, on_local_dates, page, shows_live_agenda
from agenda.api.schemas import Page, VoteEventOut
from agenda.auth.rules import Viewer
from agenda.extensions import db
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import visible_to
from agenda.votes.models import Ballot, Motion, Vote


class VotesQuery(DatedQuery):
    person: Optional[int] = Field(
        None, ge=1, description="Only roll calls in which this person (their id) has a ballot."
    )


def visible_votes(viewer: Viewer) -> sa.Select[tuple[Vote]]:
    """Select the roll calls a viewer sees, with their motion, item and section, and ballots.

    A roll call is seen where its meeting's live agenda is: never on a draft the viewer may
    not see, nor while an amendment is pending (the public's agenda then has no votes).
    """
    return (
        sa.select(Vote)
        .join(Vote.motion)
        .join(Motion.agenda_item)
        .join(AgendaItem.section)
        .join(AgendaSection.meeting)
        .where(visible_to(viewer), shows_live_agenda(viewer))
        .options(
            contains_eager(Vote.motion).contains_eager(Motion.agenda_item)
            .contains_eager(AgendaItem.section),
            selectinload(Vote.ballots).selectinload(Ballot.person),
        )
    )  # fmt: skip


@core.read("/votes", response=Page[VoteEventOut], tag="votes", query=VotesQuery)
def votes(query: VotesQuery) -> Page[VoteEventOut]:
    """List roll calls (OCD vote events), oldest first, with counts and every ballot.

    Filter by body, by the meeting's local date (since, until), by a member who cast a
    ballot, or by meetings changed since a time; follow `next` for the following page.
    """
    where = [
        on_local_dates(query.since, query.until),
        after((Vote.recorded_at, Vote.id), query.cursor),
    ]
    if query.body is not None:
        where.append(Meeting.body_id == query.body)
    if query.updated_since is not None:
        where.append(Meeting.updated_at >= query.updated_since)
    if query.person is not None:
        cast = sa.select(Ballot.vote_id).where(Ballot.person_id == query.person)
        where.append(Vote.id.in_(cast))
    rows = db.session.execute(
        visible_votes(core.viewer())
        .where(*where)
        .order_by(Vote.recorded_at, Vote.id)
        .limit(query.limit + 1)
    ).scalars()
    shown, following = page(list(rows), query.limit, lambda v: (v.recorded_at, v.id))
    return Page[VoteEventOut](results=[vote_event(v) for v in shown], next=following)


@core.read("/votes/<int:vote_id>", response=VoteEventOut, tag="votes")
def vote(vote_id: int) -> VoteEventOut:
    """Read one roll call (OCD vote event): its motion, result, counts and every ballot."""
    found = db.session.execute(
        visible_votes(core.viewer()).where(Vote.id == vote_id)
    ).scalar_one_or_none()
    if found is None:
        raise core.not_found()
    return vote_event(found)
