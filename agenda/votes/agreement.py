"""How often members voted alike: pair counts from ballots, the matrix, the period it covers.

Pure logic: only roll calls where both members of a pair voted yes or no count; an
abstention, a recusal or an absence says nothing about agreement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from agenda.timefmt import format_day

# Values that take a side; the others (abstain, recused, absent, not voting) are left out.
SIDES = frozenset({"yes", "no"})
# Below this many roll calls in the last twelve months, the matrix covers the whole record.
FEWEST_ROLL_CALLS = 10


@dataclass(frozen=True)
class PairCount:
    """Roll calls where both members voted yes or no (`shared`), and how many alike."""

    shared: int = 0
    alike: int = 0

    @property
    def percent(self) -> int | None:
        return agreement_percent(self.alike, self.shared)


def agreement_percent(alike: int, shared: int) -> int | None:
    """Return `alike` of `shared` as a whole percent (half rounds up), None when none shared."""
    if shared <= 0:
        return None
    return (200 * alike + shared) // (2 * shared)


def pair_key(first: int, second: int) -> tuple[int, int]:
    """Return a pair of person ids in the order the counts are kept: smaller first."""
    return (first, second) if first < second else (second, first)


def count_pairs(ballots: Iterable[tuple[int, int, str]]) -> dict[tuple[int, int], PairCount]:
    """Count, in one pass over (vote id, person id, value) ballots, each pair's agreement."""
    sides: dict[int, dict[int, str]] = defaultdict(dict)
    for vote_id, person_id, value in ballots:
        if str(value) in SIDES:
            sides[vote_id][person_id] = str(value)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    alike: dict[tuple[int, int], int] = defaultdict(int)
    for votes in sides.values():
        people = sorted(votes)
        for i, first in enumerate(people):
            for second in people[i + 1 :]:
                shared[first, second] += 1
                alike[first, second] += votes[first] == votes[second]
    return {key: PairCount(shared[key], alike[key]) for key in shared}


# Members beyond this many do not fit the masks of `count_patterns` (64-bit sums).
MOST_MEMBERS = 62


def count_patterns(
    person_ids: Sequence[int], patterns: Iterable[tuple[int, int, int]]
) -> dict[tuple[int, int], PairCount]:
    """Count each pair's agreement from side patterns: (yes mask, no mask, roll calls).

    Bit k of a mask is `person_ids[k]`; the database groups roll calls by who voted yes and
    who voted no, so a record of any length arrives as a few hundred patterns.
    """
    shared: dict[tuple[int, int], int] = defaultdict(int)
    alike: dict[tuple[int, int], int] = defaultdict(int)
    bits = [(person_id, 1 << k) for k, person_id in enumerate(person_ids)]
    for yes, no, roll_calls in patterns:
        sided = yes | no
        for i, (first, first_bit) in enumerate(bits):
            if not sided & first_bit:
                continue
            for second, second_bit in bits[i + 1 :]:
                if sided & second_bit:
                    key = pair_key(first, second)
                    shared[key] += roll_calls
                    alike[key] += roll_calls * (bool(yes & first_bit) == bool(yes & second_bit))
    return {key: PairCount(shared[key], alike[key]) for key in shared}


@dataclass(frozen=True)
class Cell:
    """One cell of the matrix: the member of the row against the member of the column."""

    row: int
    column: int
    count: PairCount | None  # None on the diagonal: a member against themselves

    @property
    def percent(self) -> int | None:
        return self.count.percent if self.count is not None else None

    @property
    def label(self) -> str:
        """Return what the cell prints: '86%', 'none' when no roll call was shared, '—'."""
        if self.count is None:
            return "\N{EM DASH}"
        return "none" if self.percent is None else f"{self.percent}%"

    @property
    def detail(self) -> str:
        """Return '12 of 14', or '' where there is nothing to count."""
        if self.count is None or not self.count.shared:
            return ""
        return f"{self.count.alike} of {self.count.shared}"


@dataclass(frozen=True)
class Matrix:
    """Members (person id, name) in order, and a row of cells for each."""

    members: tuple[tuple[int, str], ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def is_empty(self) -> bool:
        return all(c.count is None or not c.count.shared for row in self.rows for c in row)


def agreement_matrix(
    members: Sequence[tuple[int, str]], counts: Mapping[tuple[int, int], PairCount]
) -> Matrix:
    """Return the symmetric matrix of `members` from pair counts keyed by `pair_key`."""
    rows = []
    for row_id, _ in members:
        cells = []
        for column_id, _ in members:
            count = None
            if row_id != column_id:
                count = counts.get(pair_key(row_id, column_id), PairCount())
            cells.append(Cell(row_id, column_id, count))
        rows.append(tuple(cells))
    return Matrix(tuple(members), tuple(rows))


class PeriodKind(StrEnum):
    YEAR = "year"
    LAST_TWELVE_MONTHS = "last_twelve_months"
    ALL_TIME = "all_time"


@dataclass(frozen=True)
class Period:
    """The days (inclusive; `first` None: from the start of the record) the matrix covers."""

    kind: PeriodKind
    first: date | None
    last: date


def year_period(year: int) -> Period:
    """Return the calendar year `year`."""
    return Period(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))


def twelve_months_to(day: date) -> Period:
    """Return the twelve months that end on `day` (from the same date a year before, next day)."""
    try:
        year_before = day.replace(year=day.year - 1)
    except ValueError:  # February 29
        year_before = day.replace(year=day.year - 1, day=28)
    return Period(PeriodKind.LAST_TWELVE_MONTHS, year_before + timedelta(days=1), day)


def default_period(day: date, roll_calls_in_twelve_months: int) -> Period:
    """Return the last twelve months to `day`, or all the record to `day` when they hold few."""
    if roll_calls_in_twelve_months >= FEWEST_ROLL_CALLS:
        return twelve_months_to(day)
    return Period(PeriodKind.ALL_TIME, None, day)


def period_words(period: Period) -> str:
    """Say the period: 'in 2025', 'in the twelve months to June 1, 2026'."""
    if period.kind is PeriodKind.YEAR:
        return f"in {period.last.year}"
    if period.kind is PeriodKind.LAST_TWELVE_MONTHS:
        return f"in the twelve months to {format_day(period.last)}"
    return f"in the whole record to {format_day(period.last)}"
