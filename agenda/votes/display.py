"""How a motion and its roll call read on a page: labels and the roll in seat order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agenda.bodies.queries import member_name
from agenda.votes.rules import (
    BallotValue,
    MotionEnding,
    MotionKind,
    VoteMethod,
    snapshot_sentence,
)

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
    MotionKind.APPEAL: "Appeal from the chair's ruling",
}
VALUE_LABELS = {
    BallotValue.YES: "Yes",
    BallotValue.NO: "No",
    BallotValue.ABSTAIN: "Abstain",
    BallotValue.RECUSED: "Recused",
    BallotValue.ABSENT: "Absent",
    BallotValue.NOT_VOTING: "Not voting (presiding)",
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
    excused: bool = False
    # None for a ballot of someone not seated on the meeting date (not linked to their page).
    person_id: int | None = None

    @property
    def label(self) -> str:
        words = VALUE_LABELS[self.value]
        return f"{words} (excused by the body)" if self.excused else words


def roll_call(ballots: Iterable[Ballot], members: Mapping[int, Membership]) -> list[RollCallRow]:
    """Return the ballots in seat order, each with the member's title and name."""
    rows = [
        RollCallRow(
            members[b.person_id].seat if b.person_id in members else 10_000,
            member_name(members[b.person_id])
            if b.person_id in members
            else f"Member {b.person_id}",
            b.value,
            b.reason,
            b.is_excused,
            b.person_id if b.person_id in members else None,
        )
        for b in ballots
    ]
    return sorted(rows, key=lambda row: (row.seat, row.name))


@dataclass(frozen=True)
class StandOut:
    """The members who voted one way that stands out (no, abstained, recused), in seat order."""

    label: str
    style: str
    marker: str
    names: list[str]


# The positions a reader looks for first, in the order the page lists them.
# Each has a mark of its own besides its colour, so no one needs to tell colours apart.
STAND_OUT = (
    (BallotValue.NO, "No", "no", "\u2717"),
    (BallotValue.ABSTAIN, "Abstained", "abstain", "\u25cb"),
    (BallotValue.RECUSED, "Recused", "recused", "\u2298"),
)


def stand_outs(ballots: Iterable[Ballot], members: Mapping[int, Membership]) -> list[StandOut]:
    """Return who voted no, abstained or was recused (with the stated reason), else nothing."""
    rows = roll_call(ballots, members)
    found = []
    for value, label, style, marker in STAND_OUT:
        names = [
            f"{row.name} ({row.reason})" if row.reason else row.name
            for row in rows
            if row.value is value
        ]
        if names:
            found.append(StandOut(label, style, marker, names))
    return found


def rule_line(vote: Vote) -> str:
    """Say the rule a vote was decided under, as it was then ("" for votes before snapshots)."""
    return snapshot_sentence(vote.rules_snapshot)


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
