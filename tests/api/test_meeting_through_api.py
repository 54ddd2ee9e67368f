"""A whole meeting driven through the write API alone, then read back through the read API."""

from __future__ import annotations

import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.votes.models import Vote
from tests.api.writing import api_for, today_local
from tests.conftest import make_pdf_bytes


def test_a_clerks_token_runs_a_meeting_from_filing_to_adjournment(client, body, make_user):
    api = api_for(client, make_user(Role.CLERK))
    people = [m.person for m in sorted(body.memberships, key=lambda m: m.seat)]
    mayor, kaufman, dissenter = people[0], people[3], people[6]

    # The legislation, filed with its sponsor.
    filed = api.post("/matters", {
        "body_id": body.id, "classification": "resolution",
        "title": "Authorize a declaratory-judgment action against the governor",
        "text": "WHEREAS the Commission voted 6-1 to end the 287(g) agreement;",
        "sponsor_ids": [kaufman.id],
    })  # fmt: skip
    assert filed.status_code == 201, filed.json
    matter = filed.json
    assert matter["identifier"].startswith("Res ")
    assert matter["status"] == "filed"
    assert [s["name"] for s in matter["sponsors"]] == [kaufman.name]
    assert filed.headers["Location"] == f"http://localhost/api/v1/matters/{matter['id']}"

    # The meeting, today at 9:00 where the body meets, at City Hall.
    created = api.post("/meetings", {
        "body_id": body.id, "classification": "regular", "date": today_local().isoformat(),
        "time": "09:00", "location": "City Hall, 1300 White Street",
    })  # fmt: skip
    assert created.status_code == 201, created.json
    meeting_id = created.json["id"]
    assert created.json["status"] == "draft"
    assert created.headers["Location"] == f"http://localhost/api/v1/meetings/{meeting_id}"

    # Two items: the resolution (titled after it) and a report.
    resolution = api.post(f"/meetings/{meeting_id}/items", {
        "section": "Resolutions", "matter_id": matter["id"],
    })  # fmt: skip
    assert resolution.status_code == 201, resolution.json
    assert resolution.json["title"] == matter["title"]
    assert resolution.json["matter_identifier"] == matter["identifier"]
    report = api.post(f"/meetings/{meeting_id}/items", {
        "section": "Discussion", "title": "City manager's report on the lawsuit's cost",
    })  # fmt: skip
    assert report.status_code == 201, report.json
    item_id, report_id = resolution.json["id"], report.json["id"]

    # The city attorney's memo, a real PDF, on the resolution.
    memo = api.upload(
        f"/matters/{matter['id']}/attachments",
        make_pdf_bytes("Memo of the city attorney", "South Miami's complaint"),
        "City attorney's memo",
    )
    assert memo.status_code == 201, memo.json
    assert memo.json["page_count"] == 2

    published = api.post(f"/meetings/{meeting_id}/publish")
    assert published.status_code == 200, published.json
    assert published.json["status"] == "published"
    assert published.json["documents"]["agenda"] is not None
    assert any("notice" in w for w in published.json["warnings"])  # same-day notice is short

    called = api.post(f"/meetings/{meeting_id}/call-to-order")
    assert called.status_code == 200, called.json
    assert called.json["status"] == "in_progress"

    attendance = api.post(f"/meetings/{meeting_id}/attendance", {
        "members": [{"person_id": p.id, "status": "present"} for p in people],
    })  # fmt: skip
    assert attendance.status_code == 200, attendance.json
    assert (attendance.json["present"], attendance.json["seated"]) == (7, 7)

    moved = api.post(f"/items/{item_id}/motions", {
        "kind": "main", "mover_id": kaufman.id, "seconder_id": mayor.id,
        "text": "Move to adopt the resolution.",
    })  # fmt: skip
    assert moved.status_code == 201, moved.json
    motion_id = moved.json["id"]
    assert moved.json["mover_name"] == kaufman.name

    ballots = [{"person_id": p.id, "value": "no" if p is dissenter else "yes"} for p in people]
    roll_call = api.post(f"/motions/{motion_id}/roll-call", {"ballots": ballots})
    assert roll_call.status_code == 201, roll_call.json
    assert roll_call.json["tally"] == "6-1"
    assert roll_call.json["result"] == "pass"
    vote_id = roll_call.json["id"]
    assert roll_call.headers["Location"] == f"http://localhost/api/v1/votes/{vote_id}"

    disposed = api.post(f"/items/{item_id}/disposition", {
        "disposition": "adopted", "motion_id": motion_id,
    })  # fmt: skip
    assert disposed.status_code == 200, disposed.json
    assert disposed.json["disposition"] == "adopted"
    filed_report = api.post(
        f"/items/{report_id}/disposition", {"disposition": "received_and_filed"}
    )
    assert filed_report.status_code == 200, filed_report.json

    adjourned = api.post(f"/meetings/{meeting_id}/adjourn")
    assert adjourned.status_code == 200, adjourned.json
    assert adjourned.json["status"] == "adjourned"

    # Read back through the read API, as anyone reads it.
    read = client.get(f"/api/v1/meetings/{meeting_id}")
    assert read.status_code == 200, read.json
    detail = read.json
    assert detail["status"] == "adjourned"
    assert [(i["number"], i["title"]) for i in detail["items"]] == [
        (resolution.json["number"], matter["title"]),
        (report.json["number"], "City manager's report on the lawsuit's cost"),
    ]
    assert sorted(a["name"] for a in detail["attendance"]) == sorted(p.name for p in people)
    item = detail["items"][0]
    assert item["disposition"] == "adopted"
    assert [a["title"] for a in item["attachments"]] == ["City attorney's memo"]
    (motion,) = item["motions"]
    (vote,) = motion["votes"]
    assert vote["tally"] == "6-1" and vote["result"] == "pass"
    counts = {c["option"]: c["value"] for c in vote["counts"]}
    assert counts == {"yes": 6, "no": 1, "abstain": 0, "absent": 0, "excused": 0, "not voting": 0}
    assert {b["voter_name"]: b["option"] for b in vote["votes"]} == {
        p.name: "no" if p is dissenter else "yes" for p in people
    }
    assert detail["items"][1]["disposition"] == "received_and_filed"

    legislation = client.get(f"/api/v1/matters/{matter['id']}").json
    assert legislation["status"] == "adopted"
    assert [v["tally"] for v in legislation["votes"]] == ["6-1"]
    assert "adopted" in [a["action"] for a in legislation["actions"]]

    # One meeting and one roll call were recorded, by the token's clerk.
    assert db.session.execute(sa.select(sa.func.count()).select_from(Meeting)).scalar_one() == 1
    stored = db.session.get(Vote, vote_id)
    assert stored.recorded_by_id == api.token.user_id
