"""Roles and what each may do, as pure data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


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
    """Who is looking: a role (None for the public) and, for a commissioner, their bodies.

    `limited_to` holds the bodies of a clerk limited to some; None means every body.
    """

    role: Role | None = None
    body_ids: frozenset[int] = frozenset()
    limited_to: frozenset[int] | None = None

    @property
    def is_staff(self) -> bool:
        return is_staff(self.role)

    def works_on(self, body_id: int) -> bool:
        """Tell whether this viewer may work on a body's records in the clerk's workspace."""
        return self.is_staff and (self.limited_to is None or body_id in self.limited_to)

    def sees_drafts_of(self, body_id: int) -> bool:
        """Tell whether this viewer sees a body's unpublished meetings and legislation.

        Staff limited to some bodies (a clerk, or an API token) see only those bodies' drafts.
        """
        return self.works_on(body_id) or (
            self.role is Role.COMMISSIONER and body_id in self.body_ids
        )


PUBLIC = Viewer()


class TokenScope(StrEnum):
    """What an API token may do: read what its user may see, or also write through the API."""

    READ = "read"
    WRITE = "write"


SCOPE_LABELS = {
    TokenScope.READ: "Read",
    TokenScope.WRITE: "Read and write",
}


def token_expiry(last_day: date, zone: str) -> datetime:
    """Return when a token that works through `last_day` (local to `zone`) stops: next midnight."""
    midnight = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))
    return midnight.astimezone(UTC)


class LinkState(StrEnum):
    """Where a one-time link stands: it still sets a password, or it no longer does."""

    OPEN = "open"
    EXPIRED = "expired"
    USED = "used"


def link_state(expires_at: datetime, used_at: datetime | None, now: datetime) -> LinkState:
    """Tell whether a one-time link is open, used (or replaced) or expired."""
    if used_at is not None:
        return LinkState.USED
    return LinkState.OPEN if now < expires_at else LinkState.EXPIRED


ROLE_LABELS = {
    Role.ADMIN: "Admin",
    Role.CLERK: "Clerk",
    Role.COMMISSIONER: "Commissioner",
}


# Failed sign-ins allowed in a window before the next attempt is refused (429): per address and
# account (one person mistyping), per account from anywhere (a spread-out guess at one account),
# and per address across accounts (one machine trying many accounts).
SIGN_IN_WINDOWS = {
    "address_account": (10, 15 * 60),
    "account": (30, 60 * 60),
    "address": (50, 60 * 60),
}
# Failures older than this are forgotten.
SIGN_IN_MEMORY = 24 * 60 * 60


def sign_in_blocked(counts: dict[str, int]) -> bool:
    """Tell whether failures counted in each window (by SIGN_IN_WINDOWS' keys) reach a limit."""
    return any(counts.get(name, 0) >= limit for name, (limit, _) in SIGN_IN_WINDOWS.items())
