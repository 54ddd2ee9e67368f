"""The Open Civic Data export: `flask export ocd DIR` and GET /api/v1/bulk.zip, on the demo."""

from __future__ import annotations

import ast
import hashlib
import io
import json
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from agenda.api import ocd, ocd_data
from agenda.auth.rules import PUBLIC
from agenda.bodies.models import Body, Membership
from agenda.demo import data
from agenda.documents.models import Blob
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.matters.operations import create_matter, place_on_agenda
from agenda.matters.rules import MatterType
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import visible_to
from agenda.meetings.snapshot import has_pending_amendment
from agenda.pagecache import current_version
from agenda.votes.models import Ballot, Vote

KINDS = ("jurisdiction", "organization", "person", "membership", "event", "bill", "vote_event")
NEEDED = {
    "jurisdiction": {"id", "name", "url", "classification", "division_id"},
    "organization": {"id", "name", "classification", "jurisdiction_id", "sources"},
    "person": {"id", "name", "sources"},
    "membership": {"id", "person_id", "organization_id", "role", "label", "start_date", "end_date"},
    "event": {
        "id",
        "name",
        "start_date",
        "timezone",
        "status",
        "classification",
        "location",
        "agenda",
        "documents",
        "participants",
    },
    "bill": {
        "id",
        "identifier",
        "legislative_session",
        "title",
        "classification",
        "subject",
        "sponsorships",
        "actions",
        "documents",
        "versions",
        "from_organization",
    },
    "vote_event": {
        "id",
        "identifier",
        "motion_text",
        "motion_classification",
        "start_date",
        "result",
        "organization",
        "bill",
        "counts",
        "votes",
    },
}


def export(app: Flask, folder: Path, *args: str) -> str:
    db.session.commit()  # what the test wrote is what the command reads
    result = app.test_cli_runner().invoke(args=["export", "ocd", str(folder), *args])
    assert result.exit_code == 0, result.output
    return result.output


def read_all(folder: Path) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for path in sorted(folder.glob("*.json")):
        if path.name == "manifest.json":
            continue
        obj = json.loads(path.read_text(encoding="utf-8"))
        assert path.name == ocd.file_name(obj["_type"], obj["id"])
        found[obj["_type"]].append(obj)
    return found


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def texts(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in folder.iterdir())


def count(query: sa.Select[Any]) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()


def test_every_file_is_ocd_json_with_the_fields_and_references_it_needs(
    demo_app: Flask, tmp_path: Path
) -> None:
    output = export(demo_app, tmp_path)
    assert "Wrote 40 objects" in output
    found = read_all(tmp_path)
    for kind, objects in found.items():
        assert objects, kind
        for obj in objects:
            assert NEEDED[kind] <= obj.keys(), (kind, NEEDED[kind] - obj.keys())
            assert obj["id"].startswith("ocd-")
    (place,) = found["jurisdiction"]
    assert place["id"] == "ocd-jurisdiction/country:us/state:fl/place:key_west/government"
    assert place["division_id"] == "ocd-division/country:us/state:fl/place:key_west"
    assert place["classification"] == "government"
    kinds = {o["name"]: o["classification"] for o in found["organization"]}
    assert kinds == {
        "Key West City Commission": "legislature",
        "Key West Planning Board (demo)": "commission",
    }
    people = {p["id"] for p in found["person"]}
    organizations = {o["id"] for o in found["organization"]}
    bills = {b["id"] for b in found["bill"]}
    votes = {v["id"] for v in found["vote_event"]}
    for term in found["membership"]:
        assert term["person_id"] in people and term["organization_id"] in organizations
    mayor = next(t for t in found["membership"] if t["label"] == "Mayor")
    assert mayor["person_name"] == "Avery Placeholder (demo)" and mayor["end_date"] == ""
    for vote in found["vote_event"]:
        assert {v["voter_id"] for v in vote["votes"]} <= people
        assert vote["organization"] in organizations
    for bill in found["bill"]:
        assert {s["person_id"] for s in bill["sponsorships"]} <= people
        assert bill["from_organization"] in organizations
        assert bill["actions"] and bill["actions"][0]["classification"] == ["filing"]
    for event in found["event"]:
        assert event["start_date"].endswith(("-04:00", "-05:00"))  # Key West's offset
        for item in event["agenda"]:
            for entity in item["related_entities"]:
                assert entity.get("bill_id", entity.get("vote_event_id")) in bills | votes


def test_counts_in_the_manifest_are_the_public_records(demo_app: Flask, tmp_path: Path) -> None:
    export(demo_app, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    visible = sa.select(Meeting.id).where(visible_to(PUBLIC))
    items = (
        sa.select(AgendaItem.id).join(AgendaSection).where(AgendaSection.meeting_id.in_(visible))
    )
    public_votes = (
        sa.select(Vote.id)
        .join(Vote.motion)
        .join(AgendaItem)
        .join(AgendaSection)
        .where(AgendaSection.meeting_id.in_(visible))
    )
    assert manifest["counts"] == {
        "jurisdiction": 1,
        "organization": count(sa.select(Body.id)),
        "person": count(sa.select(Membership.person_id).distinct()),
        "membership": count(sa.select(Membership.id)),
        "event": count(visible),
        "bill": count(sa.select(Matter.id)),
        "vote_event": count(public_votes),
    }
    assert manifest["counts"]["event"] == count(sa.select(Meeting.id)) - 1  # the draft workshop
    assert manifest["contains"] == {
        "agenda_item": count(items),
        "ballot": count(sa.select(Ballot.id).where(Ballot.vote_id.in_(public_votes))),
    }
    found = read_all(tmp_path)
    assert {k: len(v) for k, v in found.items()} == manifest["counts"]
    assert sum(len(e["agenda"]) for e in found["event"]) == manifest["contains"]["agenda_item"]


def test_the_287g_vote_event_counts_six_yes_one_no_with_seven_votes(
    demo_app: Flask, tmp_path: Path
) -> None:
    export(demo_app, tmp_path)
    found = read_all(tmp_path)
    (bill,) = [b for b in found["bill"] if b["identifier"].endswith("-187")]
    assert bill["classification"] == ["resolution"]
    assert [s["name"] for s in bill["sponsorships"]] == ["Avery Placeholder (demo)"]
    (vote,) = [v for v in found["vote_event"] if v["bill"] == bill["id"]]
    counts = {c["option"]: c["value"] for c in vote["counts"]}
    assert counts == {"yes": 6, "no": 1, "abstain": 0, "absent": 0, "excused": 0, "not voting": 0}
    assert vote["result"] == "pass" and vote["extras"]["tally"] == "6-1"
    assert len(vote["votes"]) == 7
    nays = [v["voter_name"] for v in vote["votes"] if v["option"] == "no"]
    assert nays == [name for seat, _, name in data.COMMISSION if seat == data.NO_VOTE_SEAT]
    assert vote["motion_classification"] == ["bill-passage"]
    assert vote["motion_text"].startswith("Move to adopt")
    (meeting,) = [
        e
        for e in found["event"]
        if any(
            r.get("vote_event_id") == vote["id"] for i in e["agenda"] for r in i["related_entities"]
        )
    ]
    assert meeting["status"] == "passed"
    assert [d["note"] for d in meeting["documents"]] == ["Agenda", "Agenda packet", "Minutes"]


def test_drafts_never_appear(demo_app: Flask, tmp_path: Path) -> None:
    commission = db.session.execute(sa.select(Body).where(Body.slug == data.BODY_SLUG)).scalar_one()
    unseen = create_matter(
        commission,
        matter_type=MatterType.RESOLUTION,
        title="A resolution nobody has published (test)",
        text="Secret.",
        sponsors=[],
        actor=None,
    )
    upcoming = (
        db.session.execute(sa.select(Matter).where(Matter.file_number.like("%-214")))
        .scalar_one()
        .agenda_items[0]
        .section.meeting
    )
    pending = create_matter(
        commission,
        matter_type=MatterType.ORDINANCE,
        title="An ordinance waiting in an unpublished amendment (test)",
        text="",
        sponsors=[],
        actor=None,
    )
    place_on_agenda(pending, upcoming, "Ordinances", actor=None)
    assert has_pending_amendment(upcoming)
    draft_items = (
        db.session.execute(
            sa.select(AgendaItem.title)
            .join(AgendaSection)
            .join(Meeting)
            .where(Meeting.published_at.is_(None))
        )
        .scalars()
        .all()
    )
    assert draft_items  # the demo's budget workshop, not yet noticed

    export(demo_app, tmp_path)
    everything = texts(tmp_path)
    for words in [
        unseen.title,
        pending.title,
        unseen.file_number,
        pending.file_number,
        *draft_items,
        "Draft: not yet noticed",
    ]:
        assert words not in everything
    found = read_all(tmp_path)
    event_ids = {e["id"] for e in found["event"]}
    ids = ocd.Ids(found["jurisdiction"][0]["id"])
    drafts = db.session.execute(sa.select(Meeting.id).where(Meeting.published_at.is_(None)))
    assert not {ids.of("event", m) for m in drafts.scalars()} & event_ids
    (shown,) = [e for e in found["event"] if e["id"] == ids.of("event", upcoming.id)]
    assert len(shown["agenda"]) == 4  # as last published: the new item is not there yet


def test_a_second_export_writes_the_same_files_and_drops_stale_ones(
    demo_app: Flask, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    export(demo_app, first)
    (second).mkdir()
    (second / "bill_00000000-0000-0000-0000-000000000000.json").write_text("{}")
    (second / "README.txt").write_text("kept")
    export(demo_app, second)
    kept = files_of(second)
    assert kept.pop("README.txt") == b"kept"
    assert kept == files_of(first)
    export(demo_app, first)
    assert files_of(first) == kept


def test_one_body_exports_its_own_record(demo_app: Flask, tmp_path: Path) -> None:
    planning = db.session.execute(
        sa.select(Body).where(Body.slug == data.PLANNING_SLUG)
    ).scalar_one()
    output = export(demo_app, tmp_path, "--body", str(planning.id))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["body_id"] == planning.id
    assert manifest["counts"] == {
        "jurisdiction": 1,
        "organization": 1,
        "person": 5,
        "membership": 5,
        "event": 1,
        "bill": 1,
        "vote_event": 0,
    }
    assert "1 organization" in output
    missing = demo_app.test_cli_runner().invoke(
        args=["export", "ocd", str(tmp_path), "--body", "9999"]
    )
    assert missing.exit_code != 0 and "No body has the id 9999" in missing.output


def test_bulk_zip_holds_the_exports_files_and_answers_304(
    demo_app: Flask, make_app: Any, tmp_path: Path
) -> None:
    export(demo_app, tmp_path)
    client = demo_app.test_client()
    version = current_version()
    db.session.commit()  # the request reads on its own
    answer = client.get("/api/v1/bulk.zip")
    assert answer.status_code == 200
    assert answer.mimetype == "application/zip"
    assert answer.headers["Content-Disposition"].startswith("attachment")
    digest = hashlib.sha256(answer.data).hexdigest()
    assert answer.headers["ETag"] == f'"{digest}"'
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    assert {n: archive.read(n) for n in archive.namelist()} == files_of(tmp_path)
    # Kept in the database for every server, without changing the record's version (pages
    # kept under it stay valid).
    kept = db.session.execute(
        sa.select(Blob.sha256, Blob.content_type).where(Blob.content_type.like("application/zip%"))
    ).all()
    assert [k.sha256 for k in kept] == [digest]
    assert current_version() == version

    again = client.get("/api/v1/bulk.zip", headers={"If-None-Match": f'"{digest}"'})
    assert again.status_code == 304 and again.data == b""
    # Another app server on the same database serves the bytes kept there, not its own build.
    other = make_app(demo_app.config["SQLALCHEMY_DATABASE_URI"]).test_client()
    assert (
        other.get("/api/v1/bulk.zip", headers={"If-None-Match": f'"{digest}"'}).status_code == 304
    )
    assert other.get("/api/v1/bulk.zip").data == answer.data


def test_bulk_zip_follows_the_record(demo_app: Flask) -> None:
    client = demo_app.test_client()
    before = client.get("/api/v1/bulk.zip")
    commission = db.session.execute(sa.select(Body).where(Body.slug == data.BODY_SLUG)).scalar_one()
    commission.name = "Key West City Commission (renamed)"
    db.session.commit()
    after = client.get("/api/v1/bulk.zip", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    archive = zipfile.ZipFile(io.BytesIO(after.data))
    organizations = [
        json.loads(archive.read(n)) for n in archive.namelist() if n.startswith("organization_")
    ]
    assert "Key West City Commission (renamed)" in {o["name"] for o in organizations}


def test_a_bad_token_is_refused_even_for_the_bulk_download(demo_app: Flask) -> None:
    answer = demo_app.test_client().get(
        "/api/v1/bulk.zip", headers={"Authorization": "Bearer agt_not-a-token"}
    )
    assert answer.status_code == 401 and answer.json["error"]["code"] == 401


def test_ballot_values_become_ocd_options() -> None:
    assert ocd.option_of("yes") == "yes" and ocd.option_of("no") == "no"
    assert ocd.option_of("abstain") == "abstain"
    assert ocd.option_of("recused") == "not voting"
    assert ocd.option_of("not_voting") == "not voting"
    assert ocd.option_of("absent") == "absent"
    assert ocd.option_of("absent", is_excused=True) == "excused"
    ids = ocd.Ids("ocd-jurisdiction/country:us/state:fl/place:key_west/government")
    vote = ocd.vote_event(
        ocd_data.VoteData(
            1,
            1,
            "Item 6.a, motion 1",
            "Move to adopt",
            "main",
            datetime(2026, 7, 7, 22, tzinfo=UTC),
            "America/New_York",
            "failed",
            "http://localhost/meetings/1",
            ballots=(
                ocd_data.BallotData(1, "A", "recused", "Owns the parcel"),
                ocd_data.BallotData(2, "B", "absent", None, True),
                ocd_data.BallotData(3, "C", "no"),
            ),
        ),
        ids,
    )
    assert vote["result"] == "fail" and vote["start_date"] == "2026-07-07T18:00:00-04:00"
    assert vote["votes"][0] == {
        "option": "not voting",
        "voter_name": "A",
        "voter_id": ids.of("person", 1),
        "note": "Owns the parcel",
    }
    assert Counter(v["option"] for v in vote["votes"]) == {"not voting": 1, "excused": 1, "no": 1}


def test_ids_are_stable_and_differ_between_cities() -> None:
    key_west = ocd.Ids(
        ocd.jurisdiction_id(
            ocd.division_id("City of Key West (demo)", "1300 White Street, Key West, FL 33040")
        )
    )
    assert key_west.of("person", 7) == key_west.of("person", 7)
    assert key_west.of("person", 7) != key_west.of("person", 8)
    assert key_west.of("person", 7).split("/")[1] != key_west.of("bill", 7).split("/")[1]
    other = ocd.Ids(ocd.jurisdiction_id(ocd.division_id("Town of Marathon", "Marathon, FL 33050")))
    assert key_west.of("person", 7) != other.of("person", 7)
    assert ocd.session_of(25, datetime(2025, 3, 1, tzinfo=UTC)) == "2025"
    assert ocd.session_of(99, datetime(2000, 1, 5, tzinfo=UTC)) == "1999"


def test_the_mapping_modules_are_pure() -> None:
    for module in (ocd, ocd_data):
        source = Path(module.__file__ or "").read_text()
        imported = {
            (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        }
        frameworks = {m for m in imported if m.split(".")[0] in ("flask", "sqlalchemy")}
        assert not frameworks
        assert {m for m in imported if m.startswith("agenda")} <= {"agenda.api.ocd_data"}
