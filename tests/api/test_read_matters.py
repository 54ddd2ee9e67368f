"""Reading legislation and roll calls through the API: history, votes, drafts, filters, pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from agenda.extensions import db
from agenda.matters.models import Matter, MatterSponsor
from agenda.matters.operations import file_matter
from agenda.matters.rules import MatterType
from agenda.votes.models import Ballot, Vote
from tests.api.test_read_meetings import bearer, walk


def test_the_287g_resolution_reads_with_its_text_history_and_6_1_vote(demo_app):
    client = demo_app.test_client()
    listed = client.get("/api/v1/matters").json["results"]
    summary = next(m for m in listed if m["identifier"] == "Res 26-187")
    answer = client.get(summary["url"].removeprefix("http://localhost"))
    assert answer.status_code == 200
    matter = answer.json
    assert "287(g)" in matter["title"] and "287(g)" in matter["text"]
    assert matter["classification"] == "resolution"
    assert matter["status"] == "adopted"
    assert matter["html_url"] == f"http://localhost/matters/{matter['id']}"
    assert [a["filename"] for a in matter["attachments"]] == ["Res 26-187.pdf"]
    actions = [a["action"] for a in matter["actions"]]
    assert actions[0] == "filed" and "adopted" in actions
    (vote,) = [v for v in matter["votes"] if "287(g)" in v["motion_text"]]
    assert vote["tally"] == "6-1"
    assert sorted(b["option"] for b in vote["votes"]) == ["no"] + ["yes"] * 6
    assert client.get("/api/v1/matters/999999").status_code == 404
    assert client.get("/api/v1/matters/999999").json["error"]["code"] == 404


def test_pages_walk_all_legislation_once_and_filters_narrow_it(demo_app):
    client = demo_app.test_client()
    everything = walk(client, "/api/v1/matters")
    ordered = db.session.execute(sa.select(Matter.id).order_by(Matter.created_at, Matter.id))
    assert everything == list(ordered.scalars())
    assert walk(client, "/api/v1/matters?limit=1") == everything
    assert walk(client, "/api/v1/matters?limit=2") == everything
    ordinances = walk(client, "/api/v1/matters?classification=ordinance")
    assert [db.session.get(Matter, i).file_number for i in ordinances] == ["Ord 26-001"]
    adopted = walk(client, "/api/v1/matters?status=adopted")
    assert [db.session.get(Matter, i).file_number for i in adopted] == ["Res 26-187"]
    second_body = walk(client, "/api/v1/matters?body=2")
    assert second_body and all(db.session.get(Matter, i).body_id == 2 for i in second_body)
    sponsor = db.session.execute(sa.select(MatterSponsor).limit(1)).scalar_one()
    sponsored = walk(client, f"/api/v1/matters?sponsor={sponsor.person_id}")
    expected = db.session.execute(
        sa.select(MatterSponsor.matter_id).where(MatterSponsor.person_id == sponsor.person_id)
    ).scalars()
    assert sorted(sponsored) == sorted(expected)
    assert walk(client, "/api/v1/matters?updated_since=2100-01-01T00:00:00Z") == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("classification=bill", "classification"),
        ("status=pending", "status"),
        ("sponsor=kaufman", "sponsor"),
        ("limit=0", "limit"),
        ("updated_since=2026-02-30", "updated_since"),
        ("cursor=WzEsMl0", "cursor"),
    ],
)
def test_a_bad_filter_of_legislation_answers_400_naming_it(demo_app, query, parameter):
    answer = demo_app.test_client().get(f"/api/v1/matters?{query}")
    assert answer.status_code == 400
    assert parameter in answer.json["error"]["fields"]


def test_legislation_on_no_agenda_yet_is_seen_only_by_a_token_of_its_body(
    client, body, make_body, make_user
):
    filed = file_matter(
        body, matter_type=MatterType.ORDINANCE, title="Short-term rentals", text="Be it ordained.",
        sponsor_ids=[body.memberships[0].person_id], actor=None,
    )  # fmt: skip
    db.session.commit()
    path = f"/api/v1/matters/{filed.id}"
    assert client.get(path).status_code == 404
    assert filed.id not in walk(client, "/api/v1/matters")
    own = bearer(make_user(), body.id)
    seen = client.get(path, headers=own)
    assert seen.status_code == 200
    assert seen.json["status"] == "filed"
    assert seen.json["votes"] == []
    assert walk(client, "/api/v1/matters", own) == [filed.id]
    other = bearer(make_user(), make_body().id)
    assert client.get(path, headers=other).status_code == 404
    assert walk(client, "/api/v1/matters", other) == []


# ---------------------------------------------------------------------------------------------
# Roll calls


def test_every_public_roll_call_is_listed_once_as_its_meeting_shows_it(demo_app):
    client = demo_app.test_client()
    listed = walk(client, "/api/v1/votes?limit=2")
    assert len(listed) == len(set(listed))
    shown = set()
    for meeting_id in walk(client, "/api/v1/meetings"):
        detail = client.get(f"/api/v1/meetings/{meeting_id}").json
        shown |= {v["id"] for i in detail["items"] for m in i["motions"] for v in m["votes"]}
    assert set(listed) == shown
    assert len(listed) == db.session.execute(sa.select(sa.func.count(Vote.id))).scalar_one()
    one = client.get(f"/api/v1/votes/{listed[0]}")
    assert one.status_code == 200 and one.json["id"] == listed[0]
    assert walk(client, "/api/v1/votes?body=2") == []
    assert walk(client, "/api/v1/votes?since=2026-11-24&until=2026-11-24") != []
    assert client.get("/api/v1/votes/999999").json["error"]["code"] == 404


def test_a_members_roll_calls_are_those_with_their_ballot(demo_app):
    client = demo_app.test_client()
    dissent = db.session.execute(sa.select(Ballot).where(Ballot.value == "no")).scalars().first()
    person = dissent.person_id
    answer = client.get(f"/api/v1/votes?person={person}&limit=100")
    results = answer.json["results"]
    assert all(any(b["voter_id"] == person for b in v["votes"]) for v in results)
    cast = db.session.execute(sa.select(Ballot.vote_id).where(Ballot.person_id == person))
    assert sorted(v["id"] for v in results) == sorted(cast.scalars())
    assert dissent.vote_id in [v["id"] for v in results]
    bad = client.get("/api/v1/votes?person=someone")
    assert bad.status_code == 400 and "person" in bad.json["error"]["fields"]
