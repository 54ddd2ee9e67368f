"""Voting rules: quorum, thresholds, tallies and results, as pure functions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from agenda.bodies.rules import AbstentionPolicy, QuorumRule
from agenda.errors import Refused
from agenda.meetings.rules import AttendanceStatus, Disposition
from agenda.text import plural


class Threshold(StrEnum):
    MAJORITY_CAST = "majority_cast"
    MAJORITY_PRESENT = "majority_present"
    MAJORITY_FULL = "majority_full"
    TWO_THIRDS_PRESENT = "two_thirds_present"
    TWO_THIRDS_FULL = "two_thirds_full"
    FOUR_FIFTHS_FULL = "four_fifths_full"
    UNANIMOUS_PRESENT = "unanimous_present"


class BallotValue(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    RECUSED = "recused"
    ABSENT = "absent"


class MotionKind(StrEnum):
    MAIN = "main"
    AMENDMENT = "amendment"
    SUBSTITUTE = "substitute"
    TABLE = "table"
    CONTINUE = "continue"
    RECONSIDER = "reconsider"


class MotionResult(StrEnum):
    PASSED = "passed"
    FAILED = "failed"


class MotionEnding(StrEnum):
    """How a motion ended without a vote."""

    WITHDRAWN = "withdrawn"  # by its mover, before the vote (RONR §33)
    VOIDED = "voided"  # by the clerk: recorded in error
    DIED = "died"  # for lack of a second (RONR §4)


class VoteMethod(StrEnum):
    ROLL_CALL = "roll_call"
    UNANIMOUS_CONSENT = "unanimous_consent"


PersonId = int
PersonIds = Collection[PersonId]

# Per threshold: the fraction in words, (num, den) or None for "more than half", and its base.
_SPECS: dict[Threshold, tuple[str, tuple[int, int] | None, str]] = {
    Threshold.MAJORITY_CAST: ("majority", None, "votes cast"),
    Threshold.MAJORITY_PRESENT: ("majority", None, "members present"),
    Threshold.MAJORITY_FULL: ("majority", None, "the full body"),
    Threshold.TWO_THIRDS_PRESENT: ("two-thirds", (2, 3), "members present"),
    Threshold.TWO_THIRDS_FULL: ("two-thirds", (2, 3), "the full body"),
    Threshold.FOUR_FIFTHS_FULL: ("four-fifths", (4, 5), "the full body"),
    Threshold.UNANIMOUS_PRESENT: ("unanimous vote", (1, 1), "members present"),
}


class RuleViolation(Refused):
    """A roll call the rules refuse; `messages` lists every problem in words."""


@dataclass(frozen=True)
class VotingRules:
    """A body's voting settings; defaults are Florida practice (Fla. Stat. 286.012, RONR §40)."""

    seats: int
    quorum_rule: QuorumRule = QuorumRule.MAJORITY_OF_SEATS
    quorum_fixed: int | None = None
    abstention_policy: AbstentionPolicy = AbstentionPolicy.CONFLICT_ONLY
    recused_count_for_quorum: bool = True

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise ValueError("A body needs at least one seat")
        if self.quorum_rule is QuorumRule.FIXED_NUMBER:
            if self.quorum_fixed is None or not 1 <= self.quorum_fixed <= self.seats:
                raise ValueError(f"A fixed quorum must be between 1 and {self.seats}")
        elif self.quorum_fixed is not None:
            raise ValueError("quorum_fixed is only used with the fixed-number quorum rule")


@dataclass(frozen=True)
class AttendanceRecord:
    """One stay of a member at a meeting; no times means the whole meeting."""

    person_id: PersonId
    status: AttendanceStatus
    arrived_at: datetime | None = None
    left_at: datetime | None = None


@dataclass(frozen=True)
class Ballot:
    """One member's vote on one motion; a recusal carries its stated conflict in `reason`."""

    person_id: PersonId
    value: BallotValue
    reason: str | None = None


@dataclass(frozen=True)
class Outcome:
    """The decided roll call, with an explanation the clerk can read aloud."""

    yes: int
    no: int
    abstain: int
    recused: int
    absent: int
    required: int
    result: MotionResult
    has_quorum: bool
    explanation: str

    @property
    def tally(self) -> str:
        return f"{self.yes}-{self.no}"


def threshold_label(threshold: Threshold) -> str:
    """Name a threshold in words for forms, e.g. "Four-fifths of the full body"."""
    words, _, base = _SPECS[threshold]
    return f"{words.capitalize()} of {base}"


def quorum_required(rules: VotingRules) -> int:
    """Return how many members make a quorum; fractions of seats round up (RONR §40)."""
    if rules.quorum_rule is QuorumRule.FIXED_NUMBER:
        assert rules.quorum_fixed is not None  # checked in VotingRules.__post_init__
        return rules.quorum_fixed
    if rules.quorum_rule is QuorumRule.TWO_THIRDS_OF_SEATS:
        return _ceil_fraction(rules.seats, 2, 3)
    return rules.seats // 2 + 1


def present_at(records: Iterable[AttendanceRecord], moment: datetime) -> frozenset[PersonId]:
    """Return who is in the room at `moment`; a member who steps out has one record per stay."""
    return frozenset(
        r.person_id
        for r in records
        if r.status is AttendanceStatus.PRESENT
        and (r.arrived_at is None or r.arrived_at <= moment)
        and (r.left_at is None or r.left_at > moment)
    )


def quorum_count(rules: VotingRules, present_ids: PersonIds, recused_ids: PersonIds) -> int:
    """Count the members present toward quorum, leaving out recused ones if the body says so."""
    present = set(present_ids)
    if rules.recused_count_for_quorum:
        return len(present)
    return len(present - set(recused_ids))


def has_quorum(rules: VotingRules, present_ids: PersonIds, recused_ids: PersonIds) -> bool:
    """Tell whether the members present make a quorum under the body's rules."""
    return quorum_count(rules, present_ids, recused_ids) >= quorum_required(rules)


def votes_required(
    threshold: Threshold, *, seats: int, present: int, recused: int, cast: int
) -> int:
    """Return the yes votes a motion needs; fractions round up and the answer is never below 1.

    `present` counts everyone in the room, recused members included; recused members are taken
    out of "present" thresholds as PRODUCT.md requires. "Full body" thresholds count every
    seat, as RONR §44 does for "the entire membership", so absence or recusal never lowers
    them. `cast` is yes plus no: abstentions are not votes cast (RONR §44).
    """
    if min(seats, recused, cast) < 0 or recused + cast > present:
        raise ValueError("Counts need 0 <= recused, 0 <= cast and recused + cast <= present")
    _, fraction, base = _SPECS[threshold]
    n = {"votes cast": cast, "members present": present - recused}.get(base, seats)
    needed = n // 2 + 1 if fraction is None else _ceil_fraction(n, *fraction)
    # Zero yes votes never carry a motion, even when everyone is recused.
    return max(needed, 1)


def check_ballots(
    rules: VotingRules,
    *,
    roster_ids: PersonIds,
    present_ids: PersonIds,
    ballots: Iterable[Ballot],
    names: Mapping[PersonId, str] | None = None,
) -> list[str]:
    """List every reason the rules refuse this roll call; an empty list means it may be recorded.

    Each seated member votes once (PRODUCT.md). A member present must vote unless they declare a
    conflict (Fla. Stat. 286.012); under CONFLICT_ONLY that declaration is a recusal with its
    reason, and the member files Form 8B within 15 days (Fla. Stat. 112.3143(3)(a)).
    Quorum is not checked here: see `has_quorum` and `decide`.
    """
    names = names or {}
    roster, present = set(roster_ids), set(present_ids)
    conflict_only = rules.abstention_policy is AbstentionPolicy.CONFLICT_ONLY
    ballots = list(ballots)
    per_member = Counter(b.person_id for b in ballots)
    problems = [
        f"{_name(pid, names)} has more than one vote on this motion"
        for pid, n in per_member.items()
        if n > 1
    ]
    seen: set[PersonId] = set()
    for ballot in ballots:
        pid, value = ballot.person_id, ballot.value
        if pid in seen:
            continue  # judge only a member's first ballot; the duplicate is reported above
        seen.add(pid)
        who = _name(pid, names)
        if pid not in roster:
            problems.append(f"{who} is not a seated member on the meeting date and cannot vote")
        elif pid not in present:
            if value is not BallotValue.ABSENT:
                problems.append(f"{who} is absent and cannot vote")
        elif value is BallotValue.ABSENT:
            problems.append(f"{who} is present and cannot be recorded as absent")
        elif value is BallotValue.ABSTAIN and conflict_only:
            problems.append(
                f"{who} cannot abstain. Under this body's rules a member who is present must vote;"
                " abstaining requires declaring a conflict (recusal with a reason)"
            )
        elif value is BallotValue.RECUSED and not (ballot.reason or "").strip():
            problems.append(f"{who} recused without stating the conflict")
    for pid in sorted((roster & present) - per_member.keys()):
        problems.append(f"{_name(pid, names)} is present and has no recorded vote")
    return problems


def decide(
    rules: VotingRules,
    *,
    threshold: Threshold,
    roster_ids: PersonIds,
    present_ids: PersonIds,
    ballots: Iterable[Ballot],
    names: Mapping[PersonId, str] | None = None,
) -> Outcome:
    """Decide a roll call; raise RuleViolation if `check_ballots` refuses it.

    A tie fails (RONR §44). Without a quorum nothing passes (RONR §40).
    """
    ballots = list(ballots)
    problems = check_ballots(
        rules, roster_ids=roster_ids, present_ids=present_ids, ballots=ballots, names=names
    )
    if problems:
        raise RuleViolation(*problems)
    roster = set(roster_ids)
    present = roster & set(present_ids)
    counts = Counter(b.value for b in ballots if b.person_id in present)
    yes, no = counts[BallotValue.YES], counts[BallotValue.NO]
    recused = counts[BallotValue.RECUSED]
    recused_ids = {b.person_id for b in ballots if b.value is BallotValue.RECUSED}
    quorate = has_quorum(rules, present, recused_ids)
    required = votes_required(
        threshold, seats=rules.seats, present=len(present), recused=recused, cast=yes + no
    )
    passed = quorate and yes >= required and yes > no
    result = MotionResult.PASSED if passed else MotionResult.FAILED
    tally = f"{yes}-{no}"
    if not quorate:
        counted = quorum_count(rules, present, recused_ids)
        qualifier = "" if counted == len(present) else " and not recused"
        explanation = (
            f"No quorum: {counted} of {rules.seats} members present{qualifier},"
            f" {quorum_required(rules)} required"
        )
    elif yes == no:
        explanation = f"Failed {tally} (tie)"
    else:
        basis = _basis(threshold, rules.seats, len(present) - recused, recused, yes + no)
        verb = "Passed" if passed else "Failed"
        explanation = f"{verb} {tally} ({plural(required, 'vote')} required: {basis})"
    return Outcome(
        yes=yes,
        no=no,
        abstain=counts[BallotValue.ABSTAIN],
        recused=recused,
        absent=len(roster - present),
        required=required,
        result=result,
        has_quorum=quorate,
        explanation=explanation,
    )


def prevailing_side(ballots: Iterable[Ballot], result: MotionResult) -> frozenset[PersonId]:
    """Return who voted on the winning side: yes if it passed, no if it failed (RONR §37)."""
    side = BallotValue.YES if result is MotionResult.PASSED else BallotValue.NO
    return frozenset(b.person_id for b in ballots if b.value is side)


def can_move_reconsideration(
    ballots: Iterable[Ballot], result: MotionResult, mover_id: PersonId
) -> bool:
    """Tell whether a member may move to reconsider: only the prevailing side may (RONR §37)."""
    return mover_id in prevailing_side(ballots, result)


def _basis(threshold: Threshold, seats: int, eligible: int, recused: int, cast: int) -> str:
    words, _, base = _SPECS[threshold]
    if base == "the full body":
        return f"{words} of the full body of {plural(seats, 'seat')}"
    if base == "votes cast":
        return f"{words} of the {plural(cast, 'vote')} cast"
    qualifier = " and not recused" if recused else ""
    return f"{words} of the {plural(eligible, 'member')} present{qualifier}"


def _ceil_fraction(n: int, numerator: int, denominator: int) -> int:
    return -(-n * numerator // denominator)


def _name(person_id: PersonId, names: Mapping[PersonId, str]) -> str:
    return names.get(person_id) or f"Member {person_id}"


# Motions that dispose of or delay a question need only a majority of votes cast (RONR §17,
# §14); legislation itself follows the body's main-motion rule (majority of members present).
_DEFAULT_THRESHOLDS = {
    MotionKind.TABLE: Threshold.MAJORITY_CAST,
    MotionKind.CONTINUE: Threshold.MAJORITY_CAST,
    MotionKind.RECONSIDER: Threshold.MAJORITY_CAST,
    MotionKind.AMENDMENT: Threshold.MAJORITY_CAST,
    MotionKind.SUBSTITUTE: Threshold.MAJORITY_CAST,
}


# The key of a main motion on an item without legislation, in a body's default thresholds.
NO_LEGISLATION = "none"


def threshold_key(kind: MotionKind, matter_type: str | None = None) -> str:
    """Return a body's key for a default: 'amendment', 'main:ordinance', 'main:none'."""
    if kind is MotionKind.MAIN:
        return f"main:{matter_type or NO_LEGISLATION}"
    return kind.value


def default_threshold(
    kind: MotionKind,
    *,
    is_legislation: bool,
    matter_type: str | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Threshold:
    """Return the threshold a motion gets unless the clerk chooses another.

    A body's `overrides` (key by threshold_key -> Threshold value) win; missing or unknown
    values keep the engine's defaults.
    """
    key = threshold_key(kind, (matter_type or "legislation") if is_legislation else None)
    chosen = (overrides or {}).get(key)
    if chosen in Threshold.__members__.values():
        return Threshold(chosen)
    if kind is MotionKind.MAIN:
        return Threshold.MAJORITY_PRESENT if is_legislation else Threshold.MAJORITY_CAST
    return _DEFAULT_THRESHOLDS[kind]


def default_motion_text(kind: MotionKind, item_number: str) -> str:
    """The usual words of a motion the clerk leaves blank; amendments always need their own."""
    return {
        MotionKind.MAIN: f"Move to approve item {item_number}.",
        MotionKind.TABLE: f"Move to table item {item_number}.",
        MotionKind.CONTINUE: f"Move to continue item {item_number} to a later meeting.",
        MotionKind.RECONSIDER: f"Move to reconsider the vote on item {item_number}.",
    }.get(kind, "")


def decides_item(kind: MotionKind) -> bool:
    """Whether the roll call on this kind of motion decides the item itself (adopt or fail)."""
    return kind is MotionKind.MAIN


def item_outcome(result: MotionResult) -> Disposition:
    """The item's disposition when its main motion passes or fails."""
    return Disposition.ADOPTED if result is MotionResult.PASSED else Disposition.FAILED


def ending_problems(
    ending: MotionEnding,
    *,
    reason: str,
    ended: MotionEnding | None,
    is_voted: bool,
    is_seconded: bool,
    pending_motions: int,
) -> list[str]:
    """List why a motion cannot end this way; an empty list means it may.

    A motion is withdrawn (RONR §33) or voided only before its vote, with a reason kept in the
    record; only a motion nobody seconded dies for lack of a second (RONR §4).
    """
    if ended is not None:
        return [f"This motion has already ended: {ENDING_WORDS[ended]}."]
    if is_voted:
        return [
            "This motion has a roll call; a motion that was voted on cannot be "
            + ("withdrawn or voided." if ending is not MotionEnding.DIED else "die.")
        ]
    if ending is MotionEnding.DIED:
        if is_seconded:
            return [
                "This motion was seconded; only a motion without a second dies for lack of one."
            ]
        return []
    problems = []
    if pending_motions:
        problems.append("A motion moved on this one is still pending; end or vote on it first.")
    if not reason.strip():
        problems.append("Give the reason; it is kept in the record and printed in the minutes.")
    return problems


# How an ended motion reads in a sentence.
ENDING_WORDS = {
    MotionEnding.WITHDRAWN: "withdrawn by its mover",
    MotionEnding.VOIDED: "voided by the clerk",
    MotionEnding.DIED: "died for lack of a second",
}


def consent_ballots(present_ids: PersonIds, recusals: Mapping[PersonId, str]) -> list[Ballot]:
    """Return the ballots of a vote without objection: every member present yes, but recusals."""
    return [
        Ballot(pid, BallotValue.RECUSED, recusals[pid])
        if pid in recusals
        else Ballot(pid, BallotValue.YES)
        for pid in sorted(present_ids)
    ]


def quorum_sentence(seats: int, rule: QuorumRule, fixed: int | None) -> str:
    """Say what a quorum rule means for a body of `seats`: 'With 7 seats, quorum is 4.'"""
    if rule is QuorumRule.FIXED_NUMBER and (fixed is None or not 1 <= fixed <= seats):
        return f"A fixed quorum must be between 1 and {seats}."
    fixed = fixed if rule is QuorumRule.FIXED_NUMBER else None
    rules = VotingRules(seats=seats, quorum_rule=rule, quorum_fixed=fixed)
    return f"With {seats} seats, quorum is {quorum_required(rules)}."


def abstention_sentence(policy: AbstentionPolicy) -> str:
    """Say in one line what an abstention policy means for a member present."""
    if policy is AbstentionPolicy.CONFLICT_ONLY:
        return "A member present must vote yes or no unless they declare a conflict."
    return "A member present may abstain; an abstention is not a yes or a no."
