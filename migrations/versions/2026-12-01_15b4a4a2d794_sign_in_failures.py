"""Failed sign-ins counted in the database, where every worker and app server sees them.

Before, Flask-Limiter counted them in each worker's memory: with two workers an attacker had
18 guesses instead of 10, and guessing many accounts from one address was unlimited.

Revision ID: 15b4a4a2d794
Revises: 5b1d7c0e9a42
Create Date: 2026-12-01 06:41:51.844532

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "15b4a4a2d794"
down_revision = "5b1d7c0e9a42"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.create_index("ix_sign_in_failures_account_at", ["account", "at"], unique=False)
        batch_op.create_index("ix_sign_in_failures_address_at", ["address", "at"], unique=False)


def downgrade():
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_failures_address_at")
        batch_op.drop_index("ix_sign_in_failures_account_at")

    op.drop_table("sign_in_failures")
