"""Bodies and people in the API: the lists, one body with every term, one person's terms."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from agenda.bodies.models import Membership, Person
from agenda.bodies.rules import TermEnd, TermStart
from agenda.extensions import db


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_bodies_are_listed_by_name_a_page_at_a_time(client, make_body):
    make_body(name="Zoning Board", slug="zoning")
    make_body(name="City Commission", slug="city", rules_citation="Charter s. 3.02")
    first = client.get("/api/v1/bodies?limit=1")
    assert first.status_code == 200
    page = first.get_json()
    assert [b["name"] for b in page["results"]] == ["City Commission"]
    city = page["results"][0]
    assert city["seats"] == 7
    assert city["classification"] == "commission"
    assert city["rules_citation"] == "Charter s. 3.02"
    assert city["url"] == f"http://localhost/api/v1/bodies/{city['id']}"
    assert client.get(path_of(city["html_url"])).status_code == 200
    second = client.get(path_of(page["next"])).get_json()
    assert [b["name"] for b in second["results"]] == ["Zoning Board"]
    assert second["next"] is None


def test_a_body_shows_every_term_current_and_past(client, make_body):
    body = make_body(name="City Commission", seats=3)
    former = Person(name="Pat Former")
    body.memberships.append(
        Membership(
            person=former, seat=2, title="Commissioner", starts_on=date(2016, 1, 1),
            ends_on=date(2019, 12, 31), end_reason=TermEnd.RESIGNED,
            start_reason=TermStart.APPOINTED,
        )
    )  # fmt: skip
    db.session.commit()

    answer = client.get(f"/api/v1/bodies/{body.id}").get_json()

    terms = answer["memberships"]
    assert len(terms) == 4
    seat_two = [t for t in terms if t["seat"] == 2]
    assert [t["person_name"] for t in seat_two] == ["Member 2 of City Commission", "Pat Former"]
    past = seat_two[1]
    assert past["end_date"] == "2019-12-31"
    assert past["end_reason"] == "resigned"
    assert past["start_reason"] == "appointed"
    assert past["organization_name"] == "City Commission"
    assert terms[0]["label"] == "Mayor"


def test_an_unknown_body_is_a_json_404(client):
    response = client.get("/api/v1/bodies/999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_people_are_the_members_of_any_body_with_all_their_terms(client, make_body):
    one = make_body(name="City Commission", seats=2)
    other = make_body(name="Planning Board", seats=1)
    both = one.memberships[0].person
    other.memberships[0].person = both  # the mayor also chairs the planning board
    staff = Person(name="Aaron Staffer")  # holds no seat: nobody's member
    db.session.add(staff)
    db.session.commit()

    answer = client.get("/api/v1/people").get_json()

    names = [p["name"] for p in answer["results"]]
    assert "Aaron Staffer" not in names
    assert names == sorted(names)
    mayor = next(p for p in answer["results"] if p["id"] == both.id)
    assert {m["organization_name"] for m in mayor["memberships"]} == {
        "City Commission",
        "Planning Board",
    }
    assert mayor["html_url"] == f"http://localhost/people/{both.id}"
    assert client.get(path_of(mayor["html_url"])).status_code == 200
    planning = client.get(f"/api/v1/people?body={other.id}").get_json()
    assert [p["id"] for p in planning["results"]] == [both.id]
    assert client.get(f"/api/v1/people/{staff.id}").status_code == 404


def test_current_means_holding_a_seat_today(client, make_body):
    body = make_body(name="City Commission", seats=2)
    today = date.today()
    ended = body.memberships[1]
    ended.ends_on, ended.end_reason = today - timedelta(days=2), TermEnd.EXPIRED
    upcoming = Person(name="Una Upcoming")
    body.memberships.append(
        Membership(person=upcoming, seat=2, title="Commissioner", starts_on=today + timedelta(30))
    )
    db.session.commit()

    def names(query: str) -> list[str]:
        return [p["name"] for p in client.get(f"/api/v1/people?{query}").get_json()["results"]]

    assert names("current=true") == ["Member 1 of City Commission"]
    assert names(f"current=false&body={body.id}") == [
        "Member 2 of City Commission",
        "Una Upcoming",
    ]
    assert names("") == [
        "Member 1 of City Commission",
        "Member 2 of City Commission",
        "Una Upcoming",
    ]


def test_people_pages_follow_one_another_to_the_end(client, make_body):
    make_body(seats=5)
    seen: list[int] = []
    url = "/api/v1/people?limit=2"
    while url:
        page = client.get(url).get_json()
        assert len(page["results"]) <= 2
        seen += [p["id"] for p in page["results"]]
        url = page["next"] and path_of(page["next"])
    assert len(seen) == len(set(seen)) == 5


def test_a_bad_cursor_or_filter_is_refused_with_the_parameter_named(client):
    bad = client.get("/api/v1/people?cursor=nonsense")
    assert bad.status_code == 400
    assert "cursor" in bad.get_json()["error"]["fields"]
    wrong = client.get("/api/v1/people?current=perhaps")
    assert wrong.status_code == 400
    assert "current" in wrong.get_json()["error"]["fields"]


def test_lists_and_details_run_the_same_queries_whatever_their_size(
    client, make_body, count_queries
):
    small = make_body(seats=3)
    with count_queries() as few:
        assert client.get("/api/v1/people?current=true").status_code == 200
    with count_queries() as few_detail:
        assert client.get(f"/api/v1/bodies/{small.id}").status_code == 200
    big = make_body(seats=30)
    make_body(seats=20)
    with count_queries() as many:
        answer = client.get("/api/v1/people?current=true&limit=100").get_json()
    assert len(answer["results"]) == 53
    with count_queries() as many_detail:
        assert len(client.get(f"/api/v1/bodies/{big.id}").get_json()["memberships"]) == 30
    assert len(many) == len(few)
    assert len(many_detail) == len(few_detail)
