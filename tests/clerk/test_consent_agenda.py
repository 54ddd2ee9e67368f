"""The consent agenda at the meeting: pull an item, one motion and one roll call adopt the rest."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.extensions import db
from agenda.matters.models import MatterHistoryEvent
from agenda.matters.operations import place_on_agenda
from agenda.matters.rules import MatterStatus
from agenda.meetings.display import number_of
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import Disposition
from agenda.meetings.session import adjourn
from agenda.minutes.documents import render_minutes_pdf
from agenda.minutes.operations import save_draft
from agenda.minutes.record import meeting_record
from agenda.votes.models import Motion, Vote
from tests.clerk.test_console import START, Clerk, ballots, in_session, text_of
from tests.conftest import count_rows, pdf_text, publish_pending, row_counts


@pytest.fixture
def meeting(body, matter, make_meeting) -> Meeting:
    """A published meeting whose consent agenda has three items, the second a resolution."""
    meeting = make_meeting(body=body, scheduled_at=START)
    consent = section_titled(meeting, "Consent agenda")
    add_item(consent, title="Approve the purchase of two patrol boats", actor=None)
    place_on_agenda(matter, meeting, "Consent agenda", actor=None)
    add_item(consent, title="Accept the audit report for 2025", actor=None)
    publish_pending(meeting)
    db.session.commit()
    return meeting


@pytest.fixture
def consent_items(meeting) -> list[AgendaItem]:
    return list(section_titled(meeting, "Consent agenda").items)


def move(clerk: Clerk, items: list[AgendaItem], people: list[Any], **extra: Any) -> Any:
    section = items[0].section_id
    data = {"consent-mover": people[0].id, "consent-seconder": people[1].id, **extra}
    return clerk.post(f"/clerk/console/sections/{section}/consent", data)


def pull(clerk: Clerk, item: AgendaItem, note: str = "") -> Any:
    data = {"pull-item": item.id, "pull-note": note}
    return clerk.post(f"/clerk/console/sections/{item.section_id}/pull", data)


def test_one_motion_and_one_roll_call_adopt_every_item_left_on_consent(
    clerk, meeting, consent_items, people, matter
):
    in_session(meeting, people)
    first, resolution, audit = consent_items
    page = text_of(clerk.page(item=first.id))
    assert "Consent agenda: Consent agenda" in page and "Move to approve the consent agenda" in page
    pulled = pull(clerk, audit, "At Commissioner Weekley's request")
    assert pulled.status_code == 302
    moved = move(clerk, consent_items, people)
    assert moved.status_code == 302
    motion = db.session.execute(sa.select(Motion)).scalar_one()
    assert [i.id for i in motion.consent_items] == [first.id, resolution.id]
    page = text_of(clerk.page(item=resolution.id))
    # Every covered item shows the consent motion with its roll call, pulled ones are listed.
    assert "Consent agenda motion: adopts items" in page and "Roll call on motion 1" in page
    assert "Pulled for separate consideration:" in page and "Weekley's request" in page
    voted = clerk.roll_call(motion, ballots(people, {6: "no"}), follow=True)
    assert "Adopted on the consent agenda: 2 items." in text_of(voted)
    db.session.expire_all()
    assert count_rows(Vote) == 1
    assert db.session.get(AgendaItem, first.id).disposition is Disposition.ADOPTED
    assert db.session.get(AgendaItem, resolution.id).disposition is Disposition.ADOPTED
    assert db.session.get(AgendaItem, audit.id).disposition is None
    assert matter.status is MatterStatus.ADOPTED
    history = db.session.execute(
        sa.select(MatterHistoryEvent).where(MatterHistoryEvent.motion_id == motion.id)
    ).scalar_one()
    assert history.note.startswith("On the consent agenda: Passed 6-1")
    actions = db.session.execute(sa.select(AuditEvent.action)).scalars().all()
    assert "agenda_item.pull_from_consent" in actions and "motion.consent" in actions


def test_a_failed_consent_vote_adopts_nothing(clerk, meeting, consent_items, people):
    in_session(meeting, people)
    assert move(clerk, consent_items, people).status_code == 302
    motion = db.session.execute(sa.select(Motion)).scalar_one()
    noes = dict.fromkeys(range(4), "no")
    assert clerk.roll_call(motion, ballots(people, noes)).status_code == 302
    db.session.expire_all()
    assert all(db.session.get(AgendaItem, i.id).disposition is None for i in consent_items)


def test_pulling_after_the_motion_and_moving_twice_are_refused_and_change_nothing(
    clerk, meeting, consent_items, people
):
    in_session(meeting, people)
    assert move(clerk, consent_items, people).status_code == 302
    before = row_counts(Motion, Vote, AuditEvent)
    late = pull(clerk, consent_items[1])
    assert late.status_code == 422
    assert "items are pulled before the motion" in text_of(late)
    again = move(clerk, consent_items, people)
    assert again.status_code == 422 and "already been moved" in text_of(again)
    assert row_counts(Motion, Vote, AuditEvent) == before
    db.session.expire_all()
    assert db.session.get(AgendaItem, consent_items[1].id).pulled_from_consent_at is None


def test_nothing_is_moved_on_consent_once_every_item_is_pulled(
    clerk, meeting, consent_items, people
):
    in_session(meeting, people)
    for item in consent_items:
        assert pull(clerk, item).status_code == 302
    refused = move(clerk, consent_items, people)
    assert refused.status_code == 422 and "No item is left on the consent agenda" in text_of(
        refused
    )
    assert count_rows(Motion) == 0


def test_an_item_outside_the_consent_agenda_cannot_be_pulled(clerk, meeting, people, matter):
    in_session(meeting, people)
    other = section_titled(meeting, "Resolutions")
    item = add_item(other, title="A regular item", actor=None)
    db.session.commit()
    data = {"pull-item": item.id, "pull-note": ""}
    section = section_titled(meeting, "Consent agenda").id
    refused = clerk.post(f"/clerk/console/sections/{section}/pull", data)
    assert refused.status_code == 422 and "Choose an item on the consent agenda." in text_of(
        refused
    )
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).pulled_from_consent_at is None


def test_the_public_page_and_the_minutes_show_each_consent_item_adopted_by_that_vote(
    clerk, client, meeting, consent_items, people, tmp_path
):
    in_session(meeting, people)
    first, resolution, audit = consent_items
    assert pull(clerk, audit, "At the Mayor's request").status_code == 302
    assert move(clerk, consent_items, people).status_code == 302
    motion = db.session.execute(sa.select(Motion)).scalar_one()
    assert clerk.roll_call(motion, ballots(people)).status_code == 302
    db.session.expire_all()
    first_number = number_of(first)
    public = text_of(client.get(f"/meetings/{meeting.id}"))
    assert f"Approve the consent agenda: items {first_number}, {number_of(resolution)}." in public
    assert (
        f"On the consent agenda, voted with the motion at item {first_number}: Passed 7-0" in public
    )
    assert "Pulled from the consent agenda (At the Mayor's request) and taken up on its own." in (
        public
    )
    adjourn(db.session.get(Meeting, meeting.id), actor=None)
    revision = save_draft(meeting, meeting_notes="", item_notes={}, actor=None)
    db.session.commit()
    minutes = " ".join(pdf_text(render_minutes_pdf(meeting, revision), tmp_path).split())
    assert f"voted with the motion at item {first_number}: Passed 7-0" in minutes
    assert "Pulled from the consent agenda (At the Mayor's request)" in minutes
    # The record the approval digest is made from keeps what the consent vote covered.
    items = {i["number"]: i for i in meeting_record(meeting, revision)["items"]}
    assert items[first_number]["motions"][0]["consent_items"] == sorted([first.id, resolution.id])
    assert items[number_of(audit)]["pulled_from_consent"][1] == "At the Mayor's request"


def test_a_consent_agenda_carried_without_objection_adopts_its_items(
    clerk, meeting, consent_items, people
):
    in_session(meeting, people)
    assert move(clerk, consent_items, people).status_code == 302
    motion = db.session.execute(sa.select(Motion)).scalar_one()
    carried = clerk.post(f"/clerk/console/motions/{motion.id}/unanimous-consent", {}, follow=True)
    assert "Carried without objection" in text_of(carried)
    assert "Adopted on the consent agenda: 3 items." in text_of(carried)
    db.session.expire_all()
    assert all(
        db.session.get(AgendaItem, i.id).disposition is Disposition.ADOPTED for i in consent_items
    )
