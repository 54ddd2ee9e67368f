"""Reading meetings through the API: the 287(g) roll call, drafts, filters, pages, caching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from agenda.auth.models import User
from agenda.auth.rules import TokenScope
from agenda.auth.tokens import create_token
from agenda.documents.operations import attach_pdf
from agenda.extensions import db
from agenda.matters.operations import file_matter
from agenda.matters.rules import MatterType
from agenda.meetings import agenda_editing as editing
from agenda.meetings.models import Attendance, Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.publishing import publish_meeting
from agenda.meetings.rules import MeetingStatus
from agenda.votes.models import Motion
from agenda.votes.operations import record_roll_call
from agenda.votes.rules import AttendanceStatus, Ballot, BallotValue, MotionKind, Threshold
from tests.conftest import blank_pdf

DEMO_CLERK = "clerk@demo.agenda.test"
NOV_24 = datetime(2026, 11, 24, 22, tzinfo=UTC)


def bearer(user: User, *body_ids: int) -> dict[str, str]:
    """Make a read token for `user`, limited to `body_ids`, and return its header."""
    _, secret = create_token(
        user, name="test reader", scope=TokenScope.READ, body_ids=body_ids, actor=None
    )
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def demo_clerk() -> User:
    return db.session.execute(sa.select(User).where(User.email == DEMO_CLERK)).scalar_one()


def walk(client, path: str, headers: dict[str, str] | None = None) -> list[int]:
    """Follow `next` from a list's first page to its last; return every id in order."""
    ids: list[int] = []
    while path:
        answer = client.get(path, headers=headers or {})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        ids += [row["id"] for row in answer.json["results"]]
        path = answer.json["next"]
    return ids


# ---------------------------------------------------------------------------------------------
# The demo: Key West


def test_meeting_2_shows_the_287g_roll_call_with_6_yes_and_1_no(demo_app):
    client = demo_app.test_client()
    answer = client.get("/api/v1/meetings/2")
    assert answer.status_code == 200
    meeting = answer.json
    assert meeting["body_name"] == "Key West City Commission"
    item = next(i for i in meeting["items"] if "287(g)" in i["title"])
    assert item["matter_identifier"] == "Res 26-187"
    assert item["disposition"] == "adopted"
    motion = next(m for m in item["motions"] if "287(g)" in m["text"])
    assert motion["mover_name"] == "Sam Kaufman"
    (roll_call,) = motion["votes"]
    assert roll_call["tally"] == "6-1"
    assert roll_call["result"] == "pass"
    counts = {c["option"]: c["value"] for c in roll_call["counts"]}
    assert counts == {"yes": 6, "no": 1, "abstain": 0, "absent": 0, "excused": 0, "not voting": 0}
    options = sorted(b["option"] for b in roll_call["votes"])
    assert options == ["no"] + ["yes"] * 6
    kaufman = next(b for b in roll_call["votes"] if b["voter_name"] == "Sam Kaufman")
    assert kaufman["option"] == "yes"
    assert roll_call["html_url"] == f"http://localhost/meetings/2#item-{item['id']}"
    # Seven members answered the roll, and the approved minutes are there to download.
    assert len(meeting["attendance"]) == 7
    assert meeting["minutes"]["status"] == "approved"
    for link in (meeting["documents"]["agenda"], meeting["documents"]["minutes"]):
        pdf = client.get(link.removeprefix("http://localhost"))
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    document = client.get(item["attachments"][0]["url"].removeprefix("http://localhost"))
    assert document.status_code == 200


def test_a_draft_meeting_is_hidden_from_the_public_and_shown_to_a_token_of_its_body(demo_app):
    client = demo_app.test_client()
    draft = db.session.execute(
        sa.select(Meeting).where(Meeting.status == MeetingStatus.DRAFT)
    ).scalar_one()
    gone = client.get(f"/api/v1/meetings/{draft.id}")
    assert gone.status_code == 404
    assert gone.json["error"]["code"] == 404
    assert draft.id not in walk(client, "/api/v1/meetings")

    own = bearer(demo_clerk(), draft.body_id)
    seen = client.get(f"/api/v1/meetings/{draft.id}", headers=own)
    assert seen.status_code == 200
    assert seen.json["status"] == "draft"
    assert seen.json["documents"] == {"agenda": None, "packet": None, "minutes": None}
    assert seen.headers["Cache-Control"] == "private, no-cache"
    assert draft.id in walk(client, "/api/v1/meetings", own)

    other_body = next(b for b in (1, 2) if b != draft.body_id)
    other = bearer(demo_clerk(), other_body)
    assert client.get(f"/api/v1/meetings/{draft.id}", headers=other).status_code == 404
    assert draft.id not in walk(client, "/api/v1/meetings", other)


def test_pages_walk_every_meeting_once_in_order_and_filters_narrow_them(demo_app):
    client = demo_app.test_client()
    everything = walk(client, "/api/v1/meetings?limit=100")
    public = db.session.execute(
        sa.select(Meeting.id)
        .where(Meeting.status != MeetingStatus.DRAFT)
        .order_by(Meeting.scheduled_at, Meeting.id)
    ).scalars()
    assert everything == list(public)
    for limit in (1, 2, 3):
        assert walk(client, f"/api/v1/meetings?limit={limit}") == everything
    assert walk(client, "/api/v1/meetings?body=2") == [7]
    assert walk(client, "/api/v1/meetings?status=cancelled") == [5]
    assert walk(client, "/api/v1/meetings?since=2026-11-24&until=2026-11-24") == [2]
    assert walk(client, "/api/v1/meetings?since=2026-12-01&limit=1") == [3, 4, 7, 5]
    assert walk(client, "/api/v1/meetings?until=2026-11-30") == [1, 2]
    assert walk(client, "/api/v1/meetings?updated_since=2100-01-01T00:00:00Z") == []
    assert walk(client, "/api/v1/meetings?updated_since=2000-01-01") == everything


def test_an_unchanged_meeting_answers_304_and_any_page_may_read_it(demo_app):
    client = demo_app.test_client()
    first = client.get("/api/v1/meetings/2")
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/api/v1/meetings/2", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""
    listing = client.get("/api/v1/meetings")
    assert listing.headers["Access-Control-Allow-Origin"] == "*"
    assert (
        client.get(
            "/api/v1/meetings", headers={"If-None-Match": listing.headers["ETag"]}
        ).status_code
        == 304
    )


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=many", "limit"),
        ("body=abc", "body"),
        ("body=0", "body"),
        ("since=2026-13-01", "since"),
        ("until=yesterday", "until"),
        ("since=2026-12-01&until=2026-11-01", "until"),
        ("status=postponed", "status"),
        ("updated_since=last+week", "updated_since"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=WyJub3QgYSB0aW1lIiwxXQ", "cursor"),
    ],
)
def test_a_bad_filter_answers_400_naming_the_parameter(demo_app, query, parameter):
    answer = demo_app.test_client().get(f"/api/v1/meetings?{query}")
    assert answer.status_code == 400
    assert answer.mimetype == "application/json"
    assert answer.json["error"]["code"] == 400
    assert parameter in answer.json["error"]["fields"]


def test_an_unknown_meeting_answers_404_in_json(demo_app):
    for path in ("/api/v1/meetings/999999", "/api/v1/meetings/0", "/api/v1/meetings/x"):
        answer = demo_app.test_client().get(path)
        assert answer.status_code == 404
        assert answer.json["error"]["title"] == "Not Found"


# ---------------------------------------------------------------------------------------------
# Meetings made for the test


def meeting_with_votes(body, make_meeting, items: int, start: datetime) -> Meeting:
    """An in-progress meeting with `items` items, each with legislation, documents and a vote."""
    meeting = make_meeting(body=body, scheduled_at=start, status=MeetingStatus.IN_PROGRESS)
    people = [m.person for m in body.memberships]
    meeting.attendance = [Attendance(person=p, status=AttendanceStatus.PRESENT) for p in people]
    section = section_titled(meeting, "Resolutions")
    pdf = blank_pdf()
    for n in range(items):
        matter = file_matter(
            body, matter_type=MatterType.RESOLUTION, title=f"Resolution {n}", text="Resolved.",
            sponsor_ids=[people[2].id], actor=None,
        )  # fmt: skip
        attach_pdf(pdf, filename="text.pdf", title="Full text", actor=None, matter=matter)
        item = add_item(section, title=f"Resolution {n}", matter=matter, actor=None)
        attach_pdf(pdf, filename="memo.pdf", title="Memo", actor=None, agenda_item=item)
        motion = Motion(agenda_item=item, position=1, kind=MotionKind.MAIN, text="Adopt.",
                        mover_id=people[0].id, seconder_id=people[1].id,
                        threshold=Threshold.MAJORITY_PRESENT)  # fmt: skip
        db.session.add(motion)
        db.session.flush()
        ballots = [Ballot(p.id, BallotValue.YES) for p in people[:-1]]
        ballots.append(Ballot(people[-1].id, BallotValue.RECUSED, "Owns the lot next door"))
        record_roll_call(motion, ballots, actor=None, at=start + timedelta(minutes=n))
    db.session.commit()
    return meeting


def read_counting(client, count_queries, meeting: Meeting) -> tuple[int, dict]:
    db.session.expire_all()
    with count_queries() as statements:
        answer = client.get(f"/api/v1/meetings/{meeting.id}")
    assert answer.status_code == 200
    return len(statements), answer.json


def test_a_meeting_reads_in_the_same_queries_for_5_items_as_for_30(
    client, count_queries, make_body, make_meeting
):
    body = make_body()
    small = meeting_with_votes(body, make_meeting, 5, NOV_24)
    large = meeting_with_votes(body, make_meeting, 30, NOV_24 + timedelta(days=7))
    small_count, small_json = read_counting(client, count_queries, small)
    large_count, large_json = read_counting(client, count_queries, large)
    assert small_count == large_count
    assert len(small_json["items"]) == 5
    assert len(large_json["items"]) == 30
    item = large_json["items"][29]
    assert item["number"] == "6.ad"
    assert [a["title"] for a in item["attachments"]] == ["Memo", "Full text"]
    (vote,) = item["motions"][0]["votes"]
    assert vote["tally"] == "6-0"
    recused = next(b for b in vote["votes"] if b["value"] == "recused")
    assert recused["option"] == "not voting"
    assert recused["note"] == "Owns the lot next door"
    assert {c["option"]: c["value"] for c in vote["counts"]}["not voting"] == 1


def test_the_public_sees_the_published_agenda_until_the_amendment_is_published(
    client, make_meeting, make_user
):
    meeting = make_meeting(published=False, scheduled_at=NOV_24)
    section = section_titled(meeting, "Resolutions")
    editing.add_agenda_item(section, title="Seawall repair", description="", matter=None,
                            actor=None)  # fmt: skip
    publish_meeting(meeting, actor=None, now=NOV_24 - timedelta(days=10))
    db.session.commit()
    editing.add_agenda_item(section, title="Budget workshop date", description="", matter=None,
                            actor=None)  # fmt: skip
    db.session.commit()
    path = f"/api/v1/meetings/{meeting.id}"
    public = [i["title"] for i in client.get(path).json["items"]]
    assert public == ["Seawall repair"]
    own = bearer(make_user(), meeting.body_id)
    staff = [i["title"] for i in client.get(path, headers=own).json["items"]]
    assert staff == ["Seawall repair", "Budget workshop date"]
    # The list gives both readers the meeting, its time as published.
    for headers in ({}, own):
        (listed,) = client.get("/api/v1/meetings", headers=headers).json["results"]
        assert listed["start_time"] == "2026-11-24T22:00:00Z"
        assert listed["documents"]["agenda"] == f"http://localhost/meetings/{meeting.id}/agenda.pdf"


def test_dates_are_the_meetings_own_local_dates(client, make_meeting):
    # 9 PM in Key West on November 24 is already November 25 in UTC.
    evening = make_meeting(scheduled_at=datetime(2026, 11, 25, 2, tzinfo=UTC))
    assert walk(client, "/api/v1/meetings?since=2026-11-24&until=2026-11-24") == [evening.id]
    assert walk(client, "/api/v1/meetings?since=2026-11-25") == []
    assert walk(client, "/api/v1/meetings?until=2026-11-23") == []
