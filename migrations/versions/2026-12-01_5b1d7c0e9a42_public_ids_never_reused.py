"""Ids that appear in public addresses are never reused: SQLite AUTOINCREMENT on meetings,
bodies, people, matters and attachments.

Without it SQLite gives the id of the newest deleted row to the next row, so an old link to a
removed attachment could later serve another document. The tables are rebuilt with their rows
unchanged, and each table's counter starts after the highest id it ever gave out, as the audit
log remembers them (a row deleted before this release left its id there). PostgreSQL's
sequences never reuse ids: nothing changes there.

Revision ID: 5b1d7c0e9a42
Revises: fa187dd7db3e
Create Date: 2026-12-01 06:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1d7c0e9a42'
down_revision = 'fa187dd7db3e'
branch_labels = None
depends_on = None

TABLES = ('bodies', 'people', 'meetings', 'matters', 'attachments')


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate='always',
                                  table_kwargs={'sqlite_autoincrement': True}):
            pass
        highest = bind.execute(sa.text(f'SELECT max(id) FROM {table}')).scalar() or 0
        for (object_id,) in bind.execute(sa.text(
            'SELECT DISTINCT object_id FROM audit_events WHERE object_type = :t'
        ), {'t': table}):
            if str(object_id).isdigit():
                highest = max(highest, int(object_id))
        bind.execute(sa.text('DELETE FROM sqlite_sequence WHERE name = :t'), {'t': table})
        bind.execute(sa.text('INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :n)'),
                     {'t': table, 'n': highest})


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate='always',
                                  table_kwargs={'sqlite_autoincrement': False}):
            pass
