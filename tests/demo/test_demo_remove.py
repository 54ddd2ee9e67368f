"""`flask demo remove`: every demo row goes, every real row stays, refusals change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from agenda.auth.models import User
from agenda.auth.rules import Role
from agenda.bodies.models import Body, Jurisdiction, Person
from agenda.extensions import db
from agenda.meetings.operations import add_item, create_meeting, section_titled
from agenda.meetings.rules import MeetingType
from agenda.votes.models import Ballot
from tests.conftest import hold, vote_on

START = datetime(2026, 7, 7, 21, tzinfo=UTC)
# Tables that outlive the demo: the audit history, the schema's version, one-time form keys,
# and the record's version (it only ever rises, so every cached page is retired).
KEPT = {"audit_events", "alembic_version", "form_keys", "record_version"}


def fingerprint(table_names: set[str] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table (but the kept ones), sorted: a picture of the database."""
    picture = {}
    for table in db.metadata.sorted_tables:
        if table.name in KEPT or (table_names is not None and table.name not in table_names):
            continue
        rows = db.session.execute(sa.select(table)).all()
        picture[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return picture


def demo_count() -> int:
    return sum(
        db.session.execute(sa.select(sa.func.count()).where(table.c.is_demo)).scalar_one()
        for table in db.metadata.sorted_tables
        if "is_demo" in table.c
    )


@pytest.fixture
def loaded(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return runner


@pytest.fixture
def real_vote(loaded, make_body, make_meeting):
    """A real body next to the demo, with a held meeting and a recorded 6-1 vote."""
    body = make_body(name="Village of Example Board of Trustees")
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=START)
    item = add_item(section_titled(meeting, "Resolutions"), title="Adopt the budget", actor=None)
    hold(meeting, people, START)
    vote_on(item, people, START + timedelta(hours=1), no=(3,))
    db.session.commit()
    return body


def test_remove_deletes_every_demo_row_and_leaves_the_real_body_untouched(loaded, real_vote):
    before = fingerprint()
    assert demo_count() > 0
    result = loaded.invoke(args=["demo", "remove"])
    assert result.exit_code == 0, result.output
    assert "Removed the demo" in result.output
    assert "meetings:" in result.output and "ballots:" in result.output
    db.session.expire_all()
    assert demo_count() == 0
    after = fingerprint()
    # Every row left was there before, unchanged: nothing real was touched.
    for table, rows in after.items():
        assert set(rows) <= set(before[table]), table
    # The real body, its seats, people, meeting, vote and ballots are all still there.
    real = db.session.execute(sa.select(Body)).scalars().all()
    assert [b.name for b in real] == ["Village of Example Board of Trustees"]
    assert after["ballots"] and after["votes"] and after["meetings"] and after["attendance"]
    assert len(after["people"]) == 7
    # Nothing else is left: the demo jurisdiction, users, blobs and attachments went.
    assert after["jurisdictions"] == [] and after["users"] == [] and after["blobs"] == []
    verified = loaded.invoke(args=["verify"])
    assert verified.exit_code == 0, verified.output
    assert "The record verifies" in verified.output


def test_after_removal_only_the_audit_history_remains_and_setup_works(loaded):
    events_before = db.session.execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one()
    result = loaded.invoke(args=["demo", "remove"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    # Every table (including any added later) is empty but the kept ones.
    leftovers = {t: rows for t, rows in fingerprint().items() if rows}
    assert leftovers == {}
    events_after = db.session.execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one()
    assert events_after == events_before + 1  # history kept, the removal recorded
    assert loaded.invoke(args=["verify"]).exit_code == 0

    again = loaded.invoke(args=["demo", "remove"])
    assert again.exit_code == 0
    assert "no demo data to remove" in again.output

    setup = loaded.invoke(
        args=["setup", "--name", "Village of Example", "--timezone", "America/Chicago",
              "--admin-email", "admin@example.org"],
        input="a long enough password\na long enough password\n",
    )  # fmt: skip
    assert setup.exit_code == 0, setup.output
    names = db.session.execute(sa.select(Jurisdiction.name)).scalars().all()
    assert names == ["Village of Example"]


def test_refused_when_a_real_meeting_sits_on_a_demo_body(loaded):
    demo_body = db.session.execute(sa.select(Body).where(Body.is_demo)).scalars().first()
    meeting = create_meeting(
        demo_body,
        meeting_type=MeetingType.REGULAR,
        scheduled_at=START + timedelta(days=400),
        location="City Hall",
        actor=None,
    )
    db.session.commit()
    before = fingerprint()
    result = loaded.invoke(args=["demo", "remove"])
    assert result.exit_code == 1
    assert "nothing was removed" in result.output
    assert f"meetings (id {meeting.id})" in result.output
    db.session.expire_all()
    assert fingerprint() == before


def test_refused_when_a_real_user_is_linked_to_a_demo_person(loaded, make_user):
    person = db.session.execute(sa.select(Person).where(Person.is_demo)).scalars().first()
    user = make_user(Role.COMMISSIONER, email="real@example.org", person_id=person.id)
    db.session.commit()
    before = fingerprint()
    result = loaded.invoke(args=["demo", "remove"])
    assert result.exit_code == 1
    assert f"users (id {user.id}) is real and refers to demo people {person.id}" in result.output
    db.session.expire_all()
    assert fingerprint() == before
    assert db.session.get(User, user.id) is not None


def test_refused_when_a_demo_person_votes_in_a_real_meeting(loaded, real_vote):
    """A ballot of a real vote cast by a demo person: the vote would lose a ballot."""
    demo_person = db.session.execute(sa.select(Person).where(Person.is_demo)).scalars().first()
    ballot = (
        db.session.execute(
            sa.select(Ballot).join(Person, Ballot.person_id == Person.id).where(~Person.is_demo)
        )
        .scalars()
        .first()
    )
    ballot.person_id = demo_person.id
    db.session.commit()
    before = fingerprint()
    result = loaded.invoke(args=["demo", "remove"])
    assert result.exit_code == 1
    assert "ballots (id" in result.output and f"people {demo_person.id}" in result.output
    db.session.expire_all()
    assert fingerprint() == before
