"""Dates and times for people: UTC instants shown in a body's local time zone, pure formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from agenda.errors import Refused


class NonexistentLocalTime(Refused):
    """A wall-clock time skipped when clocks spring forward."""


def local(dt: datetime | None, tz: str) -> datetime | None:
    """Return `dt` converted to the time zone named `tz`."""
    return dt.astimezone(ZoneInfo(tz)) if dt is not None else None


def format_datetime(dt: datetime | None, tz: str) -> str:
    """Format as 'Tuesday, December 8, 2026, 5:00 PM EST' in the time zone `tz`."""
    if (value := local(dt, tz)) is None:
        return ""
    hour = value.strftime("%I").lstrip("0")
    return f"{value:%A, %B} {value.day}, {value.year}, {hour}:{value:%M %p %Z}"


def format_date(dt: datetime | None, tz: str) -> str:
    """Format as 'December 8, 2026' in the time zone `tz`."""
    if (value := local(dt, tz)) is None:
        return ""
    return format_day(value.date())


def format_day(day: date) -> str:
    """Format a calendar date as 'July 22, 2026'."""
    return f"{day:%B} {day.day}, {day.year}"


def clock_time(at: time) -> str:
    """Format a wall-clock time the American way: 17:30 -> '5:30 PM'."""
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"


def local_to_utc(day: date, at: time, tz: str) -> datetime:
    """Return the UTC instant of a wall-clock time in `tz`; the first one when clocks fall back.

    Raises NonexistentLocalTime for a time skipped when clocks spring forward.
    """
    zone = ZoneInfo(tz)
    local_time = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    instant = local_time.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local_time.replace(tzinfo=None):
        raise NonexistentLocalTime(
            f"{clock_time(at)} does not exist on {day:%B} {day.day}, {day.year} in {tz}: "
            "clocks spring forward past it that night. Choose another time.",
            field="at",
        )
    return instant


def utc_to_local(instant: datetime, tz: str) -> tuple[date, time]:
    """Return the local date and wall-clock time of a UTC instant in `tz`."""
    value = instant.astimezone(ZoneInfo(tz))
    return value.date(), value.time().replace(tzinfo=None, fold=0)


def local_date(instant: datetime, tz: str) -> date:
    """Return the calendar date of a UTC instant in `tz`."""
    return instant.astimezone(ZoneInfo(tz)).date()


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def timezone_problem(name: str) -> str | None:
    """Say why `name` is not an IANA time zone ("America/New_York"), or None when it is one."""
    if name.strip() not in _zones():
        return (
            f"“{name.strip()[:64]}” is not a time zone; use a name such as America/New_York "
            "or Europe/Berlin."
        )
    return None
