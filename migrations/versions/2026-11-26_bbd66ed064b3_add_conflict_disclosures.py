"""Add conflict disclosures.

A recusal under the Florida policy owes a written disclosure (Form 8B) within 15 days;
this table tracks it and the filed memorandum.

Revision ID: bbd66ed064b3
Revises: 34860ae7492d
Create Date: 2026-11-26 12:39:33.397495

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bbd66ed064b3'
down_revision = '34860ae7492d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('disclosures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('conflict', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('filed_at', sa.DateTime(), nullable=True),
    sa.Column('memorandum_sha256', sa.String(length=64), nullable=True),
    sa.Column('memorandum_filename', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(filed_at IS NULL) = (memorandum_sha256 IS NULL)', name=op.f('ck_disclosures_filed_has_memorandum')),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_disclosures_ballot_id_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_disclosures_meeting_id_meetings'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['memorandum_sha256'], ['blobs.sha256'], name=op.f('fk_disclosures_memorandum_sha256_blobs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_disclosures_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosures')),
    sa.UniqueConstraint('ballot_id', name=op.f('uq_disclosures_ballot_id'))
    )
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosures_meeting_id'), ['meeting_id'], unique=False)



def downgrade():
    with op.batch_alter_table('disclosures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disclosures_meeting_id'))

    op.drop_table('disclosures')
