"""What the API's lists share: query parameters, local-date bounds, keyset pages, drafts' bodies."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Optional, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from agenda.api import core
from agenda.auth.rules import Viewer
from agenda.extensions import db
from agenda.meetings.models import Meeting

R = TypeVar("R")


class ListQuery(BaseModel):
    """Parameters every list takes: how many per page, where to go on, what changed since."""

    model_config = ConfigDict(extra="ignore")

    updated_since: Optional[datetime] = Field(
        None, description="Only records changed at or after this time (ISO 8601; UTC if no zone)."
    )
    limit: int = Field(50, ge=1, le=100, description="Records per page, 1 to 100.")
    cursor: Optional[str] = Field(None, description="The `next` address's cursor; omit at first.")

    @field_validator("updated_since")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class DatedQuery(ListQuery):
    """A list of things that happen at meetings: by body and by the meeting's local date."""

    body: Optional[int] = Field(None, ge=1, description="Only this body's (its id).")
    since: Optional[date] = Field(None, description="From this local date on (YYYY-MM-DD).")
    until: Optional[date] = Field(None, description="Up to this local date, included.")

    @field_validator("until")
    @classmethod
    def _not_before_since(cls, value: date | None, info: ValidationInfo) -> date | None:
        since = info.data.get("since")
        if value is not None and since is not None and value < since:
            raise ValueError("The end comes before the start (since).")
        return value


def on_local_dates(since: date | None, until: date | None) -> sa.ColumnElement[bool]:
    """Select meetings whose start, in their own time zone, falls between two dates (included).

    Each time zone in use gets its own UTC bounds (one query for the zones), so the
    bounds stay on the indexed start time.
    """
    if since is None and until is None:
        return sa.true()
    zones = db.session.execute(sa.select(Meeting.timezone).distinct()).scalars()
    spans = []
    for tz in sorted(zones):
        zone = ZoneInfo(tz)
        bounds = [Meeting.timezone == tz]
        if since is not None:
            bounds.append(Meeting.scheduled_at >= _midnight(since, zone))
        if until is not None and until < date.max:
            bounds.append(Meeting.scheduled_at < _midnight(until + timedelta(days=1), zone))
        spans.append(sa.and_(*bounds))
    return sa.or_(*spans) if spans else sa.false()


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def draft_bodies(
    viewer: Viewer, body_id: sa.ColumnElement[int] | None = None
) -> sa.ColumnElement[bool]:
    """Select the rows of bodies whose drafts the viewer sees (by `body_id`, the meeting's)."""
    if viewer.is_staff and viewer.limited_to is None:
        return sa.true()
    own = viewer.limited_to if viewer.is_staff else viewer.body_ids
    column = Meeting.body_id if body_id is None else body_id
    return column.in_(own) if own else sa.false()


def shows_live_agenda(viewer: Viewer) -> sa.ColumnElement[bool]:
    """Select the meetings whose live agenda (motions and votes) the viewer sees.

    While an amendment is pending, only those who see the body's drafts see the live
    agenda; everyone else sees the agenda as last published, which has no votes yet.
    """
    return sa.or_(Meeting.amendment_notes == "", draft_bodies(viewer))


def instant(value: Any) -> datetime:
    """Read a timezone-aware instant back from a cursor."""
    found = datetime.fromisoformat(value)
    if found.tzinfo is None:
        raise ValueError("naive instant in a cursor")
    return found


def after(
    columns: tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]], cursor: str | None
) -> sa.ColumnElement[bool]:
    """Select the rows after a cursor of (instant, id), in ascending order of both."""
    if cursor is None:
        return sa.true()
    at, ident = core.decode_cursor(cursor, [instant, int])  # type: ignore[list-item]
    first, second = columns
    return sa.or_(first > at, sa.and_(first == at, second > ident))


def page(
    rows: Sequence[R], limit: int, key: Callable[[R], tuple[datetime, int]]
) -> tuple[list[R], str | None]:
    """Cut a list fetched with one row too many; return the page and the next page's address."""
    shown = list(rows[:limit])
    if len(rows) <= limit or not shown:
        return shown, None
    at, ident = key(shown[-1])
    return shown, core.next_link(core.encode_cursor([at.isoformat(), ident]))
