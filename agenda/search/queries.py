"""The search: one interface over SQLite FTS5 and PostgreSQL full text, ranked, with snippets.

Who sees what follows the pages' own rules: a meeting's entries (its items, documents and
minutes) show when `meetings.queries.visible_to` shows the meeting, a matter's when
`matters.queries.visible_matter_ids` does; only approved minutes are indexed at all. While a
published agenda has a pending amendment, the public sees the published copy on the page,
so its live items and their documents stay out of the public's results until it is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from agenda.auth.rules import PUBLIC, Role, Viewer
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.matters.queries import visible_matter_ids
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.queries import visible_to
from agenda.search.models import FTS_TABLE, VECTORS_TABLE, SearchEntry
from agenda.search.rules import (
    KIND_LABELS,
    MARK_END,
    MARK_START,
    PAGE_SIZE,
    ParsedQuery,
    SearchKind,
    Segment,
    fts5_match,
    snippet_segments,
)

ENGLISH = sa.literal_column("'english'::regconfig")
HEADLINE = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=30, MinWords=12, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True)
class Filters:
    body_id: int | None = None
    year: int | None = None
    kind: SearchKind | None = None


@dataclass(frozen=True)
class Result:
    kind: str
    title: list[Segment]
    snippet: list[Segment]
    context: str
    path: str
    day: date | None
    is_draft: bool


@dataclass(frozen=True)
class Results:
    total: int
    results: list[Result]


def visible(viewer: Viewer) -> sa.ColumnElement[bool]:
    """Return the WHERE clause for entries a viewer may see (Meeting and Matter outer-joined)."""
    meeting_seen = sa.and_(SearchEntry.meeting_id.is_not(None), visible_to(viewer))
    if not viewer.is_staff:
        # The public page shows a published copy while an amendment is pending (see above).
        meeting_seen = sa.and_(
            meeting_seen,
            sa.or_(
                SearchEntry.kind.in_([SearchKind.MEETING, SearchKind.MINUTES]),
                Meeting.amendment_notes == "",
            ),
        )
    if viewer.is_staff:
        matter_seen: sa.ColumnElement[bool] = sa.true()
    else:
        # Each matching entry looks for one placement of its own matter (EXISTS): listing
        # every matter on every visible agenda first costs more than the search itself.
        placed = visible_matter_ids(viewer).where(AgendaItem.matter_id == SearchEntry.matter_id)
        matter_seen = placed.exists()
        if viewer.role is Role.COMMISSIONER and viewer.body_ids:
            matter_seen = sa.or_(matter_seen, Matter.body_id.in_(viewer.body_ids))
    return sa.or_(meeting_seen, sa.and_(SearchEntry.matter_id.is_not(None), matter_seen))


def _narrowed(query: sa.Select[Any], viewer: Viewer, filters: Filters) -> sa.Select[Any]:
    query = query.outerjoin(Meeting, Meeting.id == SearchEntry.meeting_id).outerjoin(
        Matter, Matter.id == SearchEntry.matter_id
    )
    query = query.where(visible(viewer))
    if filters.body_id is not None:
        query = query.where(SearchEntry.body_id == filters.body_id)
    if filters.year is not None:
        query = query.where(SearchEntry.year == filters.year)
    if filters.kind is not None:
        query = query.where(SearchEntry.kind == filters.kind)
    return query


def search(parsed: ParsedQuery, viewer: Viewer, filters: Filters, page: int = 1) -> Results:
    """Return one page of the entries matching the query that the viewer may see, best first."""
    if parsed.is_empty:
        return Results(0, [])
    if db.session.get_bind().dialect.name == "postgresql":
        match, rank, title, snippet, source = _postgres(parsed)
        order = rank.desc()
    else:
        match, rank, title, snippet, source = _sqlite(parsed)
        order = rank.asc()  # bm25: lower is better
    draft = (
        sa.literal(False)
        if viewer.role is None
        else sa.case((visible(PUBLIC), sa.false()), else_=sa.true())
    )
    count = _narrowed(sa.select(sa.func.count()).select_from(source), viewer, filters)
    total = db.session.execute(count.where(match)).scalar_one()
    if total == 0:
        return Results(0, [])
    rows = db.session.execute(
        _narrowed(
            sa.select(SearchEntry, title, snippet, draft.label("is_draft")).select_from(source),
            viewer,
            filters,
        )
        .where(match)
        .order_by(order, SearchEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return Results(
        total,
        [
            Result(
                kind=KIND_LABELS[entry.kind],
                title=snippet_segments(title_hl) or [Segment(entry.title, False)],
                snippet=snippet_segments(snip),
                context=entry.context,
                path=entry.path,
                day=entry.day,
                is_draft=bool(is_draft),
            )
            for entry, title_hl, snip, is_draft in rows
        ],
    )


def _sqlite(parsed: ParsedQuery) -> tuple[Any, ...]:
    fts = sa.table(FTS_TABLE, sa.column("rowid"))
    column = sa.literal_column(FTS_TABLE)
    source = fts.join(SearchEntry.__table__, SearchEntry.id == fts.c.rowid)
    match = column.op("MATCH")(fts5_match(parsed))
    rank = sa.func.bm25(column, 4.0, 1.0)
    title = sa.func.highlight(column, 0, MARK_START, MARK_END)
    snippet = sa.func.snippet(column, 1, MARK_START, MARK_END, " … ", 24)
    return match, rank, title, snippet, source


def _postgres(parsed: ParsedQuery) -> tuple[Any, ...]:
    vectors = sa.table(VECTORS_TABLE, sa.column("entry_id"), sa.column("document"))
    source = vectors.join(SearchEntry.__table__, SearchEntry.id == vectors.c.entry_id)
    query = sa.func.websearch_to_tsquery(ENGLISH, parsed.text)
    match = vectors.c.document.op("@@")(query)
    rank = sa.func.ts_rank(vectors.c.document, query)
    options = f'StartSel="{MARK_START}", StopSel="{MARK_END}", HighlightAll=true'
    title = sa.func.ts_headline(ENGLISH, SearchEntry.title, query, options)
    snippet = sa.func.ts_headline(ENGLISH, SearchEntry.content, query, HEADLINE)
    return match, rank, title, snippet, source
