"""The record's version: one number raised by every change the public can see.

Public pages are cached per worker under it, so a change made through any worker or app
server is seen by all of them at the next request.

Revision ID: c7d2e4f1a9b3
Revises: c3e91d5a7f20
Create Date: 2026-12-01 10:40:00.000000

"""

import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c7d2e4f1a9b3"
down_revision = "c3e91d5a7f20"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "record_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 1, "stamp": secrets.token_hex(16)}])


def downgrade():
    op.drop_table("record_version")
