"""The write API's guarantees: one record per Idempotency-Key, refusals that keep nothing and
speak the screens' words, tokens that may only do what they were made for, and the audit
trail naming the token."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role, TokenScope
from agenda.db import utcnow
from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings.models import AgendaItem, Attendance, Meeting
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.session import call_to_order, record_attendance
from agenda.votes.models import Ballot, Motion, Vote
from agenda.votes.operations import move_motion
from agenda.votes.rules import AttendanceStatus, MotionKind
from tests.api.writing import api_for, today_local
from tests.conftest import make_pdf_bytes, row_counts

RECORD = (Meeting, AgendaItem, Attachment, Attendance, Motion, Vote, Ballot)


@pytest.fixture
def clerk(make_user):
    return make_user(Role.CLERK)


@pytest.fixture
def api(client, clerk):
    return api_for(client, clerk)


def people_of(body):
    return [m.person for m in sorted(body.memberships, key=lambda m: m.seat)]


def new_meeting(body, **fields):
    return {
        "body_id": body.id, "classification": "regular", "date": "2026-12-08",
        "time": "17:00", "location": "City Hall", **fields,
    }  # fmt: skip


@pytest.fixture
def in_session(make_meeting, body):
    """A published meeting called to order an hour ago, with an item carrying a motion."""
    meeting = make_meeting(body=body, scheduled_at=utcnow().replace(microsecond=0))
    item = add_item(section_titled(meeting, "Resolutions"), title="Ban plastic straws", actor=None)
    call_to_order(meeting, actor=None, at=meeting.scheduled_at)
    db.session.commit()
    return meeting, item


def seat_everyone(meeting, people):
    for person in people:
        record_attendance(meeting, person.id, status=AttendanceStatus.PRESENT, actor=None)


def main_motion(item, people):
    motion = move_motion(
        item, kind=MotionKind.MAIN, text="Move to adopt.", mover_id=people[1].id,
        seconder_id=people[2].id, actor=None,
    )  # fmt: skip
    db.session.commit()
    return motion


def six_to_one(people):
    return [{"person_id": p.id, "value": "no" if i == 6 else "yes"} for i, p in enumerate(people)]


# ---------------------------------------------------------------------------------------------
# Idempotency-Key


def test_a_post_sent_twice_with_one_key_records_once_and_answers_the_same(api, body):
    first = api.post("/meetings", new_meeting(body), **{"Idempotency-Key": "e6a1-meeting"})
    assert first.status_code == 201, first.json
    counts = row_counts(Meeting, AuditEvent)

    again = api.post("/meetings", new_meeting(body), **{"Idempotency-Key": "e6a1-meeting"})

    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json
    assert again.headers["Location"] == first.headers["Location"]
    assert (
        row_counts(Meeting, AuditEvent)
        == counts
        == {"Meeting": 1, "AuditEvent": counts["AuditEvent"]}
    )
    assert "Idempotent-Replayed" not in first.headers


def test_an_upload_sent_again_with_its_key_is_stored_once(api, make_meeting, body):
    meeting = make_meeting(body=body, published=False)
    item = add_item(section_titled(meeting, "Discussion"), title="Budget workshop", actor=None)
    pdf, key = make_pdf_bytes("Page one"), {"Idempotency-Key": "upload-1"}
    first = api.upload(f"/items/{item.id}/attachments", pdf, "Memo", **key)
    assert first.status_code == 201, first.json

    # Each send is a new multipart body (a new boundary); the same fields and file are one request.
    again = api.upload(f"/items/{item.id}/attachments", pdf, "Memo", **key)
    other = api.upload(f"/items/{item.id}/attachments", make_pdf_bytes("Page two"), "Memo", **key)

    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json
    assert other.status_code == 422 and "Idempotency-Key" in other.json["error"]["fields"]
    assert len(db.session.get(AgendaItem, item.id).attachments) == 1


def test_a_key_reused_for_another_request_is_refused_and_records_nothing(api, body):
    api.post("/meetings", new_meeting(body), **{"Idempotency-Key": "k-1"})
    counts = row_counts(*RECORD)

    other = api.post("/meetings", new_meeting(body, location="Old City Hall"))
    reused = api.post(
        "/meetings",
        new_meeting(body, location="Harry S. Truman School"),
        **{"Idempotency-Key": "k-1"},
    )

    assert other.status_code == 201  # without a key: a new meeting
    assert reused.status_code == 422
    assert reused.json["error"]["fields"] == {
        "Idempotency-Key": ["Already used for another request."]
    }
    assert row_counts(*RECORD) == {**counts, "Meeting": counts["Meeting"] + 1}


# ---------------------------------------------------------------------------------------------
# Refusals keep nothing


def test_a_roll_call_without_quorum_is_refused_in_the_consoles_words(api, body, in_session):
    meeting, item = in_session
    people = people_of(body)
    seat_everyone(meeting, people[:3])
    for person in people[3:]:
        record_attendance(meeting, person.id, status=AttendanceStatus.ABSENT, actor=None)
    motion = main_motion(item, people)
    counts = row_counts(*RECORD)

    answer = api.post(
        f"/motions/{motion.id}/roll-call",
        {"ballots": [{"person_id": p.id, "value": "yes"} for p in people[:3]]},
    )

    assert answer.status_code == 422
    assert "A vote cannot be recorded without a quorum." in answer.json["error"]["message"]
    assert row_counts(*RECORD) == counts


def test_a_second_roll_call_on_a_motion_is_a_conflict(api, body, in_session):
    meeting, item = in_session
    people = people_of(body)
    seat_everyone(meeting, people)
    motion = main_motion(item, people)
    first = api.post(f"/motions/{motion.id}/roll-call", {"ballots": six_to_one(people)})
    assert first.status_code == 201, first.json
    counts = row_counts(*RECORD)

    second = api.post(f"/motions/{motion.id}/roll-call", {"ballots": six_to_one(people)[::-1]})

    assert second.status_code == 409
    assert second.json["error"]["message"] == (
        f"This roll call is already recorded: {first.json['explanation']}."
    )
    assert row_counts(*RECORD) == counts


def test_dispose_decides_the_item_with_the_vote_as_the_consoles_checkbox(api, body, in_session):
    meeting, item = in_session
    people = people_of(body)
    seat_everyone(meeting, people)
    motion = main_motion(item, people)

    answer = api.post(
        f"/motions/{motion.id}/roll-call", {"ballots": six_to_one(people), "dispose": True}
    )

    assert answer.status_code == 201, answer.json
    assert answer.json["item_disposition"] == "adopted"
    assert answer.json["followed"].startswith("Item ")
    assert db.session.get(AgendaItem, item.id).disposition.value == "adopted"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"classification": "picnic"}, "classification"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "1850-07-04"}, "date"),
        ({"time": "25:00"}, "time"),
        ({"time": "17:00Z"}, "time"),
        ({"body_id": None}, "body_id"),
        ({"seating": "theatre"}, "seating"),
        ({"body_id": 2**40}, "body_id"),
        ({"location": "City\x00Hall"}, "body"),
    ],
)
def test_a_bad_body_is_refused_with_the_field_named(api, body, fields, field):
    counts = row_counts(*RECORD)

    answer = api.post("/meetings", new_meeting(body, **fields))

    assert answer.status_code == 422
    assert list(answer.json["error"]["fields"]) == [field]
    assert answer.json["error"]["message"].startswith(f"Check these fields: {field}: ")
    assert row_counts(*RECORD) == counts


def test_ids_that_name_nothing_are_refused_before_the_database(api, body, in_session):
    _, item = in_session

    unknown_body = api.post("/meetings", new_meeting(body, body_id=999_999))
    far_meeting = api.post(f"/meetings/{2**40}/items", {"section": "Discussion", "title": "X"})
    far_parent = api.post(
        f"/items/{item.id}/motions",
        {"kind": "amendment", "mover_id": people_of(body)[1].id, "parent_id": 2**33},
    )

    assert unknown_body.status_code == 422
    assert unknown_body.json["error"]["fields"] == {"body_id": ["No body has the id 999999."]}
    assert far_meeting.status_code == 404
    assert far_parent.status_code == 422
    assert list(far_parent.json["error"]["fields"]) == ["parent_id"]


def test_a_matter_is_refused_in_the_legislation_screens_words(api, body, make_body):
    counts = row_counts(Matter)
    outsider = make_body(name="Planning Board").memberships[0].person_id

    untitled = api.post("/matters", {"body_id": body.id, "classification": "resolution"})
    sponsored = api.post("/matters", {
        "body_id": body.id, "classification": "ordinance", "title": "Short-term rentals",
        "sponsor_ids": [outsider],
    })  # fmt: skip

    assert untitled.json["error"]["fields"] == {"title": ["Give the matter a title."]}
    assert sponsored.json["error"]["fields"] == {
        "sponsor_ids": [f"Choose sponsors from the members of the {body.name} seated today."]
    }
    assert row_counts(Matter) == counts


def test_a_file_that_is_not_a_pdf_is_refused_beside_the_file(api, body, matter):
    counts = row_counts(*RECORD)

    answer = api.upload(f"/matters/{matter.id}/attachments", b"<html>not a pdf</html>", "Memo")
    missing = api.post(f"/matters/{matter.id}/attachments")

    assert answer.status_code == 422
    assert list(answer.json["error"]["fields"]) == ["file"]
    assert missing.status_code == 422
    assert row_counts(*RECORD) == counts


def test_an_item_attachment_is_checked_and_stored(api, make_meeting, body):
    meeting = make_meeting(body=body, published=False)
    item = add_item(section_titled(meeting, "Discussion"), title="Budget workshop", actor=None)

    answer = api.upload(f"/items/{item.id}/attachments", make_pdf_bytes("Page one"), "")

    assert answer.status_code == 201, answer.json
    assert answer.json["title"] == "memo.pdf"  # an empty title takes the file's name
    assert answer.headers["Location"] == f"http://localhost/api/v1/meetings/{meeting.id}"
    assert [a.title for a in db.session.get(AgendaItem, item.id).attachments] == ["memo.pdf"]


def test_attendance_with_a_member_left_out_saves_nothing_and_names_them(api, body, in_session):
    meeting, _ = in_session
    people = people_of(body)
    counts = row_counts(*RECORD)
    members = [{"person_id": p.id, "status": "present"} for p in people[1:]]
    members[2]["stays"] = [{"arrived": "26:00"}]

    answer = api.post(f"/meetings/{meeting.id}/attendance", {"members": members})
    late = api.post(f"/meetings/{meeting.id}/attendance", {"members": [
        {"person_id": people[0].id, "status": "absent", "remote": True}, *members[:2],
    ]})  # fmt: skip

    assert answer.status_code == 422
    assert list(answer.json["error"]["fields"]) == ["members.2.stays.0.arrived"]
    assert late.status_code == 422
    assert late.json["error"]["message"] == "Attendance was not saved; correct the members marked."
    fields = late.json["error"]["fields"]
    assert fields["members.0"] == [
        f"Mayor {people[0].name} is marked absent, so cannot be there remotely: mark them "
        "present, or untick Remote."
    ]
    assert fields["members"][0].startswith("Choose present or absent for ")
    assert row_counts(*RECORD) == counts


def test_everyone_present_records_each_seated_member(api, body, in_session):
    meeting, _ = in_session

    answer = api.post(f"/meetings/{meeting.id}/attendance", {"everyone_present": True})

    assert answer.status_code == 200, answer.json
    assert (answer.json["present"], answer.json["seated"]) == (7, 7)
    assert {a["status"] for a in answer.json["attendance"]} == {"present"}


def test_a_motion_in_a_meeting_not_yet_called_to_order_is_refused(api, make_meeting, body):
    meeting = make_meeting(body=body)
    item = add_item(section_titled(meeting, "Resolutions"), title="Ban straws", actor=None)
    counts = row_counts(*RECORD)

    answer = api.post(
        f"/items/{item.id}/motions", {"mover_id": people_of(body)[1].id, "seconder_id": None}
    )

    assert answer.status_code == 422
    assert answer.json["error"]["message"] == "Call the meeting to order first."
    assert row_counts(*RECORD) == counts


def test_publishing_an_amendment_needs_its_reason(api, make_meeting, body):
    meeting = make_meeting(body=body, published=False)
    assert api.post(f"/meetings/{meeting.id}/publish").status_code == 200
    api.post(f"/meetings/{meeting.id}/items", {"section": "Discussion", "title": "Parking"})

    silent = api.post(f"/meetings/{meeting.id}/publish")
    amended = api.post(f"/meetings/{meeting.id}/publish", {"reason": "Added the parking item."})

    assert silent.status_code == 422
    assert silent.json["error"]["fields"] == {
        "reason": ["Say what changed and why; the public reads it with the amended agenda."]
    }
    assert amended.status_code == 200, amended.json
    assert [r.number for r in db.session.get(Meeting, meeting.id).revisions] == [1, 2]


def test_cancelling_gives_the_public_the_reason(api, make_meeting, body):
    meeting = make_meeting(body=body, published=False)
    api.post(f"/meetings/{meeting.id}/publish")

    silent = api.post(f"/meetings/{meeting.id}/cancel")
    answer = api.post(f"/meetings/{meeting.id}/cancel", {"reason": "Hurricane warning."})

    assert silent.status_code == 422
    assert silent.json["error"]["fields"] == {
        "reason": ["Give the reason for cancelling; the public will see it."]
    }
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "cancelled"
    assert client_reads(api, meeting.id)["cancelled_reason"] == "Hurricane warning."


def client_reads(api, meeting_id):
    return api.client.get(f"/api/v1/meetings/{meeting_id}").json


# ---------------------------------------------------------------------------------------------
# Tokens


def test_a_read_only_token_may_not_write(client, clerk, body):
    reader = api_for(client, clerk, scope=TokenScope.READ)

    answer = reader.post("/meetings", new_meeting(body))

    assert answer.status_code == 403
    assert answer.json["error"]["message"] == (
        "This token may only read; a clerk can make one that writes."
    )
    assert row_counts(Meeting) == {"Meeting": 0}


def test_without_a_token_nothing_is_written(client, body):
    answer = client.post("/api/v1/meetings", json=new_meeting(body))

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert row_counts(Meeting) == {"Meeting": 0}


def test_a_token_limited_to_another_body_cannot_touch_this_one(
    client, clerk, make_body, make_meeting, body
):
    planning = make_body(name="Planning Board")
    limited = api_for(client, clerk, body_ids=(planning.id,))
    draft = make_meeting(body=body, published=False)
    published = make_meeting(body=body)
    counts = row_counts(*RECORD)

    created = limited.post("/meetings", new_meeting(body))
    added = limited.post(f"/meetings/{draft.id}/items", {"section": "Discussion", "title": "X"})
    published_item = limited.post(
        f"/meetings/{published.id}/items", {"section": "Discussion", "title": "X"}
    )
    own = limited.post("/meetings", new_meeting(planning))

    assert created.status_code == 403
    assert created.json["error"]["message"] == "This token may not change this body's records."
    assert added.status_code == 404  # a draft of another body is not even confirmed
    assert published_item.status_code == 403
    assert own.status_code == 201
    assert row_counts(*RECORD) == {**counts, "Meeting": counts["Meeting"] + 1}


def test_the_audit_trail_names_the_token_a_write_came_through(api, body, clerk):
    answer = api.post("/meetings", new_meeting(body))

    event = db.session.execute(
        sa.select(AuditEvent).where(
            AuditEvent.action == "meeting.create", AuditEvent.object_id == str(answer.json["id"])
        )
    ).scalar_one()
    assert event.actor_id == clerk.id
    assert event.details["through"] == f"API token {api.token.prefix}…"
    assert api.token.prefix.startswith("agt_")


def test_a_meeting_on_its_own_day_needs_no_early_reason(api, body):
    created = api.post("/meetings", new_meeting(body, date=today_local().isoformat()))
    meeting_id = created.json["id"]
    api.post(f"/meetings/{meeting_id}/publish")
    later = api.post(
        "/meetings", new_meeting(body, date=(today_local() + timedelta(days=3)).isoformat())
    )
    api.post(f"/meetings/{later.json['id']}/publish")

    today = api.post(f"/meetings/{meeting_id}/call-to-order")
    early = api.post(f"/meetings/{later.json['id']}/call-to-order")

    assert today.status_code == 200, today.json
    assert early.status_code == 422
    assert list(early.json["error"]["fields"]) == ["early_reason"]


def test_a_members_vote_given_twice_records_nothing(api, body, in_session):
    meeting, item = in_session
    people = people_of(body)
    seat_everyone(meeting, people)
    motion = main_motion(item, people)
    counts = row_counts(*RECORD)
    ballots = [*six_to_one(people), {"person_id": people[6].id, "value": "yes"}]

    answer = api.post(f"/motions/{motion.id}/roll-call", {"ballots": ballots})

    assert answer.status_code == 422
    assert answer.json["error"]["message"] == f"Give Commissioner {people[6].name}'s vote once."
    assert row_counts(*RECORD) == counts
