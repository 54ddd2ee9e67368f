"""`flask demo generate`: years of a synthetic city, written in bulk and sealed in the record.

Everything generated is demo (its bodies, people, meetings and matters are marked so and every
other row hangs from them), so `flask demo remove` takes it away. It runs only on a database
that holds no real (non-demo) body, person, meeting or matter, and only once: a second run is
refused until `demo remove`. Rows are written with SQLAlchemy Core inserts of lists, and their
facts are then recorded in the audit chain in events of a few thousand facts each, exactly as
the areas state them for `flask verify` (the same way `demo load` seals its bodies).

Printing every agenda and minutes with WeasyPrint would take most of an hour for 20 years, so
a generated published agenda and approved minutes are stored as a short text print made with
pikepdf (marked as a generated print), and packets are not stored: `packet.pdf` of a generated
meeting is built when asked for.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.audit.operations import record_event
from agenda.audit.verify import fact_sources, replay_chain, uncovered
from agenda.bodies.models import Body, Jurisdiction, Membership, Person, Seat
from agenda.bodies.rules import AbstentionPolicy, BodyKind, RulesPreset
from agenda.db import utcnow
from agenda.demo.pdfs import agenda_print, minutes_print, text_pdf
from agenda.demo.plan import CityPlan
from agenda.demo.synthetic import BODIES, LOCATION, SLUG_PREFIX, TZ, plan_meetings, plan_terms
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.snapshot import agenda_snapshot
from agenda.minutes.models import MinutesRevision
from agenda.minutes.record import meeting_record
from agenda.minutes.rules import record_digest
from agenda.search.index import rebuild
from agenda.votes.models import Motion, Vote
from agenda.votes.operations import voting_rules

T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterable[T]]
CHUNK = 5000
ROWS_PER_WRITE = 60000
FACTS_PER_EVENT = 2000


class GenerateRefused(Exception):
    """The database is not one the generator may write into; nothing was written."""


@dataclass
class Summary:
    counts: Counter[str] = field(default_factory=Counter)
    first_year: int = 0
    last_year: int = 0
    events: int = 0


def refusal() -> str | None:
    """Return why this database may not take generated data, or None when it may."""
    generated = db.session.execute(
        sa.select(sa.func.count(Body.id)).where(Body.slug.startswith(SLUG_PREFIX))
    ).scalar_one()
    if generated:
        return "Generated data is already here; run `flask demo remove` first to generate again."
    for model in (Body, Person, Meeting, Matter):
        real = db.session.execute(
            sa.select(sa.func.count(model.id)).where(model.is_demo.is_(False))
        ).scalar_one()
        if real:
            return (
                f"This database holds real records ({real} {model.__tablename__} not marked "
                "demo); the generator writes only into an empty or demo-only database."
            )
    return None


def generate_city(
    years: int, seed: int, *, today: date, progress: Progress[Any] | None = None
) -> Summary:
    """Write `years` calendar years of a city ending last year; flushes, never commits."""
    problem = refusal()
    if problem is not None:
        raise GenerateRefused(problem)
    rng = random.Random(seed)  # noqa: S311 (made-up data, reproducible by its seed)
    first_year = today.year - years
    start, end = date(first_year, 1, 1), date(today.year - 1, 12, 31)
    if db.session.execute(sa.select(Jurisdiction.id)).first() is None:
        db.session.add(
            Jurisdiction(
                name="Harbor City (demo)",
                timezone=str(TZ),
                rules_preset=RulesPreset.FLORIDA,
                is_demo=True,
            )
        )
    bodies, names, terms = _bodies(start, end, rng)
    writer = Writer()
    city = CityPlan(
        bodies=[(b.id, voting_rules(b), b.default_thresholds) for b in bodies],
        terms=terms,
        names=names,
        meetings=plan_meetings(first_year, years, rng),
        rng=rng,
        writer=writer,
        make_pdf=text_pdf,
        existing_blobs=set(db.session.execute(sa.text("SELECT sha256 FROM blobs")).scalars()),
        sequences=_sequences(),
    )
    wrap = progress or (lambda items, length, label: items)
    for _ in wrap(city.batches(), city.batch_count, "Meetings"):
        if writer.size > ROWS_PER_WRITE:
            writer.write()
    writer.write()
    writer.finish_sequences()
    _statuses(city)
    _settle(city, wrap)
    summary = Summary(writer.counts, first_year, end.year)
    summary.counts["people"] = len(names)
    summary.counts["memberships"] = sum(len(t) for t in terms.values())
    summary.events = _seal(seed, years)
    summary.counts["search_entries"] = _index(wrap)
    # A bulk load changes the tables' shape at once: the planner's statistics follow it now
    # (SQLite never gathers them by itself; PostgreSQL's autovacuum would, later).
    db.session.execute(sa.text("ANALYZE"))
    return summary


def _bodies(
    start: date, end: date, rng: random.Random
) -> tuple[list[Body], dict[int, str], dict[int, list[Membership]]]:
    """Create the bodies, their seats, people and terms (a few hundred rows: plain ORM)."""
    bodies: list[Body] = []
    names: dict[int, str] = {}
    terms: dict[int, list[Membership]] = {}
    for plan in BODIES:
        body = Body(
            name=plan.name,
            slug=plan.slug,
            kind=plan.kind,
            seats=len(plan.titles),
            presiding_seat=plan.presiding_seat,
            abstention_policy=(
                AbstentionPolicy.CONFLICT_ONLY
                if plan.kind is BodyKind.COMMISSION
                else AbstentionPolicy.ALLOWED
            ),
            timezone=str(TZ),
            default_location=LOCATION,
            is_demo=True,
            seat_list=[Seat(number=n, title=t) for n, t in enumerate(plan.titles, start=1)],
        )
        db.session.add(body)
        people: list[str] = []
        planned = plan_terms(plan, start, end, rng, people)
        persons = [Person(name=name, is_demo=True) for name in people]
        db.session.add_all(persons)
        rows = [
            Membership(
                body=body,
                person=persons[t.person],
                seat=t.seat,
                title=plan.titles[t.seat - 1],
                starts_on=t.starts_on,
                ends_on=t.ends_on,
                start_reason=t.start_reason,
                end_reason=t.end_reason,
            )
            for t in planned
        ]
        db.session.add_all(rows)
        db.session.flush()
        bodies.append(body)
        names |= {p.id: p.name for p in persons}
        terms[body.id] = rows
    return bodies, names, terms


class Writer:
    """Rows by table with ids given here, inserted in foreign-key order with Core executemany."""

    def __init__(self) -> None:
        self.tables = {t.name: t for t in db.metadata.sorted_tables}
        self.next_ids: dict[str, int] = {}
        self.counts: Counter[str] = Counter()
        self.pending: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.size = 0
        self.last: dict[str, Any] = {}

    def add(self, table: str, **row: Any) -> int:
        """Queue a row; return its id (tables with an `id` column) or 0."""
        if "id" in self.tables[table].c and "id" not in row:
            if table not in self.next_ids:
                self.next_ids[table] = _first_free_id(self.tables[table])
            row["id"] = self.next_ids[table]
            self.next_ids[table] += 1
        self.pending[table].append(row)
        self.size += 1
        self.last = row
        return row.get("id", 0)

    def write(self) -> None:
        """Insert every queued row, parents before children."""
        for name, table in self.tables.items():
            rows = self.pending.pop(name, [])
            for start in range(0, len(rows), CHUNK):
                db.session.execute(sa.insert(table), rows[start : start + CHUNK])
            self.counts[name] += len(rows)
        self.size = 0

    def finish_sequences(self) -> None:
        """On PostgreSQL, move each sequence past the ids given here (SQLite follows by itself)."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for name, next_id in self.next_ids.items():
            db.session.execute(
                sa.text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                {"t": name, "v": next_id - 1},
            )


def _first_free_id(table: sa.Table) -> int:
    """Return an id no row has had: past the highest row and past the table's counter."""
    top = db.session.execute(sa.select(sa.func.max(table.c.id))).scalar_one() or 0
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        counter = db.session.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id'))"), {"t": table.name}
        ).scalar_one()
        return max(top + 1, counter)
    seq = db.session.execute(
        sa.text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table.name}
    ).scalar_one_or_none()
    return max(top, seq or 0) + 1


def _sequences() -> dict[tuple[str, int], int]:
    """Return the highest file number in use by type and year, so new ones follow them."""
    rows = db.session.execute(
        sa.select(Matter.matter_type, Matter.year, sa.func.max(Matter.sequence)).group_by(
            Matter.matter_type, Matter.year
        )
    ).all()
    return {(str(kind), year): top for kind, year, top in rows}


def _statuses(city: CityPlan) -> None:
    """Set each matter's status as its history ended (matters are written as filed)."""
    matters = db.metadata.tables["matters"]
    by_status: dict[Any, list[int]] = defaultdict(list)
    for matter_id, status in city.matter_status.items():
        by_status[status].append(matter_id)
    for status, ids in by_status.items():
        for start in range(0, len(ids), 500):
            db.session.execute(
                sa.update(matters)
                .where(matters.c.id.in_(ids[start : start + 500]))
                .values(status=status)
            )


def _meetings_loaded(ids: list[int]) -> Iterator[Meeting]:
    """Load meetings with all their minutes and snapshots read, in a fixed number of queries."""
    motions = selectinload(AgendaSection.items).selectinload(AgendaItem.motions)
    items = selectinload(Meeting.sections).selectinload(AgendaSection.items)
    query = (
        sa.select(Meeting)
        .where(Meeting.id.in_(ids))
        .options(
            selectinload(Meeting.body),
            selectinload(Meeting.attendance),
            selectinload(Meeting.revisions),
            items.selectinload(AgendaItem.matter).selectinload(Matter.attachments),
            items.selectinload(AgendaItem.minutes_of),
            items.selectinload(AgendaItem.attachments),
            selectinload(Meeting.sections).options(
                motions.selectinload(Motion.vote).selectinload(Vote.ballots),
                motions.selectinload(Motion.consent_items),
            ),
        )
    )
    yield from db.session.execute(query).scalars()


def _settle(city: CityPlan, wrap: Progress[Any]) -> None:
    """Fill what only the finished record gives: agenda snapshots and approved minutes' digests."""
    ids = sorted(city.meeting_ids)
    batches = [ids[i : i + 50] for i in range(0, len(ids), 50)]
    revisions = db.metadata.tables["agenda_revisions"]
    minutes = db.metadata.tables["minutes_revisions"]
    blobs = Writer()
    for batch in wrap(batches, len(batches), "Snapshots, digests, prints"):
        snapshot_rows: list[dict[str, Any]] = []
        digest_rows: list[dict[str, Any]] = []
        for meeting in _meetings_loaded(batch):
            snapshot = agenda_snapshot(meeting)
            for revision in meeting.revisions:
                snap = city.snapshot_for(revision.number, snapshot, meeting.id)
                pdf = _store(blobs, agenda_print(meeting, revision.number, snap))
                snapshot_rows.append({"rid": revision.id, "snap": snap, "pdf": pdf})
            approved = city.minutes_revision.get(meeting.id)
            if approved is not None:
                revision = db.session.get(MinutesRevision, approved)
                record = meeting_record(meeting, revision)
                pdf = _store(blobs, minutes_print(meeting, record, city.names))
                digest_rows.append({"rid": approved, "digest": record_digest(record), "pdf": pdf})
        blobs.write()
        if snapshot_rows:
            db.session.execute(
                sa.update(revisions)
                .where(revisions.c.id == sa.bindparam("rid"))
                .values(snapshot=sa.bindparam("snap"), agenda_sha256=sa.bindparam("pdf")),
                snapshot_rows,
            )
        if digest_rows:
            db.session.execute(
                sa.update(minutes)
                .where(minutes.c.id == sa.bindparam("rid"))
                .values(record_sha256=sa.bindparam("digest"), pdf_sha256=sa.bindparam("pdf")),
                digest_rows,
            )
        db.session.expunge_all()


def _index(wrap: Progress[Any]) -> int:
    """Read the generated documents' words and fill the search index; return its entries."""
    bars: dict[str, Iterator[Any]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = iter(wrap(range(total), total, f"Search index ({stage})"))
        next(bars[stage], None)
        if done == total:
            for _ in bars.pop(stage):  # let the bar finish and close
                pass

    _, count = rebuild(db.session, progress)
    return count


def _store(blobs: Writer, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    blobs.add("blobs", sha256=digest, size=len(data), content_type="application/pdf", data=data,
              created_at=utcnow())  # fmt: skip
    return digest


class _Generated:
    """The generated city as the object of its audit events."""

    __tablename__ = "demo"

    def __init__(self, seed: int) -> None:
        self.id = f"generate:{seed}"


def _seal(seed: int, years: int) -> int:
    """Record the facts of everything written, a few thousand facts to an event."""
    facts = uncovered(fact_sources(), replay_chain())
    keys = sorted(facts)
    parts = [keys[i : i + FACTS_PER_EVENT] for i in range(0, len(keys), FACTS_PER_EVENT)]
    for n, part in enumerate(parts, start=1):
        record_event(
            "demo.generate",
            _Generated(seed),
            actor=None,
            details={"years": years, "seed": seed, "part": n, "parts": len(parts)},
            facts={key: facts[key] for key in part},
        )
    db.session.expunge_all()
    return len(parts)
