"""Several stays per member; one approval item takes up several meetings' minutes.

A member who leaves and returns has an attendance row per stay, so (meeting, person) is no
longer unique. The minutes an agenda item takes up move from agenda_items.minutes_of_id to
the agenda_item_minutes table, one row per meeting; existing links are carried over.

Revision ID: a502896f722f
Revises: 48bbd0b4bc3f
Create Date: 2026-11-30 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a502896f722f'
down_revision = '48bbd0b4bc3f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agenda_item_minutes',
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_agenda_item_minutes_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_item_minutes_meeting_id_meetings'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('agenda_item_id', 'meeting_id', name=op.f('pk_agenda_item_minutes'))
    )
    with op.batch_alter_table('agenda_item_minutes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_minutes_meeting_id'), ['meeting_id'], unique=False)

    op.execute(
        "INSERT INTO agenda_item_minutes (agenda_item_id, meeting_id) "
        "SELECT id, minutes_of_id FROM agenda_items WHERE minutes_of_id IS NOT NULL"
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agenda_items_minutes_of_id_meetings'), type_='foreignkey')
        batch_op.drop_column('minutes_of_id')

    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_attendance_meeting_id_person_id'), type_='unique')
        batch_op.create_index('ix_attendance_meeting_id_person_id', ['meeting_id', 'person_id'], unique=False)


def downgrade():
    # One row per member again: a member's stays become one, from the first arrival to the
    # last departure.
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, meeting_id, person_id, arrived_at, left_at FROM attendance ORDER BY id"
    )).all()
    stays = {}
    for row in rows:
        stays.setdefault((row.meeting_id, row.person_id), []).append(row)
    for several in stays.values():
        if len(several) < 2:
            continue
        first = min(several, key=lambda r: (r.arrived_at is not None, r.arrived_at or ''))
        last = max(several, key=lambda r: (r.left_at is None, r.left_at or ''))
        bind.execute(
            sa.text("UPDATE attendance SET arrived_at = :a, left_at = :l WHERE id = :id"),
            {"a": first.arrived_at, "l": last.left_at, "id": first.id},
        )
        for row in several:
            if row.id != first.id:
                bind.execute(sa.text("DELETE FROM attendance WHERE id = :id"), {"id": row.id})
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_meeting_id_person_id')
        batch_op.create_unique_constraint(batch_op.f('uq_attendance_meeting_id_person_id'), ['meeting_id', 'person_id'])

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_of_id', sa.INTEGER(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_agenda_items_minutes_of_id_meetings'), 'meetings', ['minutes_of_id'], ['id'], ondelete='RESTRICT')
    # An item that took up several meetings' minutes keeps the earliest meeting's.
    op.execute(
        "UPDATE agenda_items SET minutes_of_id = (SELECT MIN(meeting_id) FROM agenda_item_minutes"
        " WHERE agenda_item_minutes.agenda_item_id = agenda_items.id)"
    )
    with op.batch_alter_table('agenda_item_minutes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_minutes_meeting_id'))

    op.drop_table('agenda_item_minutes')
