"""`flask verify` passes on an honest record and names the first break of a tampered one."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.extensions import db


@pytest.fixture
def runner(demo_app):
    """Run commands on a fresh copy of the demo, loaded once per session."""
    return demo_app.test_cli_runner()


def verify(runner):
    return runner.invoke(args=["verify"])


def tamper(sql: str, **params) -> None:
    """Change the database behind the app's back, as an attacker with SQL access would."""
    db.session.execute(sa.text(sql), params)
    db.session.commit()
    db.session.remove()


def test_the_demo_record_verifies(runner):
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "The record verifies" in result.output
    assert "1 approved minutes" in result.output


def test_a_changed_ballot_breaks_the_approved_minutes(runner):
    ballot_id = db.session.execute(
        sa.text(
            "SELECT b.id FROM ballots b JOIN votes v ON v.id = b.vote_id "
            "JOIN motions m ON m.id = v.motion_id "
            "WHERE m.text LIKE '%287(g)%' AND b.value = 'no'"
        )
    ).scalar_one()
    tamper("UPDATE ballots SET value = 'yes' WHERE id = :id", id=ballot_id)
    result = verify(runner)
    assert result.exit_code == 1
    assert "the record changed after the minutes were approved" in result.output
    assert "minutes of meeting" in result.output


def test_a_deleted_audit_row_breaks_the_chain(runner):
    victim = db.session.execute(
        sa.select(AuditEvent.id).order_by(AuditEvent.id).offset(5).limit(1)
    ).scalar_one()
    tamper("DELETE FROM audit_events WHERE id = :id", id=victim)
    result = verify(runner)
    assert result.exit_code == 1
    assert f"audit event {victim + 1} " in result.output
    assert "does not follow the event before it" in result.output


def test_two_reordered_audit_rows_break_the_chain(runner):
    first, second = db.session.execute(
        sa.select(AuditEvent.id).order_by(AuditEvent.id).offset(10).limit(2)
    ).scalars()
    # Swap the two rows' places in the sequence by swapping their ids (via a free id).
    tamper("UPDATE audit_events SET id = -1 WHERE id = :id", id=first)
    tamper("UPDATE audit_events SET id = :a WHERE id = :b", a=first, b=second)
    tamper("UPDATE audit_events SET id = :b WHERE id = -1", b=second)
    result = verify(runner)
    assert result.exit_code == 1
    assert f"audit event {first} " in result.output


def test_an_edited_audit_row_is_caught(runner):
    third = db.session.execute(
        sa.select(AuditEvent.id).order_by(AuditEvent.id).offset(2).limit(1)
    ).scalar_one()
    tamper("UPDATE audit_events SET actor_label = 'someone-else@city.gov' WHERE id = :id", id=third)
    result = verify(runner)
    assert result.exit_code == 1
    assert f"audit event {third} " in result.output
    assert "changed after it was written" in result.output
