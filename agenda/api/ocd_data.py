"""The public record as plain data, which `agenda.api.ocd` maps to Open Civic Data objects.

The exporter fills these from the database; nothing here knows the web or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Link:
    """A document: its title and address."""

    note: str
    url: str
    media_type: str = "application/pdf"


@dataclass(frozen=True)
class JurisdictionData:
    name: str
    url: str
    timezone: str
    address: str = ""
    sessions: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyData:
    id: int
    name: str
    kind: str
    seats: int
    url: str


@dataclass(frozen=True)
class PersonData:
    id: int
    name: str
    url: str


@dataclass(frozen=True)
class MembershipData:
    id: int
    person_id: int
    person_name: str
    body_id: int
    label: str
    seat: int
    start_date: date
    end_date: date | None
    start_reason: str
    end_reason: str | None


@dataclass(frozen=True)
class ItemData:
    id: int
    number: str
    section: str
    is_consent: bool
    title: str
    description: str = ""
    matter_id: int | None = None
    file_number: str | None = None
    disposition: str | None = None
    vote_ids: tuple[tuple[int, str], ...] = ()  # (vote id, its identifier)
    attachments: tuple[Link, ...] = ()


@dataclass(frozen=True)
class EventData:
    id: int
    body_id: int
    body_name: str
    meeting_type: str
    status: str
    start: datetime
    timezone: str
    location: str
    url: str
    end: datetime | None = None
    notes: str = ""
    items: tuple[ItemData, ...] = ()
    documents: tuple[Link, ...] = ()


@dataclass(frozen=True)
class SponsorData:
    person_id: int
    name: str
    primary: bool


@dataclass(frozen=True)
class ActionData:
    at: datetime
    action: str
    description: str


@dataclass(frozen=True)
class BillData:
    id: int
    body_id: int
    identifier: str
    session: str
    title: str
    matter_type: str
    status: str
    timezone: str
    url: str
    sponsors: tuple[SponsorData, ...] = ()
    actions: tuple[ActionData, ...] = ()
    documents: tuple[Link, ...] = ()


@dataclass(frozen=True)
class BallotData:
    person_id: int
    name: str
    value: str
    reason: str | None = None
    is_excused: bool = False


@dataclass(frozen=True)
class VoteData:
    id: int
    body_id: int
    identifier: str
    motion_text: str
    motion_kind: str
    recorded_at: datetime
    timezone: str
    result: str
    url: str
    matter_id: int | None = None
    tally: str = ""
    required: int = 0
    method: str = "roll_call"
    explanation: str = ""
    ballots: tuple[BallotData, ...] = field(default_factory=tuple)
