"""What the minutes area does when the areas below it report, or ask about, the record."""

from __future__ import annotations

from typing import Any

from agenda.audit.signals import record_checks
from agenda.audit.verify import Check
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.signals import approvable_minutes, public_minutes, record_frozen
from agenda.minutes.disclosures import open_disclosures
from agenda.minutes.operations import approve_by_item, is_approved
from agenda.minutes.queries import approved_among, awaiting_approval
from agenda.minutes.verify import minutes_check
from agenda.votes.models import Vote
from agenda.votes.signals import ballots_recorded, item_disposed


def _frozen(meeting_id: int, **kwargs: Any) -> bool:
    return is_approved(meeting_id)


def _approvable(meeting: Meeting, **kwargs: Any) -> list[int]:
    return awaiting_approval(meeting)


def _public(meeting_ids: frozenset[int], **kwargs: Any) -> set[int]:
    return approved_among(meeting_ids)


def _disposed(item: AgendaItem, **kwargs: Any) -> None:
    approve_by_item(item, kwargs.get("motion"), actor=kwargs.get("actor"))


def _recorded(vote: Vote, **kwargs: Any) -> None:
    open_disclosures(vote, kwargs["meeting"])


def _checks(sender: object, **kwargs: Any) -> Check:
    return minutes_check()


def connect() -> None:
    """Subscribe this area to the signals of the areas below it (safe to call again)."""
    record_frozen.connect(_frozen)
    approvable_minutes.connect(_approvable)
    public_minutes.connect(_public)
    item_disposed.connect(_disposed)
    ballots_recorded.connect(_recorded)
    record_checks.connect(_checks)
