"""`flask verify` replays every fact the chain records against the tables: a change made with
SQL behind the app's back is found and named, before the minutes are approved too."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.extensions import db


@pytest.fixture
def runner(demo_app):
    """Run commands on a fresh copy of the demo, loaded once per session."""
    return demo_app.test_cli_runner()


def verify(runner, *args):
    return runner.invoke(args=["verify", *args])


def tamper(sql: str, **params) -> None:
    """Change the database behind the app's back, as an attacker with SQL access would."""
    db.session.execute(sa.text(sql), params)
    db.session.commit()
    db.session.remove()


def one(sql: str, **params):
    return db.session.execute(sa.text(sql), params).one()


# The approval meeting's roll call: its minutes are not approved, so no digest protects it.
UNAPPROVED = (
    "SELECT b.id, b.vote_id, b.person_id, b.value, p.name FROM ballots b "
    "JOIN votes v ON v.id = b.vote_id JOIN motions m ON m.id = v.motion_id "
    "JOIN people p ON p.id = b.person_id "
    "WHERE m.text LIKE 'Move to approve the minutes%' ORDER BY b.person_id"
)


def test_the_untouched_demo_replays(runner):
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "motions and roll calls replayed" in result.output
    assert "were made before the chain recorded them" not in result.output


def test_a_ballot_of_a_meeting_not_yet_approved_is_named(runner):
    ballot = db.session.execute(sa.text(UNAPPROVED)).first()
    tamper("UPDATE ballots SET value = 'no' WHERE id = :id", id=ballot.id)
    result = verify(runner)
    assert result.exit_code == 1
    assert (
        f"vote {ballot.vote_id}: the ballot of {ballot.name} is no in the table, yes in the record"
    ) in result.output


def test_two_ballots_swapped_with_the_same_tally_are_named(runner):
    rows = db.session.execute(
        sa.text(
            "SELECT b.id, b.vote_id, b.value, p.name FROM ballots b "
            "JOIN votes v ON v.id = b.vote_id JOIN motions m ON m.id = v.motion_id "
            "JOIN people p ON p.id = b.person_id WHERE m.text LIKE '%287(g)%' "
            "ORDER BY b.value, b.person_id"
        )
    ).all()
    dissent, assent = rows[0], rows[-1]  # 'no' sorts before 'yes'
    assert (dissent.value, assent.value) == ("no", "yes")
    tamper("UPDATE ballots SET value = 'yes' WHERE id = :id", id=dissent.id)
    tamper("UPDATE ballots SET value = 'no' WHERE id = :id", id=assent.id)
    tally = one("SELECT yes_count, no_count FROM votes WHERE id = :id", id=dissent.vote_id)
    assert tuple(tally) == (6, 1)  # the stored tally did not change
    result = verify(runner)
    assert result.exit_code == 1
    # The meeting's minutes are approved: their digest breaks first, naming the meeting.
    assert "the record changed after the minutes were approved" in result.output


def test_swapped_ballots_before_approval_name_the_member(runner):
    first, second = db.session.execute(sa.text(UNAPPROVED)).all()[:2]
    tamper("UPDATE ballots SET value = 'no' WHERE id = :id", id=first.id)
    tamper("UPDATE ballots SET reason = 'x' WHERE id = :id", id=second.id)
    result = verify(runner)
    assert result.exit_code == 1
    assert f"the ballot of {first.name} is no in the table" in result.output


def test_an_attendance_time_is_named(runner):
    row = one(
        "SELECT a.id, a.meeting_id, a.person_id FROM attendance a "
        "JOIN meetings m ON m.id = a.meeting_id WHERE m.meeting_type = 'special' "
        "ORDER BY a.id LIMIT 1"
    )
    tamper(
        "UPDATE attendance SET left_at = (SELECT adjourned_at FROM meetings WHERE id = :m) "
        "WHERE id = :id",
        id=row.id,
        m=row.meeting_id,
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert f"attendance {row.meeting_id} {row.person_id}: stay 1, the departure time is" in (
        result.output
    )


def test_a_motions_mover_is_named(runner):
    motion = one(
        "SELECT id, mover_id, seconder_id FROM motions "
        "WHERE text LIKE 'Move to approve the minutes%'"
    )
    other = one(
        "SELECT b.person_id FROM ballots b JOIN votes v ON v.id = b.vote_id "
        "WHERE v.motion_id = :m AND b.person_id NOT IN (:a, :b) ORDER BY b.person_id LIMIT 1",
        m=motion.id, a=motion.mover_id, b=motion.seconder_id,
    ).person_id  # fmt: skip
    tamper("UPDATE motions SET mover_id = :o WHERE id = :id", o=other, id=motion.id)
    result = verify(runner)
    assert result.exit_code == 1
    assert (
        f"motion {motion.id}: the mover is {other} in the table, {motion.mover_id} in the record"
    ) in result.output


def test_a_disposition_is_named(runner):
    item = one(
        "SELECT i.id FROM agenda_items i JOIN motions m ON m.agenda_item_id = i.id "
        "WHERE m.text LIKE 'Move to approve the minutes%'"
    )
    tamper("UPDATE agenda_items SET disposition = 'failed' WHERE id = :id", id=item.id)
    result = verify(runner)
    assert result.exit_code == 1
    assert f"item {item.id}: the disposition is failed in the table, adopted in the record" in (
        result.output
    )


def test_a_deleted_row_the_chain_records_is_named(runner):
    ballot = db.session.execute(sa.text(UNAPPROVED)).first()
    tamper("DELETE FROM ballots WHERE id = :id", id=ballot.id)
    result = verify(runner)
    assert result.exit_code == 1
    assert f"the ballot of {ballot.name} is missing in the table, " in result.output


def test_two_audit_rows_contents_swapped_break_the_chain(runner):
    a, b = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.details).order_by(AuditEvent.id).offset(20).limit(2)
    ).all()
    events = db.metadata.tables["audit_events"]
    db.session.execute(sa.update(events).where(events.c.id == a.id).values(details=b.details))
    db.session.execute(sa.update(events).where(events.c.id == b.id).values(details=a.details))
    db.session.commit()
    db.session.remove()
    result = verify(runner)
    assert result.exit_code == 1
    assert f"audit event {a.id} " in result.output
    assert "its content was changed after it was written" in result.output


def test_rows_made_before_the_chain_covered_them_are_reported_then_sealed(runner):
    """A database from before this release has rows no event records: `verify` says so once
    and passes; `verify --seal` records them, and a later edit of one is caught."""
    events = db.metadata.tables["audit_events"]
    # As the previous release wrote them: events without facts (the chain re-linked to hold).
    rows = db.session.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    from agenda.audit.rules import event_digest

    previous = None
    for row in rows:
        details = {k: v for k, v in row["details"].items() if k != "facts"}
        digest = event_digest(
            prev_sha256=previous, occurred_at=row["occurred_at"], actor_label=row["actor_label"],
            action=row["action"], object_type=row["object_type"], object_id=row["object_id"],
            details=details,
        )  # fmt: skip
        db.session.execute(
            sa.update(events).where(events.c.id == row["id"])
            .values(details=details, prev_sha256=None, sha256=f"{row['id']:064x}")
        )  # fmt: skip
        db.session.flush()
        db.session.execute(
            sa.update(events).where(events.c.id == row["id"])
            .values(prev_sha256=previous, sha256=digest)
        )  # fmt: skip
        previous = digest
    db.session.commit()
    db.session.remove()

    reported = verify(runner)
    assert reported.exit_code == 0, reported.output
    assert "were made before the chain recorded them" in reported.output
    sealed = verify(runner, "--seal")
    assert sealed.exit_code == 0, sealed.output
    assert "Sealed" in sealed.output
    again = verify(runner)
    assert again.exit_code == 0 and "were made before" not in again.output
    ballot = db.session.execute(sa.text(UNAPPROVED)).first()
    tamper("UPDATE ballots SET value = 'no' WHERE id = :id", id=ballot.id)
    caught = verify(runner)
    assert caught.exit_code == 1
    assert f"the ballot of {ballot.name} is no in the table, yes in the record" in caught.output
