"""The search index: one row per searchable record, kept in sync by the app.

The database keeps the full-text structure over these rows with triggers made by the
migration: on SQLite an FTS5 table `search_fts` (external content, porter stemming), on
PostgreSQL a table `search_vectors` of weighted tsvectors with a GIN index. Neither is a
model; `is_index_name` tells Alembic's comparison to leave them alone. The same structures
follow the table in `create_all` and `drop_all` (the migration keeps its own copy of this SQL).
"""

from __future__ import annotations

from datetime import date
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from agenda.db import enum_type, intpk, utc_timestamp
from agenda.extensions import db
from agenda.search.rules import SearchKind

FTS_TABLE = "search_fts"
VECTORS_TABLE = "search_vectors"


def is_index_name(name: str | None) -> bool:
    """Tell whether a table is one of the database's own full-text structures (not a model)."""
    return bool(name) and (name == VECTORS_TABLE or str(name).startswith(FTS_TABLE))


class SearchEntry(db.Model):
    """A record as search sees it: its words, where it links, and whose it is."""

    __tablename__ = "search_entries"

    id: Mapped[intpk]
    # "meeting:12", "item:40", "matter:3", "minutes:12" (a meeting's), "document:7".
    key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[SearchKind] = mapped_column(enum_type(SearchKind, "search_kind"))
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id", ondelete="CASCADE"))
    # Exactly one of these says whose visibility rules apply: a meeting's or a matter's.
    meeting_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    matter_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("matters.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    attachment_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("attachments.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    day: Mapped[Optional[date]]
    title: Mapped[str] = mapped_column(sa.String(1000))
    context: Mapped[str] = mapped_column(sa.String(500), default="")
    path: Mapped[str] = mapped_column(sa.String(600))
    content: Mapped[str] = mapped_column(sa.Text, default="")
    # SHA-256 of everything above: a rebuild rewrites only the rows that changed.
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    updated_at: Mapped[utc_timestamp]

    __table_args__ = (
        sa.CheckConstraint("(meeting_id IS NULL) != (matter_id IS NULL)", name="exactly_one_owner"),
        sa.Index("ix_search_entries_body_id_year", "body_id", "year"),
    )


# On SQLite: external-content FTS5 over (title, content), porter stemming over unicode61, so
# "287(g)" is the tokens 287 and g and "resolutions" finds "resolution"; triggers keep it.
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, content, content='search_entries',"
    " content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN"
    " INSERT INTO search_fts(rowid, title, content) VALUES (new.id, new.title, new.content);"
    " END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, title, content)"
    " VALUES ('delete', old.id, old.title, old.content); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, title, content)"
    " VALUES ('delete', old.id, old.title, old.content);"
    " INSERT INTO search_fts(rowid, title, content) VALUES (new.id, new.title, new.content);"
    " END",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]
# On PostgreSQL: weighted tsvectors (titles A over text B) with a GIN index, kept by a trigger.
POSTGRES_CREATE = [
    "CREATE TABLE search_vectors (entry_id integer PRIMARY KEY"
    " REFERENCES search_entries (id) ON DELETE CASCADE, document tsvector NOT NULL)",
    "CREATE INDEX ix_search_vectors_document ON search_vectors USING gin (document)",
    """CREATE FUNCTION search_vectors_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_vectors (entry_id, document)
    VALUES (NEW.id, setweight(to_tsvector('english', NEW.title), 'A')
                    || setweight(to_tsvector('english', NEW.content), 'B'))
    ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END
$$""",
    "CREATE TRIGGER search_entries_vector AFTER INSERT OR UPDATE OF title, content"
    " ON search_entries FOR EACH ROW EXECUTE FUNCTION search_vectors_sync()",
]
POSTGRES_DROP = [
    "DROP TABLE IF EXISTS search_vectors",
    "DROP FUNCTION IF EXISTS search_vectors_sync() CASCADE",
]

for _event, _dialect, _statements in (
    ("after_create", "sqlite", SQLITE_CREATE),
    ("after_create", "postgresql", POSTGRES_CREATE),
    ("before_drop", "sqlite", SQLITE_DROP),
    ("before_drop", "postgresql", POSTGRES_DROP),
):
    for _statement in _statements:
        sa.event.listen(
            SearchEntry.__table__, _event, sa.DDL(_statement).execute_if(dialect=_dialect)
        )
