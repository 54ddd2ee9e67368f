"""Pending agenda amendments, revision snapshots, and what commissioners last opened.

A published agenda's edits collect in meetings.amendment_notes until the clerk publishes
them as one revision; each revision keeps a JSON snapshot of the agenda it published;
agenda_views remembers the revision a commissioner last opened of each meeting.

Revision ID: 48bbd0b4bc3f
Revises: 79ac838979ba
Create Date: 2026-11-30 21:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '48bbd0b4bc3f'
down_revision = '79ac838979ba'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amendment_notes', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('agenda_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))

    op.create_table('agenda_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('revision_number >= 0', name=op.f('ck_agenda_views_revision_number_not_negative')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_views_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agenda_views_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_views')),
    sa.UniqueConstraint('user_id', 'meeting_id', name=op.f('uq_agenda_views_user_id_meeting_id'))
    )
    with op.batch_alter_table('agenda_views', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_views_meeting_id'), ['meeting_id'], unique=False)


def downgrade():
    with op.batch_alter_table('agenda_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_views_meeting_id'))

    op.drop_table('agenda_views')

    with op.batch_alter_table('agenda_revisions', schema=None) as batch_op:
        batch_op.drop_column('snapshot')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('amendment_notes')
