"""Meeting rules: allowed status changes, notice deadlines and agenda numbering."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum


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
