"""The admin's bodies screens: create and change a body, its seats and rules; refuse bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.bodies.models import Body, Jurisdiction, Seat
from agenda.bodies.rules import AbstentionPolicy, QuorumRule, RulesPreset
from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.votes.models import Ballot, Vote
from agenda.votes.rules import AbstentionPolicy as Policy
from agenda.votes.rules import abstention_sentence, quorum_sentence
from tests.conftest import count_rows, csrf_token, hold, row_counts, vote_on

START = datetime(2026, 7, 7, 21, tzinfo=UTC)
TRUSTEES = "Village of Example, Board of Trustees"


def form(**overrides: str) -> dict[str, str]:
    data = {
        "name": TRUSTEES,
        "kind": "board",
        "timezone": "America/Chicago",
        "seat_titles": "Village President\nTrustee\nTrustee\nTrustee\nTrustee",
        "quorum_rule": "majority_of_seats",
        "quorum_fixed": "",
        "abstention_policy": "allowed",
        "is_recused_counted_for_quorum": "y",
        "seat_base": "authorized",
        "presiding_seat": "",
        "presiding_vote": "always",
        "is_presiding_counted_for_quorum": "y",
        "is_presiding_seat_counted": "y",
        "rules_citation": "",
        "notice_hours_regular": "72",
        "notice_hours_special": "24",
        "default_location": "Village Hall",
        "default_time": "19:00",
        "sections": "Call to order\nRoll call\nConsent agenda\nNew business\nAdjournment",
        "consent_section": "3",
        "accommodation_statement": "",
        "appeal_statement": "",
    }
    data.update(overrides)
    return data


def meeting_article(client, meeting_id: int) -> str:
    """Return the public meeting page's record: everything between its article tags."""
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Buy a fire truck" in page
    return page[page.index('<article class="meeting">') : page.rindex("</article>")]


def post(client, path, data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def test_a_new_body_starts_from_the_jurisdictions_preset_and_time_zone(client, auth):
    db.session.add(
        Jurisdiction(name="Example", timezone="America/Denver", rules_preset=RulesPreset.FLORIDA)
    )
    db.session.commit()
    auth.login(Role.ADMIN)
    html = client.get("/admin/bodies/new").get_data(as_text=True)
    assert 'value="America/Denver"' in html
    assert '<option selected value="conflict_only">' in html
    # Florida's rule, with its quasi-judicial exception (Fla. Stat. 286.012).
    assert abstention_sentence(Policy.CONFLICT_ONLY) in html
    assert "in a quasi-judicial proceeding they may abstain to keep it fair" in html


def test_the_admin_creates_a_body_with_titled_seats_and_then_changes_it(client, auth):
    auth.login(Role.ADMIN)
    response = post(client, "/admin/bodies/new", form())
    assert response.status_code == 302
    body = db.session.execute(db.select(Body).where(Body.name == TRUSTEES)).scalar_one()
    assert body.slug == "village-of-example-board-of-trustees"
    assert body.seats == 5
    assert [s.title for s in body.seat_list][:2] == ["Village President", "Trustee"]
    assert body.abstention_policy is AbstentionPolicy.ALLOWED
    assert body.default_location == "Village Hall"
    index = client.get("/admin/bodies").get_data(as_text=True)
    assert TRUSTEES in index

    edit = f"/admin/bodies/{body.id}"
    titles = "Village President\nTrustee\nTrustee\nTrustee\nTrustee\nTrustee\nAt-large"
    assert post(client, edit, form(seat_titles=titles, quorum_rule="fixed_number",
                                   quorum_fixed="3")).status_code == 302  # fmt: skip
    db.session.expire_all()
    assert body.seats == 7
    assert body.seat_list[-1].title == "At-large"
    assert (body.quorum_rule, body.quorum_fixed) == (QuorumRule.FIXED_NUMBER, 3)
    assert "With 7 seats, quorum is 3." in client.get(edit).get_data(as_text=True)
    event = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "body.updated")
    ).scalar_one()
    changes = event.details["changes"]
    assert changes["seats"] == [5, 7]
    assert changes["quorum_fixed"] == [None, 3]
    assert changes["seat_titles"][1][-1] == "At-large"


def test_a_second_body_with_the_same_name_is_refused(client, auth, make_body):
    make_body(name=TRUSTEES)
    auth.login(Role.ADMIN)
    before = row_counts(Body, Seat)
    response = post(client, "/admin/bodies/new", form(name=TRUSTEES.upper()))
    assert response.status_code == 422
    assert "There is already a body named" in response.get_data(as_text=True)
    assert row_counts(Body, Seat) == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"timezone": "Nowhere/Else"}, "timezone", "is not a time zone"),
        ({"quorum_rule": "fixed_number", "quorum_fixed": "6"}, "quorum_fixed", "between 1 and"),
        ({"quorum_rule": "fixed_number", "quorum_fixed": "0"}, "quorum_fixed", "between 1 and"),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"default_location": "x" * 301}, "default_location", "at most 300 characters"),
        ({"seat_titles": ""}, "seat_titles", "Enter at least one seat"),
        ({"seat_titles": "x" * 121}, "seat_titles", "at most 120 characters"),
        ({"notice_hours_regular": "2001"}, "notice_hours_regular", "from 0 to 2000"),
        ({"notice_hours_special": "-1"}, "notice_hours_special", "from 0 to 2000"),
        ({"default_time": "25:99"}, "default_time", "Enter a time"),
        ({"appeal_statement": "x" * 4001}, "appeal_statement", "at most 4000 characters"),
        ({"sections": "Call to order\n\nAdjournment"}, "sections", "Section 2 has no title"),
        ({"sections": ""}, "sections", "Enter at least one section"),
        ({"consent_section": "6"}, "consent_section", "from 1 to 5"),
        ({"consent_section": "two"}, "consent_section", "Enter the line number"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    client, auth, overrides, field, message
):
    auth.login(Role.ADMIN)
    response = post(client, "/admin/bodies/new", form(**overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html
    assert count_rows(Body) == 0


def test_fewer_seats_than_are_held_names_the_member_and_changes_nothing(client, auth, make_body):
    body = make_body(name=TRUSTEES, seats=5)
    auth.login(Role.ADMIN)
    holder = body.memberships[4].person.name
    response = post(client, f"/admin/bodies/{body.id}", form(seat_titles="A\nB\nC\nD"))
    assert response.status_code == 422
    assert f"Seat 5 is held by {holder} with no end date; end that term first." in (
        response.get_data(as_text=True)
    )
    db.session.expire_all()
    assert body.seats == 5 and len(body.seat_list) == 5
    # Once the term has ended, the seat may go.
    body.memberships[4].ends_on = date(2021, 1, 1)
    db.session.commit()
    fewer = post(client, f"/admin/bodies/{body.id}", form(seat_titles="A\nB\nC\nD"))
    assert fewer.status_code == 302


def test_changing_the_rules_never_changes_a_recorded_vote(client, auth, make_body, make_meeting):
    body = make_body(name="Key West City Commission")
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=START)
    item = add_item(section_titled(meeting, "Resolutions"), title="Buy a fire truck", actor=None)
    hold(meeting, people, START)
    vote_on(item, people, START + timedelta(hours=1), no=(3,))
    db.session.commit()
    stored = db.session.execute(db.select(Vote)).scalar_one()
    before = (stored.yes_count, stored.no_count, stored.required, stored.result,
              stored.explanation, count_rows(Ballot))  # fmt: skip
    public = meeting_article(client, meeting.id)
    assert "Passed 6-1 (4 votes required" in public

    auth.login(Role.ADMIN)
    titles = "\n".join(["Mayor"] + ["Commissioner"] * 6)
    changed = form(name=body.name, seat_titles=titles, quorum_rule="two_thirds_of_seats",
                   abstention_policy="allowed", timezone="America/New_York")  # fmt: skip
    assert post(client, f"/admin/bodies/{body.id}", changed).status_code == 302
    db.session.expire_all()
    assert body.quorum_rule is QuorumRule.TWO_THIRDS_OF_SEATS
    stored = db.session.execute(db.select(Vote)).scalar_one()
    after = (stored.yes_count, stored.no_count, stored.required, stored.result,
             stored.explanation, count_rows(Ballot))  # fmt: skip
    assert after == before
    auth.logout()
    assert meeting_article(client, meeting.id) == public


@pytest.mark.parametrize(
    ("seats", "rule", "fixed", "sentence"),
    [
        (7, QuorumRule.MAJORITY_OF_SEATS, None, "With 7 seats, quorum is 4."),
        (6, QuorumRule.MAJORITY_OF_SEATS, None, "With 6 seats, quorum is 4."),
        (1, QuorumRule.MAJORITY_OF_SEATS, None, "With 1 seats, quorum is 1."),
        (7, QuorumRule.TWO_THIRDS_OF_SEATS, None, "With 7 seats, quorum is 5."),
        (6, QuorumRule.TWO_THIRDS_OF_SEATS, None, "With 6 seats, quorum is 4."),
        (7, QuorumRule.FIXED_NUMBER, 7, "With 7 seats, quorum is 7."),
        (7, QuorumRule.FIXED_NUMBER, 8, "A fixed quorum must be between 1 and 7."),
        (7, QuorumRule.FIXED_NUMBER, None, "A fixed quorum must be between 1 and 7."),
    ],
)
def test_quorum_sentences_at_their_boundaries(seats, rule, fixed, sentence):
    assert quorum_sentence(seats, rule, fixed) == sentence


def test_abstention_sentences():
    assert "unless they declare a conflict" in abstention_sentence(Policy.CONFLICT_ONLY)
    assert "may abstain" in abstention_sentence(Policy.ALLOWED)


def test_a_new_meeting_takes_the_bodys_usual_place_time_and_sections(client, auth):
    auth.login(Role.ADMIN)
    assert post(client, "/admin/bodies/new", form()).status_code == 302
    body = db.session.execute(db.select(Body).where(Body.name == TRUSTEES)).scalar_one()
    assert body.section_template[2] == ["Consent agenda", True]
    auth.logout()
    auth.login(Role.CLERK)
    page = client.get("/clerk/meetings/new").get_data(as_text=True)
    assert 'value="Village Hall"' in page and 'value="19:00"' in page
    data = {"body": str(body.id), "meeting_type": "regular", "day": "2026-09-01",
            "at": "", "location": "", "notes": ""}  # fmt: skip
    response = post(client, "/clerk/meetings/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting = db.session.execute(db.select(Meeting)).scalar_one()
    assert meeting.location == "Village Hall"
    assert meeting.scheduled_at.astimezone(ZoneInfo("America/Chicago")).hour == 19
    sections = [(s.title, s.is_consent) for s in meeting.sections]
    assert sections == [("Call to order", False), ("Roll call", False),
                        ("Consent agenda", True), ("New business", False),
                        ("Adjournment", False)]  # fmt: skip
