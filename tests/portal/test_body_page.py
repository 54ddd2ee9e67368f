"""The public page of a body: its roster today with titles and vacancies, and its meetings."""

from __future__ import annotations

from datetime import date

from agenda.bodies.models import Membership
from agenda.bodies.rules import TermEnd
from agenda.extensions import db
from agenda.meetings.rules import MeetingStatus


def test_the_public_sees_the_roster_with_a_vacancy_and_only_published_meetings(
    client, make_body, make_meeting
):
    body = make_body(seats=3)
    member: Membership = body.memberships[2]
    member.ends_on, member.end_reason = date(2021, 6, 30), TermEnd.RESIGNED
    name = member.person.name
    published = make_meeting(body=body)
    draft = make_meeting(body=body, published=False, status=MeetingStatus.DRAFT)
    db.session.commit()
    page = client.get(f"/bodies/{body.id}").get_data(as_text=True)
    assert body.name in page
    assert body.memberships[0].person.name in page and "Mayor" in page
    assert f'<strong class="vacant">Vacant since July 1, 2021: {name} resigned</strong>' in page
    assert f"/meetings/{published.id}" in page
    assert f"/meetings/{draft.id}" not in page
    listing = client.get("/bodies").get_data(as_text=True)
    assert f"/bodies/{body.id}" in listing
    meeting_page = client.get(f"/meetings/{published.id}").get_data(as_text=True)
    assert f'href="/bodies/{body.id}"' in meeting_page


def test_an_unknown_body_is_not_found(client):
    assert client.get("/bodies/999999").status_code == 404
