"""Roles and what each may do, as pure data."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    CLERK = "clerk"
    COMMISSIONER = "commissioner"


STAFF_ROLES = frozenset({Role.ADMIN, Role.CLERK})


def is_staff(role: Role | None) -> bool:
    """Tell whether a role may build agendas and record the meeting (clerk or admin)."""
    return role in STAFF_ROLES


def may_see_drafts(role: Role | None) -> bool:
    """Tell whether a role sees meetings before publication (staff and commissioners)."""
    return role is not None
