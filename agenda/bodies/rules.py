"""Body rules: the voting settings a body stores, seats and terms, and how a member is named."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class QuorumRule(StrEnum):
    MAJORITY_OF_SEATS = "majority_of_seats"
    TWO_THIRDS_OF_SEATS = "two_thirds_of_seats"
    FIXED_NUMBER = "fixed_number"


class AbstentionPolicy(StrEnum):
    ALLOWED = "allowed"
    CONFLICT_ONLY = "conflict_only"


class BodyKind(StrEnum):
    COMMISSION = "commission"
    BOARD = "board"
    COMMITTEE = "committee"


class TermStart(StrEnum):
    """How a person came to hold a seat."""

    ELECTED = "elected"
    APPOINTED = "appointed"
    REINSTATED = "reinstated"  # back after a suspension


class TermEnd(StrEnum):
    """Why a term ended; a suspended member's seat is vacant until reinstatement or a successor."""

    EXPIRED = "expired"
    RESIGNED = "resigned"
    DIED = "died"
    REMOVED = "removed"
    SUSPENDED = "suspended"


class RulesPreset(StrEnum):
    """A state's usual voting settings, which a new body starts from."""

    FLORIDA = "florida"
    GENERAL = "general"


@dataclass(frozen=True)
class PresetSettings:
    """The settings a new body starts with under a preset."""

    label: str
    quorum_rule: QuorumRule
    abstention_policy: AbstentionPolicy
    is_recused_counted_for_quorum: bool
    notice_hours_regular: int
    notice_hours_special: int


PRESETS: dict[RulesPreset, PresetSettings] = {
    # Fla. Stat. 286.012: a member present must vote unless a conflict is declared.
    RulesPreset.FLORIDA: PresetSettings(
        label="Florida (Fla. Stat. 286.012: members present vote unless in conflict)",
        quorum_rule=QuorumRule.MAJORITY_OF_SEATS,
        abstention_policy=AbstentionPolicy.CONFLICT_ONLY,
        is_recused_counted_for_quorum=True,
        notice_hours_regular=168,
        notice_hours_special=24,
    ),
    # Robert's Rules of Order, Newly Revised: a majority of the members is a quorum (§40),
    # and a member may abstain (§45).
    RulesPreset.GENERAL: PresetSettings(
        label="General (Robert's Rules: abstaining allowed)",
        quorum_rule=QuorumRule.MAJORITY_OF_SEATS,
        abstention_policy=AbstentionPolicy.ALLOWED,
        is_recused_counted_for_quorum=True,
        notice_hours_regular=72,
        notice_hours_special=24,
    ),
}


def seat_name(title: str, name: str) -> str:
    """Name a member by seat, as the record reads: 'Commissioner Sam Kaufman'."""
    return f"{title} {name}"


def choice_name(title: str, name: str) -> str:
    """Name a member name first, for a list to choose from: 'Sam Kaufman (Commissioner)'."""
    return f"{name} ({title})"
