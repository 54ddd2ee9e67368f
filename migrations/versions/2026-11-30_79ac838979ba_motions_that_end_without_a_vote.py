"""Motions that end without a vote, and votes carried without objection.

A motion records how it ended before any vote (withdrawn by its mover, voided by the clerk,
died for lack of a second), the reason, when and who recorded it; a vote records its method
(every existing vote is a roll call); a body says whether it takes votes by unanimous consent
(every existing body does).

Revision ID: 79ac838979ba
Revises: 5e0a7c1f2b9d
Create Date: 2026-11-30 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '79ac838979ba'
down_revision = '5e0a7c1f2b9d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_unanimous_consent_allowed', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.Enum('roll_call', 'unanimous_consent', name='vote_method', native_enum=False, create_constraint=True), server_default='roll_call', nullable=False))

    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ending', sa.Enum('withdrawn', 'voided', 'died', name='motion_ending', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('ending_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('ended_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_motions_ended_by_id_users'), 'users', ['ended_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_motions_ending_has_time'), '(ending IS NULL) = (ended_at IS NULL)')
        batch_op.create_check_constraint(batch_op.f('ck_motions_ending_has_reason'), "ending IS NULL OR ending = 'died' OR length(ending_reason) > 0")
        batch_op.create_check_constraint(batch_op.f('ck_motions_died_unseconded'), "ending IS NULL OR ending != 'died' OR seconder_id IS NULL")


def downgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_motions_died_unseconded'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_motions_ending_has_reason'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_motions_ending_has_time'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_motions_motion_ending'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_motions_ended_by_id_users'), type_='foreignkey')
        batch_op.drop_column('ended_by_id')
        batch_op.drop_column('ended_at')
        batch_op.drop_column('ending_reason')
        batch_op.drop_column('ending')

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_votes_vote_method'), type_='check')
        batch_op.drop_column('method')

    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_column('is_unanimous_consent_allowed')
