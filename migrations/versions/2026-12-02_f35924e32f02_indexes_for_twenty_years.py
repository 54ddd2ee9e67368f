"""Indexes for twenty years of a city: a member's ballots, meetings by time, sponsors, outcomes.

The person page reads a member's ballots from their own index (a busy member of twenty years
has tens of thousands) and walks the meetings newest first down their agendas; the
meetings list pages by time; a member's sponsored legislation is found from the sponsor;
a ballot's roll call gives its outcome from a narrow index instead of the wide row (its
explanation and rules). Then the planner's statistics are taken: SQLite plans from them
only after ANALYZE, which it never runs by itself, and the new indexes change the best plans.

Revision ID: f35924e32f02
Revises: c7d2e4f1a9b3
Create Date: 2026-12-02 12:00:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "f35924e32f02"
down_revision = "c7d2e4f1a9b3"
branch_labels = None
depends_on = None

INDEXES = [
    ("ballots", "ix_ballots_person_id", ["person_id", "vote_id", "value"]),
    ("meetings", "ix_meetings_scheduled_at", ["scheduled_at", "id"]),
    ("matter_sponsors", "ix_matter_sponsors_person_id", ["person_id"]),
    ("votes", "ix_votes_outcome", ["id", "result", "method"]),
]


def upgrade():
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)
    op.execute("ANALYZE")


def downgrade():
    for table, name, _ in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
