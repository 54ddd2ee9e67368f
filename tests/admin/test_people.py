"""The admin's people screens: people, terms, suspension and reinstatement, and refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.bodies.models import Body, Membership, Person
from agenda.bodies.rules import TermEnd, TermStart
from agenda.extensions import db
from agenda.meetings.models import Attendance
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import MeetingStatus
from agenda.votes.models import Motion
from agenda.votes.operations import record_roll_call
from agenda.votes.rules import AttendanceStatus, Ballot, BallotValue, MotionKind, Threshold
from tests.conftest import csrf_token, row_counts

MARCH_3 = datetime(2026, 3, 3, 22, tzinfo=UTC)  # 5 PM in Key West


@pytest.fixture
def admin(client, auth):
    auth.login(Role.ADMIN)
    return client


def post(client, path, data):
    data = {"csrf_token": csrf_token(client, "/admin/people/"), **data}
    return client.post(path, data=data)


def terms_of(person_id: int) -> list[tuple]:
    db.session.expire_all()
    return list(
        db.session.execute(
            sa.select(Membership.seat, Membership.starts_on, Membership.ends_on,
                      Membership.start_reason, Membership.end_reason)
            .where(Membership.person_id == person_id).order_by(Membership.starts_on)
        ).all()
    )  # fmt: skip


def seat_holder(client, body: Body, day: str, seat: int) -> str:
    page = client.get(f"/admin/people/bodies/{body.id}/roster?on={day}").get_data(as_text=True)
    row = page.split(f'<th scope="row">{seat}</th>')[1].split("</tr>")[0]
    return " ".join(row.split())


def vote_at(body: Body, make_meeting, when: datetime) -> None:
    """Record one roll call at a meeting of the body on `when`, every member voting yes."""
    meeting = make_meeting(body=body, scheduled_at=when, status=MeetingStatus.IN_PROGRESS)
    people = [m.person for m in body.memberships]
    meeting.attendance = [Attendance(person=p, status=AttendanceStatus.PRESENT) for p in people]
    item = add_item(section_titled(meeting, "Resolutions"), title="Resolution", actor=None)
    motion = Motion(agenda_item=item, position=1, kind=MotionKind.MAIN, text="Adopt.",
                    mover_id=people[0].id, seconder_id=people[1].id,
                    threshold=Threshold.MAJORITY_PRESENT)  # fmt: skip
    db.session.add(motion)
    db.session.flush()
    record_roll_call(motion, [Ballot(p.id, BallotValue.YES) for p in people], actor=None, at=when)
    db.session.commit()


def test_the_admin_adds_a_person_and_refusals_change_nothing(admin):
    before = row_counts(Person, AuditEvent)
    for data, message in [
        ({"name": ""}, "Enter the person&#39;s name."),
        ({"name": "x" * 201}, "Keep the name to 200 characters."),
        ({"name": "Jo", "email": "not-an-address"}, "Enter an e-mail address"),
    ]:
        response = post(admin, "/admin/people/new", data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert row_counts(Person, AuditEvent) == before
    response = post(admin, "/admin/people/new", {"name": "Jo Smith", "email": "jo@example.org"})
    assert response.status_code == 302
    person = db.session.execute(sa.select(Person).where(Person.name == "Jo Smith")).scalar_one()
    assert person.email == "jo@example.org"
    assert "Jo Smith" in admin.get("/admin/people/").get_data(as_text=True)


def test_suspension_and_reinstatement_through_the_screens(admin, make_body):
    body = make_body(seats=3)
    member = body.memberships[2]
    name, person_id = member.person.name, member.person_id
    response = post(admin, f"/admin/people/terms/{member.id}/end",
                    {"end-ends_on": "2026-04-30", "end-reason": "suspended"})  # fmt: skip
    assert response.status_code == 302
    assert name in seat_holder(admin, body, "2026-04-30", 3)
    during = seat_holder(admin, body, "2026-05-15", 3)
    assert "Vacant" in during and f"Vacant since May 1, 2026: {name} suspended" in during
    response = post(admin, f"/admin/people/terms/{member.id}/reinstate",
                    {"back-starts_on": "2026-06-01"})  # fmt: skip
    assert response.status_code == 302
    assert "Vacant" in seat_holder(admin, body, "2026-05-31", 3)
    assert name in seat_holder(admin, body, "2026-06-01", 3)
    assert terms_of(person_id)[-1] == (3, date(2026, 6, 1), None, TermStart.REINSTATED, None)
    actions = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.details).order_by(AuditEvent.id)
    ).all()
    ended = [d for a, d in actions if a == "term.ended"]
    assert ended[-1]["changes"]["end_reason"][1] == "suspended"
    assert any(a == "term.added" for a, _ in actions)


def test_a_successor_during_a_suspension_blocks_an_overlapping_reinstatement(admin, make_body):
    body = make_body(seats=3)
    member = body.memberships[2]
    post(admin, f"/admin/people/terms/{member.id}/end",
         {"end-ends_on": "2026-04-30", "end-reason": "suspended"})  # fmt: skip
    successor = Person(name="Pat Successor")
    db.session.add(successor)
    db.session.commit()
    response = post(admin, f"/admin/people/{successor.id}/terms",
                    {"term-seat": f"{body.id}:3", "term-starts_on": "2026-05-10",
                     "term-ends_on": "2026-11-30", "term-start_reason": "appointed"})  # fmt: skip
    assert response.status_code == 302
    before = terms_of(member.person_id), row_counts(Membership, AuditEvent)
    response = post(admin, f"/admin/people/terms/{member.id}/reinstate",
                    {"back-starts_on": "2026-06-01"})  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Seat 3 is held by Pat Successor from May 10, 2026 to November 30, 2026." in page
    assert (terms_of(member.person_id), row_counts(Membership, AuditEvent)) == before
    response = post(admin, f"/admin/people/terms/{member.id}/reinstate",
                    {"back-starts_on": "2026-12-01"})  # fmt: skip
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"term-starts_on": "2026-05-02", "term-ends_on": "2026-05-01"}, "before it starts"),
        ({"term-starts_on": "2021-01-01"}, "Seat 3 is held by Member 3"),
        ({"term-starts_on": "1899-12-31", "term-ends_on": "1899-12-31"}, "out of range"),
        ({"term-starts_on": "2026-13-01"}, "Enter a real date"),
        ({"term-starts_on": "2027-01-01", "term-seat": "999:1"}, "Choose a body&#39;s seat"),
    ],
)
def test_bad_terms_are_refused_with_a_message_and_nothing_changes(admin, make_body, data, message):
    body = make_body(seats=3)
    person = Person(name="New Member")
    db.session.add(person)
    db.session.commit()
    before = row_counts(Membership, AuditEvent)
    form = {"term-seat": f"{body.id}:3", "term-start_reason": "elected", **data}
    response = post(admin, f"/admin/people/{person.id}/terms", form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert row_counts(Membership, AuditEvent) == before


def test_ballots_keep_a_person_and_the_term_that_covers_them(admin, make_body, make_meeting):
    body = make_body(seats=3)
    vote_at(body, make_meeting, MARCH_3)
    member = body.memberships[2]
    before = terms_of(member.person_id), row_counts(Person, Membership, AuditEvent)
    response = post(admin, f"/admin/people/terms/{member.id}/end",
                    {"end-ends_on": "2026-03-02", "end-reason": "resigned"})  # fmt: skip
    assert response.status_code == 422
    assert "voted on March 3, 2026; a term must cover that day." in response.get_data(as_text=True)
    response = post(admin, f"/admin/people/{member.person_id}/delete", {})
    assert response.status_code == 422
    assert "has cast ballots; end their term instead." in response.get_data(as_text=True)
    response = post(admin, f"/admin/people/terms/{member.id}/delete", {})
    assert response.status_code == 422
    assert (terms_of(member.person_id), row_counts(Person, Membership, AuditEvent)) == before
    response = post(admin, f"/admin/people/terms/{member.id}/end",
                    {"end-ends_on": "2026-03-03", "end-reason": "resigned"})  # fmt: skip
    assert response.status_code == 302
    assert terms_of(member.person_id)[0][2:] == (date(2026, 3, 3), TermStart.ELECTED,
                                                 TermEnd.RESIGNED)  # fmt: skip


def test_a_person_entered_in_error_is_deleted_with_their_terms(admin, make_body):
    body = make_body(seats=3)
    person = body.memberships[2].person
    before = row_counts(Person, Membership)
    response = post(admin, f"/admin/people/{person.id}/delete", {})
    assert response.status_code == 302
    after = row_counts(Person, Membership)
    assert after == {k: v - 1 for k, v in before.items()}
    assert "Vacant" in seat_holder(admin, body, "2026-01-01", 3)


def test_the_roster_refuses_a_date_it_cannot_read(admin, make_body):
    body = make_body(seats=3)
    response = admin.get(f"/admin/people/bodies/{body.id}/roster?on=2026-02-30")
    assert response.status_code == 422
    assert "Enter a real date" in response.get_data(as_text=True)
