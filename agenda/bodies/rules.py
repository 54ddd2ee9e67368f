"""Body rules: the voting settings a body stores, seats and terms, and how a member is named."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class QuorumRule(StrEnum):
    MAJORITY_OF_SEATS = "majority_of_seats"
    TWO_THIRDS_OF_SEATS = "two_thirds_of_seats"
    FIXED_NUMBER = "fixed_number"


class AbstentionPolicy(StrEnum):
    """What a member present who votes neither yes nor no does to the result."""

    ALLOWED = "allowed"  # RONR §45: an abstention is not a vote and is not counted
    # Fla. Stat. 286.012: a member present votes unless in conflict (a recusal, Form 8B); in a
    # quasi-judicial proceeding a member may abstain to keep it fair, without a Form 8B.
    CONFLICT_ONLY = "conflict_only"
    WITH_MAJORITY = "with_majority"  # Kentucky Attorney General: counted with the majority
    AS_NO = "as_no"  # some Texas home-rule charters: an abstention counts as a no
    WITH_CONSENT = "with_consent"  # abstaining only when the body excuses the member
    # N.C.G.S. 160A-75: a member present who fails to vote, not excused, is recorded yes.
    SILENCE_AS_YES = "silence_as_yes"


# One default, stated once: the Body column and the rules engine both start from it.
DEFAULT_ABSTENTION = AbstentionPolicy.ALLOWED


class SeatBase(StrEnum):
    """What "the full body" counts: every authorized seat, or only the seats filled that day."""

    AUTHORIZED = "authorized"  # N.Y. General Construction Law 41: "the whole number"
    FILLED = "filled"  # N.C.G.S. 160A-74: "the actual membership ... excluding vacant seats"


class PresidingVote(StrEnum):
    """When the presiding officer (a mayor or chair) votes."""

    ALWAYS = "always"
    TIE_ONLY = "tie_only"  # N.C.G.S. 160A-69: the mayor votes only on an equal division
    NEVER = "never"


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
    """A jurisdiction's usual voting settings, which a new body starts from and may then edit.

    FLORIDA leaves recused members out of quorum by default, following the Third District Court
    of Appeal in Chernoff v. City of North Miami Beach (2024), which held void a vote whose
    quorum counted them; a 1975 Attorney General opinion counted them, and a body may still.
    """

    GENERAL = "general"
    FLORIDA = "florida"
    NORTH_CAROLINA = "north_carolina"
    CALIFORNIA = "california"
    MINNESOTA = "minnesota"


@dataclass(frozen=True)
class PresetSettings:
    """The settings a new body starts with under a preset, and the law they come from.

    `default_thresholds` maps votes.rules.threshold_key to a threshold code (votes.rules);
    `seat_titles` is the usual make-up of such a body, offered when none is given.
    """

    label: str
    citation: str
    quorum_rule: QuorumRule
    abstention_policy: AbstentionPolicy
    is_recused_counted_for_quorum: bool
    notice_hours_regular: int
    notice_hours_special: int
    seat_base: SeatBase = SeatBase.AUTHORIZED
    is_full_body_less_recused: bool = False
    # The seat whose holder presides (the mayor's, seat 1 of `seat_titles`), if any.
    presiding_seat: int | None = None
    presiding_vote: PresidingVote = PresidingVote.ALWAYS
    is_presiding_counted_for_quorum: bool = True
    is_presiding_seat_counted: bool = True
    is_in_person_quorum: bool = False
    is_unexcused_departure_present: bool = False
    is_tie_continued: bool = False
    default_thresholds: dict[str, str] = field(default_factory=dict)
    seat_titles: tuple[str, ...] = ()


PRESETS: dict[RulesPreset, PresetSettings] = {
    # Robert's Rules of Order Newly Revised (12th ed.): quorum a majority of the membership
    # (40:3), a majority is more than half the votes cast (44:1), abstentions are not votes
    # (45:3), a tie fails (44:12) and the chair, a member, may vote to make or break a tie.
    RulesPreset.GENERAL: PresetSettings(
        label="Robert's Rules default (abstaining allowed)",
        citation="RONR (12th ed.) 40:3, 44:1, 45:3",
        quorum_rule=QuorumRule.MAJORITY_OF_SEATS,
        abstention_policy=AbstentionPolicy.ALLOWED,
        is_recused_counted_for_quorum=True,
        notice_hours_regular=72,
        notice_hours_special=24,
        default_thresholds={"main:none": "majority:cast"},
    ),
    # A Florida city commission, Key West's: a mayor and six commissioners, seven votes, four a
    # quorum. Fla. Stat. 286.012: members present vote unless in conflict, abstaining allowed
    # in quasi-judicial proceedings. Recused members do not count toward quorum, following
    # Chernoff v. City of North Miami Beach (Fla. 3d DCA 2024), which voided a vote counted
    # otherwise; a 1975 Attorney General opinion counted them, and a body may still choose so.
    RulesPreset.FLORIDA: PresetSettings(
        label="Florida city commission (Key West: mayor and six commissioners)",
        citation="Fla. Stat. 286.012; Chernoff v. City of North Miami Beach (Fla. 3d DCA 2024)",
        quorum_rule=QuorumRule.MAJORITY_OF_SEATS,
        abstention_policy=AbstentionPolicy.CONFLICT_ONLY,
        is_recused_counted_for_quorum=False,
        notice_hours_regular=168,
        notice_hours_special=24,
        default_thresholds={"main:ordinance": "majority:present_voting"},
        presiding_seat=1,
        seat_titles=("Mayor",) + ("Commissioner",) * 6,
    ),
    # N.C.G.S. 160A-74 (quorum: a majority of the actual membership plus the mayor, vacant
    # seats excluded; a member who leaves unexcused counts present), 160A-75 (failure to vote
    # is a yes; ordinances need a majority of the members not excused), 160A-69 (the mayor
    # votes only to break a tie).
    RulesPreset.NORTH_CAROLINA: PresetSettings(
        label="North Carolina city council (mayor votes only on a tie)",
        citation="N.C.G.S. 160A-69, 160A-74, 160A-75",
        quorum_rule=QuorumRule.MAJORITY_OF_SEATS,
        abstention_policy=AbstentionPolicy.SILENCE_AS_YES,
        is_recused_counted_for_quorum=True,
        notice_hours_regular=48,
        notice_hours_special=48,
        seat_base=SeatBase.FILLED,
        is_full_body_less_recused=True,
        presiding_seat=1,
        presiding_vote=PresidingVote.TIE_ONLY,
        is_presiding_counted_for_quorum=True,
        is_presiding_seat_counted=False,
        is_unexcused_departure_present=True,
        default_thresholds={
            "main:ordinance": "majority:not_excused",
            "main:resolution": "majority:not_excused",
        },
        seat_titles=("Mayor",) + ("Council Member",) * 5,
    ),
    # Cal. Gov. Code 36810 (a majority of the council is a quorum), 36936 (ordinances and
    # resolutions need a majority of the total membership), 36937 (an urgency ordinance needs
    # four-fifths), 54954.2(b)(2) (an item not on the agenda: two-thirds of members present,
    # or all of them when fewer than two-thirds are present); Brown Act notice 72 hours.
    RulesPreset.CALIFORNIA: PresetSettings(
        label="California city council (majority of the total membership)",
        citation="Cal. Gov. Code 36810, 36936, 36937, 54954.2",
        quorum_rule=QuorumRule.MAJORITY_OF_SEATS,
        abstention_policy=AbstentionPolicy.ALLOWED,
        is_recused_counted_for_quorum=False,
        notice_hours_regular=72,
        notice_hours_special=24,
        default_thresholds={
            "main:ordinance": "majority:full",
            "main:resolution": "majority:full",
        },
        presiding_seat=1,
        seat_titles=("Mayor",) + ("Council Member",) * 4,
    ),
    # Minn. Stat. 412.191 subd. 1: a majority of all the members is a quorum, and the mayor
    # presides and votes; ordinances need a majority of all the members (subd. 4), motions and
    # resolutions a majority of those present. "All the members" counts the seats filled, and
    # Minnesota case law on disqualified members leaves recused members out of it.
    RulesPreset.MINNESOTA: PresetSettings(
        label="Minnesota city council (statutory city)",
        citation="Minn. Stat. 412.191 subd. 1, 4",
        quorum_rule=QuorumRule.MAJORITY_OF_SEATS,
        abstention_policy=AbstentionPolicy.ALLOWED,
        is_recused_counted_for_quorum=True,
        notice_hours_regular=72,
        notice_hours_special=72,
        seat_base=SeatBase.FILLED,
        is_full_body_less_recused=True,
        default_thresholds={
            "main:ordinance": "majority:full",
            "main:resolution": "majority:present_voting",
        },
        presiding_seat=1,
        seat_titles=("Mayor",) + ("Council Member",) * 4,
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
