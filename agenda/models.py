"""Every area's models, imported in one place for Alembic and the app factory."""

from agenda.api.models import ExternalRecord, IdempotentRequest
from agenda.audit.models import AuditEvent
from agenda.auth.models import ApiToken, ApiTokenBody, OneTimeLink, User, UserBody
from agenda.bodies.models import Body, Jurisdiction, Membership, Person, Seat
from agenda.documents.models import Attachment, Blob
from agenda.matters.models import Matter, MatterHistoryEvent, MatterSponsor
from agenda.meetings.models import (
    AgendaItem,
    AgendaRevision,
    AgendaSection,
    Attendance,
    ItemMinutes,
    Meeting,
)
from agenda.members.models import AgendaView
from agenda.minutes.models import Disclosure, Minutes, MinutesRevision
from agenda.once import FormKey
from agenda.pagecache import RecordVersion
from agenda.search.models import SearchEntry
from agenda.votes.models import Ballot, BallotCorrection, Motion, Vote

__all__ = [
    "AgendaItem",
    "AgendaRevision",
    "AgendaSection",
    "AgendaView",
    "ApiToken",
    "ApiTokenBody",
    "Attachment",
    "Attendance",
    "AuditEvent",
    "Ballot",
    "BallotCorrection",
    "Blob",
    "Body",
    "Disclosure",
    "ExternalRecord",
    "FormKey",
    "IdempotentRequest",
    "ItemMinutes",
    "Jurisdiction",
    "Matter",
    "MatterHistoryEvent",
    "MatterSponsor",
    "Meeting",
    "Membership",
    "Minutes",
    "MinutesRevision",
    "Motion",
    "OneTimeLink",
    "Person",
    "RecordVersion",
    "SearchEntry",
    "Seat",
    "User",
    "UserBody",
    "Vote",
]
