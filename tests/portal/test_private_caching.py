"""Caching: what is shown because of who is signed in stays private; the public record caches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agenda.auth.rules import Role
from agenda.documents.operations import attach_pdf
from agenda.extensions import db
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.publishing import publish_meeting
from agenda.meetings.rules import Disposition
from agenda.meetings.session import adjourn
from agenda.minutes.operations import save_draft
from agenda.minutes.queries import revisions_of
from agenda.portal.views import PUBLIC_DOCUMENTS
from agenda.votes.outcomes import set_disposition
from agenda.votes.rules import Threshold
from tests.conftest import hold, make_pdf_bytes, vote_on

PRIVATE = "private, no-store"
IMMUTABLE = "public, max-age=31536000, immutable"
START = datetime(2026, 7, 7, 21, tzinfo=UTC)


@pytest.fixture
def draft_meeting(make_body, make_meeting):
    """A draft meeting with an attachment, seen by the body's commissioners and the clerks."""
    meeting = make_meeting(body=make_body(), published=False)
    item = add_item(section_titled(meeting, "Consent agenda"), title="Seawall", actor=None)
    attach_pdf(
        make_pdf_bytes("Seawall contract terms"), filename="contract.pdf", title="Contract",
        agenda_item=item, actor=None,
    )  # fmt: skip
    db.session.commit()
    return meeting


def commissioner_of(auth, meeting) -> None:
    auth.login(Role.COMMISSIONER, person_id=meeting.body.memberships[3].person_id)


def test_a_commissioners_draft_agenda_and_packet_are_private(client, auth, draft_meeting):
    commissioner_of(auth, draft_meeting)
    attachment = section_titled(draft_meeting, "Consent agenda").items[0].attachments[0]
    for url in (
        f"/meetings/{draft_meeting.id}/agenda.pdf",
        f"/meetings/{draft_meeting.id}/packet.pdf",
        f"/documents/{attachment.sha256}.pdf",
        f"/attachments/{attachment.id}/contract.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == PRIVATE, url
    assert PUBLIC_DOCUMENTS.get(attachment.sha256) is None


def test_a_clerks_workspace_and_draft_pages_are_private(client, auth, draft_meeting):
    auth.login(Role.CLERK)
    for url in (
        "/clerk/",
        f"/clerk/meetings/{draft_meeting.id}",
        f"/meetings/{draft_meeting.id}",
        f"/meetings/{draft_meeting.id}/agenda.pdf",
        "/",
        "/meetings",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == PRIVATE, url


def test_public_pages_keep_their_own_caching(client, public, auth, draft_meeting):
    publish_meeting(draft_meeting, actor=None)
    db.session.commit()
    anonymous = public.get(f"/meetings/{draft_meeting.id}")
    # The public's copy may be kept anywhere, asked for again each time (304 while unchanged).
    assert anonymous.status_code == 200
    assert anonymous.headers["Cache-Control"] == "public, no-cache" and anonymous.headers["ETag"]
    assert public.get("/record").headers["Cache-Control"] == "public, max-age=60"
    auth.login(Role.CLERK)
    # A signed-in user's copy of a public page names them: it is theirs alone.
    assert client.get(f"/meetings/{draft_meeting.id}").headers["Cache-Control"] == PRIVATE
    # A view that chose its policy keeps it.
    assert client.get("/record.json").headers["Cache-Control"] == "public, max-age=60"
    with client.get("/static/css/site.css") as static:
        assert static.headers["Cache-Control"] == "no-cache"


def test_published_documents_keep_their_caching(client, public, auth, draft_meeting):
    revision = publish_meeting(draft_meeting, actor=None).revision
    db.session.commit()
    attachment = section_titled(draft_meeting, "Consent agenda").items[0].attachments[0]
    expected = {
        f"/meetings/{draft_meeting.id}/agenda.pdf": "no-cache",
        f"/meetings/{draft_meeting.id}/packet.pdf": "no-cache",
        f"/documents/{revision.agenda_sha256}.pdf": IMMUTABLE,
        f"/documents/{revision.packet_sha256}.pdf": IMMUTABLE,
        # An attachment can be taken down: caches ask again (a 304 while it is unchanged).
        f"/documents/{attachment.sha256}.pdf": "no-cache",
        f"/attachments/{attachment.id}/contract.pdf": "no-cache",
    }
    for url, cache_control in expected.items():
        response = public.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == cache_control, url
    # Signed in, the same public documents are the public's copies.
    commissioner_of(auth, draft_meeting)
    for url, cache_control in expected.items():
        assert client.get(url).headers["Cache-Control"] == cache_control, url
    assert PUBLIC_DOCUMENTS.get(revision.packet_sha256) is not None
    assert PUBLIC_DOCUMENTS.get(attachment.sha256) is None


@pytest.fixture
def minutes_held(make_body, make_meeting):
    """A held meeting with draft minutes, and a later published meeting that approves them."""
    body = make_body()
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=START)
    hold(meeting, people, START)
    adjourn(meeting, actor=None, at=START + timedelta(hours=1))
    save_draft(meeting, meeting_notes="Public comment was heard.", item_notes={}, actor=None)
    later = make_meeting(body=body, scheduled_at=START + timedelta(days=14))
    approval = add_item(section_titled(later, "Approval of minutes"), title="Minutes of July 7",
                        minutes_of=[meeting], actor=None)  # fmt: skip
    db.session.commit()
    return meeting, later, approval, people


def test_approved_minutes_stay_immutable_and_drafts_private(client, public, auth, minutes_held):
    meeting, later, approval, people = minutes_held
    commissioner_of(auth, meeting)
    for url in (f"/meetings/{meeting.id}/minutes.pdf", f"/meetings/{meeting.id}/minutes"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == PRIVATE, url

    hold(later, people, later.scheduled_at)
    at = later.scheduled_at + timedelta(minutes=10)
    motion = vote_on(approval, people, at, threshold=Threshold.MAJORITY_CAST)
    set_disposition(approval, Disposition.ADOPTED, motion=motion, actor=None)
    db.session.commit()
    digest = revisions_of(meeting.id)[0].pdf_sha256
    assert digest is not None
    for viewer in (public, client):
        approved = viewer.get(f"/documents/{digest}.pdf")
        assert approved.status_code == 200
        assert approved.headers["Cache-Control"] == IMMUTABLE
        friendly = viewer.get(f"/meetings/{meeting.id}/minutes.pdf")
        assert friendly.headers["Cache-Control"] == "public, max-age=300"
