"""`flask import legistar DIR` on a small fixture written from Legistar's documented fields:
what it creates, that a second run changes nothing, the report, the audit chain, the pages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from agenda.api.legistar.rules import assign_seats, ballot_value, presence
from agenda.api.models import ExternalRecord
from agenda.audit.models import AuditEvent
from agenda.bodies.models import Body, Membership, Person
from agenda.bodies.operations import create_body, new_body_settings
from agenda.extensions import db
from agenda.matters.models import Matter, MatterHistoryEvent, MatterSponsor
from agenda.meetings.models import AgendaItem, AgendaSection, Attendance, Meeting
from agenda.meetings.rules import AttendanceStatus, MeetingStatus
from agenda.votes.models import Ballot, Motion, Vote
from agenda.votes.rules import BallotValue, MotionResult
from tests.conftest import row_counts

FIXTURE = Path(__file__).parent.parent / "data" / "legistar"
TABLES = (
    Body,
    Person,
    Membership,
    Matter,
    MatterSponsor,
    MatterHistoryEvent,
    Meeting,
    AgendaItem,
    Attendance,
    Motion,
    Vote,
    Ballot,
    ExternalRecord,
)


def run_import(runner: Any, *extra: str) -> str:
    result = runner.invoke(args=["import", "legistar", str(FIXTURE), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def local(kind: str, external_id: int) -> int:
    return db.session.execute(
        sa.select(ExternalRecord.local_id).where(
            ExternalRecord.kind == kind, ExternalRecord.external_id == str(external_id)
        )
    ).scalar_one()


def chain_length() -> int:
    return db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()


def test_import_creates_the_record_and_reports_every_skip(runner: Any) -> None:
    output = run_import(runner)
    counts = row_counts(*TABLES)
    assert counts["Body"] == 2
    assert counts["Person"] == 9
    assert counts["Membership"] == 11
    assert counts["Matter"] == 3  # the "Appointment" is not a type we keep
    assert counts["Meeting"] == 3
    assert counts["AgendaItem"] == 7
    assert counts["Vote"] == 4
    assert counts["Ballot"] == 28
    assert "body              2              0        0" in output
    for skip in (
        "matter 504: its type “Appointment” has no match",
        "item 2999: its event 9999 was not imported",
        "ballot 9022: Former Member held no seat on the City Commission on the meeting date",
        "ballot 9030: Carla Nguyen held no seat on the City Commission on the meeting date",
        "history 607: unknown MatterHistoryActionName “Sent to Mayor”",
    ):
        assert skip in output
    # The 3-3 tie Legistar records as passed keeps its result, and the report says so.
    assert "Legistar item 2005" in output and "recorded passed" in output
    tie = db.session.get(Vote, local("vote", 2005))
    assert (tie.yes_count, tie.no_count, tie.result) == (3, 3, MotionResult.PASSED)
    assert "the body's rule gives: Failed 3-3 (tie)" in tie.explanation


def test_terms_take_seats_in_order_and_a_successor_takes_the_resigned_seat(runner: Any) -> None:
    run_import(runner)
    resigned = db.session.get(Membership, local("term", 303))
    successor = db.session.get(Membership, local("term", 308))
    mayor = db.session.get(Membership, local("term", 301))
    assert (mayor.seat, mayor.title) == (1, "Mayor")
    assert resigned.seat == successor.seat == 3
    assert str(resigned.ends_on) == "2025-06-30" and str(successor.starts_on) == "2025-07-15"
    assert db.session.get(Body, local("body", 138)).seats == 7


def test_meetings_votes_and_attendance_as_recorded(runner: Any) -> None:
    run_import(runner)
    held = db.session.get(Meeting, local("meeting", 1001))
    draft = db.session.get(Meeting, local("meeting", 1003))
    assert held.status is MeetingStatus.ADJOURNED and held.published_at is not None
    assert draft.status is MeetingStatus.DRAFT and draft.published_at is None
    vote = db.session.get(Vote, local("vote", 2003))
    assert (vote.yes_count, vote.no_count, vote.result) == (6, 1, MotionResult.PASSED)
    motion = vote.motion
    assert (motion.mover.name, motion.seconder.name) == ("Dev Patel", "Ben Ortiz")
    named = db.session.get(Vote, local("vote", 2004)).motion
    assert (named.mover.name, named.seconder.name) == ("Ben Ortiz", "Ana Rivera")
    # Legistar names no mover for item 2005: the record keeps none rather than a guess.
    assert db.session.get(Vote, local("vote", 2005)).motion.mover_id is None
    excused = {b.person.name: b for b in db.session.get(Vote, local("vote", 2005)).ballots}
    assert excused["Grace Lee"].value is BallotValue.ABSENT and excused["Grace Lee"].is_excused
    late = db.session.execute(
        sa.select(Attendance)
        .join(Person)
        .where(Person.name == "Elena Brooks", Attendance.meeting_id == held.id)
    ).scalar_one()
    assert late.status is AttendanceStatus.PRESENT
    matter = db.session.get(Matter, local("matter", 503))
    assert [s.person.name for s in matter.sponsors] == ["Frank Ito", "Ben Ortiz"]
    assert "https://example.legistar.com/View.ashx?M=F&ID=801" in matter.text
    assert [h.action.value for h in matter.history] == ["filed", "adopted"]


def test_a_second_run_changes_nothing(runner: Any) -> None:
    run_import(runner)
    before, length = row_counts(*TABLES), chain_length()
    output = run_import(runner)
    assert row_counts(*TABLES) == before
    assert chain_length() == length
    assert "vote              0              4        0" in output
    assert "meeting           0              3        0" in output


def test_the_record_verifies_after_an_import(runner: Any) -> None:
    run_import(runner)
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "The record verifies" in result.output
    assert "8 motions and roll calls replayed" in result.output
    assert "facts were made before the chain recorded them" not in result.output


def test_a_dry_run_keeps_nothing(runner: Any) -> None:
    output = run_import(runner, "--dry-run")
    assert "meeting           3              0        0" in output
    assert "Dry run: nothing was kept." in output
    assert row_counts(Meeting, Vote, ExternalRecord) == {
        "Meeting": 0,
        "Vote": 0,
        "ExternalRecord": 0,
    }


def test_the_report_names_votes_the_configured_rule_would_decide_otherwise(
    runner: Any,
) -> None:
    """The city set up its commission first: ordinances need two-thirds of those present."""
    settings = new_body_settings()
    settings.pop("seat_titles")
    settings["default_thresholds"] = {"main:ordinance": "two_thirds_present"}
    create_body(
        actor=None, titles=["Mayor"] + ["Commissioner"] * 6, name="City Commission", **settings
    )
    db.session.commit()
    output = run_import(runner)
    assert "body              1              1        0" in output
    assert (
        "Legistar item 2004 “Ordinance on short-term vacation rentals, second reading” (4-3): "
        "recorded passed in Legistar; the body's rule decides failed"
    ) in output
    vote = db.session.get(Vote, local("vote", 2004))
    assert vote.result is MotionResult.PASSED and vote.required == 5
    assert runner.invoke(args=["verify"]).exit_code == 0


def test_imported_meetings_show_on_the_public_pages(runner: Any, client: Any) -> None:
    run_import(runner)
    page = client.get(f"/meetings/{local('meeting', 1001)}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Resolution ending the 287(g) agreement" in text
    assert "6-1" in text and "4-3" in text
    assert client.get(f"/meetings/{local('meeting', 1003)}").status_code == 404
    matter = client.get(f"/matters/{local('matter', 503)}").get_data(as_text=True)
    assert "25-140" in matter and "Frank Ito" in matter


def test_search_finds_what_was_imported(runner: Any, client: Any) -> None:
    output = run_import(runner)
    assert "Indexing for search" in output
    found = client.get("/search?q=287(g)").get_data(as_text=True)
    assert "2 results" in found and "25-061" in found  # the agenda item and the resolution
    assert "Nothing new" in run_import(runner)


def _report(output: str) -> dict[str, int]:
    """Read the report's 'created' column by kind."""
    created = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[1].isdigit():
            created[parts[0]] = int(parts[1])
    return created


def test_the_import_round_trips_through_the_open_civic_data_export(
    runner: Any, tmp_path: Path
) -> None:
    """Import Legistar, export OCD: the public record's counts agree on both sides."""
    created = _report(run_import(runner))
    drafts = (
        db.session.execute(sa.select(Meeting.id).where(Meeting.status == MeetingStatus.DRAFT))
        .scalars()
        .all()
    )
    draft_items = len(local_items(drafts))
    assert len(drafts) == 1 and draft_items == 1  # the fixture's draft agenda stays private

    result = runner.invoke(args=["export", "ocd", str(tmp_path / "ocd")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "ocd" / "manifest.json").read_text())
    counts, contains = manifest["counts"], manifest["contains"]
    assert counts["organization"] == created["body"] == 2
    assert counts["person"] == created["person"] == 9
    assert counts["membership"] == created["term"] == 11
    assert counts["bill"] == created["matter"] == 3
    assert counts["event"] == created["meeting"] - len(drafts) == 2
    assert contains["agenda_item"] == created["item"] - draft_items == 6
    assert counts["vote_event"] == created["vote"] == 4
    assert contains["ballot"] == created["ballot"] == 28
    # The 6-1 roll call reads the same on the other side, vote by vote.
    events = [json.loads(p.read_text()) for p in (tmp_path / "ocd").glob("vote_event_*.json")]
    six_one = [e for e in events if {c["option"]: c["value"] for c in e["counts"]}.get("no") == 1
               and {c["option"]: c["value"] for c in e["counts"]}.get("yes") == 6]  # fmt: skip
    assert len(six_one) == 1 and len(six_one[0]["votes"]) == 7


def local_items(meeting_ids: list[int]) -> list[int]:
    return (
        db.session.execute(
            sa.select(AgendaItem.id)
            .join(AgendaSection, AgendaItem.section_id == AgendaSection.id)
            .where(AgendaSection.meeting_id.in_(meeting_ids))
        )
        .scalars()
        .all()
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Aye", BallotValue.YES),
        ("Yea", BallotValue.YES),
        ("NAY", BallotValue.NO),
        ("Abstain", BallotValue.ABSTAIN),
        ("Conflict", BallotValue.RECUSED),
        ("Recused", BallotValue.RECUSED),
        ("Excused", BallotValue.ABSENT),
        ("Maybe", None),
    ],
)
def test_vote_values_read_in_our_words(name: str, value: BallotValue | None) -> None:
    assert ballot_value(name) is value


def test_roll_call_values_and_seats() -> None:
    assert presence("Late").late and presence("Excused").excused  # type: ignore[union-attr]
    assert presence("Tardy") is None

    seats, count = assign_seats(
        [
            ("a", date(2024, 1, 1), date(2025, 6, 30)),
            ("b", date(2024, 1, 1), None),
            ("c", date(2025, 7, 1), None),
        ]
    )
    assert seats == {"a": 1, "b": 2, "c": 1} and count == 2
