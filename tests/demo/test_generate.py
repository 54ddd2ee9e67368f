"""`flask demo generate`: a year of a synthetic city, in bulk, that the public reads and
`flask verify` accepts; refused twice and refused beside real records; `demo remove` takes it."""

from __future__ import annotations

import re

import sqlalchemy as sa

from agenda.bodies.models import Body, Membership, Person
from agenda.documents.models import Attachment
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings.models import AgendaItem, AgendaRevision, Meeting
from agenda.meetings.rules import MeetingStatus
from agenda.minutes.models import MinutesRevision
from agenda.minutes.rules import MinutesStatus
from agenda.votes.models import Ballot, Vote
from agenda.votes.rules import BallotValue
from tests.conftest import count_rows, pdf_text


def _generate(runner, *args: str):
    return runner.invoke(args=["demo", "generate", "--years", "1", *args])


def _scalar(query):
    return db.session.execute(query).scalar_one()


def test_a_generated_year_reads_like_a_city_and_verifies(runner, public, tmp_path) -> None:
    result = _generate(runner, "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "ballots: " in result.output

    # About 50 meetings, 2,000 items, 14,000 ballots a year.
    assert 45 <= count_rows(Meeting) <= 55
    assert 1700 <= count_rows(AgendaItem) <= 2300
    assert 12000 <= count_rows(Ballot) <= 16000
    assert 200 <= count_rows(Matter) <= 300
    assert count_rows(Attachment) >= count_rows(Matter)
    assert _scalar(sa.select(sa.func.count(Body.id)).where(Body.is_demo.is_(False))) == 0
    assert _scalar(sa.select(sa.func.count(Person.id)).where(Person.is_demo.is_(False))) == 0
    assert count_rows(Membership) >= 19  # three bodies' seats, some changing hands

    # Realistic splits: mostly unanimous, some close, some failing; recusals and absences.
    votes = db.session.execute(sa.select(Vote)).scalars().all()
    unanimous = sum(1 for v in votes if v.no_count == 0)
    assert unanimous / len(votes) > 0.6
    assert any(v.yes_count == 4 and v.no_count == 3 for v in votes)
    assert any(v.result.value == "failed" for v in votes)
    values = set(db.session.execute(sa.select(Ballot.value).distinct()).scalars())
    assert {BallotValue.YES, BallotValue.NO, BallotValue.RECUSED, BallotValue.ABSENT} <= values
    statuses = set(db.session.execute(sa.select(Meeting.status).distinct()).scalars())
    assert statuses == {MeetingStatus.ADJOURNED, MeetingStatus.CANCELLED}
    amended = _scalar(sa.select(sa.func.count()).where(AgendaRevision.number == 2))
    assert amended >= 1

    # The public reads a generated meeting: agenda, votes, minutes, documents, its legislation.
    approved = (
        db.session.execute(
            sa.select(MinutesRevision).where(MinutesRevision.status == MinutesStatus.APPROVED)
        )
        .scalars()
        .first()
    )
    meeting_id = approved.minutes.meeting_id
    page = public.get(f"/meetings/{meeting_id}")
    assert page.status_code == 200
    assert "Harbor City" in page.text and "Passed" in page.text
    assert public.get(f"/meetings/{meeting_id}/minutes").status_code == 200
    minutes = public.get(f"/meetings/{meeting_id}/minutes.pdf")
    assert minutes.status_code == 200
    assert "approved minutes" in pdf_text(minutes.data, tmp_path)
    assert public.get(f"/meetings/{meeting_id}/agenda.pdf").status_code == 200
    matter = db.session.execute(sa.select(Matter).limit(1)).scalar_one()
    matter_page = public.get(f"/matters/{matter.id}")
    assert matter_page.status_code == 200 and matter.file_number in matter_page.text
    document = public.get(f"/documents/{matter.attachments[0].sha256}.pdf")
    assert document.status_code == 200
    assert matter.file_number in pdf_text(document.data, tmp_path)
    assert public.get("/meetings").status_code == 200

    # Search works on the generated city, down to the words inside its documents.
    found = public.get("/search?q=demonstration+text&kind=document")
    assert found.status_code == 200
    assert "Nothing matches" not in found.text
    assert re.search(r"\d[\d,]* results? for", found.text)
    assert matter.file_number in public.get(f"/search?q={matter.file_number}").text

    verified = runner.invoke(args=["verify"])
    assert verified.exit_code == 0, verified.output
    assert "The record verifies" in verified.output

    # Generating again (same seed or not) is refused and writes nothing.
    before = count_rows(Ballot)
    again = _generate(runner, "--seed", "7")
    assert again.exit_code != 0
    assert "already here" in again.output
    assert count_rows(Ballot) == before

    # `demo remove` takes every generated row away, and the record still verifies.
    removed = runner.invoke(args=["demo", "remove"])
    assert removed.exit_code == 0, removed.output
    for model in (Meeting, AgendaItem, Ballot, Matter, Person, Attachment):
        assert count_rows(model) == 0, model
    assert runner.invoke(args=["verify"]).exit_code == 0


def test_generate_refuses_a_database_with_real_records(runner, make_body) -> None:
    make_body(name="Real City Commission")
    db.session.commit()
    result = _generate(runner)
    assert result.exit_code != 0
    assert "real records" in result.output
    assert count_rows(Meeting) == 0
