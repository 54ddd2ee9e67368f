"""Body rules: the voting settings a body stores, and how a member is named."""

from __future__ import annotations

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
