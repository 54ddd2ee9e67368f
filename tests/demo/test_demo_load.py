"""`flask demo load`: the Key West story, loaded once and only once.

The first test runs the command on an empty database; the others read a fresh copy of
the demo that the same command loaded once for the session (the `demo_app` fixture).
"""

from __future__ import annotations

import re
import subprocess

import sqlalchemy as sa

from agenda.auth.models import User
from agenda.documents.models import Attachment, Blob
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings.models import Meeting
from agenda.votes.models import Motion, Vote
from agenda.votes.rules import BallotValue
from tests.conftest import pdf_text, qpdf, row_counts


def the_287g_vote() -> Vote:
    return db.session.execute(
        sa.select(Vote).join(Vote.motion).where(Motion.text.contains("287(g)"))
    ).scalar_one()


def test_demo_loads_once_and_never_twice(runner) -> None:
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "clerk@demo.agenda.test / demo-clerk-password" in first.output
    totals = row_counts(Meeting, Matter, User, Vote, Attachment)
    assert all(totals.values()), totals
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert "already loaded" in second.output
    assert row_counts(Meeting, Matter, User, Vote, Attachment) == totals


def test_every_copy_of_the_demo_starts_as_loaded(demo_app, demo_database, make_app) -> None:
    db.session.execute(sa.update(Meeting).values(location="Somewhere else"))
    db.session.commit()
    with make_app(demo_database()).app_context():
        locations = set(db.session.execute(sa.select(Meeting.location)).scalars())
        db.session.remove()
    assert locations and "Somewhere else" not in locations


def test_the_287g_vote_is_6_to_1_with_one_no(demo_app) -> None:
    vote = the_287g_vote()
    assert (vote.yes_count, vote.no_count) == (6, 1)
    assert (
        vote.explanation
        == "Passed 6-1 (4 votes required: majority of the 7 members present; Fla. Stat. 286.012)"
    )
    no = [b for b in vote.ballots if b.value == BallotValue.NO]
    assert len(no) == 1
    assert "(demo)" in no[0].person.name
    assert len(vote.ballots) == 7
    assert "287(g)" in vote.motion.agenda_item.matter.title


def test_kaufmans_resolution_is_on_the_next_agenda_with_a_generated_pdf(demo_app, tmp_path) -> None:
    matter = db.session.execute(
        sa.select(Matter).where(Matter.title.contains("declaratory judgment"))
    ).scalar_one()
    assert matter.file_number.startswith("Res ") and matter.file_number.endswith("-214")
    assert [s.person.name for s in matter.sponsors] == ["Sam Kaufman"]
    meeting = matter.agenda_items[0].section.meeting
    assert meeting.published_at is not None
    assert matter.agenda_items[0].section.title == "Resolutions"

    attachment = matter.attachments[0]
    blob = db.session.get(Blob, attachment.sha256)
    path = tmp_path / "resolution.pdf"
    path.write_bytes(blob.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "South Miami" in text
    assert "declaratory judgment" in " ".join(text.split())
    assert matter.file_number in text
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0


def test_demo_data_is_marked_demo(demo_app) -> None:
    assert all(m.is_demo for m in db.session.execute(sa.select(Meeting)).scalars())
    assert all(u.is_demo for u in db.session.execute(sa.select(User)).scalars())
    page = demo_app.test_client().get("/").get_data(as_text=True)
    assert "Key West City Commission: Regular meeting" in page
    # The workshop is a draft: the public does not see it.
    assert "Workshop meeting" not in page


def test_the_public_sees_how_each_member_voted_on_287g(demo_app) -> None:
    client = demo_app.test_client()
    vote = the_287g_vote()
    meeting_id = vote.motion.agenda_item.section.meeting_id
    page = " ".join(client.get(f"/meetings/{meeting_id}").get_data(as_text=True).split())
    assert (
        "Passed 6-1 (4 votes required: majority of the 7 members present; Fla. Stat. 286.012)"
        in page
    )
    assert "Moved by Commissioner Sam Kaufman" in page
    no_votes = re.findall(
        r'class="member"[^>]*>([^<]+)</(?:a|span)>: <span class="vote vote-no">', page
    )
    assert no_votes == ["Commissioner Drew Placeholder (demo)"]
    assert page.count('<span class="vote vote-yes">') == 6
    matter_page = client.get(f"/matters/{vote.motion.agenda_item.matter_id}").get_data(as_text=True)
    assert "Passed 6-1" in matter_page


def test_the_287g_minutes_are_approved_and_public(demo_app, tmp_path) -> None:
    meeting_id = the_287g_vote().motion.agenda_item.section.meeting_id
    response = demo_app.test_client().get(f"/meetings/{meeting_id}/minutes.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data, tmp_path).split())
    assert "Passed 6-1" in text
    assert re.search(r"Approved on \w+ \d+, \d{4}, 7-0", text)
    assert "Commissioner Sam Kaufman" in text
    assert "DRAFT" not in text
    assert qpdf(response.data, tmp_path, "--check").returncode == 0
    assert demo_app.test_cli_runner().invoke(args=["verify"]).exit_code == 0
