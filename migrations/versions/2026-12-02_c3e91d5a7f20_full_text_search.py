"""Full-text search: the words of every attachment, an index of the record, and its full-text
structure (SQLite FTS5, PostgreSQL tsvector with GIN), kept in sync by triggers.

Schema only: `flask --app agenda search reindex` reads the words of the documents already
stored and fills the index (the app keeps it current from then on).

Revision ID: c3e91d5a7f20
Revises: 15b4a4a2d794
Create Date: 2026-12-02 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c3e91d5a7f20"
down_revision = "15b4a4a2d794"
branch_labels = None
depends_on = None

# External-content FTS5 over search_entries(title, content); porter stemming over unicode61,
# so "287(g)" is the tokens 287 and g, and "resolutions" finds "resolution".
SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, content, content='search_entries',"
    " content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN"
    " INSERT INTO search_fts(rowid, title, content) VALUES (new.id, new.title, new.content); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, title, content)"
    " VALUES ('delete', old.id, old.title, old.content); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, title, content)"
    " VALUES ('delete', old.id, old.title, old.content);"
    " INSERT INTO search_fts(rowid, title, content) VALUES (new.id, new.title, new.content); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_entries_au",
    "DROP TRIGGER IF EXISTS search_entries_ad",
    "DROP TRIGGER IF EXISTS search_entries_ai",
    "DROP TABLE IF EXISTS search_fts",
]
# Titles weigh more than text (A over B); the GIN index answers websearch_to_tsquery.
POSTGRES_UP = [
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
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS search_entries_vector ON search_entries",
    "DROP FUNCTION IF EXISTS search_vectors_sync()",
    "DROP TABLE IF EXISTS search_vectors",
]


def upgrade():
    with op.batch_alter_table("blobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text", sa.Text(), nullable=True))

    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "meeting", "item", "matter", "minutes", "document",
                name="search_kind", native_enum=False, create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("matter_id", sa.Integer(), nullable=True),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("context", sa.String(length=500), nullable=False),
        sa.Column("path", sa.String(length=600), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(meeting_id IS NULL) != (matter_id IS NULL)",
            name=op.f("ck_search_entries_exactly_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"], ["agenda_items.id"],
            name=op.f("fk_search_entries_agenda_item_id_agenda_items"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"], ["attachments.id"],
            name=op.f("fk_search_entries_attachment_id_attachments"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"],
            name=op.f("fk_search_entries_body_id_bodies"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["matter_id"], ["matters.id"],
            name=op.f("fk_search_entries_matter_id_matters"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"],
            name=op.f("fk_search_entries_meeting_id_meetings"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint("key", name=op.f("uq_search_entries_key")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_entries_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_search_entries_attachment_id"), ["attachment_id"], unique=False
        )
        batch_op.create_index("ix_search_entries_body_id_year", ["body_id", "year"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entries_matter_id"), ["matter_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_search_entries_meeting_id"), ["meeting_id"], unique=False
        )

    statements = SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP
    for statement in statements:
        op.execute(statement)


def downgrade():
    statements = SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN
    for statement in statements:
        op.execute(statement)

    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_entries_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_search_entries_matter_id"))
        batch_op.drop_index("ix_search_entries_body_id_year")
        batch_op.drop_index(batch_op.f("ix_search_entries_attachment_id"))
        batch_op.drop_index(batch_op.f("ix_search_entries_agenda_item_id"))

    op.drop_table("search_entries")
    with op.batch_alter_table("blobs", schema=None) as batch_op:
        batch_op.drop_column("text")
