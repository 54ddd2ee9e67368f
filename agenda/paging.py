"""Lists a page at a time: reading page numbers and filters from an address, and page links.

Pure: no flask, no sqlalchemy. A value no list can use raises `BadValue` (answered 400 with
its message); a view turns the numbers into LIMIT and OFFSET and the links into a nav.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, TypeVar

from agenda.errors import Refused

PER_PAGE = 25
# Beyond this a page number is a typo or a robot: 10,000 pages of 25 is a quarter million rows.
MAX_PAGE = 10_000

E = TypeVar("E", bound=StrEnum)


class BadValue(Refused):
    """An address whose page number or filter no list can use: answered 400 with the message."""

    status: ClassVar[int] = 400


def page_number(raw: str | None) -> int:
    """Read `?page=`: absent or empty is 1; anything but a whole number from 1 is refused."""
    if raw is None or not raw.strip():
        return 1
    number = _whole(raw)
    if number is None or not 1 <= number <= MAX_PAGE:
        raise BadValue(f"Choose a page number from 1 to {MAX_PAGE:,}.", field="page")
    return number


def whole_number(raw: str | None, name: str, low: int, high: int) -> int | None:
    """Read an optional whole-number filter between `low` and `high`; absent or empty is None."""
    if raw is None or not raw.strip():
        return None
    number = _whole(raw)
    if number is None:
        raise BadValue(f"The {name} must be a number.", field=name)
    if not low <= number <= high:
        raise BadValue(f"Choose a {name} from {low} to {high}.", field=name)
    return number


def choice(raw: str | None, name: str, options: Mapping[E, str]) -> E | None:
    """Read an optional filter that must be one of `options` (enum value -> label)."""
    if raw is None or not raw.strip():
        return None
    for option in options:
        if option.value == raw.strip():
            return option
    words = ", ".join(f"{o.value} ({label})" for o, label in options.items())
    raise BadValue(f"Choose a {name} from: {words}.", field=name)


def _whole(raw: str) -> int | None:
    # Only ASCII digits, perhaps negative (then out of range, not "not a number"): int()
    # would also take "1_0", "+1" and Arabic-Indic digits.
    text = raw.strip()
    digits = text.removeprefix("-")
    return int(text) if digits.isascii() and digits.isdigit() and len(digits) <= 10 else None


@dataclass(frozen=True, slots=True)
class Paging:
    """Where a page sits in a list of `total` rows, `per_page` at a time (pages from 1)."""

    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(-(-self.total // self.per_page), 1)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def first_shown(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last_shown(self) -> int:
        return min(self.offset + self.per_page, self.total)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    def links(self, around: int = 2) -> list[int | None]:
        """Return the page numbers to link: first, last, and `around` either side; None is a gap."""
        shown = {1, self.pages, *range(self.number - around, self.number + around + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        links: list[int | None] = []
        for n in numbers:
            if links and n - (links[-1] or 0) > 1:
                links.append(None)
            links.append(n)
        return links


def paging(number: int, total: int, per_page: int = PER_PAGE, noun: str = "rows") -> Paging:
    """Return the page `number` of `total` rows; a page past the last is refused (page 1 never)."""
    found = Paging(number, total, per_page)
    if number > found.pages:
        raise BadValue(
            f"There is no page {number}: these {noun} fill "
            f"{found.pages} page{'s' if found.pages != 1 else ''}.",
            field="page",
        )
    return found
