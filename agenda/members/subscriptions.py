"""What the members area does when the meetings area below it reports a change."""

from __future__ import annotations

from typing import Any

from agenda.auth.models import User
from agenda.auth.rules import Role
from agenda.db import utcnow
from agenda.meetings.models import Meeting
from agenda.meetings.signals import agenda_opened
from agenda.members.operations import remember_opened


def _opened(meeting: Meeting, **kwargs: Any) -> bool:
    user: User = kwargs["user"]
    if user.role is not Role.COMMISSIONER:
        return False
    return remember_opened(user.id, meeting.id, kwargs["revision_number"], utcnow())


def connect() -> None:
    """Subscribe this area to the signals of the areas below it (safe to call again)."""
    agenda_opened.connect(_opened)
