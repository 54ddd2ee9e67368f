"""Import Legistar's bodies, people, terms and legislation; then meetings and votes (events.py,
votes.py). Re-running changes nothing: every record is found again by its Legistar id.

Legistar Web API field names used (webapi.legistar.com/Help; checked against clients that read
it: opencivicdata/python-legistar-scraper legistar/bills.py, events.py, people.py, and public
Go and TypeScript clients' types of Matter, MatterSponsor, EventItem, RollCall, Vote):
  Bodies: BodyId, BodyName, BodyTypeName, BodyNumberOfMembers, BodyLastModifiedUtc
  Persons: PersonId, PersonFullName, PersonFirstName, PersonLastName, PersonEmail
  OfficeRecords: OfficeRecordId, OfficeRecordPersonId, OfficeRecordBodyId, OfficeRecordTitle,
    OfficeRecordStartDate, OfficeRecordEndDate
  Matters: MatterId, MatterFile, MatterName, MatterTitle, MatterTypeName, MatterStatusName,
    MatterIntroDate, MatterBodyId, MatterLastModifiedUtc
  MatterSponsors: MatterSponsorId, MatterSponsorMatterId, MatterSponsorNameId,
    MatterSponsorSequence
  MatterAttachments: MatterAttachmentId, MatterAttachmentName, MatterAttachmentHyperlink
  MatterHistories: MatterHistoryId, MatterHistoryActionName, MatterHistoryActionDate,
    MatterHistoryPassedFlag, MatterHistoryEventId (events.py)
  Events, EventItems, RollCalls: see events.py; Votes: see votes.py.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from agenda.api.legistar import events, votes
from agenda.api.legistar.reader import LegistarData, Row, matter_of
from agenda.api.legistar.rules import (
    assign_seats,
    file_sequence,
    legistar_date,
    local_instant,
    matter_status,
    matter_type,
)
from agenda.api.legistar.run import Progress, Run, quiet
from agenda.audit.operations import record_event
from agenda.audit.rules import plain
from agenda.bodies.facts import BODY_FIELDS, body_fact, term_fact
from agenda.bodies.models import Body, Membership, Person, Seat
from agenda.bodies.operations import new_body_settings
from agenda.bodies.rules import BodyKind, TermStart
from agenda.extensions import db
from agenda.matters.models import Matter, MatterSponsor
from agenda.matters.rules import MatterType

BODY_KINDS = {"committee": BodyKind.COMMITTEE, "board": BodyKind.BOARD}


def import_legistar(
    data: LegistarData, *, default_type: MatterType | None = None, progress: Progress = quiet
) -> Run:
    """Import everything in `data` in the current transaction; return the run and its report."""
    run = Run.start(progress)
    import_bodies(run, data)
    import_people(run, data.persons)
    import_terms(run, data.office_records)
    import_matters(run, data.matters, default_type)
    import_sponsors(run, data.sponsors)
    events.import_meetings(run, data.events)
    events.import_items(run, data.event_items)
    events.import_history(run, data.histories)
    import_attachments(run, data.attachments)
    events.import_attendance(run, data.roll_calls)
    votes.import_votes(run, data.votes, data.event_items)
    db.session.flush()
    return run


def _seats_by_body(records: list[Row]) -> dict[Any, tuple[dict[str, int], int, dict[int, str]]]:
    """Number each body's seats from its office records; title each seat by its first holder."""
    by_body: dict[Any, list[Row]] = defaultdict(list)
    for row in records:
        if legistar_date(row.get("OfficeRecordStartDate")):
            by_body[row.get("OfficeRecordBodyId")].append(row)
    found = {}
    for body_id, rows in by_body.items():
        spans = [
            (
                str(r.get("OfficeRecordId")),
                legistar_date(r["OfficeRecordStartDate"]),
                legistar_date(r.get("OfficeRecordEndDate")),
            )
            for r in rows
        ]
        seats, count = assign_seats(spans)  # type: ignore[arg-type]
        titles: dict[int, str] = {}
        for r in sorted(rows, key=lambda r: str(r["OfficeRecordStartDate"])):
            seat = seats[str(r.get("OfficeRecordId"))]
            titles.setdefault(seat, (r.get("OfficeRecordTitle") or "Member").strip()[:120])
        found[body_id] = (seats, count, titles)
    return found


def import_bodies(run: Run, data: LegistarData) -> None:
    """Create each body with its seats (from its office records), or find it by name."""
    seating = _seats_by_body(data.office_records)
    existing = {
        name.lower(): body_id for body_id, name in db.session.execute(sa.select(Body.id, Body.name))
    }
    for row in run.steps("Bodies", data.bodies):
        external = row.get("BodyId")
        name = (row.get("BodyName") or "").strip()[:200]
        if run.local("body", external) is not None:
            run.report.existing("body")
        elif not name:
            run.report.skip("body", external, "it has no BodyName")
        elif name.lower() in existing:
            # A body the city set up before importing: its records join it.
            run.remember("body", [(external, existing[name.lower()])], counted=False)
            run.report.existing("body")
        else:
            _, count, titles = seating.get(external, ({}, 0, {}))
            count = max(count, int(row.get("BodyNumberOfMembers") or 0), 1)
            settings = new_body_settings()
            settings.pop("seat_titles")
            if (settings.get("presiding_seat") or 0) > count:
                settings["presiding_seat"] = None
            kind = BODY_KINDS.get(str(row.get("BodyTypeName") or "").strip().lower())
            titles_list = [titles.get(n, "Member") for n in range(1, count + 1)]
            body = _create_body(name, kind or BodyKind.COMMISSION, titles_list, settings)
            existing[name.lower()] = body.id
            run.remember("body", [(external, body.id)], [row.get("BodyLastModifiedUtc")])


def _create_body(name: str, kind: BodyKind, titles: list[str], settings: dict[str, Any]) -> Any:
    """Insert a body and its seats as create_body would, audited with its fact.

    Rows are written directly (not as new ORM objects) so the import never rebuilds search
    entries one meeting at a time; `flask search reindex` indexes the imported record at once.
    """
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:70] or "body"
    slugs = set(db.session.execute(sa.select(Body.slug)).scalars())
    slug = next(
        s for n in range(1, len(slugs) + 2) if (s := base if n == 1 else f"{base}-{n}") not in slugs
    )
    values = {**settings, "name": name, "kind": kind, "seats": len(titles), "slug": slug}
    body_id = db.session.execute(sa.insert(Body).returning(Body.id), [values]).scalar_one()
    db.session.execute(
        sa.insert(Seat),
        [{"body_id": body_id, "number": n, "title": t} for n, t in enumerate(titles, 1)],
    )
    body = SimpleNamespace(id=body_id, seat_list=[SimpleNamespace(title=t) for t in titles])
    for field in BODY_FIELDS:
        setattr(body, field, values.get(field, _BODY_DEFAULTS.get(field)))
    changes = {k: [None, plain(getattr(body, k))] for k in BODY_FIELDS}
    changes["seat_titles"] = [None, titles]
    record_event(
        "body.created",
        _row("bodies", body_id),
        actor=None,
        details={"changes": changes, "source": "legistar"},
        facts=body_fact(body),  # type: ignore[arg-type]
    )
    return body


# Body columns new_body_settings leaves to the table's defaults, as the table fills them.
_BODY_DEFAULTS: dict[str, Any] = {
    "quorum_fixed": None,
    "presiding_seat": None,
    "default_location": "",
    "default_time": None,
    "accommodation_statement": "",
    "appeal_statement": "",
    "section_template": None,
    "is_unanimous_consent_allowed": True,
}


def _row(table: str, row_id: int) -> Any:
    """Return a row written directly as the object of its audit event (table and id)."""
    return type("WrittenRow", (), {"__tablename__": table, "id": row_id})()


def import_people(run: Run, rows: list[Row]) -> None:
    """Create the people Legistar names (members, sponsors)."""
    new, keys = [], []
    for row in run.steps("People", rows):
        external = row.get("PersonId")
        name = (row.get("PersonFullName") or "").strip() or " ".join(
            p for p in (row.get("PersonFirstName"), row.get("PersonLastName")) if p
        )
        if run.local("person", external) is not None or str(external) in keys:
            run.report.existing("person")
        elif not name:
            run.report.skip("person", external, "it has no PersonFullName")
        else:
            email = (row.get("PersonEmail") or "").strip()
            new.append({"name": name[:200], "email": email[:320] if "@" in email else None})
            keys.append(str(external))
    ids = run.insert(Person, new)
    run.remember("person", zip(keys, ids, strict=True))
    if ids:
        run.audit("person", {}, {"created": len(ids), "people": [p["name"] for p in new]})


def import_terms(run: Run, rows: list[Row]) -> None:
    """Seat each office record's person on its body, seats numbered in order of the records."""
    seating = _seats_by_body(rows)
    body_ids = {run.local("body", r.get("OfficeRecordBodyId")) for r in rows} - {None}
    bodies = {
        b.id: b for b in db.session.execute(sa.select(Body).where(Body.id.in_(body_ids))).scalars()
    }
    held = _held_seats(body_ids)
    new, keys = [], []
    for row in run.steps("Terms", rows):
        external = row.get("OfficeRecordId")
        body_id = run.local("body", row.get("OfficeRecordBodyId"))
        person_id = run.local("person", row.get("OfficeRecordPersonId"))
        starts = legistar_date(row.get("OfficeRecordStartDate"))
        ends = legistar_date(row.get("OfficeRecordEndDate"))
        if run.local("term", external) is not None:
            run.report.existing("term")
            continue
        problem = None
        if body_id is None:
            problem = f"its body {row.get('OfficeRecordBodyId')} was not imported"
        elif person_id is None:
            problem = f"its person {row.get('OfficeRecordPersonId')} was not imported"
        elif starts is None or (ends is not None and ends < starts):
            problem = "its start and end dates are missing or out of order"
        if problem:
            run.report.skip("term", external, problem)
            continue
        seat = seating[row.get("OfficeRecordBodyId")][0][str(external)]
        body = bodies[body_id]
        clash = _clash(held[body_id], seat, starts, ends)  # type: ignore[arg-type]
        if seat > body.seats or clash:
            why = f"seat {seat} is held then" if clash else f"the body has {body.seats} seats"
            run.report.skip("term", external, f"no free seat for it: {why}")
            continue
        held[body_id].append((seat, starts, ends))  # type: ignore[arg-type]
        title = (row.get("OfficeRecordTitle") or body.seat_list[seat - 1].title).strip()[:120]
        new.append(
            {
                "body_id": body_id,
                "person_id": person_id,
                "seat": seat,
                "title": title,
                "starts_on": starts,
                "ends_on": ends,
                "start_reason": TermStart.ELECTED,
                "end_reason": None,
            }
        )
        keys.append(str(external))
    ids = run.insert(Membership, new)
    run.remember("term", zip(keys, ids, strict=True))
    facts = {}
    for new_id, values in zip(ids, new, strict=True):
        facts |= term_fact(SimpleNamespace(id=new_id, **values))  # type: ignore[arg-type]
    if ids:
        run.audit("term", facts, {"created": len(ids)})


def _held_seats(body_ids: set[Any]) -> dict[int, list[tuple[int, date, date | None]]]:
    held: dict[int, list[tuple[int, date, date | None]]] = {b: [] for b in body_ids}
    rows = db.session.execute(
        sa.select(
            Membership.body_id, Membership.seat, Membership.starts_on, Membership.ends_on
        ).where(Membership.body_id.in_(body_ids))
    )
    for body_id, seat, starts, ends in rows:
        held[body_id].append((seat, starts, ends))
    return held


def _clash(held: list[tuple[int, date, date | None]], seat: int, start: date, end: date | None):
    return any(
        s == seat and (e is None or e >= start) and (end is None or end >= b) for s, b, e in held
    )


def import_matters(run: Run, rows: list[Row], default_type: MatterType | None) -> None:
    """File each matter under its Legistar file number; unknown types are skipped (or default)."""
    taken = set(db.session.execute(sa.select(Matter.matter_type, Matter.year, Matter.sequence)))
    files = {f.lower() for f in db.session.execute(sa.select(Matter.file_number)).scalars()}
    zones = dict(db.session.execute(sa.select(Body.id, Body.timezone)).all())
    new, keys, stamps = [], [], []
    for row in run.steps("Matters", rows):
        external = row.get("MatterId")
        kind = matter_type(row.get("MatterTypeName"), default_type)
        body_id = run.local("body", row.get("MatterBodyId"))
        file = str(row.get("MatterFile") or f"Legistar {external}").strip()[:40]
        intro = legistar_date(row.get("MatterIntroDate")) or legistar_date(
            row.get("MatterLastModifiedUtc")
        )
        if run.local("matter", external) is not None:
            run.report.existing("matter")
            continue
        problem = None
        if kind is None:
            problem = f"its type “{row.get('MatterTypeName')}” has no match (see --default-type)"
        elif body_id is None:
            problem = f"its body {row.get('MatterBodyId')} was not imported"
        elif file.lower() in files:
            problem = f"file number {file} is already used by another matter"
        elif intro is None:
            problem = "it has no MatterIntroDate"
        title = (row.get("MatterTitle") or row.get("MatterName") or "").strip()
        if problem is None and not title:
            problem = "it has no MatterTitle"
        if problem:
            run.report.skip("matter", external, problem)
            continue
        year = intro.year % 100  # type: ignore[union-attr]
        sequence = file_sequence(file)
        if sequence is None or (kind, year, sequence) in taken:
            sequence = max((s for t, y, s in taken if t == kind and y == year), default=0) + 1
        taken.add((kind, year, sequence))
        files.add(file.lower())
        filed_at = local_instant(intro, None, zones[body_id])  # type: ignore[arg-type]
        new.append(
            {
                "body_id": body_id,
                "matter_type": kind,
                "year": year,
                "sequence": sequence,
                "file_number": file,
                "title": title[:1000],
                "text": "",
                "status": matter_status(row.get("MatterStatusName")),
                "created_at": filed_at,
                "updated_at": run.now,
            }
        )
        keys.append(str(external))
        stamps.append(row.get("MatterLastModifiedUtc"))
    ids = run.insert(Matter, new)
    run.remember("matter", zip(keys, ids, strict=True), stamps)
    if ids:
        run.audit("matter", {}, {"created": len(ids), "files": [m["file_number"] for m in new]})


def import_sponsors(run: Run, rows: list[Row]) -> None:
    """Name each matter's sponsors, in Legistar's sequence."""
    ordered = sorted(rows, key=lambda r: (str(r.get("MatterSponsorMatterId")), _seq(r)))
    positions: dict[int, int] = dict(
        db.session.execute(
            sa.select(MatterSponsor.matter_id, sa.func.max(MatterSponsor.position)).group_by(
                MatterSponsor.matter_id
            )
        ).all()
    )
    pairs: set[tuple[int, int]] = set(
        db.session.execute(sa.select(MatterSponsor.matter_id, MatterSponsor.person_id)).all()
    )
    new, keys = [], []
    for row in run.steps("Sponsors", ordered):
        matter_id = run.local("matter", row.get("MatterSponsorMatterId"))
        person_id = run.local("person", row.get("MatterSponsorNameId"))
        external = row.get("MatterSponsorId") or (
            f"{row.get('MatterSponsorMatterId')}:{row.get('MatterSponsorNameId')}"
        )
        if run.local("sponsor", external) is not None:
            run.report.existing("sponsor")
        elif matter_id is None:
            run.report.skip("sponsor", external, "its matter was not imported")
        elif person_id is None:
            run.report.skip("sponsor", external, "its sponsor is not a person Legistar lists")
        elif (matter_id, person_id) in pairs:
            run.report.skip("sponsor", external, "the person already sponsors the matter")
        else:
            pairs.add((matter_id, person_id))
            positions[matter_id] = positions.get(matter_id, 0) + 1
            new.append(
                {"matter_id": matter_id, "person_id": person_id, "position": positions[matter_id]}
            )
            keys.append((external, matter_id))
    if new:
        db.session.execute(sa.insert(MatterSponsor), new)
        run.remember("sponsor", keys)  # our id of a sponsorship is its matter's
        run.audit("sponsor", {}, {"created": len(new)})


def _seq(row: Row) -> int:
    return int(row.get("MatterSponsorSequence") or 0)


def import_attachments(run: Run, rows: list[Row]) -> None:
    """Keep each attachment's link in its new matter's text; the documents are not fetched."""
    links: dict[int, list[str]] = defaultdict(list)
    keys = []
    for row in run.steps("Attachments", rows):
        external = row.get("MatterAttachmentId")
        matter = matter_of(row, "MatterAttachment")
        matter_id = run.local("matter", matter)
        link = (row.get("MatterAttachmentHyperlink") or "").strip()
        if run.local("attachment", external) is not None:
            run.report.existing("attachment")
        elif matter_id is None or not run.is_fresh("matter", matter):
            why = "not imported" if matter_id is None else "imported by an earlier run"
            run.report.skip("attachment", external, f"its matter {matter} was {why}")
        elif not link:
            run.report.skip("attachment", external, "it has no MatterAttachmentHyperlink")
        else:
            name = (row.get("MatterAttachmentName") or "Document").strip()
            links[matter_id].append(f"- [{name}]({link})")
            keys.append((external, matter_id))
    for matter_id, lines in links.items():
        text = "Documents in Legistar (not copied here):\n\n" + "\n".join(lines)
        db.session.execute(sa.update(Matter).where(Matter.id == matter_id).values(text=text))
    if keys:
        run.remember("attachment", keys)
        run.audit("attachment", {}, {"created": len(keys), "note": "links kept in matter text"})
