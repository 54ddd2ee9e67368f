"""How a meeting reads in the public list: its status in words and a subject line of its items.

Pure: no flask, no sqlalchemy. The list's filters are read here too, from the address.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from agenda.meetings.rules import MeetingStatus
from agenda.paging import choice, page_number, whole_number
from agenda.text import shorten
from agenda.timefmt import local_to_utc

EARLIEST_YEAR = 1900
LATEST_YEAR = 2199
MAX_ID = 2**31 - 1
# Items that run every meeting and say nothing of what it is about.
PROCEDURAL_SECTIONS = frozenset(
    {
        "call to order",
        "roll call",
        "pledge of allegiance",
        "invocation",
        "approval of minutes",
        "public comment",
        "adjournment",
    }
)
SUBJECT_ITEMS = 3
SUBJECT_ITEM_MAX = 100


class When(StrEnum):
    UPCOMING = "upcoming"
    PAST = "past"


WHEN_NAMES = {When.UPCOMING: "upcoming meetings", When.PAST: "past meetings"}


@dataclass(frozen=True, slots=True)
class MeetingFilters:
    """What the visitor asked of the list: body, local year, upcoming or past, and a page."""

    body_id: int | None = None
    year: int | None = None
    when: When | None = None
    page: int = 1

    @property
    def is_upcoming_only(self) -> bool:
        return self.when is When.UPCOMING

    @property
    def is_past_only(self) -> bool:
        return self.when is When.PAST

    @property
    def shows_upcoming(self) -> bool:
        """Upcoming meetings show on their own list, or above the past ones on the first page."""
        return self.when is When.UPCOMING or (self.when is None and self.page == 1)

    @property
    def shows_past(self) -> bool:
        return self.when is not When.UPCOMING

    def args(self) -> dict[str, str | int]:
        """Return the filters as address arguments (without the page), for links."""
        found: dict[str, str | int] = {}
        if self.body_id is not None:
            found["body"] = self.body_id
        if self.year is not None:
            found["year"] = self.year
        if self.when is not None:
            found["when"] = self.when.value
        return found


def read_filters(args: Mapping[str, str]) -> MeetingFilters:
    """Read the list's filters from an address; a value no filter takes raises BadValue."""
    return MeetingFilters(
        body_id=whole_number(args.get("body"), "body", 1, MAX_ID),
        year=whole_number(args.get("year"), "year", EARLIEST_YEAR, LATEST_YEAR),
        when=choice(args.get("when"), "list", WHEN_NAMES),
        page=page_number(args.get("page")),
    )


def year_bounds(year: int, tz: str) -> tuple[datetime, datetime]:
    """Return the UTC instants where a local calendar year starts and the next one starts."""
    start = local_to_utc(date(year, 1, 1), time(0), tz)
    return start, local_to_utc(date(year + 1, 1, 1), time(0), tz)


@dataclass(frozen=True, slots=True)
class ListStatus:
    """A meeting's status as the list shows it: words and a style name (never colour alone)."""

    label: str
    style: str


def list_status(status: MeetingStatus, revisions: int) -> ListStatus:
    """Name a meeting's status: Draft, Published, Amended, In session, Adjourned, Cancelled."""
    if status is MeetingStatus.PUBLISHED and revisions > 1:
        return ListStatus("Amended agenda", "amended")
    labels = {
        MeetingStatus.DRAFT: "Draft",
        MeetingStatus.PUBLISHED: "Published",
        MeetingStatus.IN_PROGRESS: "In session",
        MeetingStatus.ADJOURNED: "Adjourned",
        MeetingStatus.CANCELLED: "Cancelled",
    }
    return ListStatus(labels[status], status.value.replace("_", "-"))


@dataclass(frozen=True, slots=True)
class ItemHeading:
    """An agenda item as the subject line sees it: its section, title, and whether legislation."""

    section_title: str
    title: str
    has_matter: bool = False


def is_procedural(section_title: str) -> bool:
    """Tell whether a section holds the routine of every meeting (roll call, adjournment...)."""
    return " ".join(section_title.lower().split()) in PROCEDURAL_SECTIONS


def subject_line(items: Iterable[ItemHeading]) -> str:
    """Return the meeting's main items, legislation first, each trimmed: 'A; B; C'.

    Routine sections are left out; an agenda with nothing else has no subject ("").
    """
    main = [i for i in items if not is_procedural(i.section_title) and i.title.strip()]
    ordered = [i for i in main if i.has_matter] + [i for i in main if not i.has_matter]
    titles = [shorten(" ".join(i.title.split()), SUBJECT_ITEM_MAX) for i in ordered]
    return "; ".join(titles[:SUBJECT_ITEMS])
