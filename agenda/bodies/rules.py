"""Body rules: the voting settings a body stores, and how a member is named."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class QuorumRule(StrEnum):
    MAJORITY_OF_SEATS = "majority_of_seats"
    TWO_THIRDS_OF_SEATS = "two_thirds_of_seats"
    FIXED_NUMBER = "fixed_number"


class AbstentionPolicy(StrEnum):
    ALLOWED = "allowed"
    CONFLICT_ONLY = "conflict_only"


def seat_name(title: str, name: str) -> str:
    """Name a member by seat, as the record reads: 'Commissioner Sam Kaufman'."""
    return f"{title} {name}"


def choice_name(title: str, name: str) -> str:
    """Name a member name first, for a list to choose from: 'Sam Kaufman (Commissioner)'."""
    return f"{name} ({title})"


def holds_seat_on(starts_on: date, ends_on: date | None, day: date) -> bool:
    """Tell whether a term from `starts_on` to `ends_on` (inclusive) covers `day`."""
    return starts_on <= day and (ends_on is None or ends_on >= day)
