"""Simultaneous writes on PostgreSQL take turns on the audit chain: all stored, one chain."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from agenda.audit.models import AuditEvent
from agenda.audit.verify import first_chain_break
from agenda.auth.operations import create_user
from agenda.auth.rules import Role
from agenda.bodies.models import Body, Membership, Person, Seat
from agenda.extensions import db
from agenda.meetings.models import Attendance
from agenda.meetings.operations import add_item, create_meeting, section_titled
from agenda.meetings.rules import MeetingStatus, MeetingType
from agenda.votes.models import Motion, Vote
from agenda.votes.rules import AttendanceStatus, MotionKind, Threshold
from tests.conftest import PASSWORD, csrf_token

WRITERS = 32
START = datetime(2026, 7, 7, 21, tzinfo=UTC)


def seed(writers: int) -> tuple[list[int], list[str], list[int]]:
    """A meeting in session with one pending motion per writer on its own item, and a clerk
    account per writer; return the motion ids, the clerks' emails and the members' ids."""
    body = Body(name="Commission", slug="c", seats=3, timezone="America/New_York")
    people = [Person(name=f"Member {n}") for n in range(1, 4)]
    for seat, person in enumerate(people, start=1):
        body.seat_list.append(Seat(number=seat, title="Commissioner"))
        body.memberships.append(
            Membership(person=person, seat=seat, title="Commissioner", starts_on=date(2020, 1, 1))
        )
    db.session.add(body)
    meeting = create_meeting(body, meeting_type=MeetingType.REGULAR, scheduled_at=START,
                             location="Hall", actor=None)  # fmt: skip
    meeting.attendance = [Attendance(person=p, status=AttendanceStatus.PRESENT) for p in people]
    meeting.status, meeting.published_at = MeetingStatus.IN_PROGRESS, START - timedelta(days=8)
    meeting.called_to_order_at = START
    section = section_titled(meeting, "Resolutions")
    motions = []
    for n in range(writers):
        item = add_item(section, title=f"Resolution {n + 1}", actor=None)
        motion = Motion(agenda_item=item, position=1, kind=MotionKind.MAIN, text="Adopt.",
                        mover_id=people[0].id, seconder_id=people[1].id,
                        threshold=Threshold.MAJORITY_CAST)  # fmt: skip
        db.session.add(motion)
        motions.append(motion)
    emails = [f"clerk{n}@example.test" for n in range(writers)]
    for email in emails:
        create_user(email=email, password=PASSWORD, role=Role.CLERK, person_id=None, actor=None)
    db.session.commit()
    return [m.id for m in motions], emails, [p.id for p in people]


@pytest.mark.postgres
def test_simultaneous_roll_calls_are_all_stored_in_one_unbroken_chain(make_app, pg_database):
    # A connection per writer, so that all of them really are in the database at once.
    app = make_app(
        pg_database(),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": WRITERS + 2, "max_overflow": 0},
    )
    with app.app_context():
        upgrade()
        motion_ids, emails, member_ids = seed(WRITERS)
        events_before = db.session.execute(sa.select(sa.func.max(AuditEvent.id))).scalar_one()
        db.session.remove()

    # Each writer is a clerk signed in on a client of their own, with a form token in hand.
    clients, tokens = [], []
    for n, email in enumerate(emails):
        client = app.test_client()
        # Each clerk signs in from a machine of their own, as the sign-in limit expects.
        client.environ_base["REMOTE_ADDR"] = f"10.0.{n // 250}.{n % 250 + 1}"
        token = csrf_token(client, "/login")
        signed_in = client.post("/login", data={"email": email, "password": PASSWORD,
                                                "csrf_token": token})  # fmt: skip
        assert signed_in.status_code == 302
        clients.append(client)
        tokens.append(csrf_token(client, "/"))

    together = threading.Barrier(WRITERS, timeout=30)
    answers: list[str] = [""] * WRITERS
    form = {f"vote-{pid}": "yes" for pid in member_ids}

    def writer(n: int) -> None:
        together.wait()
        try:
            response = clients[n].post(f"/clerk/console/motions/{motion_ids[n]}/roll-call",
                                       data={**form, "csrf_token": tokens[n]})  # fmt: skip
            answers[n] = str(response.status_code)
        except Exception as error:  # anything the app did not answer is a failure too
            answers[n] = f"{type(error).__name__}: {str(error).splitlines()[0]}"

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    failed = [f"motion {motion_ids[n]}: {a}" for n, a in enumerate(answers) if a != "302"]
    assert not failed, f"{len(failed)} of {WRITERS} writes failed:\n" + "\n".join(failed)
    with app.app_context():
        votes = db.session.execute(sa.select(Vote.motion_id, Vote.id)).all()
        assert sorted(motion_id for motion_id, _ in votes) == sorted(motion_ids)
        written = db.session.execute(
            sa.select(AuditEvent).where(AuditEvent.id > events_before).order_by(AuditEvent.id)
        ).scalars().all()  # fmt: skip
        assert [e.action for e in written] == ["vote.record"] * WRITERS
        assert sorted(e.object_id for e in written) == sorted(str(v) for _, v in votes)
        links = db.session.execute(sa.select(AuditEvent.prev_sha256)).scalars().all()
        assert len(set(links)) == len(links)  # nobody chained onto an event another took
        assert first_chain_break() is None
        verified = app.test_cli_runner().invoke(args=["verify"])
        assert verified.exit_code == 0, verified.output
        assert f"The record verifies: {len(links)} audit events chained" in verified.output
        db.session.remove()
