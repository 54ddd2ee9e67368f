"""The clerk's minutes pages as a clerk uses them: write notes, preview, compare, correct."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import Disposition
from agenda.meetings.session import adjourn
from agenda.minutes.models import Minutes, MinutesRevision, MinutesStatus
from agenda.minutes.queries import revisions_of
from agenda.minutes.rules import Change, diff_lines, diff_notes, normalized_notes
from agenda.votes.outcomes import set_disposition
from agenda.votes.rules import Threshold
from tests.conftest import count_rows, csrf_token, hold, vote_on

START = datetime(2026, 7, 7, 21, tzinfo=UTC)


def text_of(response: Any) -> str:
    """Return a page's text with entities decoded and spaces collapsed."""
    page = htmllib.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    return " ".join(page.split())


@pytest.fixture
def held(make_body, make_meeting):
    """An adjourned meeting with a 6-1 vote and no minutes yet, and a later approval item."""
    body = make_body(name="Key West City Commission")
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=START)
    item = add_item(section_titled(meeting, "Resolutions"), title="End the 287(g) agreement",
                    actor=None)  # fmt: skip
    hold(meeting, people, START)
    motion = vote_on(item, people, START + timedelta(hours=1), no=(3,))
    set_disposition(item, Disposition.ADOPTED, motion=motion, actor=None)
    adjourn(meeting, actor=None, at=START + timedelta(hours=3))
    later = make_meeting(body=body, scheduled_at=START + timedelta(days=14))
    approval = add_item(section_titled(later, "Approval of minutes"), title="Minutes of July 7",
                        minutes_of=[meeting], actor=None)  # fmt: skip
    db.session.commit()
    return meeting, item, later, approval, people


def approve(later, approval, people):
    hold(later, people, later.scheduled_at)
    motion = vote_on(approval, people, later.scheduled_at + timedelta(minutes=10),
                     threshold=Threshold.MAJORITY_CAST)  # fmt: skip
    set_disposition(approval, Disposition.ADOPTED, motion=motion, actor=None)
    db.session.commit()


def save(client, meeting, item, notes="", item_notes="", base=None):
    """Post the notes editor as a browser would, with the page's CSRF token and base revision."""
    path = f"/clerk/meetings/{meeting.id}/minutes"
    token = csrf_token(client, path)
    if base is None:
        latest = revisions_of(meeting.id)
        base = latest[0].number if latest else 0
    data = {"csrf_token": token, "base": str(base), "meeting_notes": notes}
    data[f"item_{item.id}"] = item_notes
    return client.post(path, data=data)


def snapshot() -> tuple[Any, ...]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(MinutesRevision.number, MinutesRevision.status, MinutesRevision.meeting_notes)
    ).all()
    return count_rows(Minutes), tuple(rows), count_rows(AuditEvent)


def test_editor_routes_are_for_clerks_only(held, client, auth):
    meeting, *_ = held
    base = f"/clerk/meetings/{meeting.id}/minutes"
    pages = [base, f"{base}/preview", f"{base}/compare?a=1&b=1"]
    before = snapshot()
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    token = csrf_token(client, "/login")
    public_post = client.post(base, data={"csrf_token": token, "meeting_notes": "Hacked"})
    assert public_post.status_code == 302 and "/login" in public_post.headers["Location"]
    assert snapshot() == before
    auth.login(Role.COMMISSIONER, person_id=meeting.body.memberships[2].person_id)
    before = snapshot()  # signing up the commissioner is itself audited
    for path in pages:
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/")
    assert client.post(base, data={"csrf_token": token, "meeting_notes": "x"}).status_code == 403
    assert snapshot() == before


def test_saving_notes_stores_revision_one_then_two_with_who_and_when(held, client, auth, make_user):
    meeting, item, *_ = held
    auth.login(Role.CLERK, name="Pat Clerk")
    editor = client.get(f"/clerk/meetings/{meeting.id}/minutes")
    assert editor.status_code == 200
    page = text_of(editor)
    assert "No minutes saved yet" in page
    assert "Notes on item 6.a End the 287(g) agreement" in page
    assert "Recorded: Passed 6-1" in page
    first = save(client, meeting, item, "Public comment was **heard**.", "Ten speakers.")
    assert first.status_code == 302
    page = text_of(client.get(first.headers["Location"]))
    assert "Saved revision 1 of the minutes." in page
    assert re.search(r"Revision 1 Draft Saved by Pat Clerk, \w+day, \w+ \d+, \d{4}, \d+:\d\d", page)
    second = save(client, meeting, item, "Public comment was heard.", "Eleven speakers.")
    page = text_of(client.get(second.headers["Location"]))
    assert "Saved revision 2 of the minutes." in page
    assert "Revision 2 Draft Saved by Pat Clerk" in page
    assert "Revision 1 Draft Saved by Pat Clerk" in page
    revisions = revisions_of(meeting.id)
    assert [r.number for r in revisions] == [2, 1]
    assert revisions[0].item_notes == {str(item.id): "Eleven speakers."}
    assert revisions[0].created_by_id is not None
    assert "Eleven speakers." in client.get(f"/clerk/meetings/{meeting.id}/minutes").get_data(
        as_text=True
    )


def test_an_unchanged_or_stale_save_stores_nothing(held, client, auth):
    meeting, item, *_ = held
    auth.login(Role.CLERK)
    save(client, meeting, item, "Notes.", "Item notes.")
    same = save(client, meeting, item, "  Notes.  ", "Item notes.\n")
    assert "No changes to save" in text_of(client.get(same.headers["Location"]))
    stale = save(client, meeting, item, "My version.", "", base=0)
    assert stale.status_code == 409
    assert "Revision 1 was saved while you were editing, so nothing was saved" in text_of(stale)
    assert "My version." in stale.get_data(as_text=True)
    assert [r.number for r in revisions_of(meeting.id)] == [1]


def test_markup_in_notes_is_inert_in_the_preview(held, client, auth):
    meeting, item, *_ = held
    auth.login(Role.CLERK)
    attack = '<script>alert("x")</script> <img src=x onerror=alert(1)> [link](javascript:alert(1))'
    save(client, meeting, item, attack, "**Bold** <b onmouseover=alert(2)>hover</b>")
    preview = client.get(f"/clerk/meetings/{meeting.id}/minutes/preview")
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]*\bon(error|mouseover)\s*=", html, re.I)
    assert not any("javascript" in href for href in re.findall(r'href="([^"]*)"', html))
    assert "<strong>Bold</strong>" in html
    page = text_of(preview)
    assert "DRAFT minutes: not approved" in page
    assert '<script>alert("x")</script>' in page  # shown as text, not run
    assert "Passed 6-1" in page


def test_compare_shows_removed_and_added_lines(held, client, auth):
    meeting, item, *_ = held
    auth.login(Role.CLERK)
    save(client, meeting, item, "Opening.\nTen speakers.\nClosing.", "Kept.")
    save(client, meeting, item, "Opening.\nEleven speakers.\nClosing.", "Kept.")
    response = client.get(f"/clerk/meetings/{meeting.id}/minutes/compare?a=1&b=2")
    assert response.status_code == 200
    page = text_of(response)
    assert "Changes from revision 1 to revision 2" in page
    assert "Removed 2 Ten speakers." in page
    assert "Added 2 Eleven speakers." in page
    assert "Unchanged 1 1 Opening." in page
    assert "Unchanged: 6.a End the 287(g) agreement." in page
    assert "<del>Ten speakers.</del>" in response.get_data(as_text=True)
    defaults = text_of(client.get(f"/clerk/meetings/{meeting.id}/minutes/compare"))
    assert "Changes from revision 1 to revision 2" in defaults


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a=1&b=9", "Choose revision b from the list."),
        ("a=x&b=1", "Choose revision a from the list."),
        ("a=1", "Choose revision b from the list."),
        ("a=-1&b=1", "Choose revision a from the list."),
    ],
)
def test_bad_revision_numbers_are_refused(held, client, auth, query, message):
    meeting, item, *_ = held
    auth.login(Role.CLERK)
    save(client, meeting, item, "Notes.", "")
    response = client.get(f"/clerk/meetings/{meeting.id}/minutes/compare?{query}")
    assert response.status_code == 422
    assert message in text_of(response)
    assert "Changes from revision" not in text_of(response)


def test_minutes_of_a_meeting_not_yet_held_are_refused(make_meeting, client, auth):
    meeting = make_meeting()
    item = add_item(section_titled(meeting, "Discussion"), title="Budget", actor=None)
    db.session.commit()
    auth.login(Role.CLERK)
    page = text_of(client.get(f"/clerk/meetings/{meeting.id}/minutes"))
    assert "Minutes are written once the meeting has been called to order." in page
    assert "This meeting is published and not yet called to order." in page
    response = save(client, meeting, item, "Too early.", "")
    assert response.status_code == 422
    assert "Minutes are written once the meeting has been called to order." in text_of(response)
    assert count_rows(Minutes) == 0 and count_rows(MinutesRevision) == 0


def test_saving_after_approval_starts_a_correction(held, client, auth):
    meeting, item, later, approval, people = held
    auth.login(Role.CLERK)
    save(client, meeting, item, "Ten speakers.", "")
    approve(later, approval, people)
    page = text_of(client.get(f"/clerk/meetings/{meeting.id}/minutes"))
    assert (
        "These minutes were approved on July 21, 2026, 7-0, by the regular meeting of "
        "July 21, 2026; saving starts a correction that must be approved by a later meeting."
    ) in page
    assert "Save as a correction" in page
    assert re.search(r"Record SHA-256: [0-9a-f]{64}", page)
    response = save(client, meeting, item, "Corrected: eleven speakers.", "")
    page = text_of(client.get(response.headers["Location"]))
    assert "Saved revision 2 of the minutes as a correction." in page
    assert "Revision 2 is a correction in draft." in page
    newest, first = revisions_of(meeting.id)
    assert (newest.status, first.status) == (MinutesStatus.DRAFT, MinutesStatus.APPROVED)
    auth.logout()
    public = text_of(client.get(f"/meetings/{meeting.id}/minutes"))
    assert "Ten speakers." in public and "eleven" not in public


def test_the_workspace_links_to_the_minutes(held, client, auth):
    meeting, *_ = held
    auth.login(Role.CLERK)
    page = client.get(f"/clerk/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/clerk/meetings/{meeting.id}/minutes"' in page
    assert 'href="/clerk/disclosures"' in client.get("/clerk/").get_data(as_text=True)


def test_diff_lines_marks_each_line():
    lines = diff_lines("a\nb\nc", "a\nB\nc\nd")
    assert [(x.change, x.text, x.old_number, x.new_number) for x in lines] == [
        (Change.UNCHANGED, "a", 1, 1),
        (Change.REMOVED, "b", 2, None),
        (Change.ADDED, "B", None, 2),
        (Change.UNCHANGED, "c", 3, 3),
        (Change.ADDED, "d", None, 4),
    ]
    assert diff_lines("", "") == ()


def test_diff_notes_goes_part_by_part_in_agenda_order():
    old = ("Same.", {"7": "Gone.", "3": "Old."})
    new = ("Same.", {"3": "New."})
    parts = diff_notes(old, new, {"3": "3.a Minutes", "5": "6.a Resolution"})
    assert [p.label for p in parts] == [
        "Meeting notes",
        "3.a Minutes",
        "6.a Resolution",
        "Item 7 (no longer on the agenda)",
    ]
    assert [p.is_changed for p in parts] == [False, True, False, True]
    assert normalized_notes(" x ", {3: " y ", 4: "  "}) == ("x", {"3": "y"})
