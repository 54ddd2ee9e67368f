"""Reads about votes for pages: the corrections made to recorded roll calls."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from agenda.auth.models import User
from agenda.extensions import db
from agenda.votes.models import Ballot, BallotCorrection, Motion, Vote


@dataclass(frozen=True)
class CorrectionRow:
    """One ballot correction, the member whose vote it changed, and who made it."""

    fix: BallotCorrection
    person_id: int
    corrected_by: str


def corrections_by_vote(item_ids: Iterable[int]) -> dict[int, list[CorrectionRow]]:
    """Return the ballot corrections of these items' roll calls, oldest first, by vote id."""
    rows = db.session.execute(
        sa.select(BallotCorrection, Ballot.vote_id, Ballot.person_id, User.name, User.email)
        .join(Ballot, Ballot.id == BallotCorrection.ballot_id)
        .join(Vote, Vote.id == Ballot.vote_id)
        .join(Motion, Motion.id == Vote.motion_id)
        .outerjoin(User, User.id == BallotCorrection.corrected_by_id)
        .where(Motion.agenda_item_id.in_(list(item_ids)))
        .order_by(BallotCorrection.corrected_at, BallotCorrection.id)
    ).all()
    by_vote: dict[int, list[CorrectionRow]] = {}
    for fix, vote_id, person_id, name, email in rows:
        who = name or email or "a user since removed"
        by_vote.setdefault(vote_id, []).append(CorrectionRow(fix, person_id, who))
    return by_vote
