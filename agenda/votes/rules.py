"""Voting rules: quorum, thresholds, tallies and results, as pure functions.

A body's settings (`VotingRules`) say how it counts: which seats make "the full body"
(authorized or filled), who presides and when they vote, what an abstention does, whether
recused members count toward quorum or leave the full body, whether quorum must be in the room.
A threshold is a specification (`ThresholdSpec`: a fraction of a base, a floor, or a fixed
number of votes); a `ThresholdRule` adds conditions (a different threshold when few members are
present or eligible) and a fallback (one motion, two results). `decide` applies both to the
facts of one roll call (`Roll`, the ballots) and explains the result with the rule's citation.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from agenda.bodies.rules import (
    DEFAULT_ABSTENTION,
    AbstentionPolicy,
    PresidingVote,
    QuorumRule,
    SeatBase,
)
from agenda.errors import Refused
from agenda.meetings.rules import AttendanceStatus, Disposition
from agenda.text import plural


class BallotValue(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    RECUSED = "recused"
    ABSENT = "absent"
    # The presiding officer, present, who does not vote (only on a tie, or never).
    NOT_VOTING = "not_voting"


class MotionKind(StrEnum):
    MAIN = "main"
    AMENDMENT = "amendment"
    SUBSTITUTE = "substitute"
    TABLE = "table"
    CONTINUE = "continue"
    RECONSIDER = "reconsider"
    # An appeal from the chair's ruling, put as "Shall the decision of the chair be sustained?"
    APPEAL = "appeal"


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


class Presence(StrEnum):
    """Where a seated member is at the moment of a vote."""

    IN_PERSON = "in_person"
    REMOTE = "remote"
    ABSENT = "absent"
    EXCUSED = "excused"  # absent, or left, with the body's leave
    LEFT_UNEXCUSED = "left_unexcused"  # was present and left without being excused


PRESENT_KINDS = frozenset({Presence.IN_PERSON, Presence.REMOTE})

PersonId = int
PersonIds = Collection[PersonId]


class RuleViolation(Refused):
    """A roll call the rules refuse; `messages` lists every problem in words."""


# Thresholds


class Base(StrEnum):
    """What a threshold's fraction is taken of."""

    CAST = "cast"  # yes and no votes; abstentions are not votes cast (RONR 44:1)
    PRESENT = "present"  # members present, recused ones included
    PRESENT_VOTING = "present_voting"  # members present and not recused
    FULL = "full"  # the full body, as the body counts it (its seat base, less recused if set)
    NOT_EXCUSED = "not_excused"  # the full body less members excused from voting (160A-75)
    FILLED = "filled"  # seats filled on the day (vacancies left out)
    AUTHORIZED = "authorized"  # every seat, vacant or not (N.Y. Gen. Constr. Law 41)


_FRACTION_WORDS = {
    (1, 2): "half",
    (2, 3): "two-thirds",
    (3, 4): "three-fourths",
    (3, 5): "three-fifths",
    (4, 5): "four-fifths",
    (1, 1): "unanimous vote",
}


@dataclass(frozen=True)
class ThresholdSpec:
    """Yes votes a motion needs: more than (or at least) a fraction of a base, or a number.

    `more_than` is "more than half" (a majority); otherwise "at least" the fraction (two-thirds,
    unanimous). `floor` is a charter's "never less than three"; `votes` a fixed number.
    """

    base: Base = Base.CAST
    numerator: int = 1
    denominator: int = 2
    more_than: bool = True
    floor: int | None = None
    votes: int | None = None

    def __post_init__(self) -> None:
        if not 0 < self.numerator <= self.denominator:
            raise ValueError("A threshold's fraction runs from above 0 up to 1")
        if self.more_than and self.numerator == self.denominator:
            raise ValueError("Nothing is more than all of a base")
        for number in (self.floor, self.votes):
            if number is not None and not 1 <= number <= 99:
                raise ValueError("A number of votes runs from 1 to 99")

    def required(self, n: int) -> int:
        """Return the yes votes needed when the base counts `n`; never fewer than one."""
        if self.votes is not None:
            return self.votes
        product = n * self.numerator
        if self.more_than:
            needed = product // self.denominator + 1
        else:
            needed = -(-product // self.denominator)
        return max(needed, self.floor or 0, 1)

    @property
    def code(self) -> str:
        """The stored form: 'majority:cast', '2/3:present_voting', 'all:full:min3', 'votes:5'."""
        if self.votes is not None:
            return f"votes:{self.votes}"
        if self.more_than and (self.numerator, self.denominator) == (1, 2):
            head = "majority"
        elif self.numerator == self.denominator:
            head = "all"
        else:
            head = f"{self.numerator}/{self.denominator}"
            head = f"over:{head}" if self.more_than else head
        floor = f":min{self.floor}" if self.floor else ""
        return f"{head}:{self.base.value}{floor}"

    @property
    def words(self) -> str:
        """The fraction in words: 'majority', 'two-thirds', 'unanimous vote', '5 votes'."""
        if self.votes is not None:
            return plural(self.votes, "vote")
        if self.more_than and (self.numerator, self.denominator) == (1, 2):
            return "majority"
        words = _FRACTION_WORDS.get(
            (self.numerator, self.denominator), f"{self.numerator}/{self.denominator}"
        )
        return f"more than {words}" if self.more_than else words


def parse_spec(code: str) -> ThresholdSpec:
    """Read a threshold's code (see ThresholdSpec.code); raise ValueError if it is not one."""
    code = ALIASES.get(code, code)
    parts = code.strip().split(":")
    if len(parts) == 2 and parts[0] == "votes":
        return ThresholdSpec(votes=_number(parts[1]))
    more_than = False
    if parts and parts[0] == "over":
        more_than, parts = True, parts[1:]
    floor = None
    if len(parts) == 3 and parts[2].startswith("min"):
        floor = _number(parts[2][3:])
        parts = parts[:2]
    if len(parts) != 2:
        raise ValueError(f"Not a threshold: {code!r}")
    head, base_code = parts
    try:
        base = Base(base_code)
    except ValueError:
        raise ValueError(f"Not a threshold base: {base_code!r}") from None
    if head == "majority":
        return ThresholdSpec(base, 1, 2, True, floor)
    if head == "all":
        return ThresholdSpec(base, 1, 1, False, floor)
    numerator, slash, denominator = head.partition("/")
    if not slash:
        raise ValueError(f"Not a threshold fraction: {head!r}")
    return ThresholdSpec(base, _number(numerator), _number(denominator), more_than, floor)


def _number(text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"Not a whole number: {text!r}")
    return int(text)


class Threshold(StrEnum):
    """The named thresholds of the first releases; motions stored with them still read."""

    MAJORITY_CAST = "majority_cast"
    MAJORITY_PRESENT = "majority_present"
    MAJORITY_FULL = "majority_full"
    TWO_THIRDS_PRESENT = "two_thirds_present"
    TWO_THIRDS_FULL = "two_thirds_full"
    FOUR_FIFTHS_FULL = "four_fifths_full"
    UNANIMOUS_PRESENT = "unanimous_present"


# What each named threshold means; "present" has always left recused members out.
ALIASES: dict[str, str] = {
    Threshold.MAJORITY_CAST: "majority:cast",
    Threshold.MAJORITY_PRESENT: "majority:present_voting",
    Threshold.MAJORITY_FULL: "majority:full",
    Threshold.TWO_THIRDS_PRESENT: "2/3:present_voting",
    Threshold.TWO_THIRDS_FULL: "2/3:full",
    Threshold.FOUR_FIFTHS_FULL: "4/5:full",
    Threshold.UNANIMOUS_PRESENT: "all:present_voting",
}


class Trigger(StrEnum):
    """When a threshold rule switches to another threshold."""

    # Fewer than a fraction of the full body present (Cal. Gov. Code 54954.2(b)(2)).
    FEW_PRESENT = "few_present"
    # Recusals leave fewer members eligible (filled seats less recused members) than the
    # threshold needs (Florida charters); absences alone never trigger it.
    FEW_ELIGIBLE = "few_eligible"


@dataclass(frozen=True)
class Condition:
    """Use `then` instead of the rule's threshold when `trigger` holds.

    FEW_PRESENT holds when fewer than numerator/denominator of the full body are present.
    """

    trigger: Trigger
    then: ThresholdSpec
    numerator: int = 2
    denominator: int = 3


@dataclass(frozen=True)
class ThresholdRule:
    """A threshold with its conditions, an optional fallback, the names and the citation.

    A rule with a fallback decides the motion twice: failing `spec` ("as an emergency
    ordinance"), it may still pass under `fallback` ("as an ordinary ordinance").
    """

    spec: ThresholdSpec
    conditions: tuple[Condition, ...] = ()
    fallback: ThresholdSpec | None = None
    name: str = ""
    fallback_name: str = ""
    citation: str = ""

    @property
    def code(self) -> str:
        """The stored form: the spec's code when plain, else compact JSON."""
        if not (self.conditions or self.fallback or self.name or self.citation):
            return self.spec.code
        data: dict[str, Any] = {"spec": self.spec.code}
        if self.conditions:
            data["when"] = [
                {"if": c.trigger.value, "of": f"{c.numerator}/{c.denominator}", "then": c.then.code}
                for c in self.conditions
            ]
        if self.fallback:
            data["fallback"] = self.fallback.code
            data["fallback_name"] = self.fallback_name
        if self.name:
            data["name"] = self.name
        if self.citation:
            data["cite"] = self.citation
        return json.dumps(data, separators=(",", ":"), sort_keys=True)


def parse_rule(code: str | ThresholdRule | ThresholdSpec) -> ThresholdRule:
    """Read a stored threshold: a named one, a spec's code or a rule in JSON."""
    if isinstance(code, ThresholdRule):
        return code
    if isinstance(code, ThresholdSpec):
        return ThresholdRule(code)
    text = str(code).strip()
    if not text.startswith("{"):
        return ThresholdRule(parse_spec(text))
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"Not a threshold rule: {text!r}") from None
    if not isinstance(data, dict) or "spec" not in data:
        raise ValueError(f"Not a threshold rule: {text!r}")
    conditions = []
    for c in data.get("when", []):
        numerator, _, denominator = str(c.get("of", "2/3")).partition("/")
        conditions.append(
            Condition(
                Trigger(c["if"]), parse_spec(c["then"]), _number(numerator), _number(denominator)
            )
        )
    fallback = data.get("fallback")
    return ThresholdRule(
        spec=parse_spec(data["spec"]),
        conditions=tuple(conditions),
        fallback=parse_spec(fallback) if fallback else None,
        name=str(data.get("name", "")),
        fallback_name=str(data.get("fallback_name", "")),
        citation=str(data.get("cite", "")),
    )


def is_threshold(code: str) -> bool:
    """Tell whether `code` reads as a threshold rule."""
    try:
        parse_rule(code)
    except (ValueError, KeyError, TypeError):
        return False
    return True


_BASE_LABELS = {
    Base.CAST: "votes cast",
    Base.PRESENT: "members present (recused included)",
    Base.PRESENT_VOTING: "members present",
    Base.FULL: "the full body",
    Base.NOT_EXCUSED: "members not excused from voting",
    Base.FILLED: "filled seats",
    Base.AUTHORIZED: "authorized seats",
}


def spec_label(spec: ThresholdSpec) -> str:
    """Name a threshold for a list: 'Two-thirds of members present, never less than 3'."""
    if spec.votes is not None:
        return f"{plural(spec.votes, 'vote')} in favor"
    label = f"{spec.words.capitalize()} of {_BASE_LABELS[spec.base]}"
    return f"{label}, never less than {spec.floor}" if spec.floor else label


def rule_label(rule: ThresholdRule | str) -> str:
    """Say a whole rule in one sentence, as the minutes print it."""
    rule = parse_rule(rule)
    words = spec_label(rule.spec)
    if rule.name:
        words = f"As {rule.name}: {words[0].lower()}{words[1:]}"
    for c in rule.conditions:
        words += f"; {spec_label(c.then)[0].lower()}{spec_label(c.then)[1:]} {_when(c)}"
    if rule.fallback is not None:
        fallback = spec_label(rule.fallback).lower()
        words += f"; failing that, {fallback} as {rule.fallback_name or 'the ordinary measure'}"
    return f"{words} ({rule.citation})" if rule.citation else words


def _when(condition: Condition) -> str:
    if condition.trigger is Trigger.FEW_PRESENT:
        share = _FRACTION_WORDS.get(
            (condition.numerator, condition.denominator),
            f"{condition.numerator}/{condition.denominator}",
        )
        return f"when fewer than {share} of the full body are present"
    return "when fewer members are eligible to vote than it requires"


def threshold_label(threshold: Threshold | str) -> str:
    """Name a stored threshold in words, e.g. "Four-fifths of the full body"."""
    return rule_label(str(threshold))


# The thresholds the console and the body's form offer, beside the body's own rules.
COMMON_THRESHOLDS: tuple[str, ...] = (
    "majority:cast",
    "majority:present_voting",
    "majority:present",
    "majority:full",
    "majority:not_excused",
    "majority:filled",
    "majority:authorized",
    "2/3:cast",
    "2/3:present_voting",
    "2/3:full",
    "2/3:filled",
    "3/5:full",
    "3/4:present_voting",
    "3/4:full",
    "4/5:present_voting",
    "4/5:full",
    "all:present_voting",
)


# Rules with conditions or a fallback that charters and statutes write, offered beside the
# common thresholds.
CHARTER_RULES: tuple[str, ...] = (
    ThresholdRule(
        parse_spec("2/3:present_voting"),
        conditions=(Condition(Trigger.FEW_PRESENT, parse_spec("all:present_voting")),),
        name="an item not on the agenda",
        citation="Cal. Gov. Code 54954.2(b)(2)",
    ).code,
    ThresholdRule(
        parse_spec("4/5:full"),
        fallback=parse_spec("majority:full"),
        name="an emergency ordinance",
        fallback_name="an ordinary ordinance",
    ).code,
    ThresholdRule(
        parse_spec("majority:full"),
        conditions=(Condition(Trigger.FEW_ELIGIBLE, parse_spec("all:present_voting")),),
    ).code,
)


# The body's settings


@dataclass(frozen=True)
class VotingRules:
    """A body's voting settings. The defaults are Robert's Rules of Order (RONR 40:3, 44, 45).

    `seats` counts every authorized seat, the presiding seat included; when the presiding seat is
    not counted (`presiding_seat_counted`), the presiding officer is no member for thresholds but
    may still count toward quorum (`presiding_counted_for_quorum`, N.C.G.S. 160A-74).
    """

    seats: int
    quorum_rule: QuorumRule = QuorumRule.MAJORITY_OF_SEATS
    quorum_fixed: int | None = None
    abstention_policy: AbstentionPolicy = DEFAULT_ABSTENTION
    recused_count_for_quorum: bool = True
    seat_base: SeatBase = SeatBase.AUTHORIZED
    full_body_less_recused: bool = False
    has_presiding_seat: bool = False
    presiding_vote: PresidingVote = PresidingVote.ALWAYS
    presiding_counted_for_quorum: bool = True
    presiding_seat_counted: bool = True
    in_person_quorum: bool = False
    unexcused_departure_present: bool = False
    tie_continues: bool = False
    citation: str = ""

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise ValueError("A body needs at least one seat")
        if self.quorum_rule is QuorumRule.FIXED_NUMBER:
            if self.quorum_fixed is None or not 1 <= self.quorum_fixed <= self.seats:
                raise ValueError(f"A fixed quorum must be between 1 and {self.seats}")
        elif self.quorum_fixed is not None:
            raise ValueError("quorum_fixed is only used with the fixed-number quorum rule")
        if not self.has_presiding_seat and (
            self.presiding_vote is not PresidingVote.ALWAYS or not self.presiding_seat_counted
        ):
            raise ValueError("Presiding settings need a presiding seat")
        if self.has_presiding_seat and not self.presiding_seat_counted and self.seats < 2:
            raise ValueError("A body whose presiding seat is not counted needs another seat")


@dataclass(frozen=True)
class Roll:
    """The facts of one moment: seats, vacancies, who presides and where each member is.

    `presence` has every member seated on the day (vacant seats have nobody);
    `presiding_id` is whoever holds the presiding seat that day, if anyone.
    """

    seats: int
    presence: Mapping[PersonId, Presence]
    vacancies: int = 0
    presiding_id: PersonId | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.vacancies <= self.seats:
            raise ValueError("Vacancies run from none to every seat")
        if len(self.presence) > self.seats - self.vacancies:
            raise ValueError("More members than filled seats")

    @property
    def present(self) -> frozenset[PersonId]:
        return frozenset(p for p, where in self.presence.items() if where in PRESENT_KINDS)


def full_roll(rules: VotingRules) -> Roll:
    """A roll with every seat filled and nobody recorded yet, for sentences about the rules."""
    return Roll(
        seats=rules.seats, presence={}, presiding_id=0 if rules.has_presiding_seat else None
    )


def simple_roll(
    rules: VotingRules, roster_ids: PersonIds, present_ids: PersonIds, presiding_id=None
) -> Roll:
    """A roll where everyone present is in the room and the rest are absent, unexcused."""
    present = set(present_ids)
    roster = sorted(set(roster_ids))
    return Roll(
        seats=rules.seats,
        vacancies=max(rules.seats - len(roster), 0),
        presence={p: Presence.IN_PERSON if p in present else Presence.ABSENT for p in roster},
        presiding_id=presiding_id,
    )


@dataclass(frozen=True)
class AttendanceRecord:
    """One stay of a member at a meeting (no times: the whole meeting), or their absence."""

    person_id: PersonId
    status: AttendanceStatus
    arrived_at: datetime | None = None
    left_at: datetime | None = None
    is_remote: bool = False
    # The body excused the absence, or the departure that ends this stay.
    is_excused: bool = False


def presence_at(records: Iterable[AttendanceRecord], moment: datetime) -> dict[PersonId, Presence]:
    """Return where each member with a record is at `moment`.

    In a stay: in person or remote. Not in a stay but after one that ended: left, excused or
    not (a member who steps out and returns is present again in the next stay). Otherwise
    absent (before arriving, or recorded absent, excused or not).
    """
    by_person: dict[PersonId, list[AttendanceRecord]] = {}
    for record in records:
        by_person.setdefault(record.person_id, []).append(record)
    found = {}
    for pid, mine in by_person.items():
        stays = [r for r in mine if r.status is AttendanceStatus.PRESENT]
        current = next((r for r in stays if _covers(r, moment)), None)
        if current is not None:
            found[pid] = Presence.REMOTE if current.is_remote else Presence.IN_PERSON
            continue
        ended = [r for r in stays if r.left_at is not None and r.left_at <= moment]
        if ended:
            last = max(ended, key=lambda r: r.left_at or moment)
            found[pid] = Presence.EXCUSED if last.is_excused else Presence.LEFT_UNEXCUSED
        elif any(r.status is AttendanceStatus.ABSENT and r.is_excused for r in mine):
            found[pid] = Presence.EXCUSED
        else:
            found[pid] = Presence.ABSENT
    return found


def _covers(record: AttendanceRecord, moment: datetime) -> bool:
    return (record.arrived_at is None or record.arrived_at <= moment) and (
        record.left_at is None or record.left_at > moment
    )


def present_at(records: Iterable[AttendanceRecord], moment: datetime) -> frozenset[PersonId]:
    """Return who is at the meeting (in the room or remote) at `moment`."""
    return frozenset(
        p for p, where in presence_at(records, moment).items() if where in PRESENT_KINDS
    )


# Ballots and outcomes


@dataclass(frozen=True)
class Ballot:
    """One member's vote on one motion; a recusal carries its stated conflict in `reason`.

    `excused` marks an abstention the body consented to (AbstentionPolicy.WITH_CONSENT).
    """

    person_id: PersonId
    value: BallotValue
    reason: str | None = None
    excused: bool = False


@dataclass(frozen=True)
class Outcome:
    """The decided roll call, with an explanation the clerk can read aloud.

    `yes` and `no` are the counted votes (abstentions a body counts are folded in); `abstain`
    counts the abstentions left uncounted. `fallback_result` is the second result of a rule
    with a fallback, when the first failed; `continues_item` says a tie continues the item.
    """

    yes: int
    no: int
    abstain: int
    recused: int
    absent: int
    required: int
    result: MotionResult
    has_quorum: bool
    explanation: str
    fallback_result: MotionResult | None = None
    fallback_required: int | None = None
    continues_item: bool = False
    rule: str = ""

    @property
    def tally(self) -> str:
        return f"{self.yes}-{self.no}"

    @property
    def carried(self) -> bool:
        """Whether the measure was adopted, under the rule or its fallback."""
        return MotionResult.PASSED in (self.result, self.fallback_result)


@dataclass(frozen=True)
class Counts:
    """The numbers a threshold can be taken of, at one roll call."""

    cast: int
    present: int
    present_voting: int
    authorized: int
    filled: int
    recused: int
    full: int
    not_excused: int
    # The seats of the body's seat base, before any recusal leaves the full body.
    seats: int = 0

    def of(self, base: Base) -> int:
        return {
            Base.CAST: self.cast,
            Base.PRESENT: self.present,
            Base.PRESENT_VOTING: self.present_voting,
            Base.FULL: self.full,
            Base.NOT_EXCUSED: self.not_excused,
            Base.FILLED: self.filled,
            Base.AUTHORIZED: self.authorized,
        }[base]


def member_seats(rules: VotingRules, roll: Roll) -> tuple[int, int]:
    """Return (authorized, filled) seats counted as members: the presiding seat only if counted."""
    outside = rules.has_presiding_seat and not rules.presiding_seat_counted
    authorized = rules.seats - (1 if outside else 0)
    filled = rules.seats - roll.vacancies
    if outside and roll.presiding_id is not None:
        filled -= 1
    return authorized, filled


def quorum_base(rules: VotingRules, roll: Roll) -> int:
    """Return the seats quorum is a share of: the seat base, with the presiding seat if counted.

    The presiding seat counts toward quorum as the body says, whether or not it counts as a
    member's seat for thresholds (N.C.G.S. 160A-74: "the actual membership ... plus the mayor").
    """
    authorized, filled = member_seats(rules, roll)
    seats = authorized if rules.seat_base is SeatBase.AUTHORIZED else filled
    if not rules.has_presiding_seat:
        return seats
    # Held when someone presides; full_roll's stand-in presiding officer has the id 0.
    held = roll.presiding_id is not None
    presiding_seat = 1 if rules.seat_base is SeatBase.AUTHORIZED or held else 0
    in_seats = presiding_seat if rules.presiding_seat_counted else 0
    for_quorum = presiding_seat if rules.presiding_counted_for_quorum else 0
    return seats - in_seats + for_quorum


def quorum_required(rules: VotingRules, roll: Roll | None = None) -> int:
    """Return how many members make a quorum; fractions of seats round up (RONR 40:3)."""
    if rules.quorum_rule is QuorumRule.FIXED_NUMBER:
        assert rules.quorum_fixed is not None  # checked in VotingRules.__post_init__
        return rules.quorum_fixed
    seats = rules.seats if roll is None else quorum_base(rules, roll)
    if rules.quorum_rule is QuorumRule.TWO_THIRDS_OF_SEATS:
        return max(-(-seats * 2 // 3), 1)
    return seats // 2 + 1


def quorum_members(
    rules: VotingRules, roll: Roll, recused_ids: PersonIds = ()
) -> frozenset[PersonId]:
    """Return the members who count toward quorum under the body's settings."""
    counts = {Presence.IN_PERSON}
    if not rules.in_person_quorum:
        counts.add(Presence.REMOTE)
    if rules.unexcused_departure_present:
        counts.add(Presence.LEFT_UNEXCUSED)
    counted = {pid for pid, where in roll.presence.items() if where in counts}
    if not rules.recused_count_for_quorum:
        counted -= set(recused_ids)
    if rules.has_presiding_seat and not rules.presiding_counted_for_quorum:
        counted.discard(roll.presiding_id)
    return frozenset(counted)


def quorum_count(rules: VotingRules, present_ids: PersonIds, recused_ids: PersonIds) -> int:
    """Count members present toward quorum, everyone in the room (the simple case)."""
    roll = simple_roll(rules, present_ids, present_ids)
    return len(quorum_members(rules, roll, recused_ids))


def has_quorum(
    rules: VotingRules, present_ids: PersonIds, recused_ids: PersonIds, roll: Roll | None = None
) -> bool:
    """Tell whether the members present make a quorum under the body's rules."""
    roll = roll or simple_roll(rules, present_ids, present_ids)
    return len(quorum_members(rules, roll, recused_ids)) >= quorum_required(rules, roll)


def votes_required(
    threshold: Threshold | str | ThresholdSpec,
    *,
    seats: int,
    present: int,
    recused: int,
    cast: int,
) -> int:
    """Return the yes votes a motion needs in the simple case: every seat filled and counted.

    `present` counts everyone in the room, recused members included; `cast` is yes plus no.
    """
    if min(seats, recused, cast) < 0 or recused + cast > present:
        raise ValueError("Counts need 0 <= recused, 0 <= cast and recused + cast <= present")
    spec = threshold if isinstance(threshold, ThresholdSpec) else parse_spec(str(threshold))
    counts = Counts(
        cast=cast,
        present=present,
        present_voting=present - recused,
        authorized=seats,
        filled=seats,
        recused=recused,
        full=seats,
        not_excused=seats - recused,
        seats=seats,
    )
    return spec.required(counts.of(spec.base))


def check_ballots(
    rules: VotingRules,
    *,
    roster_ids: PersonIds | None = None,
    present_ids: PersonIds | None = None,
    ballots: Iterable[Ballot],
    names: Mapping[PersonId, str] | None = None,
    roll: Roll | None = None,
    quasi_judicial: bool = False,
) -> list[str]:
    """List every reason the rules refuse this roll call; an empty list means it may be recorded.

    Each seated member votes once (PRODUCT.md). Members not present are recorded absent.
    Under CONFLICT_ONLY a member present must vote unless they declare a conflict, which is a
    recusal with its reason and a Form 8B within 15 days (Fla. Stat. 286.012, 112.3143(3)(a));
    in a quasi-judicial proceeding they may instead abstain, saying why, to keep it fair.
    Under WITH_CONSENT an abstention needs the body's leave. The presiding officer who votes
    only on a tie votes only when the others are tied. Quorum is not checked here.
    """
    names = names or {}
    if roll is None:
        roll = simple_roll(rules, roster_ids or (), present_ids or ())
    roster, present = set(roll.presence), set(roll.present)
    policy = rules.abstention_policy
    presiding = roll.presiding_id if rules.has_presiding_seat else None
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
        elif value is BallotValue.NOT_VOTING:
            if pid != presiding or rules.presiding_vote is PresidingVote.ALWAYS:
                problems.append(f"{who} is present and has no recorded vote")
        elif value is BallotValue.RECUSED:
            if not (ballot.reason or "").strip():
                problems.append(f"{who} recused without stating the conflict")
        elif (
            value is BallotValue.ABSTAIN
            and pid == presiding
            and (rules.presiding_vote is not PresidingVote.ALWAYS)
        ):
            problems.append(f"{who} presides; record them as not voting rather than abstaining")
        elif value is BallotValue.ABSTAIN:
            problems += _abstention_problems(policy, ballot, who, quasi_judicial)
        elif pid == presiding and rules.presiding_vote is PresidingVote.NEVER:
            problems.append(f"{who} presides and does not vote on this body")
    if presiding is not None and rules.presiding_vote is PresidingVote.TIE_ONLY:
        # The others' votes as the body counts them: a silence counted yes can end a tie.
        others = [b for b in ballots if b.person_id != presiding and b.person_id in present]
        yes, no, _, _ = _counted_votes(rules, roll, others)
        mine = next((b.value for b in ballots if b.person_id == presiding), None)
        if mine in (BallotValue.YES, BallotValue.NO) and yes != no:
            problems.append(
                f"{_name(presiding, names)} presides and votes only to break a tie; the others "
                f"voted {yes}-{no}"
            )
    for pid in sorted((roster & present) - per_member.keys()):
        problems.append(f"{_name(pid, names)} is present and has no recorded vote")
    return problems


def _abstention_problems(
    policy: AbstentionPolicy, ballot: Ballot, who: str, quasi_judicial: bool
) -> list[str]:
    if policy is AbstentionPolicy.CONFLICT_ONLY:
        if not quasi_judicial:
            return [
                f"{who} cannot abstain. Under this body's rules a member who is present must"
                " vote; abstaining requires declaring a conflict (recusal with a reason)"
            ]
        if not (ballot.reason or "").strip():
            return [
                f"{who} abstains in a quasi-judicial proceeding; say why (to keep the proceeding"
                " fair, Fla. Stat. 286.012)"
            ]
    if policy is AbstentionPolicy.WITH_CONSENT and not ballot.excused:
        return [
            f"{who} cannot abstain without the body's consent; record that the body excused"
            " them, or their vote"
        ]
    return []


# Why an abstention counts as it does, said in the explanation.
ABSTENTION_CITATIONS = {
    AbstentionPolicy.WITH_MAJORITY: "counted with the majority (Kentucky Attorney General)",
    AbstentionPolicy.AS_NO: "counted as no (by charter)",
    AbstentionPolicy.SILENCE_AS_YES: "counted yes (N.C.G.S. 160A-75)",
}


def decide(
    rules: VotingRules,
    *,
    threshold: Threshold | str | ThresholdSpec | ThresholdRule,
    ballots: Iterable[Ballot],
    roster_ids: PersonIds | None = None,
    present_ids: PersonIds | None = None,
    names: Mapping[PersonId, str] | None = None,
    roll: Roll | None = None,
    kind: MotionKind = MotionKind.MAIN,
    quasi_judicial: bool = False,
) -> Outcome:
    """Decide a roll call; raise RuleViolation if `check_ballots` refuses it.

    Without a quorum nothing passes (RONR 40:1). A tie fails (RONR 44:12) except on an appeal,
    where it sustains the chair (RONR 24:3); a body may continue an item tied with members
    absent. `roll` gives the facts; without it, `roster_ids` and `present_ids` (simple case).
    """
    names = names or {}
    ballots = list(ballots)
    if roll is None:
        roll = simple_roll(rules, roster_ids or (), present_ids or ())
    rule = parse_rule(threshold)
    problems = check_ballots(
        rules, ballots=ballots, names=names, roll=roll, quasi_judicial=quasi_judicial
    )
    if problems:
        raise RuleViolation(*problems)
    presiding = roll.presiding_id if rules.has_presiding_seat else None
    present = roll.present
    members = [b for b in ballots if b.person_id in present]
    raw = Counter(b.value for b in members)
    recused_ids = {b.person_id for b in members if b.value is BallotValue.RECUSED}
    # Excused from voting: recused, or abstaining with the body's leave (N.C.G.S. 160A-75).
    excused_ids = recused_ids | {
        b.person_id for b in members if b.value is BallotValue.ABSTAIN and b.excused
    }
    yes, no, counted, departed = _counted_votes(rules, roll, members)
    abstain = raw[BallotValue.ABSTAIN] - counted
    notes = []
    if counted:
        notes.append(
            f"{plural(counted, 'abstention')} {ABSTENTION_CITATIONS[rules.abstention_policy]}"
        )
    if departed:
        notes.append(
            f"{plural(departed, 'member')} who left without being excused counted present"
            " and yes (N.C.G.S. 160A-74, 160A-75)"
        )
    quorate = len(quorum_members(rules, roll, recused_ids)) >= quorum_required(rules, roll)
    counts = _counts(rules, roll, present, recused_ids, excused_ids, yes + no, departed, presiding)
    spec, applied = _applicable(rule, counts)
    required = spec.required(counts.of(spec.base))
    tie = yes == no
    # A member who left unexcused and is counted present and yes is not absent too.
    absent = len(roll.presence) - len(present) - departed
    appeal = kind is MotionKind.APPEAL
    sustained = tie and appeal
    if appeal:
        # The chair's ruling stands unless the threshold votes to overturn it (RONR 24:3): a
        # majority in the negative reverses it, a tie or anything less sustains it.
        passed = quorate and not (no >= required and no > yes)
    else:
        passed = quorate and yes >= required and yes > no
    result = MotionResult.PASSED if passed else MotionResult.FAILED
    tally = f"{yes}-{no}"
    fallback_result = fallback_required = None
    continues = False
    if presiding is not None and raw[BallotValue.NOT_VOTING] == 0:
        mine = next((b.value for b in members if b.person_id == presiding), None)
        if rules.presiding_vote is PresidingVote.TIE_ONLY and mine in (
            BallotValue.YES,
            BallotValue.NO,
        ):
            notes.append(f"{_name(presiding, names)}, presiding, broke a tie")
    if not quorate:
        explanation = _no_quorum(rules, roll, recused_ids)
    elif sustained:
        explanation = f"Passed {tally} (a tie sustains the chair's ruling, RONR 24:3)"
    elif tie:
        explanation = f"Failed {tally} (tie)"
        if rules.tie_continues and kind is MotionKind.MAIN and absent:
            continues = True
            explanation += (
                f" with {plural(absent, 'member')} absent; under the body's rules the item is"
                " continued to a later meeting"
            )
    else:
        verb = "Passed" if passed else "Failed"
        basis = _basis(spec, counts, rules, roll)
        name = f" as {rule.name}" if rule.name else ""
        cite = rule.citation or rules.citation
        basis += f"; {cite}" if cite else ""
        needed = "required to overturn the ruling" if appeal else "required"
        explanation = f"{verb}{name} {tally} ({plural(required, 'vote')} {needed}: {basis})"
        if applied is not None:
            explanation += f"; {_when(applied)}, the threshold is {spec_label(spec).lower()}"
        if not passed and rule.fallback is not None:
            fallback_required = rule.fallback.required(counts.of(rule.fallback.base))
            carried = yes >= fallback_required and yes > no
            fallback_result = MotionResult.PASSED if carried else MotionResult.FAILED
            fallback_basis = _basis(rule.fallback, counts, rules, roll)
            explanation += (
                f". {'Passed' if carried else 'Failed'} as "
                f"{rule.fallback_name or 'the ordinary measure'} "
                f"({plural(fallback_required, 'vote')} required: {fallback_basis})"
            )
    if notes:
        said = "; ".join(notes)
        explanation += f". {said[0].upper()}{said[1:]}"
    return Outcome(
        yes=yes,
        no=no,
        abstain=abstain,
        recused=len(recused_ids),
        absent=absent,
        required=required,
        result=result,
        has_quorum=quorate,
        explanation=explanation,
        fallback_result=fallback_result,
        fallback_required=fallback_required,
        continues_item=continues,
        rule=rule.code,
    )


def tie_continues_item(snap: Mapping[str, Any] | None, kind: MotionKind, yes: int, no: int) -> bool:
    """Tell whether a recorded tie continues its item, by the rules in the vote's snapshot."""
    if not snap or yes != no or kind is not MotionKind.MAIN:
        return False
    roll = roll_from_snapshot(snap)
    return rules_from_snapshot(snap).tie_continues and len(roll.present) < len(roll.presence)


def _counted_votes(
    rules: VotingRules, roll: Roll, members: list[Ballot]
) -> tuple[int, int, int, int]:
    """Return yes and no as the body counts them, the abstentions counted and the departures.

    Abstentions the policy counts are folded in, then members who left without being excused
    count yes when the body says so (N.C.G.S. 160A-74, 160A-75).
    """
    raw = Counter(b.value for b in members)
    yes, no = raw[BallotValue.YES], raw[BallotValue.NO]
    policy = rules.abstention_policy
    counted = _counted_abstentions(policy, members)
    if counted and policy is AbstentionPolicy.WITH_MAJORITY and yes != no:
        yes, no = (yes + counted, no) if yes > no else (yes, no + counted)
    elif counted and policy is AbstentionPolicy.AS_NO:
        no += counted
    elif counted and policy is AbstentionPolicy.SILENCE_AS_YES:
        yes += counted
    else:
        counted = 0
    departed = 0
    if rules.unexcused_departure_present:
        departed = sum(1 for where in roll.presence.values() if where is Presence.LEFT_UNEXCUSED)
    return yes + departed, no, counted, departed


def _counted_abstentions(policy: AbstentionPolicy, members: list[Ballot]) -> int:
    if policy in {AbstentionPolicy.WITH_MAJORITY, AbstentionPolicy.AS_NO}:
        return sum(1 for b in members if b.value is BallotValue.ABSTAIN)
    if policy is AbstentionPolicy.SILENCE_AS_YES:
        return sum(1 for b in members if b.value is BallotValue.ABSTAIN and not b.excused)
    return 0


def _counts(
    rules: VotingRules,
    roll: Roll,
    present: frozenset[PersonId],
    recused_ids: set[PersonId],
    excused_ids: set[PersonId],
    cast: int,
    departed: int,
    presiding: PersonId | None,
) -> Counts:
    authorized, filled = member_seats(rules, roll)
    outside = presiding is not None and not rules.presiding_seat_counted
    members_present = len(present) + departed - (1 if outside and presiding in present else 0)
    recused = len(recused_ids - ({presiding} if outside else set()))
    excused = len(excused_ids - ({presiding} if outside else set()))
    seats = authorized if rules.seat_base is SeatBase.AUTHORIZED else filled
    return Counts(
        cast=cast,
        present=members_present,
        present_voting=members_present - recused,
        authorized=authorized,
        filled=filled,
        recused=recused,
        full=seats - recused if rules.full_body_less_recused else seats,
        not_excused=seats - excused,
        seats=seats,
    )


def _applicable(rule: ThresholdRule, counts: Counts) -> tuple[ThresholdSpec, Condition | None]:
    """Return the threshold that applies, and the condition that chose it (None: the rule's)."""
    for condition in rule.conditions:
        if condition.trigger is Trigger.FEW_PRESENT:
            if counts.present * condition.denominator < condition.numerator * counts.seats:
                return condition.then, condition
        elif counts.filled - counts.recused < rule.spec.required(counts.of(rule.spec.base)):
            return condition.then, condition
    return rule.spec, None


def _no_quorum(rules: VotingRules, roll: Roll, recused_ids: set[PersonId]) -> str:
    counted = len(quorum_members(rules, roll, recused_ids))
    qualifiers = []
    if not rules.recused_count_for_quorum and recused_ids & roll.present:
        qualifiers.append(" and not recused")
    if rules.in_person_quorum and any(w is Presence.REMOTE for w in roll.presence.values()):
        qualifiers.append(" in the room")
    seats = quorum_base(rules, roll)
    if rules.seat_base is SeatBase.FILLED and roll.vacancies:
        seats_said = f"{seats} ({plural(roll.vacancies, 'seat')} vacant)"
    else:
        seats_said = str(seats)
    return (
        f"No quorum: {counted} of {seats_said} members present{''.join(qualifiers)}, "
        f"{quorum_required(rules, roll)} required"
    )


def _basis(spec: ThresholdSpec, counts: Counts, rules: VotingRules, roll: Roll) -> str:
    if spec.votes is not None:
        return f"a fixed {plural(spec.votes, 'vote')}"
    words = spec.words
    floor = f", never less than {spec.floor}" if spec.floor else ""
    n = counts.of(spec.base)
    vacant = f" ({roll.vacancies} vacant)" if roll.vacancies else ""
    if spec.base is Base.CAST:
        text = f"{words} of the {plural(n, 'vote')} cast"
    elif spec.base is Base.PRESENT_VOTING:
        qualifier = " and not recused" if counts.recused else ""
        text = f"{words} of the {plural(n, 'member')} present{qualifier}"
    elif spec.base is Base.PRESENT:
        text = f"{words} of the {plural(n, 'member')} present"
    elif spec.base is Base.FULL:
        kind = "seat" if rules.seat_base is SeatBase.AUTHORIZED else "filled seat"
        seats = counts.authorized if rules.seat_base is SeatBase.AUTHORIZED else counts.filled
        text = f"{words} of the full body of {plural(seats, kind)}"
        if rules.seat_base is SeatBase.FILLED:
            text += vacant
        if rules.full_body_less_recused and counts.recused:
            text += f" less {counts.recused} recused, {n}"
    elif spec.base is Base.NOT_EXCUSED:
        text = f"{words} of the {plural(n, 'member')} not excused from voting"
    elif spec.base is Base.FILLED:
        text = f"{words} of the {plural(n, 'filled seat')}{vacant}"
    else:
        text = f"{words} of the {plural(n, 'authorized seat')}"
    return text + floor


def _name(person_id: PersonId, names: Mapping[PersonId, str]) -> str:
    return names.get(person_id) or f"Member {person_id}"


def prevailing_side(ballots: Iterable[Ballot], result: MotionResult) -> frozenset[PersonId]:
    """Return who voted on the winning side: yes if it passed, no if it failed (RONR §37)."""
    side = BallotValue.YES if result is MotionResult.PASSED else BallotValue.NO
    return frozenset(b.person_id for b in ballots if b.value is side)


def can_move_reconsideration(
    ballots: Iterable[Ballot], result: MotionResult, mover_id: PersonId
) -> bool:
    """Tell whether a member may move to reconsider: only the prevailing side may (RONR §37)."""
    return mover_id in prevailing_side(ballots, result)


# The rule a vote was decided under, kept with it


def snapshot(
    rules: VotingRules,
    rule: ThresholdRule | str,
    roll: Roll,
    *,
    kind: MotionKind = MotionKind.MAIN,
    quasi_judicial: bool = False,
) -> dict[str, Any]:
    """Return the rules and facts a vote is decided under, as JSON-ready data."""
    settings = {k: (v.value if isinstance(v, StrEnum) else v) for k, v in asdict(rules).items()}
    return {
        "rules": settings,
        "threshold": parse_rule(rule).code,
        "kind": kind.value,
        "quasi_judicial": quasi_judicial,
        "seats": roll.seats,
        "vacancies": roll.vacancies,
        "presiding_id": roll.presiding_id,
        "presence": {str(pid): where.value for pid, where in sorted(roll.presence.items())},
    }


_SETTING_TYPES = {
    "quorum_rule": QuorumRule,
    "abstention_policy": AbstentionPolicy,
    "seat_base": SeatBase,
    "presiding_vote": PresidingVote,
}


def rules_from_snapshot(data: Mapping[str, Any]) -> VotingRules:
    """Read the body's settings back from a vote's snapshot."""
    settings = {
        k: _SETTING_TYPES[k](v) if k in _SETTING_TYPES else v
        for k, v in data["rules"].items()
        if k in VotingRules.__dataclass_fields__
    }
    return VotingRules(**settings)


def roll_from_snapshot(data: Mapping[str, Any]) -> Roll:
    """Read the facts of a roll call back from a vote's snapshot."""
    return Roll(
        seats=int(data["seats"]),
        vacancies=int(data["vacancies"]),
        presiding_id=data.get("presiding_id"),
        presence={int(pid): Presence(where) for pid, where in data["presence"].items()},
    )


# When the presiding officer votes, in words: "The Mayor (seat 1) presides and votes ...".
PRESIDING_WORDS = {
    PresidingVote.ALWAYS: "votes like any member",
    PresidingVote.TIE_ONLY: "votes only to break a tie",
    PresidingVote.NEVER: "does not vote",
}

# The abstention policy in a few words, for the rule printed with each vote.
ABSTENTION_WORDS = {
    AbstentionPolicy.ALLOWED: "abstentions are not counted",
    AbstentionPolicy.CONFLICT_ONLY: "members present vote unless in conflict",
    AbstentionPolicy.WITH_MAJORITY: "abstentions count with the majority",
    AbstentionPolicy.AS_NO: "abstentions count as no",
    AbstentionPolicy.WITH_CONSENT: "abstaining needs the body's leave",
    AbstentionPolicy.SILENCE_AS_YES: "a member present who does not vote counts yes",
}


def snapshot_sentence(data: Mapping[str, Any] | None) -> str:
    """Say the rule a vote was decided under, for the minutes; '' for votes before snapshots.

    'Rule: majority of members present; quorum 4 of 7 seats; members present vote unless in
    conflict (Fla. Stat. 286.012).'
    """
    if not data:
        return ""
    rules = rules_from_snapshot(data)
    roll = roll_from_snapshot(data)
    words = rule_label(data["threshold"])
    seats = quorum_base(rules, roll)
    parts = [
        f"Rule: {words[0].lower()}{words[1:]}",
        f"quorum {quorum_required(rules, roll)} of {plural(seats, 'seat')}",
    ]
    if roll.vacancies:
        parts.append(f"{roll.vacancies} vacant")
    if rules.has_presiding_seat and rules.presiding_vote is not PresidingVote.ALWAYS:
        parts.append(f"the presiding officer {PRESIDING_WORDS[rules.presiding_vote]}")
    parts.append(ABSTENTION_WORDS[rules.abstention_policy])
    sentence = "; ".join(parts)
    return f"{sentence} ({rules.citation})." if rules.citation else f"{sentence}."


# Motions that dispose of or delay a question need only a majority of votes cast (RONR §17,
# §14); legislation itself follows the body's main-motion rule (majority of members present).
_DEFAULT_THRESHOLDS = {
    MotionKind.TABLE: "majority:cast",
    MotionKind.CONTINUE: "majority:cast",
    MotionKind.RECONSIDER: "majority:cast",
    MotionKind.AMENDMENT: "majority:cast",
    MotionKind.SUBSTITUTE: "majority:cast",
    MotionKind.APPEAL: "majority:cast",
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
) -> str:
    """Return the threshold code a motion gets unless the clerk chooses another.

    A body's `overrides` (key by threshold_key -> threshold code) win; missing or unreadable
    values keep the engine's defaults.
    """
    key = threshold_key(kind, (matter_type or "legislation") if is_legislation else None)
    chosen = (overrides or {}).get(key)
    if isinstance(chosen, str) and is_threshold(chosen):
        return ALIASES.get(chosen, chosen)
    if kind is MotionKind.MAIN:
        return "majority:present_voting" if is_legislation else "majority:cast"
    return _DEFAULT_THRESHOLDS[kind]


def default_motion_text(kind: MotionKind, item_number: str) -> str:
    """The usual words of a motion the clerk leaves blank; amendments always need their own."""
    return {
        MotionKind.MAIN: f"Move to approve item {item_number}.",
        MotionKind.TABLE: f"Move to table item {item_number}.",
        MotionKind.CONTINUE: f"Move to continue item {item_number} to a later meeting.",
        MotionKind.RECONSIDER: f"Move to reconsider the vote on item {item_number}.",
        MotionKind.APPEAL: "Shall the decision of the chair be sustained?",
    }.get(kind, "")


def decides_item(kind: MotionKind) -> bool:
    """Whether the roll call on this kind of motion decides the item itself (adopt or fail)."""
    return kind is MotionKind.MAIN


def item_outcome(result: MotionResult, fallback: MotionResult | None = None) -> Disposition:
    """The item's disposition when its main motion passes or fails (or passes as a fallback)."""
    carried = MotionResult.PASSED in (result, fallback)
    return Disposition.ADOPTED if carried else Disposition.FAILED


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


def consent_ballots(
    present_ids: PersonIds,
    recusals: Mapping[PersonId, str],
    *,
    presiding_id: PersonId | None = None,
    presiding_vote: PresidingVote = PresidingVote.ALWAYS,
) -> list[Ballot]:
    """Return the ballots of a vote without objection: every member present yes, but recusals.

    A presiding officer who votes only on a tie, or never, is recorded as not voting.
    """
    ballots = []
    for pid in sorted(present_ids):
        if pid in recusals:
            ballots.append(Ballot(pid, BallotValue.RECUSED, recusals[pid]))
        elif pid == presiding_id and presiding_vote is not PresidingVote.ALWAYS:
            ballots.append(Ballot(pid, BallotValue.NOT_VOTING))
        else:
            ballots.append(Ballot(pid, BallotValue.YES))
    return ballots


def quorum_sentence(
    seats: int, rule: QuorumRule, fixed: int | None, rules: VotingRules | None = None
) -> str:
    """Say what a quorum rule means for a body of `seats`: 'With 7 seats, quorum is 4.'"""
    if rule is QuorumRule.FIXED_NUMBER and (fixed is None or not 1 <= fixed <= seats):
        return f"A fixed quorum must be between 1 and {seats}."
    fixed = fixed if rule is QuorumRule.FIXED_NUMBER else None
    rules = replace(
        rules or VotingRules(seats=seats), seats=seats, quorum_rule=rule, quorum_fixed=fixed
    )
    roll = full_roll(rules)
    counted = quorum_base(rules, roll)
    counted_said = "" if counted == seats else f" ({counted} counted for quorum)"
    return f"With {seats} seats{counted_said}, quorum is {quorum_required(rules, roll)}."


ABSTENTION_SENTENCES = {
    AbstentionPolicy.ALLOWED: "A member present may abstain; an abstention is not a yes or a no.",
    AbstentionPolicy.CONFLICT_ONLY: (
        "A member present must vote yes or no unless they declare a conflict; in a"
        " quasi-judicial proceeding they may abstain to keep it fair (Fla. Stat. 286.012)."
    ),
    AbstentionPolicy.WITH_MAJORITY: "An abstention is counted with the majority.",
    AbstentionPolicy.AS_NO: "An abstention is counted as a no.",
    AbstentionPolicy.WITH_CONSENT: (
        "A member present may abstain only when the body excuses them; the abstention is not"
        " counted."
    ),
    AbstentionPolicy.SILENCE_AS_YES: (
        "A member present who does not vote, unless excused, is recorded as voting yes"
        " (N.C.G.S. 160A-75)."
    ),
}


def abstention_sentence(policy: AbstentionPolicy) -> str:
    """Say in one line what an abstention policy means for a member present."""
    return ABSTENTION_SENTENCES[policy]
