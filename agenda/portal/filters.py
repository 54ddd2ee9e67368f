"""Template filters: times shown in the body's local time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

from agenda.votes.display import MOTION_LABELS, roll_call
from agenda.votes.rules import threshold_label


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
    return f"{value:%B} {value.day}, {value.year}"


def register(app: Flask) -> None:
    """Make the filters and the vote labels available to every template."""
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_date, "date")
    app.add_template_global(roll_call)
    app.add_template_global(threshold_label)
    app.add_template_global(MOTION_LABELS, "motion_labels")
