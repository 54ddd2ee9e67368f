"""The chain's head: printed in published agendas and approved minutes, and `verify --head`."""

from __future__ import annotations

from io import BytesIO

import pikepdf
import pytest
import sqlalchemy as sa

from agenda.audit.head import HEAD_EVENT_KEY, HEAD_KEY, chain_head, extends, head_in_pdf
from agenda.audit.models import AuditEvent
from agenda.documents.http import load_blob_data
from agenda.extensions import db
from agenda.meetings.models import AgendaRevision
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.publishing import publish_meeting
from agenda.minutes.models import MinutesRevision, MinutesStatus
from tests.conftest import make_pdf_bytes, pdf_text


def tamper(sql: str, **params) -> None:
    """Change the database behind the app's back, as an attacker with SQL access would."""
    db.session.execute(sa.text(sql), params)
    db.session.commit()
    db.session.remove()


def chain() -> list[sa.Row]:
    """Return the chain's events as plain rows, which outlive the session a tamper removes."""
    columns = (AuditEvent.id, AuditEvent.sha256, AuditEvent.action, AuditEvent.object_id)
    return list(db.session.execute(sa.select(*columns).order_by(AuditEvent.id)).all())


def head_before(action: str, object_id: int) -> tuple[str, int]:
    """Return the digest and place of the event just before the first `action` on an object."""
    events = chain()
    at = next(
        i for i, e in enumerate(events) if e.action == action and e.object_id == str(object_id)
    )
    return events[at - 1].sha256, at


def printed_head(pdf: bytes, tmp_path) -> tuple[str, str, str]:
    """Return the PDF's printed text and the head and event number in its metadata."""
    with pikepdf.open(BytesIO(pdf)) as document:
        full, event = str(document.docinfo[HEAD_KEY]), str(document.docinfo[HEAD_EVENT_KEY])
    return " ".join(pdf_text(pdf, tmp_path).split()), full, event


# The head itself, on the test database.


def test_an_empty_chain_has_no_head(app):
    assert chain_head().events == 0
    assert chain_head().sha256 is None
    assert extends("0" * 64).problem is not None


def test_the_head_is_the_newest_event_and_the_chain_length(make_meeting):
    make_meeting(published=False)
    make_meeting(published=False)
    events = chain()
    head = chain_head()
    newest = db.session.get(AuditEvent, events[-1].id)
    assert (head.events, head.sha256, head.at) == (len(events), newest.sha256, newest.occurred_at)
    assert extends(events[0].sha256).position == 1
    assert extends(head.sha256).position == extends(head.sha256).total == len(events)


def test_a_published_agenda_prints_the_head_it_was_published_at(make_meeting, tmp_path):
    meeting = make_meeting(published=False)
    add_item(section_titled(meeting, "Resolutions"), title="End the 287(g) agreement", actor=None)
    before = chain_head()
    publish_meeting(meeting, actor=None)
    db.session.commit()
    revision = db.session.execute(
        sa.select(AgendaRevision).where(AgendaRevision.meeting_id == meeting.id)
    ).scalar_one()
    text, full, event = printed_head(load_blob_data(revision.agenda_sha256), tmp_path)
    assert f"Record head at publication: {before.sha256[:16]}… (event {before.events})" in text
    assert (full, event) == (before.sha256, str(before.events))
    # The publication's own event comes after: the printed head never changes later.
    assert chain_head().sha256 != before.sha256
    assert extends(full).problem is None


def test_a_draft_agenda_prints_no_head(client, auth, make_meeting, tmp_path):
    meeting = make_meeting(published=False)
    auth.login()
    pdf = client.get(f"/meetings/{meeting.id}/agenda.pdf").data
    assert "Record head" not in pdf_text(pdf, tmp_path)
    assert head_in_pdf(pdf) is None


# On the demo: its published agendas, its approved minutes, and `verify --head`.


@pytest.fixture
def runner(demo_app):
    """Run commands on a fresh copy of the demo, loaded once per session."""
    return demo_app.test_cli_runner()


def verify(runner, *args: str):
    return runner.invoke(args=["verify", *args])


def test_the_demos_agendas_print_the_head_before_their_publication(demo_app, tmp_path):
    revisions = db.session.execute(
        sa.select(AgendaRevision).where(AgendaRevision.number == 1)
    ).scalars()
    checked = 0
    for revision in revisions:
        expected, place = head_before("meeting.publish", revision.meeting_id)
        text, full, event = printed_head(load_blob_data(revision.agenda_sha256), tmp_path)
        assert f"Record head at publication: {expected[:16]}… (event {place})" in text
        assert (full, event) == (expected, str(place))
        checked += 1
    assert checked >= 2


def test_approved_minutes_print_the_head_at_approval_and_their_own_digest(demo_app, tmp_path):
    revision = db.session.execute(
        sa.select(MinutesRevision).where(MinutesRevision.status == MinutesStatus.APPROVED)
    ).scalar_one()
    expected, place = head_before("minutes.approve", revision.id)
    text, full, event = printed_head(load_blob_data(revision.pdf_sha256), tmp_path)
    assert f"Record head at publication: {expected[:16]}… (event {place})" in text
    assert (full, event) == (expected, str(place))
    assert f"Record SHA-256: {revision.record_sha256[:8]}" in text


def test_verify_head_passes_on_the_untouched_chain(runner):
    events = chain()
    result = verify(runner, "--head", events[-1].sha256.upper())
    assert result.exit_code == 0, result.output
    n = len(events)
    assert f"The chain extends head {events[-1].sha256} (event {n} of {n})." in result.output
    assert "The record verifies" in result.output
    older = verify(runner, "--head", events[9].sha256)
    assert older.exit_code == 0, older.output
    assert f"(event 10 of {n})" in older.output


def test_verify_head_catches_the_newest_event_deleted(runner):
    newest = chain()[-1]
    tamper("DELETE FROM audit_events WHERE id = :id", id=newest.id)
    # The chain alone cannot show its own truncation...
    assert verify(runner).exit_code == 0
    # ...the head kept elsewhere does.
    result = verify(runner, "--head", newest.sha256)
    assert result.exit_code == 1
    assert f"The present chain does not contain head {newest.sha256}" in result.output
    assert "The record verifies" not in result.output


def test_verify_head_catches_an_older_event_edited(runner):
    events = chain()
    third = events[2]
    tamper("UPDATE audit_events SET actor_label = 'someone-else@city.gov' WHERE id = :id",
           id=third.id)  # fmt: skip
    result = verify(runner, "--head", events[-1].sha256)
    assert result.exit_code == 1
    assert f"The chain up to head {events[-1].sha256} does not verify" in result.output
    assert f"audit event {third.id} " in result.output
    assert "changed after it was written" in result.output


def test_verify_head_from_reads_a_downloaded_pdf(runner, tmp_path):
    revision = db.session.execute(
        sa.select(MinutesRevision).where(MinutesRevision.status == MinutesStatus.APPROVED)
    ).scalar_one()
    expected, place = head_before("minutes.approve", revision.id)
    path = tmp_path / "minutes.pdf"
    path.write_bytes(load_blob_data(revision.pdf_sha256))
    result = verify(runner, "--head-from", str(path))
    assert result.exit_code == 0, result.output
    assert f"The chain extends head {expected} (event {place} of {len(chain())})." in result.output
    assert "The record verifies" in result.output
    # Rewriting history before that head is caught through the PDF too.
    tamper("UPDATE audit_events SET action = 'meeting.forged' WHERE id = :id", id=chain()[0].id)
    broken = verify(runner, "--head-from", str(path))
    assert broken.exit_code == 1
    assert "does not verify" in broken.output


def test_verify_head_refuses_what_is_not_a_head(runner, tmp_path):
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(make_pdf_bytes("No head here."))
    result = verify(runner, "--head-from", str(plain))
    assert result.exit_code == 1
    assert "carries no record head in its metadata" in result.output
    short = verify(runner, "--head", chain()[-1].sha256[:16])
    assert short.exit_code == 1
    assert "64 hexadecimal digits" in short.output
    unknown = verify(runner, "--head", "0" * 64)
    assert unknown.exit_code == 1
    assert "does not contain head" in unknown.output
