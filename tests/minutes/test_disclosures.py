"""Florida conflict disclosures (Form 8B): the clerk's list, filing the memorandum, reads."""

from __future__ import annotations

import hashlib
import html as htmllib
import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.documents.models import Blob
from agenda.documents.pdfcheck import InvalidPdf
from agenda.extensions import db
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.session import call_to_order, record_attendance
from agenda.minutes.disclosures import (
    DisclosureError,
    disclosure_rows,
    disclosures_for,
    file_memorandum,
    filed_memorandum,
)
from agenda.minutes.models import Disclosure
from agenda.votes.operations import move_motion, record_roll_call
from agenda.votes.rules import AttendanceStatus, Ballot, BallotValue, MotionKind
from tests.conftest import count_rows, csrf_token, make_pdf_bytes

NOW = datetime.now(UTC).replace(microsecond=0)


def text_of(response: Any) -> str:
    page = htmllib.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    return " ".join(page.split())


def recusal(body, make_meeting, at: datetime, seat: int, title: str, conflict: str) -> Disclosure:
    """Hold a meeting at `at` where the member in 0-based `seat` recuses on one item."""
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=at)
    item = add_item(section_titled(meeting, "Resolutions"), title=title, actor=None)
    call_to_order(meeting, actor=None, at=at)
    for person in people:
        record_attendance(meeting, person.id, status=AttendanceStatus.PRESENT, actor=None)
    motion = move_motion(item, kind=MotionKind.MAIN, text="Move to adopt.", mover_id=people[5].id,
                         seconder_id=people[1].id, actor=None, at=at)  # fmt: skip
    ballots = [
        Ballot(p.id, BallotValue.RECUSED, conflict) if i == seat else Ballot(p.id, BallotValue.YES)
        for i, p in enumerate(people)
    ]
    record_roll_call(motion, ballots, actor=None, at=at + timedelta(minutes=5))
    db.session.commit()
    return db.session.execute(
        sa.select(Disclosure).where(Disclosure.meeting_id == meeting.id)
    ).scalar_one()


@pytest.fixture
def owed(body, make_meeting):
    """One disclosure due in two weeks (made first), one overdue since last year."""
    recent = recusal(body, make_meeting, NOW - timedelta(days=1), 2, "Harbor lease",
                     "My employer bids on the lease")  # fmt: skip
    late = recusal(body, make_meeting, datetime(2025, 7, 8, 21, tzinfo=UTC), 4, "Variance",
                   "Owns property next to the site")  # fmt: skip
    return recent, late


def upload(client, disclosure: Disclosure, data: bytes, name: str):
    token = csrf_token(client, "/clerk/disclosures")
    return client.post(
        f"/clerk/disclosures/{disclosure.id}/file",
        data={"csrf_token": token, f"memo{disclosure.id}-file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_the_list_shows_overdue_disclosures_first(owed, client, auth):
    recent, late = owed
    auth.login(Role.CLERK)
    response = client.get("/clerk/disclosures")
    assert response.status_code == 200
    page = text_of(response)
    assert "2 disclosures; 1 overdue." in page
    first = page.index(late.person.name)
    assert first < page.index(recent.person.name)
    assert "Overdue" in page[first : page.index(recent.person.name)]
    assert "Due July 23, 2025 (overdue)" in page
    assert "Conflict stated Owns property next to the site" in page
    assert "Item 6.a Variance" in page
    assert "Overdue" not in page[page.index(recent.person.name) :]


def test_a_disclosure_is_overdue_after_its_due_day_in_the_bodys_time_zone(owed):
    recent, late = owed
    due = late.due_on
    assert due == date(2025, 7, 23)
    # 03:30 UTC on July 24 is still July 23 in Key West: due today, not late.
    evening = datetime(2025, 7, 24, 3, 30, tzinfo=UTC)
    assert [r.is_overdue for r in disclosure_rows(evening)] == [False, False]
    morning = datetime(2025, 7, 24, 4, 30, tzinfo=UTC)
    assert [(r.disclosure.id, r.is_overdue) for r in disclosure_rows(morning)] == [
        (late.id, True),
        (recent.id, False),
    ]
    assert [r.number for r in disclosure_rows(morning, meeting_id=recent.meeting_id)] == ["6.a"]


def test_a_non_pdf_memorandum_is_refused_and_nothing_is_stored(owed, client, auth):
    _, late = owed
    auth.login(Role.CLERK)
    blobs, events = count_rows(Blob), count_rows(AuditEvent)
    response = upload(client, late, b"GIF89a not a memorandum", "memo.pdf")
    assert response.status_code == 422
    page = text_of(response)
    assert "Nothing was saved" in page
    assert "This file is not a PDF." in page
    assert f'id="memo{late.id}-file-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Disclosure, late.id).filed_at is None
    assert (count_rows(Blob), count_rows(AuditEvent)) == (blobs, events)
    token = csrf_token(client, "/clerk/disclosures")
    missing = client.post(f"/clerk/disclosures/{late.id}/file", data={"csrf_token": token})
    assert missing.status_code == 422
    assert "Choose the memorandum's PDF file to upload." in text_of(missing)


def test_a_filed_memorandum_is_stored_and_downloads(owed, client, auth):
    _, late = owed
    auth.login(Role.CLERK)
    pdf = make_pdf_bytes("Form 8B memorandum of voting conflict")
    response = upload(client, late, pdf, "scans/form-8b.pdf")
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert f"Memorandum of {late.person.name} filed." in page
    assert "form-8b.pdf" in page and "0 overdue" in page
    digest = hashlib.sha256(pdf).hexdigest()
    db.session.expire_all()
    filed = db.session.get(Disclosure, late.id)
    assert filed.filed_at is not None
    assert (filed.memorandum_sha256, filed.memorandum_filename) == (digest, "form-8b.pdf")
    assert filed_memorandum(digest).id == late.id
    event = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "disclosure.file")
    ).scalar_one()
    assert event.details["sha256"] == digest
    download = client.get(f"/documents/{digest}.pdf")
    assert download.status_code == 200 and download.data == pdf
    assert f'href="/documents/{digest}.pdf"' in client.get("/clerk/disclosures").get_data(
        as_text=True
    )
    again = upload(client, late, pdf, "form-8b.pdf")
    assert again.status_code == 422  # the form is gone from the page; a replayed post is refused
    assert "already filed" in text_of(again)


def test_file_memorandum_checks_the_content_and_refuses_a_second_filing(owed):
    recent, _ = owed
    with pytest.raises(InvalidPdf):
        file_memorandum(recent, b"%PDF-1.7 truncated", filename="x.pdf", actor=None)
    assert recent.filed_at is None
    file_memorandum(recent, make_pdf_bytes("Memo"), filename="", actor=None)
    assert recent.memorandum_filename == "memorandum.pdf"
    with pytest.raises(DisclosureError, match="already filed"):
        file_memorandum(recent, make_pdf_bytes("Other"), filename="y.pdf", actor=None)


def test_disclosures_for_lists_a_meetings_disclosures_in_agenda_order(body, make_meeting):
    first = recusal(body, make_meeting, NOW - timedelta(days=3), 2, "Lease", "Employer")
    assert [d.id for d in disclosures_for(first.meeting_id)] == [first.id]
    assert disclosures_for(first.meeting_id)[0].person.name == first.person.name
    assert disclosures_for(first.meeting_id + 999) == []


def test_the_disclosure_routes_are_for_clerks_only(owed, client, auth):
    recent, _ = owed
    pdf = make_pdf_bytes("Memo")
    assert "/login" in client.get("/clerk/disclosures").headers["Location"]
    token = csrf_token(client, "/login")
    post = client.post(
        f"/clerk/disclosures/{recent.id}/file",
        data={"csrf_token": token, f"memo{recent.id}-file": (io.BytesIO(pdf), "m.pdf")},
        content_type="multipart/form-data",
    )
    assert post.status_code == 302 and "/login" in post.headers["Location"]
    auth.login(Role.COMMISSIONER, person_id=recent.person_id)
    assert client.get("/clerk/disclosures").status_code == 403
    token = csrf_token(client, "/")
    post = client.post(
        f"/clerk/disclosures/{recent.id}/file",
        data={"csrf_token": token, f"memo{recent.id}-file": (io.BytesIO(pdf), "m.pdf")},
        content_type="multipart/form-data",
    )
    assert post.status_code == 403
    db.session.expire_all()
    assert db.session.get(Disclosure, recent.id).filed_at is None
    assert count_rows(Blob) == 0
