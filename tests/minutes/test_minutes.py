"""Minutes: drafted from the record, approved by a later meeting, frozen, printed, verified."""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.errors import Refused
from agenda.extensions import db
from agenda.meetings.operations import add_item, section_titled
from agenda.meetings.rules import Disposition
from agenda.meetings.session import adjourn, record_attendance, reopen
from agenda.minutes.documents import render_minutes_pdf
from agenda.minutes.models import Disclosure, MinutesStatus
from agenda.minutes.operations import MinutesError, approve_minutes, save_draft
from agenda.minutes.queries import revisions_of
from agenda.votes.operations import move_motion
from agenda.votes.outcomes import correct_ballot, set_disposition
from agenda.votes.rules import AttendanceStatus, BallotValue, MotionKind, Threshold
from tests.conftest import hold, pdf_text, qpdf, vote_on

START = datetime(2026, 7, 7, 21, tzinfo=UTC)


@pytest.fixture
def held(make_body, make_meeting):
    """An adjourned meeting with a 6-1 vote and draft minutes, and a later published meeting."""
    body = make_body(name="Key West City Commission")
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=START)
    item = add_item(section_titled(meeting, "Resolutions"), title="End the 287(g) agreement",
                    actor=None)  # fmt: skip
    hold(meeting, people, START)
    motion = vote_on(item, people, START + timedelta(hours=1), no=(3,))
    set_disposition(item, Disposition.ADOPTED, motion=motion, actor=None)
    adjourn(meeting, actor=None, at=START + timedelta(hours=3))
    save_draft(meeting, meeting_notes="Public comment was **heard**.", item_notes={
        item.id: "Ten speakers addressed the item."}, actor=None)  # fmt: skip
    later = make_meeting(body=body, scheduled_at=START + timedelta(days=14))
    approval = add_item(section_titled(later, "Approval of minutes"), title="Minutes of July 7",
                        minutes_of=[meeting], actor=None)  # fmt: skip
    db.session.commit()
    return meeting, later, approval, people


def approve(later, approval, people, at=None):
    at = at or later.scheduled_at + timedelta(minutes=10)
    if later.called_to_order_at is None:
        hold(later, people, later.scheduled_at)
    motion = vote_on(approval, people, at, threshold=Threshold.MAJORITY_CAST)
    set_disposition(approval, Disposition.ADOPTED, motion=motion, actor=None)
    db.session.commit()
    return motion


def test_approval_freezes_the_minutes_and_the_votes(held):
    meeting, later, approval, people = held
    approve(later, approval, people)
    revision = revisions_of(meeting.id)[0]
    assert revision.status is MinutesStatus.APPROVED
    assert revision.record_sha256 and revision.pdf_sha256
    vote = meeting.sections[5].items[0].motions[0].vote
    with pytest.raises(Refused, match="frozen"):
        correct_ballot(vote, people[3].id, new_value=BallotValue.YES, why="typo", actor=None)
    with pytest.raises(Refused, match="frozen"):
        record_attendance(meeting, people[0].id, status=AttendanceStatus.ABSENT, actor=None)
    with pytest.raises(Refused, match="frozen"):
        reopen(meeting, "A late correction.", actor=None)


def test_approval_needs_a_passed_motion_on_a_later_approval_item(held, make_meeting):
    meeting, later, approval, people = held
    hold(later, people, later.scheduled_at)
    failed = vote_on(approval, people, later.scheduled_at + timedelta(minutes=5),
                     no=(0, 1, 2, 3), threshold=Threshold.MAJORITY_CAST)  # fmt: skip
    with pytest.raises(MinutesError, match="has not passed"):
        approve_minutes(meeting, failed, actor=None)
    other = add_item(section_titled(later, "Discussion"), title="Other", actor=None)
    wrong = vote_on(other, people, later.scheduled_at + timedelta(minutes=6),
                    threshold=Threshold.MAJORITY_CAST)  # fmt: skip
    with pytest.raises(MinutesError, match="item for approving these minutes"):
        approve_minutes(meeting, wrong, actor=None)
    assert revisions_of(meeting.id)[0].status is MinutesStatus.DRAFT


def test_a_correction_after_approval_supersedes_and_keeps_the_old_pdf(held, client, make_meeting):
    meeting, later, approval, people = held
    approve(later, approval, people)
    first = revisions_of(meeting.id)[0]
    save_draft(meeting, meeting_notes="Corrected: eleven speakers.", item_notes={}, actor=None)
    third = make_meeting(body=meeting.body, scheduled_at=START + timedelta(days=28))
    again = add_item(section_titled(third, "Approval of minutes"), title="Corrected minutes",
                     minutes_of=[meeting], actor=None)  # fmt: skip
    approve(third, again, people)
    newest, older = revisions_of(meeting.id)[:2]
    assert (newest.status, older.status) == (MinutesStatus.APPROVED, MinutesStatus.SUPERSEDED)
    assert older.id == first.id
    old = client.get(f"/documents/{older.pdf_sha256}.pdf")
    assert old.status_code == 200
    assert "SUPERSEDED" not in pdf_text_of(old.data)  # printed before it was superseded
    page = client.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "Revision 1, superseded (PDF)" in page
    assert "Revision 2, approved (PDF)" in page


def pdf_text_of(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        return pdf_text(data, Path(folder))


def test_the_minutes_pdf_holds_the_record(held, client, tmp_path):
    meeting, later, approval, people = held
    approve(later, approval, people)
    response = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data, tmp_path).split())
    for person in people:
        assert person.name in text
    assert "Passed 6-1 (4 votes required: majority of the 7 members present)" in text
    assert re.search(r"Approved on July 21, 2026, 7-0", text)
    assert "Ten speakers addressed the item." in text
    assert "Public comment was heard." in text
    revision = revisions_of(meeting.id)[0]
    pages = int(qpdf(response.data, tmp_path, "--show-npages").stdout)
    groups = " ".join(revision.record_sha256[i : i + 8] for i in range(0, 64, 8))
    for page in range(1, pages + 1):
        assert f"Record SHA-256: {groups}" in pdf_text(response.data, tmp_path, first=page)
        assert f"Page {page} of {pages}" in pdf_text(response.data, tmp_path, first=page)
    assert qpdf(response.data, tmp_path, "--check").returncode == 0
    with pikepdf.open(BytesIO(response.data)) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert "minutes" in str(pdf.docinfo.Title)
        kinds = {str(k.get("/S")) for k in _struct_elements(pdf.Root.StructTreeRoot)}
    assert {"/H1", "/H2", "/L", "/LI"} <= kinds
    assert "/Table" not in kinds


def _struct_elements(node, depth=0):
    if depth > 40:
        return
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _struct_elements(kid, depth + 1)


def test_approved_minutes_download_like_an_immutable_file(held, client):
    meeting, later, approval, people = held
    approve(later, approval, people)
    revision = revisions_of(meeting.id)[0]
    friendly = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert friendly.headers["ETag"] == f'"{revision.pdf_sha256}"'
    assert friendly.headers["Last-Modified"]
    assert (
        'filename="2026-07-07 Key West City Commission minutes.pdf"'
        in (friendly.headers["Content-Disposition"])
    )
    assert f"/documents/{revision.pdf_sha256}.pdf" in friendly.headers["Link"]
    cached = client.get(f"/meetings/{meeting.id}/minutes.pdf",
                        headers={"If-None-Match": friendly.headers["ETag"]})  # fmt: skip
    assert cached.status_code == 304
    since = client.get(
        f"/meetings/{meeting.id}/minutes.pdf",
        headers={"If-Modified-Since": friendly.headers["Last-Modified"]},
    )
    assert since.status_code == 304
    part = client.get(f"/documents/{revision.pdf_sha256}.pdf", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.data) == 100
    assert part.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_drafts_are_for_the_bodys_people_only(held, client, auth):
    meeting, *_ = held
    assert client.get(f"/meetings/{meeting.id}/minutes.pdf").status_code == 404
    assert client.get(f"/meetings/{meeting.id}/minutes").status_code == 404
    auth.login(Role.COMMISSIONER, person_id=meeting.body.memberships[2].person_id)
    draft = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert draft.status_code == 200
    assert "DRAFT" in pdf_text_of(draft.data)
    page = " ".join(client.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True).split())
    assert "DRAFT minutes" in page
    assert re.search(
        r"To be approved at: <a [^>]+>item 3\.a of the regular meeting of July 21, 2026</a>", page
    )


def test_a_florida_recusal_opens_a_disclosure_due_in_15_days(make_body, make_meeting):
    body = make_body()
    people = [m.person for m in body.memberships]
    meeting = make_meeting(body=body, scheduled_at=START)
    item = add_item(section_titled(meeting, "Resolutions"), title="Variance", actor=None)
    hold(meeting, people, START)
    vote_on(item, people, START + timedelta(hours=1), recused=2)
    db.session.commit()
    disclosure = db.session.execute(sa.select(Disclosure)).scalar_one()
    assert disclosure.person_id == people[2].id
    assert disclosure.conflict == "Owns property next to the site"
    assert disclosure.due_on == date(2026, 7, 22)
    assert disclosure.filed_at is None


def test_the_minutes_print_vote_corrections_and_motions_never_voted(held, tmp_path):
    meeting, _, _, people = held
    item = section_titled(meeting, "Resolutions").items[0]
    vote = item.motions[0].vote
    correct_ballot(
        vote, people[3].id, new_value=BallotValue.YES, why="Misheard at the dais.", actor=None
    )
    reopen(meeting, "A motion was left out.", actor=None)
    motion = move_motion(
        item, kind=MotionKind.MAIN, text="Move to send a letter.", mover_id=people[5].id,
        seconder_id=people[1].id, actor=None, at=START + timedelta(hours=2, minutes=30),
        threshold=Threshold.MAJORITY_CAST,
    )  # fmt: skip
    assert motion.vote is None
    db.session.commit()
    revision = revisions_of(meeting.id)[0]
    text = " ".join(pdf_text(render_minutes_pdf(meeting, revision), tmp_path).split())
    assert "Corrected after the vote:" in text
    assert "recorded as no, corrected to yes" in text and "Misheard at the dais." in text
    assert "Move to send a letter." in text and "Not put to a vote." in text
