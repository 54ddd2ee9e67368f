"""Amending a published agenda in one step: edits wait in a pending amendment until published."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings import agenda_editing as editing
from agenda.meetings.models import AgendaRevision, Meeting
from agenda.meetings.operations import section_titled
from agenda.meetings.publishing import publish_meeting
from agenda.meetings.rules import MeetingStatus
from tests.conftest import count_rows, csrf_token, pdf_text

# The meeting's local date has come, so calling it to order needs no early reason.
TODAY = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


@pytest.fixture
def clerk(auth):
    return auth.login(Role.CLERK)


@pytest.fixture
def meeting(make_meeting, clerk) -> Meeting:
    """A published meeting with one resolution, 6.a, on its agenda (revision 1)."""
    meeting = make_meeting(published=False, scheduled_at=TODAY)
    resolutions = section_titled(meeting, "Resolutions")
    editing.add_agenda_item(
        resolutions, title="Seawall repairs", description="", matter=None, actor=None
    )
    publish_meeting(meeting, actor=None)
    db.session.commit()
    return meeting


def token(client, meeting: Meeting) -> str:
    return csrf_token(client, f"/clerk/meetings/{meeting.id}")


def add_item(client, meeting: Meeting, title: str):
    data = {
        "csrf_token": token(client, meeting),
        "item-section": str(section_titled(meeting, "Resolutions").id),
        "item-matter": "",
        "item-title": title,
        "item-description": "",
    }
    return client.post(f"/clerk/meetings/{meeting.id}/items", data=data)


def publish(client, meeting: Meeting, reason: str):
    data = {"csrf_token": token(client, meeting), "amendment-reason": reason}
    return client.post(f"/clerk/meetings/{meeting.id}/amendment", data=data)


def summaries(meeting: Meeting) -> list[str]:
    query = sa.select(AgendaRevision.summary).where(AgendaRevision.meeting_id == meeting.id)
    return list(db.session.execute(query.order_by(AgendaRevision.number)).scalars())


def test_edits_stay_out_of_public_view_until_the_amendment_is_published(
    client, public, meeting, tmp_path
):
    page_before = public.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    agenda_before = public.get(f"/meetings/{meeting.id}/agenda.pdf").data
    packet_before = public.get(f"/meetings/{meeting.id}/packet.pdf").data
    item = section_titled(meeting, "Resolutions").items[0]

    assert add_item(client, meeting, "Hurricane shelter contract").status_code == 302
    renamed = {"csrf_token": token(client, meeting), "title": "Seawall repairs, phase 2",
               "description": "", "matter": ""}  # fmt: skip
    assert client.post(f"/clerk/items/{item.id}/edit", data=renamed).status_code == 302

    # The public sees exactly what was published, and no revision is made.
    assert summaries(meeting) == ["Agenda published."]
    page = public.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Hurricane shelter contract" not in page and "phase 2" not in page
    assert "Seawall repairs" in page and "Amended agenda" not in page
    assert public.get(f"/meetings/{meeting.id}/agenda.pdf").data == agenda_before
    assert public.get(f"/meetings/{meeting.id}/packet.pdf").data == packet_before
    assert page.count("6.a") == page_before.count("6.a")

    # The workspace shows the pending amendment, with its changes offered as the reason.
    workspace = client.get(f"/clerk/meetings/{meeting.id}").get_data(as_text=True)
    assert "Amendment pending: 2 changes the public has not seen" in workspace
    assert (
        "Added item 6.b: Hurricane shelter contract; Changed item 6.a: Seawall repairs, phase 2"
        in (workspace)
    )
    assert 'name="csrf_token" value="' in workspace.split('id="amendment"')[1].split("</form>")[0]
    # The clerk sees the agenda as it stands on the public page, with a note.
    assert "Hurricane shelter contract" in client.get(f"/meetings/{meeting.id}").get_data(
        as_text=True
    )

    # The clerk previews the amended agenda as a draft before publishing it.
    preview = client.get(f"/meetings/{meeting.id}/agenda.pdf")
    assert "draft agenda" in preview.headers["Content-Disposition"]
    assert "Hurricane shelter contract" in pdf_text(preview.data, tmp_path)

    response = publish(client, meeting, "Added 6.b; corrected the title of 6.a")
    assert response.status_code == 302
    assert summaries(meeting) == ["Agenda published.", "Added 6.b; corrected the title of 6.a"]
    amended = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "meeting.amend")
    ).scalar_one()
    assert amended.details["changes"] == [
        "Added item 6.b: Hurricane shelter contract",
        "Changed item 6.a: Seawall repairs, phase 2",
    ]
    page = public.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Hurricane shelter contract" in page and "Seawall repairs, phase 2" in page
    assert "Amended agenda" in page and "Added 6.b; corrected the title of 6.a" in page
    text = " ".join(pdf_text(public.get(f"/meetings/{meeting.id}/agenda.pdf").data,
                             tmp_path).split())  # fmt: skip
    assert "Hurricane shelter contract" in text
    assert "Added 6.b; corrected the title of 6.a" in text
    workspace = client.get(f"/clerk/meetings/{meeting.id}").get_data(as_text=True)
    assert "Amendment pending" not in workspace


def test_publishing_needs_a_reason_and_something_pending(client, meeting):
    assert publish(client, meeting, "Nothing").status_code == 422
    add_item(client, meeting, "Hurricane shelter contract")
    refused = publish(client, meeting, "   ")
    assert refused.status_code == 422
    assert "Say what changed and why" in refused.get_data(as_text=True)
    assert summaries(meeting) == ["Agenda published."]
    assert publish(client, meeting, "Added 6.b").status_code == 302
    again = publish(client, meeting, "Added 6.b")
    assert again.status_code == 422
    assert "no unpublished changes" in again.get_data(as_text=True)
    assert summaries(meeting) == ["Agenda published.", "Added 6.b"]


def test_the_call_to_order_waits_for_the_amendment(client, meeting):
    add_item(client, meeting, "Hurricane shelter contract")
    console = f"/clerk/meetings/{meeting.id}/console"
    call = {"csrf_token": csrf_token(client, console)}
    refused = client.post(f"{console}/call-to-order", data=call)
    assert refused.status_code == 422
    assert "Publish the amendment first" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.PUBLISHED

    publish(client, meeting, "Added 6.b")
    assert client.post(f"{console}/call-to-order", data=call).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status is MeetingStatus.IN_PROGRESS


def test_cancelling_publishes_the_pending_changes_with_the_cancellation(client, public, meeting):
    add_item(client, meeting, "Hurricane shelter contract")
    data = {"csrf_token": token(client, meeting), "cancel-reason": "Hurricane warning."}
    assert client.post(f"/clerk/meetings/{meeting.id}/cancel", data=data).status_code == 302
    assert summaries(meeting) == [
        "Agenda published.",
        "Meeting cancelled: Hurricane warning. (published with the agenda's unpublished "
        "changes: Added item 6.b: Hurricane shelter contract)",
    ]
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).amendment_notes == ""
    page = public.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "This meeting is cancelled" in page and "Hurricane shelter contract" in page


def test_a_revision_from_before_snapshots_keeps_the_public_agenda_as_published(
    client, public, meeting
):
    # Revisions stored by the previous release carry no snapshot of their agenda.
    db.session.execute(sa.update(AgendaRevision).values(snapshot=None))
    db.session.commit()
    add_item(client, meeting, "Hurricane shelter contract")
    page = public.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Seawall repairs" in page and "Hurricane shelter contract" not in page
    assert count_rows(AgendaRevision) == 1
