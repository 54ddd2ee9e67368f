"""A member's public record as pure logic: ballot filters, the majority rule, attendance, CSV cells.

No web or database imports: the queries of agenda/votes/history.py feed these plain values.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from agenda.bodies.rules import EARLIEST_DAY, LATEST_DAY
from agenda.errors import Refused
from agenda.votes.rules import BallotValue, MotionResult, VoteMethod

BALLOTS_PER_PAGE = 100
# Filters a visitor can choose; every value a ballot can hold.
VALUE_CHOICES = tuple(BallotValue)


class BadFilter(Refused):
    """A filter in the address that names nothing the record holds (answered with 400)."""

    status = 400


@dataclass(frozen=True)
class BallotFilters:
    """Which of a member's ballots to show: one body, one year, one value; a page of them."""

    body_id: int | None = None
    year: int | None = None
    value: BallotValue | None = None
    page: int = 1

    def args(self, **changes: object) -> dict[str, object]:
        """Return the filters as query parameters (the set ones only), with `changes`."""
        fields = {"body": self.body_id, "year": self.year, "value": self.value, "page": self.page}
        fields.update(changes)
        if fields.get("page") == 1:
            fields.pop("page")
        return {k: (v.value if isinstance(v, BallotValue) else v) for k, v in fields.items() if v}


def _whole(args: Mapping[str, str], name: str, label: str) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or not raw.isascii():
        raise BadFilter(f"The {label} in the address must be a whole number, not {raw[:40]!r}.")
    return int(raw)


def parse_filters(args: Mapping[str, str], body_ids: Collection[int]) -> BallotFilters:
    """Read the filters of a member's ballots from the query string; refuse what names nothing.

    `body_ids` are the bodies the member sat on: any other body is refused.
    """
    body_id = _whole(args, "body", "body")
    if body_id is not None and body_id not in body_ids:
        raise BadFilter(f"This member never sat on a body numbered {body_id}. Choose one listed.")
    year = _whole(args, "year", "year")
    if year is not None and not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        raise BadFilter(f"Choose a year from {EARLIEST_DAY.year} to {LATEST_DAY.year}.")
    raw_value = (args.get("value") or "").strip()
    try:
        value = BallotValue(raw_value) if raw_value else None
    except ValueError:
        choices = ", ".join(v.value for v in VALUE_CHOICES)
        raise BadFilter(f"Unknown vote {raw_value[:40]!r}: choose one of {choices}.") from None
    page = _whole(args, "page", "page number")
    if page is not None and page < 1:
        raise BadFilter("Pages are numbered from 1.")
    return BallotFilters(body_id, year, value, page or 1)


def percent(part: int, whole: int) -> int | None:
    """Return `part` of `whole` as a whole percent (rounded half up), or None when whole is 0."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


def with_majority(value: BallotValue, result: MotionResult, method: VoteMethod) -> bool | None:
    """Tell whether a ballot sided with the outcome; None when the ballot does not count.

    Only decided roll calls count (a motion carried without objection has no sides), and only
    a yes or a no: a yes on a motion that passed or a no on one that failed is with the
    majority. Abstentions, recusals, absences and a presiding officer not voting are left out.
    """
    if method is not VoteMethod.ROLL_CALL or value not in (BallotValue.YES, BallotValue.NO):
        return None
    return (value is BallotValue.YES) == (result is MotionResult.PASSED)


@dataclass(frozen=True)
class Share:
    """A count out of a whole, with its percent (None when the whole is 0)."""

    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        return percent(self.part, self.whole)


@dataclass(frozen=True)
class BallotGroup:
    """How many ballots had one value on roll calls of one method and result."""

    value: BallotValue
    result: MotionResult
    method: VoteMethod
    count: int


def majority_share(groups: Iterable[BallotGroup]) -> Share:
    """Return the ballots with the majority out of the ballots that count (`with_majority`)."""
    agreed = counted = 0
    for group in groups:
        sided = with_majority(group.value, group.result, group.method)
        if sided is None:
            continue
        counted += group.count
        agreed += group.count if sided else 0
    return Share(agreed, counted)


def value_counts(groups: Iterable[BallotGroup]) -> dict[BallotValue, int]:
    """Return how many ballots had each value (every value present, zero or not)."""
    counts = dict.fromkeys(VALUE_CHOICES, 0)
    for group in groups:
        counts[group.value] += group.count
    return counts


@dataclass(frozen=True)
class TermSpan:
    """A term's body and dates (inclusive; `ends_on` None while it runs)."""

    body_id: int
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting held (called to order), its local date, and whether the member was there."""

    body_id: int
    on: date
    is_present: bool


def during(span: TermSpan, body_id: int, day: date) -> bool:
    """Tell whether `day` falls within a term on `body_id`."""
    return (
        span.body_id == body_id
        and span.starts_on <= day
        and (span.ends_on is None or day <= span.ends_on)
    )


def attendance_share(meetings: Iterable[HeldMeeting], terms: Iterable[TermSpan]) -> Share:
    """Return meetings attended out of the meetings held on the member's bodies during their terms.

    A meeting outside every term is not held against the member (nor counted if they came).
    """
    spans = list(terms)
    present = held = 0
    for meeting in meetings:
        if any(during(span, meeting.body_id, meeting.on) for span in spans):
            held += 1
            present += meeting.is_present
    return Share(present, held)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Return text safe to open in a spreadsheet: a leading apostrophe before a formula start."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def result_words(result: MotionResult, method: VoteMethod, yes: int, no: int) -> str:
    """Say how a vote came out: 'Passed 6-1', or 'Carried without objection'."""
    if method is VoteMethod.UNANIMOUS_CONSENT:
        return "Carried without objection"
    return f"{result.value.capitalize()} {yes}-{no}"
