"""Add one-time form keys and consent agenda votes.

A form submitted twice (browser Back and submit, a replayed POST) must act once: the first
submission stores its key with the page it led to, in the same transaction as its action.

One motion and one roll call adopt every item of a consent section; the motion keeps the
items it covered, and an item pulled from consent at the meeting says when and why.

Revision ID: 5e0a7c1f2b9d
Revises: bbd66ed064b3
Create Date: 2026-11-30 21:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e0a7c1f2b9d'
down_revision = 'bbd66ed064b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_keys',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('result_url', sa.String(length=2000), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_keys_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_form_keys'))
    )
    op.create_table('motion_consent_items',
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_motion_consent_items_agenda_item_id_agenda_items'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['motion_id'], ['motions.id'], name=op.f('fk_motion_consent_items_motion_id_motions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('motion_id', 'agenda_item_id', name=op.f('pk_motion_consent_items'))
    )
    with op.batch_alter_table('motion_consent_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_motion_consent_items_agenda_item_id'), ['agenda_item_id'], unique=False)
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pulled_from_consent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('pulled_note', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('pulled_note')
        batch_op.drop_column('pulled_from_consent_at')
    with op.batch_alter_table('motion_consent_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_motion_consent_items_agenda_item_id'))
    op.drop_table('motion_consent_items')
    op.drop_table('form_keys')
