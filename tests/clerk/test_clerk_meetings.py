"""The clerk's meeting workspace, as a clerk uses it: create, build the agenda, publish, amend."""

from __future__ import annotations

import html as htmllib
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.matters.operations import create_matter
from agenda.matters.rules import MatterType
from agenda.meetings import agenda_editing as editing
from agenda.meetings.models import AgendaItem, AgendaRevision, AgendaSection, Meeting
from agenda.meetings.operations import section_titled
from agenda.meetings.publishing import publish_meeting
from agenda.meetings.rules import DEFAULT_SECTIONS, MeetingStatus
from tests.conftest import count_rows, csrf_token, make_pdf_bytes, publish_pending

JULY_7 = datetime(2026, 7, 7, 21, 0, tzinfo=UTC)  # 5:00 PM EDT in Key West
SCRIPT = '<script>alert("x")</script>'
ITEM = re.compile(
    r'<span class="num">(\d+\.[a-z]+)</span>\s*(?:<span class="file-number">[^<]*</span>)?'
    r"\s*([^<]*?)\s*</p>"
)


def items_on(page: str) -> list[tuple[str, str]]:
    """Return the (number, title) of every item shown on a workspace page, in order."""
    return [(n, htmllib.unescape(t)) for n, t in ITEM.findall(page)]


def snapshot(meeting_id: int) -> tuple[Any, ...]:
    """Return everything a clerk could change about a meeting, read from the database."""
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting_id)
    sections = db.session.execute(
        sa.select(
            AgendaSection.id, AgendaSection.position, AgendaSection.title, AgendaSection.is_consent
        )
        .where(AgendaSection.meeting_id == meeting_id)
        .order_by(AgendaSection.id)
    ).all()
    items = db.session.execute(
        sa.select(
            AgendaItem.id,
            AgendaItem.section_id,
            AgendaItem.position,
            AgendaItem.title,
            AgendaItem.description,
            AgendaItem.matter_id,
        ).order_by(AgendaItem.id)
    ).all()
    return (
        meeting.status,
        meeting.meeting_type,
        meeting.scheduled_at,
        meeting.location,
        meeting.notes,
        meeting.published_at,
        meeting.cancelled_reason,
        tuple(sections),
        tuple(items),
        count_rows(AgendaRevision),
        count_rows(Attachment),
        count_rows(AuditEvent),
    )


@pytest.fixture
def body(make_body):
    return make_body(
        name="Key West City Commission",
        appeal_statement="A person who appeals needs a record of the proceedings.",
        accommodation_statement="Call the City Clerk to request an accommodation.",
    )


@pytest.fixture
def clerk(auth):
    return auth.login(Role.CLERK)


@pytest.fixture
def token(client, clerk):
    return csrf_token(client, "/clerk/meetings/new")


@pytest.fixture
def draft(make_meeting, body):
    return make_meeting(body=body, published=False, scheduled_at=JULY_7)


@pytest.fixture
def published(make_meeting, body):
    meeting = make_meeting(body=body, published=False, scheduled_at=JULY_7)
    publish_meeting(meeting, actor=None, now=datetime(2026, 6, 1, tzinfo=UTC))
    db.session.commit()
    return meeting


def add_items(meeting: Meeting, *titles: str, section: str = "Resolutions") -> list[int]:
    target = section_titled(meeting, section)
    ids = [
        editing.add_agenda_item(target, title=t, description="", matter=None, actor=None).id
        for t in titles
    ]
    db.session.commit()
    return ids


def new_meeting(client, token, meeting_body, **fields: str):
    data = {
        "csrf_token": token,
        "body": str(meeting_body.id),
        "meeting_type": "regular",
        "day": "2026-07-07",
        "at": "17:00",
        "location": "City Hall, 1300 White Street",
        "notes": "",
        **fields,
    }
    return client.post("/clerk/meetings/new", data=data)


def workspace(client, meeting_id: int) -> str:
    response = client.get(f"/clerk/meetings/{meeting_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def resolutions_id(meeting: Meeting) -> int:
    return section_titled(meeting, "Resolutions").id


def add_item(client, token, meeting, title: str, **fields: str):
    data = {
        "csrf_token": token,
        "item-section": str(fields.pop("section", resolutions_id(meeting))),
        "item-matter": "",
        "item-title": title,
        "item-description": "",
        **{f"item-{k}": v for k, v in fields.items()},
    }
    return client.post(f"/clerk/meetings/{meeting.id}/items", data=data)


# Creating a meeting


def test_a_meeting_at_5_pm_in_july_is_stored_in_utc_and_shown_in_local_time(client, token, body):
    response = new_meeting(client, token, body)
    assert response.status_code == 302
    meeting = db.session.execute(sa.select(Meeting)).scalar_one()
    assert response.headers["Location"].endswith(f"/clerk/meetings/{meeting.id}")
    assert meeting.scheduled_at == JULY_7
    assert meeting.status is MeetingStatus.DRAFT
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Meeting created as a draft" in page
    assert "Tuesday, July 7, 2026, 5:00 PM EDT" in page
    for position, (title, _) in enumerate(DEFAULT_SECTIONS, start=1):
        assert f'<span class="num">{position}.</span> {title}' in page
    assert page.count('class="section clerk-section"') == 10


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day": ""}, "Enter the date of the meeting."),
        ({"day": "2026-02-30"}, "Enter a real date, like 2026-07-07."),
        ({"at": "25:00"}, "Enter a time like 17:00 (5:00 PM)."),
        (
            {"day": "2026-03-08", "at": "02:30"},
            "2:30 AM does not exist on March 8, 2026 in America/New_York",
        ),
        ({"location": "x" * 301}, "Keep the location under 300 characters."),
        ({"body": "999999"}, "Choose a body from the list."),
        ({"body": "abc"}, "Choose a body from the list."),
    ],
)
def test_a_bad_new_meeting_is_shown_again_with_the_error_and_nothing_saved(
    client, token, body, fields, message
):
    response = new_meeting(client, token, body, **fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page
    assert count_rows(Meeting) == 0


# Building the agenda


def test_three_items_added_to_resolutions_are_numbered_6a_6b_6c(client, token, draft):
    for title in ("Res 26-214 Ending the 287(g) agreement", "Second", "Third"):
        response = add_item(client, token, draft, title)
        assert response.status_code == 302
        assert "#item-" in response.headers["Location"]
    page = workspace(client, draft.id)
    assert items_on(page) == [
        ("6.a", "Res 26-214 Ending the 287(g) agreement"),
        ("6.b", "Second"),
        ("6.c", "Third"),
    ]
    assert "Added item 6.c: Third." in page
    assert '<span class="visually-hidden">Move item 6.b </span>Up' in page
    assert '<span class="visually-hidden">Move item 6.b </span>Down' in page


def test_an_item_with_legislation_and_no_title_takes_the_legislations_title(client, token, draft):
    matter = create_matter(
        draft.body,
        matter_type=MatterType.RESOLUTION,
        title="Authorizing a declaratory-judgment action",
        text="",
        sponsors=[],
        actor=None,
    )
    db.session.commit()
    page = workspace(client, draft.id)
    assert f"{matter.file_number}: Authorizing a declaratory-judgment action</option>" in page
    response = add_item(client, token, draft, "", matter=str(matter.id))
    assert response.status_code == 302
    page = workspace(client, draft.id)
    assert f'<span class="file-number">{matter.file_number}</span>' in page
    assert items_on(page) == [("6.a", "Authorizing a declaratory-judgment action")]


def test_an_item_without_title_or_legislation_is_refused_next_to_the_title(client, token, draft):
    before = snapshot(draft.id)
    response = add_item(client, token, draft, "   ")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="item-title-error"' in page
    assert "Give the item a title, or choose the legislation" in page
    assert snapshot(draft.id) == before


def test_moving_items_up_down_and_to_another_section_renumbers(client, token, draft):
    a, b, c = add_items(draft, "A", "B", "C")
    response = client.post(
        f"/clerk/items/{a}/move", data={"csrf_token": token, "direction": "down"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#item-{a}")
    assert items_on(workspace(client, draft.id)) == [("6.a", "B"), ("6.b", "A"), ("6.c", "C")]
    client.post(f"/clerk/items/{c}/move", data={"csrf_token": token, "direction": "up"})
    assert items_on(workspace(client, draft.id)) == [("6.a", "B"), ("6.b", "C"), ("6.c", "A")]
    ordinances = section_titled(draft, "Ordinances").id
    response = client.post(
        f"/clerk/items/{b}/move-to",
        data={"csrf_token": token, f"move{b}-section": str(ordinances), f"move{b}-position": ""},
    )
    assert response.status_code == 302
    page = workspace(client, draft.id)
    assert "Moved item 6.a to 7.a." in page
    assert items_on(page) == [("6.a", "C"), ("6.b", "A"), ("7.a", "B")]


def test_moving_the_last_item_down_is_refused_and_changes_nothing(client, token, draft):
    _a, _b, c = add_items(draft, "A", "B", "C")
    before = snapshot(draft.id)
    response = client.post(
        f"/clerk/items/{c}/move", data={"csrf_token": token, "direction": "down"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Item 6.c is already last in section 6; it stays." in page
    assert items_on(page) == [("6.a", "A"), ("6.b", "B"), ("6.c", "C")]
    assert snapshot(draft.id) == before


def test_moving_to_a_place_that_does_not_exist_is_refused_next_to_the_field(client, token, draft):
    a, _b = add_items(draft, "A", "B")
    add_items(draft, "D", section="Ordinances")
    before = snapshot(draft.id)
    ordinances = section_titled(draft, "Ordinances").id
    response = client.post(
        f"/clerk/items/{a}/move-to",
        data={"csrf_token": token, f"move{a}-section": str(ordinances), f"move{a}-position": "9"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="move{a}-position-error"' in page
    assert "There is no place 9 in section 7; choose 1 to 2." in page
    assert snapshot(draft.id) == before


def test_removing_an_item_renumbers_the_rest(client, token, draft):
    a, _b, _c = add_items(draft, "A", "B", "C")
    edit_page = client.get(f"/clerk/items/{a}/edit").get_data(as_text=True)
    assert "Remove item 6.a" in edit_page
    response = client.post(f"/clerk/items/{a}/remove", data={"csrf_token": token})
    assert response.status_code == 302
    page = workspace(client, draft.id)
    assert "Removed item 6.a: A." in page
    assert items_on(page) == [("6.a", "B"), ("6.b", "C")]


def test_editing_an_item(client, token, draft):
    (a,) = add_items(draft, "A")
    data = {"csrf_token": token, "matter": "", "title": "", "description": "More"}
    response = client.post(f"/clerk/items/{a}/edit", data=data)
    assert response.status_code == 422
    assert "Give the item a title" in response.get_data(as_text=True)
    response = client.post(f"/clerk/items/{a}/edit", data={**data, "title": "A, revised"})
    assert response.status_code == 302
    page = workspace(client, draft.id)
    assert items_on(page) == [("6.a", "A, revised")]
    assert "More" in page


def test_sections_are_added_renamed_marked_consent_moved_and_removed(client, token, draft):
    response = client.post(
        f"/clerk/meetings/{draft.id}/sections",
        data={"csrf_token": token, "section-title": "Presentations", "section-place": "3"},
    )
    assert response.status_code == 302
    new = db.session.execute(
        sa.select(AgendaSection).where(AgendaSection.title == "Presentations")
    ).scalar_one()
    assert new.position == 3
    page = workspace(client, draft.id)
    assert '<span class="num">3.</span> Presentations' in page
    assert '<span class="num">11.</span> Adjournment' in page
    client.post(
        f"/clerk/sections/{new.id}/rename",
        data={"csrf_token": token, f"section{new.id}-title": "Proclamations"},
    )
    client.post(
        f"/clerk/sections/{new.id}/consent", data={"csrf_token": token, "is_consent": "yes"}
    )
    client.post(f"/clerk/sections/{new.id}/move", data={"csrf_token": token, "direction": "up"})
    page = workspace(client, draft.id)
    assert '<span class="num">2.</span> Proclamations <span class="badge">Consent</span>' in page
    response = client.post(f"/clerk/sections/{new.id}/remove", data={"csrf_token": token})
    assert response.status_code == 302
    page = workspace(client, draft.id)
    assert "Removed section 2: Proclamations." in page
    assert "Proclamations" not in page.split('id="agenda"')[1]
    assert '<span class="num">10.</span> Adjournment' in page


def test_a_section_with_items_is_not_removed(client, token, draft):
    add_items(draft, "A")
    before = snapshot(draft.id)
    response = client.post(
        f"/clerk/sections/{resolutions_id(draft)}/remove", data={"csrf_token": token}
    )
    assert response.status_code == 422
    assert "still has items; move or remove them first" in response.get_data(as_text=True)
    assert snapshot(draft.id) == before


def test_an_empty_section_title_is_refused_next_to_the_field(client, token, draft):
    section = resolutions_id(draft)
    before = snapshot(draft.id)
    response = client.post(
        f"/clerk/sections/{section}/rename",
        data={"csrf_token": token, f"section{section}-title": "  "},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="section{section}-title-error"' in page
    assert "Give the section a title." in page
    assert snapshot(draft.id) == before


def test_a_pdf_is_attached_to_an_item_and_a_non_pdf_is_refused(client, token, draft):
    (a,) = add_items(draft, "A")
    data = {
        "csrf_token": token,
        f"file{a}-file": (io.BytesIO(make_pdf_bytes("Staff report")), "report.pdf"),
        f"file{a}-title": "Staff report",
    }
    response = client.post(f"/clerk/items/{a}/attachments", data=data)
    assert response.status_code == 302
    page = workspace(client, draft.id)
    assert "Attached Staff report to item 6.a." in page
    assert 'Staff report</a> <span class="muted">(PDF, 1 page)' in page
    before = snapshot(draft.id)
    bad = {**data, f"file{a}-file": (io.BytesIO(b"hello"), "notes.txt")}
    response = client.post(f"/clerk/items/{a}/attachments", data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="file{a}-file-error"' in page
    assert "This file is not a PDF." in page
    assert snapshot(draft.id) == before


def test_a_document_is_taken_off_a_published_item_by_an_amendment(public, client, token, published):
    (a,) = add_items(published, "A")
    item = db.session.get(AgendaItem, a)
    editing.attach_item_document(
        item, make_pdf_bytes("Old map"), filename="map.pdf", title="Old map", actor=None
    )
    publish_pending(published)
    db.session.commit()
    attachment = db.session.execute(sa.select(Attachment)).scalar_one()
    packets = count_rows(AgendaRevision)
    page = workspace(client, published.id)
    assert 'Remove<span class="visually-hidden"> Old map from item 6.a</span>' in page
    path = f"/clerk/items/{a}/attachments/{attachment.id}/remove"
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 302
    page = workspace(client, published.id)
    assert "Removed Old map from item 6.a." in page
    assert "Amendment pending: 1 change" in page
    assert count_rows(Attachment) == 0
    assert count_rows(AgendaRevision) == packets
    # The public still has the published agenda's document until the amendment goes out.
    listed = public.get(f"/meetings/{published.id}").get_data(as_text=True)
    assert f'<a href="/documents/{attachment.sha256}.pdf">Old map</a>' in listed
    assert public.get(f"/documents/{attachment.sha256}.pdf").status_code == 200
    reason = {"csrf_token": token, "amendment-reason": "Removed the outdated map from 6.a"}
    assert client.post(f"/clerk/meetings/{published.id}/amendment", data=reason).status_code == 302
    assert count_rows(AgendaRevision) == packets + 1
    latest = db.session.execute(
        sa.select(AgendaRevision.summary).order_by(AgendaRevision.id.desc()).limit(1)
    ).scalar_one()
    assert latest == "Removed the outdated map from 6.a"
    assert ">Old map</a>" not in public.get(f"/meetings/{published.id}").get_data(as_text=True)
    assert public.get(f"/attachments/{attachment.id}/map.pdf").status_code == 404
    assert client.post(path, data={"csrf_token": token}).status_code == 404


def test_a_draft_never_published_is_deleted_once_the_clerk_confirms(client, token, draft):
    (a,) = add_items(draft, "A")
    item = db.session.get(AgendaItem, a)
    editing.attach_item_document(
        item, make_pdf_bytes("Notes"), filename="notes.pdf", title="Notes", actor=None
    )
    db.session.commit()
    path = f"/clerk/meetings/{draft.id}/delete"
    unconfirmed = client.post(path, data={"csrf_token": token})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm deleting the draft." in unconfirmed.get_data(as_text=True)
    assert db.session.get(Meeting, draft.id) is not None
    response = client.post(path, data={"csrf_token": token, "delete-confirm": "y"})
    assert response.status_code == 302 and response.location.endswith("/clerk/")
    db.session.expire_all()
    assert db.session.get(Meeting, draft.id) is None
    assert count_rows(AgendaItem) == count_rows(Attachment) == 0
    events = db.session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars()
    assert events.all()[-1] == "meeting.delete"
    assert "Deleted the draft regular meeting of" in client.get("/clerk/").get_data(as_text=True)


def test_a_published_meeting_or_a_draft_with_legislation_is_not_deleted(
    client, token, published, draft, matter
):
    response = client.post(
        f"/clerk/meetings/{published.id}/delete",
        data={"csrf_token": token, "delete-confirm": "y"},
    )
    assert response.status_code == 422
    assert "stays in the public record; cancel it instead." in response.get_data(as_text=True)
    add_items(draft, "Plain")
    section = section_titled(draft, "Resolutions")
    editing.add_agenda_item(section, title="", description="", matter=matter, actor=None)
    db.session.commit()
    response = client.post(
        f"/clerk/meetings/{draft.id}/delete", data={"csrf_token": token, "delete-confirm": "y"}
    )
    assert response.status_code == 422
    assert "Item 6.b carries legislation" in response.get_data(as_text=True)
    assert db.session.get(Meeting, published.id) and db.session.get(Meeting, draft.id)


# Publishing, amending, cancelling


def test_publishing_two_days_ahead_warns_of_short_notice_and_still_publishes(
    client, token, make_meeting, body
):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    meeting = make_meeting(body=body, published=False, scheduled_at=soon)
    assert "Publish agenda</button>" in workspace(client, meeting.id)
    response = client.post(f"/clerk/meetings/{meeting.id}/publish", data={"csrf_token": token})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<p class="flash flash-warning">Short notice: this regular meeting is published' in page
    assert "the body&#39;s rule is 7 days" in page
    assert "Agenda published (revision 1)." in page
    assert "Publish agenda</button>" not in page
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.status is MeetingStatus.PUBLISHED
    assert meeting.published_at is not None
    revision = db.session.execute(sa.select(AgendaRevision)).scalar_one()
    assert f"/documents/{revision.agenda_sha256}.pdf" in page
    assert f"/documents/{revision.packet_sha256}.pdf" in page


def test_a_body_without_statements_is_warned_about_both(client, token, make_meeting, make_body):
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    meeting = make_meeting(body=make_body(), published=False, scheduled_at=later)
    response = client.post(
        f"/clerk/meetings/{meeting.id}/publish", data={"csrf_token": token}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert page.count('class="flash flash-warning"') == 2
    assert "Section 286.0105, Florida Statutes" in page


def test_edits_of_a_published_agenda_are_published_once_as_one_revision(
    public, client, token, published
):
    for title in ("Res 26-214 Ending the 287(g) agreement", "Res 26-215 Lawsuit"):
        assert add_item(client, token, published, title).status_code == 302
    a, b = (i.id for i in section_titled(published, "Resolutions").items)
    client.post(f"/clerk/items/{a}/move", data={"csrf_token": token, "direction": "down"})
    client.post(f"/clerk/items/{a}/remove", data={"csrf_token": token})
    client.post(
        f"/clerk/meetings/{published.id}",
        data={
            "csrf_token": token,
            "meeting_type": "regular",
            "day": "2026-07-07",
            "at": "17:30",
            "location": "Old City Hall",
            "notes": "",
        },
    )

    def summaries() -> list[str]:
        query = sa.select(AgendaRevision.summary).order_by(AgendaRevision.number)
        return list(db.session.execute(query).scalars())

    assert summaries() == ["Agenda published."]
    page = workspace(client, published.id)
    assert "Amendment pending: 5 changes the public has not seen" in page
    offered = (
        "Added item 6.a: Res 26-214 Ending the 287(g) agreement; "
        "Added item 6.b: Res 26-215 Lawsuit; Moved item 6.a to 6.b; "
        "Removed item 6.b: Res 26-214 Ending the 287(g) agreement; "
        "Time changed to Tuesday, July 7, 2026, 5:30 PM EDT; Location changed to Old City Hall"
    )
    assert htmllib.unescape(page).count(offered) == 1  # the reason, prefilled
    before = public.get(f"/meetings/{published.id}").get_data(as_text=True)
    assert "Amended agenda" not in before and "Res 26-215 Lawsuit" not in before
    assert "Old City Hall" not in before and "5:00" in before

    blank = {"csrf_token": token, "amendment-reason": "  "}
    refused = client.post(f"/clerk/meetings/{published.id}/amendment", data=blank)
    assert refused.status_code == 422
    assert "Say what changed and why" in refused.get_data(as_text=True)
    assert summaries() == ["Agenda published."]
    reason = {"csrf_token": token, "amendment-reason": "Added 6.a; moved to 5:30 PM"}
    published_now = client.post(f"/clerk/meetings/{published.id}/amendment", data=reason)
    assert published_now.status_code == 302
    assert summaries() == ["Agenda published.", "Added 6.a; moved to 5:30 PM"]
    after = public.get(f"/meetings/{published.id}").get_data(as_text=True)
    assert "Amended agenda" in after and "Added 6.a; moved to 5:30 PM" in after
    assert "Res 26-215 Lawsuit" in after and "Old City Hall" in after
    assert b
    assert "Amendment pending" not in workspace(client, published.id)


def test_attaching_to_an_item_of_a_published_agenda_amends_it(public, client, token, published):
    (a,) = add_items(published, "A")
    publish_pending(published)
    db.session.commit()
    data = {"csrf_token": token, f"file{a}-file": (io.BytesIO(make_pdf_bytes("x")), "map.pdf")}
    assert client.post(f"/clerk/items/{a}/attachments", data=data).status_code == 302
    attachment = db.session.execute(sa.select(Attachment)).scalar_one()
    assert public.get(f"/attachments/{attachment.id}/map.pdf").status_code == 404
    assert public.get(f"/documents/{attachment.sha256}.pdf").status_code == 404
    assert client.get(f"/attachments/{attachment.id}/map.pdf").status_code == 200  # staff
    assert "Attached map.pdf to item 6.a" in workspace(client, published.id)
    reason = {"csrf_token": token, "amendment-reason": "Attached the map to 6.a"}
    client.post(f"/clerk/meetings/{published.id}/amendment", data=reason)
    last = db.session.execute(
        sa.select(AgendaRevision.summary).order_by(AgendaRevision.number.desc()).limit(1)
    ).scalar_one()
    assert last == "Attached the map to 6.a"
    assert public.get(f"/attachments/{attachment.id}/map.pdf").status_code == 200


def test_cancelling_needs_a_reason_and_the_public_sees_it(client, token, published):
    before = snapshot(published.id)
    response = client.post(
        f"/clerk/meetings/{published.id}/cancel", data={"csrf_token": token, "cancel-reason": " "}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="cancel-reason-error"' in page
    assert "Give the reason for cancelling; the public will see it." in page
    assert snapshot(published.id) == before
    reason = "Hurricane Milton: City Hall is closed."
    response = client.post(
        f"/clerk/meetings/{published.id}/cancel",
        data={"csrf_token": token, "cancel-reason": reason},
    )
    assert response.status_code == 302
    client.get("/")  # drop the flash
    public = client.get(f"/meetings/{published.id}").get_data(as_text=True)
    assert "This meeting is cancelled" in public
    assert reason in public


def test_cancelling_a_draft_says_the_public_never_saw_it(client, token, draft):
    response = client.post(
        f"/clerk/meetings/{draft.id}/cancel",
        data={"csrf_token": token, "cancel-reason": "Scheduled by mistake."},
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Draft meeting cancelled; it was never published, so the public never saw it." in page
    assert "the public page shows the reason" not in page
    assert client.get(f"/meetings/{draft.id}").status_code == 200  # staff still see it
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get(f"/meetings/{draft.id}").status_code == 404


# Bad input and hostile text


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"day": "2026-13-01"}, "day", "Enter a real date"),
        ({"day": "2026-03-08", "at": "02:30"}, "at", "2:30 AM does not exist on March 8, 2026"),
        ({"at": ""}, "at", "Enter the time the meeting starts."),
    ],
)
def test_bad_meeting_details_are_refused_next_to_the_field(
    client, token, draft, fields, field_id, message
):
    before = snapshot(draft.id)
    data = {
        "csrf_token": token,
        "meeting_type": "regular",
        "day": "2026-07-07",
        "at": "17:00",
        "location": "",
        "notes": "",
        **fields,
    }
    response = client.post(f"/clerk/meetings/{draft.id}", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field_id}-error"' in page
    assert message in page
    assert snapshot(draft.id) == before


def test_html_in_every_text_field_is_stored_as_text_and_shown_escaped(client, token, body):
    response = new_meeting(client, token, body, location=SCRIPT, notes=SCRIPT)
    meeting = db.session.execute(sa.select(Meeting)).scalar_one()
    add_item(client, token, meeting, SCRIPT, description=SCRIPT)
    client.post(
        f"/clerk/meetings/{meeting.id}/sections",
        data={"csrf_token": token, "section-title": SCRIPT, "section-place": "1"},
    )
    item = db.session.execute(sa.select(AgendaItem)).scalar_one()
    data = {
        "csrf_token": token,
        f"file{item.id}-file": (io.BytesIO(make_pdf_bytes("x")), "a.pdf"),
        f"file{item.id}-title": SCRIPT,
    }
    client.post(f"/clerk/items/{item.id}/attachments", data=data)
    pages = [
        workspace(client, meeting.id),
        client.get(f"/clerk/items/{item.id}/edit").get_data(as_text=True),
    ]
    client.post(f"/clerk/meetings/{meeting.id}/publish", data={"csrf_token": token})
    client.post(
        f"/clerk/meetings/{meeting.id}/cancel", data={"csrf_token": token, "cancel-reason": SCRIPT}
    )
    pages += [
        workspace(client, meeting.id),
        client.get(f"/meetings/{meeting.id}").get_data(as_text=True),
    ]
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    stored = [
        meeting.location,
        meeting.notes,
        meeting.cancelled_reason,
        item.title,
        item.description,
        meeting.sections[0].title,
        item.attachments[0].title,
    ]
    assert stored == [SCRIPT] * 7
    for page in pages:
        assert "<script>" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert response.status_code == 302


# Who may do what


def routes(meeting: Meeting, section_id: int, item_id: int) -> list[tuple[str, str]]:
    m, s, i = meeting.id, section_id, item_id
    return [
        ("get", "/clerk/meetings/new"),
        ("post", "/clerk/meetings/new"),
        ("get", f"/clerk/meetings/{m}"),
        ("post", f"/clerk/meetings/{m}"),
        ("post", f"/clerk/meetings/{m}/publish"),
        ("post", f"/clerk/meetings/{m}/cancel"),
        ("post", f"/clerk/meetings/{m}/items"),
        ("post", f"/clerk/meetings/{m}/sections"),
        ("get", f"/clerk/items/{i}/edit"),
        ("post", f"/clerk/items/{i}/edit"),
        ("post", f"/clerk/items/{i}/move"),
        ("post", f"/clerk/items/{i}/move-to"),
        ("post", f"/clerk/items/{i}/remove"),
        ("post", f"/clerk/items/{i}/attachments"),
        ("post", f"/clerk/sections/{s}/rename"),
        ("post", f"/clerk/sections/{s}/consent"),
        ("post", f"/clerk/sections/{s}/move"),
        ("post", f"/clerk/sections/{s}/remove"),
    ]


def hostile_form(meeting: Meeting, section_id: int, item_id: int, token: str) -> dict[str, str]:
    """A form that would change something on every route if it were accepted."""
    return {
        "csrf_token": token,
        "body": str(meeting.body_id),
        "meeting_type": "special",
        "day": "2026-07-08",
        "at": "09:00",
        "location": "Elsewhere",
        "notes": "x",
        "cancel-reason": "Because",
        "item-section": str(section_id),
        "item-title": "Injected",
        "item-matter": "",
        "title": "Injected",
        "matter": "",
        "direction": "up",
        f"move{item_id}-section": str(section_id),
        "section-title": "Injected",
        "section-place": "1",
        f"section{section_id}-title": "Injected",
        "is_consent": "yes",
    }


@pytest.mark.parametrize("role", [Role.COMMISSIONER, None])
def test_commissioners_and_the_public_are_refused_everywhere(client, auth, draft, role):
    a, _b = add_items(draft, "A", "B")
    section = resolutions_id(draft)
    if role is None:
        token = csrf_token(client, "/login")
    else:
        auth.login(role)
        token = csrf_token(client, "/")
    before = snapshot(draft.id)
    for method, path in routes(draft, section, _b):
        response = getattr(client, method)(path, data=hostile_form(draft, section, _b, token))
        if role is None:
            assert response.status_code == 302, path
            assert "/login" in response.headers["Location"], path
        else:
            assert response.status_code == 403, path
    assert snapshot(draft.id) == before
    assert a


def test_a_post_without_the_csrf_token_is_refused(client, token, draft):
    (a,) = add_items(draft, "A")
    section = resolutions_id(draft)
    before = snapshot(draft.id)
    for method, path in routes(draft, section, a):
        if method == "post":
            form = hostile_form(draft, section, a, token)
            del form["csrf_token"]
            assert client.post(path, data=form).status_code == 400, path
    assert snapshot(draft.id) == before


@pytest.mark.parametrize("status", [MeetingStatus.ADJOURNED, MeetingStatus.IN_PROGRESS])
def test_a_meeting_that_started_or_ended_refuses_every_edit(
    client, token, make_meeting, body, status
):
    meeting = make_meeting(body=body, scheduled_at=JULY_7)
    a, b = add_items(meeting, "A", "B")
    meeting.status = status
    db.session.commit()
    page = workspace(client, meeting.id)
    words = status.value.replace("_", " ")
    assert f"This meeting is {words}; its details and agenda can no longer be changed." in page
    assert "Add an item</h2>" not in page
    section = resolutions_id(meeting)
    before = snapshot(meeting.id)
    for method, path in routes(meeting, section, b)[3:]:
        if method != "post":
            continue
        form = hostile_form(meeting, section, b, token)
        form[f"file{b}-file"] = (io.BytesIO(make_pdf_bytes("x")), "x.pdf")
        response = client.post(path, data=form)
        assert response.status_code == 422, path
        assert (
            "can no longer be changed" in response.get_data(as_text=True)
            or "can be cancelled" in response.get_data(as_text=True)
            or "can be published" in response.get_data(as_text=True)
        ), path
    assert snapshot(meeting.id) == before
    assert a


def test_every_change_writes_an_audit_event(client, token, draft):
    a, b = add_items(draft, "A", "B")
    section = resolutions_id(draft)
    changes = [
        (
            f"/clerk/meetings/{draft.id}",
            {
                "meeting_type": "special",
                "day": "2026-07-07",
                "at": "17:00",
                "location": "Annex",
                "notes": "",
            },
            "meeting.update",
        ),
        (
            f"/clerk/meetings/{draft.id}/items",
            {"item-section": str(section), "item-matter": "", "item-title": "C"},
            "agenda_item.create",
        ),
        (
            f"/clerk/items/{a}/edit",
            {"matter": "", "title": "A2", "description": ""},
            "agenda_item.update",
        ),
        (f"/clerk/items/{a}/move", {"direction": "down"}, "agenda_item.move"),
        (
            f"/clerk/items/{a}/move-to",
            {f"move{a}-section": str(draft.sections[0].id)},
            "agenda_item.move",
        ),
        (
            f"/clerk/items/{b}/attachments",
            {f"file{b}-file": (io.BytesIO(make_pdf_bytes("x")), "x.pdf")},
            "attachment.create",
        ),
        (f"/clerk/items/{b}/remove", {}, "agenda_item.delete"),
        (
            f"/clerk/meetings/{draft.id}/sections",
            {"section-title": "S", "section-place": "11"},
            "agenda_section.create",
        ),
        (
            f"/clerk/sections/{section}/rename",
            {f"section{section}-title": "Resolutions!"},
            "agenda_section.update",
        ),
        (f"/clerk/sections/{section}/consent", {"is_consent": "yes"}, "agenda_section.update"),
        (f"/clerk/sections/{section}/move", {"direction": "up"}, "agenda_section.move"),
        (f"/clerk/meetings/{draft.id}/publish", {}, "meeting.publish"),
        (f"/clerk/meetings/{draft.id}/cancel", {"cancel-reason": "Storm"}, "meeting.cancel"),
    ]
    for path, form, action in changes:
        before = count_rows(AuditEvent)
        response = client.post(path, data={"csrf_token": token, **form})
        assert response.status_code == 302, (path, response.get_data(as_text=True)[-2000:])
        actions = (
            db.session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id).offset(before))
            .scalars()
            .all()
        )
        assert action in actions, path
