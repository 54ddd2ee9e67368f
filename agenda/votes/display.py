"""How a motion and its roll call read on a page: labels and the roll in seat order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agenda.bodies.queries import member_name
from agenda.votes.rules import BallotValue, MotionEnding, MotionKind, VoteMethod

if TYPE_CHECKING:
    from agenda.bodies.models import Membership
    from agenda.votes.models import Ballot, Motion, Vote

MOTION_LABELS = {
    MotionKind.MAIN: "Motion",
    MotionKind.AMENDMENT: "Amendment",
    MotionKind.SUBSTITUTE: "Substitute motion",
    MotionKind.TABLE: "Motion to table",
    MotionKind.CONTINUE: "Motion to continue",
    MotionKind.RECONSIDER: "Motion to reconsider",
}
VALUE_LABELS = {
    BallotValue.YES: "Yes",
    BallotValue.NO: "No",
    BallotValue.ABSTAIN: "Abstain",
    BallotValue.RECUSED: "Recused",
    BallotValue.ABSENT: "Absent",
}

ENDING_LABELS = {
    MotionEnding.WITHDRAWN: "Withdrawn by its mover before the vote",
    MotionEnding.VOIDED: "Voided by the clerk before the vote",
    MotionEnding.DIED: "Died for lack of a second",
}


@dataclass(frozen=True)
class RollCallRow:
    seat: int
    name: str
    value: BallotValue
    reason: str | None

    @property
    def label(self) -> str:
        return VALUE_LABELS[self.value]


def roll_call(ballots: Iterable[Ballot], members: Mapping[int, Membership]) -> list[RollCallRow]:
    """Return the ballots in seat order, each with the member's title and name."""
    rows = [
        RollCallRow(members[b.person_id].seat, member_name(members[b.person_id]), b.value, b.reason)
        if b.person_id in members
        else RollCallRow(10_000, f"Member {b.person_id}", b.value, b.reason)
        for b in ballots
    ]
    return sorted(rows, key=lambda row: (row.seat, row.name))


def ending_line(motion: Motion) -> str:
    """Say how a motion ended without a vote, with the reason given, or "" if it did not."""
    if motion.ending is None:
        return ""
    words = ENDING_LABELS[motion.ending]
    return f"{words}. Reason: {motion.ending_reason}" if motion.ending_reason else f"{words}."


def consent_line(vote: Vote, members: Mapping[int, Membership]) -> str:
    """Say that a motion was carried without objection, naming the members present, or ""."""
    if vote.method is not VoteMethod.UNANIMOUS_CONSENT:
        return ""
    here = [row.name for row in roll_call(vote.ballots, members) if row.value is BallotValue.YES]
    return f"Carried without objection (members present: {', '.join(here)})"
