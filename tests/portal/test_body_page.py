"""The public page of a body: its roster today with vacancies, its voting rules, its meetings."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from agenda.bodies.models import Membership
from agenda.bodies.rules import AbstentionPolicy, PresidingVote, SeatBase, TermEnd
from agenda.extensions import db
from agenda.meetings.rules import MeetingStatus
from agenda.votes.rules import abstention_sentence


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


def test_the_public_reads_the_bodys_voting_rules(client, make_body):
    body = make_body(seats=6)
    body.seat_list[1].title = "Council Member"
    body.seat_base, body.is_full_body_less_recused = SeatBase.FILLED, True
    body.presiding_seat, body.presiding_vote = 1, PresidingVote.TIE_ONLY
    body.is_presiding_counted_for_quorum, body.is_presiding_seat_counted = False, False
    body.abstention_policy = AbstentionPolicy.SILENCE_AS_YES
    body.is_recused_counted_for_quorum, body.is_in_person_quorum = False, True
    body.is_unexcused_departure_present, body.is_tie_continued = True, True
    body.rules_citation = "N.C.G.S. 160A-69, 160A-74, 160A-75"
    db.session.commit()
    page = text_of(client.get(f"/bodies/{body.id}").get_data(as_text=True))
    assert "Voting rules" in page
    assert "(5 counted for quorum), quorum is 3. Recused members do not count toward it." in page
    assert "It must be in the room: members attending remotely do not count." in page
    assert abstention_sentence(AbstentionPolicy.SILENCE_AS_YES) in page
    assert (
        "The Mayor (seat 1) presides and votes only to break a tie, and does not count toward"
        " quorum; the seat is not one of the seats that make the full body."
    ) in page
    assert (
        "The full body is the seats filled on the day; vacant seats are left out, less members"
        " recused from the vote."
    ) in page
    assert "A member who leaves without being excused counts present and voting yes" in page
    assert "A tie on a main motion with members absent continues the item." in page
    assert "The rules come from N.C.G.S. 160A-69, 160A-74, 160A-75." in page


def test_a_body_with_the_usual_rules_says_them_plainly(client, make_body):
    body = make_body(seats=7)
    page = text_of(client.get(f"/bodies/{body.id}").get_data(as_text=True))
    assert "With 7 seats, quorum is 4." in page
    assert "No seat presides apart: the mayor or chair votes like every member." in page
    assert "The full body is every authorized seat, vacant or not." in page
    assert "The rules come from" not in page


def text_of(html: str) -> str:
    """Return the page's text with tags dropped and spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
