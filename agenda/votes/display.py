"""How a motion and its roll call read on a page: labels and the roll in seat order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agenda.bodies.queries import member_name
from agenda.votes.rules import BallotValue, MotionKind

if TYPE_CHECKING:
    from agenda.bodies.models import Membership
    from agenda.votes.models import Ballot

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
