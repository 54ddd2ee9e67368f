"""Meeting rules: allowed status changes, notice deadlines and agenda numbering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import TypeVar

from agenda.errors import Refused
from agenda.text import plural, shorten
from agenda.timefmt import clock_time, format_day, utc_to_local

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


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"


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
# The agenda may still change: drafts, and published agendas by amendment.
EDITABLE_STATUSES = frozenset({MeetingStatus.DRAFT, MeetingStatus.PUBLISHED})
# A change to the agenda is published as a new revision (an amended agenda).
AMENDABLE_STATUSES = frozenset({MeetingStatus.PUBLISHED, MeetingStatus.IN_PROGRESS})
# The meeting was called to order: it has a record (attendance, votes) and minutes.
HELD_STATUSES = frozenset({MeetingStatus.IN_PROGRESS, MeetingStatus.ADJOURNED})
# The console drives these: calling to order, or the meeting in session.
OPEN_STATUSES = frozenset({MeetingStatus.PUBLISHED, MeetingStatus.IN_PROGRESS})

ITEM_TITLE_MAX = 500
SECTION_TITLE_MAX = 200
AMENDMENT_REASON_MAX = 2000
LOCATION_MAX = 300
CANCEL_REASON_MAX = 5000
# Free text typed by the clerk: descriptions, notes, motions.
TEXT_MAX = 20_000


def status_label(status: MeetingStatus) -> str:
    """Name a status in words: 'in progress'."""
    return status.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class MeetingState:
    """What a page says about a meeting's status, as booleans and a label."""

    label: str
    is_draft: bool
    is_published: bool
    is_in_progress: bool
    is_adjourned: bool
    is_cancelled: bool
    is_editable: bool
    is_held: bool


def meeting_state(status: MeetingStatus) -> MeetingState:
    """Return the facts a page shows about a meeting in this status."""
    return MeetingState(
        label=status_label(status),
        is_draft=status is MeetingStatus.DRAFT,
        is_published=status is MeetingStatus.PUBLISHED,
        is_in_progress=status is MeetingStatus.IN_PROGRESS,
        is_adjourned=status is MeetingStatus.ADJOURNED,
        is_cancelled=status is MeetingStatus.CANCELLED,
        is_editable=status in EDITABLE_STATUSES,
        is_held=status in HELD_STATUSES,
    )


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
    rule = f"the body's rule is {_hours_words(required)} ahead."
    if given <= timedelta(0):
        return f"Late notice: this {meeting_type.value} meeting is published after it began; {rule}"
    hours = int(given.total_seconds() // 3600)
    ahead = "less than an hour" if hours == 0 else plural(hours, "hour")
    return f"Short notice: this {meeting_type.value} meeting is published {ahead} ahead; {rule}"


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
    return plural(hours, "hour")


class PositionOutOfRange(Refused):
    """A move to a place in a list that does not exist."""


def moved(order: Sequence[T], index: int, position: int) -> list[T]:
    """Return `order` with the entry at 0-based `index` moved to 1-based `position`.

    Raises PositionOutOfRange when `position` is not between 1 and len(order).
    """
    if not 1 <= position <= len(order):
        raise PositionOutOfRange(f"There is no position {position}; the list has {len(order)}.")
    rest = [entry for i, entry in enumerate(order) if i != index]
    rest.insert(position - 1, order[index])
    return rest


def default_item_title(title: str, matter_title: str | None) -> str:
    """Return an item's title: the one typed, else its matter's, shortened to fit."""
    title = title.strip()
    if title or not matter_title:
        return title
    return shorten(matter_title.strip(), ITEM_TITLE_MAX)


def early_call_problem(meeting_day: date, today: date, reason: str) -> str | None:
    """Say why a meeting may not be called to order yet, or None.

    Before the meeting's local date, the clerk confirms with a reason: a meeting called to
    order weeks early would read its attendance times on the wrong day.
    """
    if today >= meeting_day or reason.strip():
        return None
    return (
        f"This meeting is scheduled for {format_day(meeting_day)}. To call it to order today, "
        "give the reason."
    )


def stay_time_problem(
    who: str,
    what: str,
    at: datetime,
    *,
    called_at: datetime | None,
    adjourned_at: datetime | None,
    now: datetime,
    tz: str,
) -> str | None:
    """Say why an arrival or departure time is impossible, or None.

    A member arrives and leaves between the call to order and the adjournment (or the present
    moment, while the meeting is in session). `what` is "arrived", "returned" or "left".
    """

    def shown(instant: datetime) -> str:
        return clock_time(utc_to_local(instant, tz)[1])

    if at > now:
        return f"{who} cannot have {what} at {shown(at)}: that time has not come yet."
    # Clerks type minutes: an arrival in the minute the meeting was called to order is on time.
    if called_at is not None and at < called_at.replace(second=0, microsecond=0):
        return (
            f"{who} cannot have {what} at {shown(at)}, before the call to order at "
            f"{shown(called_at)}."
        )
    if adjourned_at is not None and at > adjourned_at:
        return (
            f"{who} cannot have {what} at {shown(at)}, after the adjournment at "
            f"{shown(adjourned_at)}."
        )
    return None


@dataclass(frozen=True)
class Stay:
    """A member's time in the room: no arrival means from the call to order, no departure
    until the adjournment (or still there)."""

    arrived_at: datetime | None = None
    left_at: datetime | None = None


def stays_in_order(stays: Sequence[Stay]) -> list[Stay]:
    """Return stays by arrival, the one without an arrival time first."""
    return sorted(stays, key=lambda s: (s.arrived_at is not None, s.arrived_at or datetime.min))


def stays_problems(
    who: str,
    stays: Sequence[Stay],
    *,
    called_at: datetime | None,
    adjourned_at: datetime | None,
    now: datetime,
    tz: str,
) -> list[str]:
    """Say why a member's stays are impossible; an empty list when they are possible.

    Each stay ends after it starts, within the session, and none overlaps another: a member
    returns only after leaving.
    """

    def shown(instant: datetime) -> str:
        return clock_time(utc_to_local(instant, tz)[1])

    problems = []
    ordered = stays_in_order(stays)
    for i, stay in enumerate(ordered):
        if stay.arrived_at and stay.left_at and stay.left_at <= stay.arrived_at:
            problems.append(f"{who} cannot leave before arriving.")
        came = "returned" if i else "arrived"
        for what, at in ((came, stay.arrived_at), ("left", stay.left_at)):
            problem = at and stay_time_problem(
                who, what, at, called_at=called_at, adjourned_at=adjourned_at, now=now, tz=tz
            )
            if problem:
                problems.append(problem)
    for before, after in pairwise(ordered):
        if after.arrived_at is None:
            problems.append(f"{who} has two stays without an arrival time; give the return time.")
        elif before.left_at is None:
            problems.append(
                f"{who} cannot return at {shown(after.arrived_at)} without having left: "
                "enter the time they left first."
            )
        elif after.arrived_at <= before.left_at:
            problems.append(
                f"{who} cannot return at {shown(after.arrived_at)}, before leaving at "
                f"{shown(before.left_at)}: stays cannot overlap."
            )
    return problems


def stays_label(stays: Sequence[Stay], tz: str) -> str:
    """Describe a member's stays in words: "arrived 6:20 PM, left 8:15 PM, returned 8:40 PM"."""

    def shown(instant: datetime) -> str:
        return clock_time(utc_to_local(instant, tz)[1])

    words = []
    for i, stay in enumerate(stays_in_order(stays)):
        if stay.arrived_at is not None:
            words.append(f"{'returned' if i else 'arrived'} {shown(stay.arrived_at)}")
        if stay.left_at is not None:
            words.append(f"left {shown(stay.left_at)}")
    return ", ".join(words)


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
    return f"This meeting is {status_label(status)}; the console records a meeting in progress."


def amendment_reason(changes: Sequence[str]) -> str:
    """Return the reason offered for publishing pending changes: 'Added item 4.a; ...'."""
    return "; ".join(c.strip().rstrip(".") for c in changes if c.strip())
