"""Roles and what each may do, as pure data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    CLERK = "clerk"
    COMMISSIONER = "commissioner"


STAFF_ROLES = frozenset({Role.ADMIN, Role.CLERK})


def is_staff(role: Role | None) -> bool:
    """Tell whether a role may build agendas and record the meeting (clerk or admin)."""
    return role in STAFF_ROLES


def is_admin(role: Role | None) -> bool:
    """Tell whether a role may set up the jurisdiction, bodies, people and users."""
    return role is Role.ADMIN


def is_commissioner(role: Role | None) -> bool:
    """Tell whether a role is a commissioner's (a member who reads agendas and packets)."""
    return role is Role.COMMISSIONER


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a role (None for the public) and, for a commissioner, their bodies."""

    role: Role | None = None
    body_ids: frozenset[int] = frozenset()

    @property
    def is_staff(self) -> bool:
        return is_staff(self.role)

    def sees_drafts_of(self, body_id: int) -> bool:
        """Tell whether this viewer sees a body's unpublished meetings and legislation."""
        return self.is_staff or (self.role is Role.COMMISSIONER and body_id in self.body_ids)


PUBLIC = Viewer()
