"""The live console's fixtures, shared by the clerk's tests: a published meeting of the
7-seat body on July 7, 2026, 5 PM, its resolution as item 6.a, and a signed-in clerk."""

from __future__ import annotations

from typing import Any

import pytest

from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.matters.operations import place_on_agenda
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.operations import section_titled
from tests.clerk.test_console import START, Clerk
from tests.conftest import publish_pending


@pytest.fixture
def meeting(body, matter, make_meeting) -> Meeting:
    """A published meeting of the 7-seat body on July 7, 2026, 5 PM, with the resolution as 6.a."""
    meeting = make_meeting(body=body, scheduled_at=START)
    place_on_agenda(matter, meeting, "Resolutions", actor=None)
    publish_pending(meeting)
    db.session.commit()
    return meeting


@pytest.fixture
def people(body) -> list[Any]:
    return [m.person for m in body.memberships]


@pytest.fixture
def item(meeting) -> AgendaItem:
    return section_titled(meeting, "Resolutions").items[0]


@pytest.fixture
def clerk(auth, client, meeting) -> Clerk:
    auth.login(Role.CLERK)
    return Clerk(client, meeting)
