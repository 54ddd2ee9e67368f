"""Meeting rules: allowed status changes, notice deadlines and agenda numbering."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")


class MeetingType(StrEnum):
    REGULAR = "regular"
    SPECIAL = "special"
    WORKSHOP = "workshop"
    EMERGENCY = "emergency"


class MeetingStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    IN_PROGRESS = "in_progress"
    ADJOURNED = "adjourned"
    CANCELLED = "cancelled"


class Disposition(StrEnum):
    ADOPTED = "adopted"
    FAILED = "failed"
    CONTINUED = "continued"
    TABLED = "tabled"
    WITHDRAWN = "withdrawn"
    RECEIVED_AND_FILED = "received_and_filed"


PUBLIC_STATUSES = frozenset(
    {
        MeetingStatus.PUBLISHED,
        MeetingStatus.IN_PROGRESS,
        MeetingStatus.ADJOURNED,
        MeetingStatus.CANCELLED,
    }
)


def is_public(status: MeetingStatus, published_at_set: bool) -> bool:
    """Tell whether the public may see a meeting: once notice was given, even if cancelled."""
    return status in PUBLIC_STATUSES and published_at_set


def item_number(section_position: int, item_position: int) -> str:
    """Return an item's printed number: section 2, second item -> '2.b'."""
    letters = ""
    n = item_position
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return f"{section_position}.{letters}"


DEFAULT_SECTIONS: tuple[tuple[str, bool], ...] = (
    ("Call to order", False),
    ("Roll call", False),
    ("Approval of minutes", False),
    ("Consent agenda", True),
    ("Public hearings", False),
    ("Resolutions", False),
    ("Ordinances", False),
    ("Discussion", False),
    ("Public comment", False),
    ("Adjournment", False),
)


NOTICE_FREE_TYPES = frozenset({MeetingType.EMERGENCY})
EDITABLE_STATUSES = frozenset({MeetingStatus.DRAFT, MeetingStatus.PUBLISHED})


def notice_warning(
    meeting_type: MeetingType,
    *,
    scheduled_at: datetime,
    published_at: datetime,
    notice_hours_regular: int,
    notice_hours_special: int,
) -> str | None:
    """Warn when public notice is shorter than the body's rule; emergencies need none.

    Florida practice (Fla. Stat. 286.011, "reasonable notice"): 7 days for regular meetings,
    24 hours for special meetings and workshops; both are the body's settings.
    """
    if meeting_type in NOTICE_FREE_TYPES:
        return None
    required = notice_hours_regular if meeting_type is MeetingType.REGULAR else notice_hours_special
    given = scheduled_at - published_at
    if given >= timedelta(hours=required):
        return None
    hours = max(int(given.total_seconds() // 3600), 0)
    return (
        f"Short notice: this {meeting_type.value} meeting is published {hours} hours ahead; "
        f"the body's rule is {_hours_words(required)}."
    )


def statement_warnings(*, appeal_statement: str, accommodation_statement: str) -> list[str]:
    """Warn about the statements a Florida agenda must carry that the body has not set."""
    warnings = []
    if not appeal_statement.strip():
        warnings.append(
            "The agenda has no statement that a person who appeals needs a record of the "
            "proceedings (Section 286.0105, Florida Statutes). Set it in the body's settings."
        )
    if not accommodation_statement.strip():
        warnings.append(
            "The agenda does not say how to request a disability accommodation. "
            "Set it in the body's settings."
        )
    return warnings


def is_agenda_editable(status: MeetingStatus) -> bool:
    """Tell whether the agenda may still change: drafts, and published agendas by amendment."""
    return status in EDITABLE_STATUSES


def _hours_words(hours: int) -> str:
    if hours % 24 == 0 and hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} hours"


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped when clocks spring forward; the message is for people."""


class PositionOutOfRange(ValueError):
    """A move to a place in a list that does not exist."""


def local_to_utc(day: date, at: time, tz: str) -> datetime:
    """Return the UTC instant of a wall-clock time in `tz`; the first one when clocks fall back.

    Raises NonexistentLocalTime for a time skipped when clocks spring forward.
    """
    zone = ZoneInfo(tz)
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(
            f"{clock_time(at)} does not exist on {day:%B} {day.day}, {day.year} in {tz}: "
            "clocks spring forward past it that night. Choose another time."
        )
    return instant


def utc_to_local(instant: datetime, tz: str) -> tuple[date, time]:
    """Return the local date and wall-clock time of a UTC instant in `tz`."""
    local = instant.astimezone(ZoneInfo(tz))
    return local.date(), local.time().replace(tzinfo=None, fold=0)


def clock_time(at: time) -> str:
    """Format a wall-clock time the American way: 17:30 -> '5:30 PM'."""
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"


def moved(order: Sequence[T], index: int, position: int) -> list[T]:
    """Return `order` with the entry at 0-based `index` moved to 1-based `position`.

    Raises PositionOutOfRange when `position` is not between 1 and len(order).
    """
    if not 1 <= position <= len(order):
        raise PositionOutOfRange(f"There is no position {position}; the list has {len(order)}.")
    rest = [entry for i, entry in enumerate(order) if i != index]
    rest.insert(position - 1, order[index])
    return rest


def default_item_title(title: str, matter_title: str | None, limit: int = 500) -> str:
    """Return an item's title: the one typed, else its matter's, shortened to fit `limit`."""
    title = title.strip()
    if title or not matter_title:
        return title
    matter_title = matter_title.strip()
    if len(matter_title) <= limit:
        return matter_title
    return matter_title[: limit - 1].rstrip() + "\u2026"


def recording_refusal(status: MeetingStatus, *, correcting: bool = False) -> str | None:
    """Say why the live record of a meeting in this state cannot take a change, or None.

    Motions, roll calls and attendance are taken in session; corrections and dispositions
    also after adjournment (until the minutes are approved, which the operations check).
    """
    if status is MeetingStatus.IN_PROGRESS:
        return None
    if correcting and status is MeetingStatus.ADJOURNED:
        return None
    if status is MeetingStatus.PUBLISHED:
        return "Call the meeting to order first."
    state = status.value.replace("_", " ")
    return f"This meeting is {state}; the console records a meeting in progress."
