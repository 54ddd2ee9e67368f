"""Body rules: the voting settings a body stores, seats and terms, and how a member is named."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class QuorumRule(StrEnum):
    MAJORITY_OF_SEATS = "majority_of_seats"
    TWO_THIRDS_OF_SEATS = "two_thirds_of_seats"
    FIXED_NUMBER = "fixed_number"


class AbstentionPolicy(StrEnum):
    ALLOWED = "allowed"
    CONFLICT_ONLY = "conflict_only"


class BodyKind(StrEnum):
    COMMISSION = "commission"
    BOARD = "board"
    COMMITTEE = "committee"


class TermStart(StrEnum):
    """How a person came to hold a seat."""

    ELECTED = "elected"
    APPOINTED = "appointed"
    REINSTATED = "reinstated"  # back after a suspension


class TermEnd(StrEnum):
    """Why a term ended; a suspended member's seat is vacant until reinstatement or a successor."""

    EXPIRED = "expired"
    RESIGNED = "resigned"
    DIED = "died"
    REMOVED = "removed"
    SUSPENDED = "suspended"


class RulesPreset(StrEnum):
    """A state's usual voting settings, which a new body starts from."""

    FLORIDA = "florida"
    GENERAL = "general"


@dataclass(frozen=True)
class PresetSettings:
    """The settings a new body starts with under a preset."""

    label: str
    quorum_rule: QuorumRule
    abstention_policy: AbstentionPolicy
    is_recused_counted_for_quorum: bool
    notice_hours_regular: int
    notice_hours_special: int


PRESETS: dict[RulesPreset, PresetSettings] = {
    # Fla. Stat. 286.012: a member present must vote unless a conflict is declared.
    RulesPreset.FLORIDA: PresetSettings(
        label="Florida (Fla. Stat. 286.012: members present vote unless in conflict)",
        quorum_rule=QuorumRule.MAJORITY_OF_SEATS,
        abstention_policy=AbstentionPolicy.CONFLICT_ONLY,
        is_recused_counted_for_quorum=True,
        notice_hours_regular=168,
        notice_hours_special=24,
    ),
    # Robert's Rules of Order, Newly Revised: a majority of the members is a quorum (§40),
    # and a member may abstain (§45).
    RulesPreset.GENERAL: PresetSettings(
        label="General (Robert's Rules: abstaining allowed)",
        quorum_rule=QuorumRule.MAJORITY_OF_SEATS,
        abstention_policy=AbstentionPolicy.ALLOWED,
        is_recused_counted_for_quorum=True,
        notice_hours_regular=72,
        notice_hours_special=24,
    ),
}


def seat_name(title: str, name: str) -> str:
    """Name a member by seat, as the record reads: 'Commissioner Sam Kaufman'."""
    return f"{title} {name}"


def choice_name(title: str, name: str) -> str:
    """Name a member name first, for a list to choose from: 'Sam Kaufman (Commissioner)'."""
    return f"{name} ({title})"


# People and terms: who holds which seat from when to when, and the roster that follows.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)
PERSON_NAME_MAX = 200
PERSON_EMAIL_MAX = 320


@dataclass(frozen=True)
class Term:
    """A seat held by a person from one day to another (inclusive; None: open-ended)."""

    seat: int
    person_id: int
    starts_on: date
    ends_on: date | None = None
    start_reason: TermStart = TermStart.ELECTED
    end_reason: TermEnd | None = None
    person_name: str = ""

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def overlaps(self, other: Term) -> bool:
        last = self.ends_on or LATEST_DAY
        other_last = other.ends_on or LATEST_DAY
        return self.starts_on <= other_last and other.starts_on <= last


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def term_span(term: Term) -> str:
    """Say a term's dates: 'from May 1, 2026 to June 30, 2026' or 'from May 1, 2026 on'."""
    if term.ends_on is None:
        return f"from {_day(term.starts_on)} on"
    return f"from {_day(term.starts_on)} to {_day(term.ends_on)}"


def term_problems(new: Term, others: Iterable[Term], voted_days: Iterable[date] = ()) -> list[str]:
    """List every reason the body cannot record `new` beside its `others` (empty: it can).

    `voted_days` are the local days on which the person cast ballots on this body; after the
    change some term of theirs (this one or another) must still cover each of them.
    """
    problems = []
    for day in (new.starts_on, new.ends_on):
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            problems.append(
                f"{_day(day)} is out of range; dates run from {EARLIEST_DAY.year} "
                f"to {LATEST_DAY.year}."
            )
    if new.ends_on is not None and new.ends_on < new.starts_on:
        problems.append(
            f"The term ends on {_day(new.ends_on)}, before it starts on {_day(new.starts_on)}."
        )
        return problems
    others = list(others)
    for other in others:
        if other.seat == new.seat and new.overlaps(other):
            problems.append(
                f"Seat {other.seat} is held by {other.person_name or 'another person'} "
                f"{term_span(other)}."
            )
        elif other.person_id == new.person_id and new.overlaps(other):
            problems.append(
                f"{other.person_name or 'This person'} already holds seat {other.seat} "
                f"{term_span(other)}; a person holds one seat of a body at a time."
            )
    own = [t for t in others if t.person_id == new.person_id] + [new]
    name = new.person_name or "This person"
    for day in sorted(set(voted_days)):
        if not any(t.covers(day) for t in own):
            problems.append(f"{name} voted on {_day(day)}; a term must cover that day.")
    return problems


def uncovered_days(terms: Iterable[Term], voted_days: Iterable[date]) -> list[date]:
    """Return the voted days no term covers (a term cannot be removed while this is not empty)."""
    terms = list(terms)
    return sorted(d for d in set(voted_days) if not any(t.covers(d) for t in terms))


@dataclass(frozen=True)
class RosterSeat:
    """A seat on a day: its holder's term, or None and why it is vacant."""

    number: int
    title: str
    term: Term | None
    vacancy: str = ""

    @property
    def is_vacant(self) -> bool:
        return self.term is None


def roster_on(
    day: date, seats: Iterable[tuple[int, str]], terms: Iterable[Term]
) -> list[RosterSeat]:
    """Return each seat on `day` with its holder, or 'Vacant' and why, in seat order."""
    terms = list(terms)
    rows = []
    for number, title in sorted(seats):
        held = [t for t in terms if t.seat == number]
        holder = min((t for t in held if t.covers(day)), key=lambda t: t.starts_on, default=None)
        if holder is not None:
            rows.append(RosterSeat(number, title, holder))
            continue
        before = [t for t in held if t.ends_on is not None and t.ends_on < day]
        if not before:
            rows.append(RosterSeat(number, title, None, "Vacant: never filled"))
            continue
        last = max(before, key=lambda t: t.ends_on or LATEST_DAY)
        since = (last.ends_on or LATEST_DAY) + timedelta(days=1)
        why = (last.end_reason or TermEnd.EXPIRED).value
        who = last.person_name or "the last holder"
        rows.append(RosterSeat(number, title, None, f"Vacant since {_day(since)}: {who} {why}"))
    return rows
