"""Meeting rules: allowed status changes, notice deadlines and agenda numbering."""

from __future__ import annotations

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
