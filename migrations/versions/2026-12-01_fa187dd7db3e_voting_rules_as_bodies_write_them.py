"""Voting rules as bodies write them: seats and presiding officers, abstention policies,
attendance kinds, thresholds as specifications, and the rule kept with each vote.

Every new setting starts at the value that decides exactly as before, so no recorded vote or
its tally changes: seats counted as authorized, no presiding seat, quorum counting remote
members (there were none), no departure counted, ties failing. Stored thresholds keep their
names ("majority_present" still reads as a majority of members present and not recused).
Votes recorded before this release have no snapshot (NULL): their stored explanation stands.

Revision ID: fa187dd7db3e
Revises: 388eb32f4a31
Create Date: 2026-12-01 05:07:45.086812

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fa187dd7db3e'
down_revision = '388eb32f4a31'
branch_labels = None
depends_on = None

BALLOT_VALUES = ('yes', 'no', 'abstain', 'recused', 'absent')
NEW_BALLOT_VALUES = BALLOT_VALUES + ('not_voting',)
POLICIES = ('allowed', 'conflict_only')
NEW_POLICIES = POLICIES + ('with_majority', 'as_no', 'with_consent', 'silence_as_yes')
PRESETS = ('florida', 'general')
NEW_PRESETS = ('general', 'florida', 'north_carolina', 'california', 'minnesota')
KINDS = ('main', 'amendment', 'substitute', 'table', 'continue', 'reconsider')
NEW_KINDS = KINDS + ('appeal',)
THRESHOLDS = ('majority_cast', 'majority_present', 'majority_full', 'two_thirds_present',
              'two_thirds_full', 'four_fifths_full', 'unanimous_present')


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _enum(batch_op, table, column, name, old, new):
    """Let an enum column (VARCHAR plus a named CHECK) take the values `new` instead of `old`."""
    batch_op.drop_constraint(batch_op.f(f'ck_{table}_{name}'), type_='check')
    if max(map(len, old)) != max(map(len, new)):
        batch_op.alter_column(column, existing_type=sa.String(max(map(len, old))),
                              type_=sa.String(max(map(len, new))), existing_nullable=False)
    batch_op.create_check_constraint(batch_op.f(f'ck_{table}_{name}'), _in(column, new))


def upgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_quasi_judicial', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_remote', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('is_excused', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('ballot_corrections', schema=None) as batch_op:
        _enum(batch_op, 'ballot_corrections', 'old_value', 'old_value', BALLOT_VALUES, NEW_BALLOT_VALUES)
        _enum(batch_op, 'ballot_corrections', 'new_value', 'new_value', BALLOT_VALUES, NEW_BALLOT_VALUES)

    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_excused', sa.Boolean(), server_default=sa.false(), nullable=False))
        _enum(batch_op, 'ballots', 'value', 'ballot_value', BALLOT_VALUES, NEW_BALLOT_VALUES)

    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat_base', sa.Enum('authorized', 'filled', name='seat_base', native_enum=False, create_constraint=True), server_default='authorized', nullable=False))
        batch_op.add_column(sa.Column('is_full_body_less_recused', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('presiding_seat', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('presiding_vote', sa.Enum('always', 'tie_only', 'never', name='presiding_vote', native_enum=False, create_constraint=True), server_default='always', nullable=False))
        batch_op.add_column(sa.Column('is_presiding_counted_for_quorum', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('is_presiding_seat_counted', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('is_in_person_quorum', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('is_unexcused_departure_present', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('is_tie_continued', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('rules_citation', sa.String(length=300), server_default='', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_bodies_presiding_seat_in_range'), 'presiding_seat IS NULL OR (presiding_seat > 0 AND presiding_seat <= seats)')
        batch_op.create_check_constraint(batch_op.f('ck_bodies_presiding_settings_need_seat'), "presiding_seat IS NOT NULL OR (presiding_vote = 'always' AND is_presiding_seat_counted)")
        _enum(batch_op, 'bodies', 'abstention_policy', 'abstention_policy', POLICIES, NEW_POLICIES)

    with op.batch_alter_table('jurisdictions', schema=None) as batch_op:
        _enum(batch_op, 'jurisdictions', 'rules_preset', 'rules_preset', PRESETS, NEW_PRESETS)

    with op.batch_alter_table('motions', schema=None) as batch_op:
        _enum(batch_op, 'motions', 'kind', 'motion_kind', KINDS, NEW_KINDS)
        batch_op.drop_constraint(batch_op.f('ck_motions_threshold'), type_='check')
        batch_op.alter_column('threshold', existing_type=sa.String(18), type_=sa.Text(), existing_nullable=False)

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fallback_result', sa.Enum('passed', 'failed', name='fallback_result', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('rules_snapshot', sa.JSON(), nullable=True))


def downgrade():
    # Only records this release could not make are refused: new enum values stay put and the
    # CHECK constraints below fail on them, so nothing is silently rewritten.
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_votes_fallback_result'), type_='check')
        batch_op.drop_column('rules_snapshot')
        batch_op.drop_column('fallback_result')

    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.alter_column('threshold', existing_type=sa.Text(), type_=sa.String(18), existing_nullable=False)
        batch_op.create_check_constraint(batch_op.f('ck_motions_threshold'), _in('threshold', THRESHOLDS))
        _enum(batch_op, 'motions', 'kind', 'motion_kind', NEW_KINDS, KINDS)

    with op.batch_alter_table('jurisdictions', schema=None) as batch_op:
        _enum(batch_op, 'jurisdictions', 'rules_preset', 'rules_preset', NEW_PRESETS, PRESETS)

    with op.batch_alter_table('bodies', schema=None) as batch_op:
        _enum(batch_op, 'bodies', 'abstention_policy', 'abstention_policy', NEW_POLICIES, POLICIES)
        batch_op.drop_constraint(batch_op.f('ck_bodies_presiding_settings_need_seat'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_bodies_presiding_seat_in_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_bodies_presiding_vote'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_bodies_seat_base'), type_='check')
        for column in ('rules_citation', 'is_tie_continued', 'is_unexcused_departure_present',
                       'is_in_person_quorum', 'is_presiding_seat_counted',
                       'is_presiding_counted_for_quorum', 'presiding_vote', 'presiding_seat',
                       'is_full_body_less_recused', 'seat_base'):
            batch_op.drop_column(column)

    with op.batch_alter_table('ballots', schema=None) as batch_op:
        _enum(batch_op, 'ballots', 'value', 'ballot_value', NEW_BALLOT_VALUES, BALLOT_VALUES)
        batch_op.drop_column('is_excused')

    with op.batch_alter_table('ballot_corrections', schema=None) as batch_op:
        _enum(batch_op, 'ballot_corrections', 'new_value', 'new_value', NEW_BALLOT_VALUES, BALLOT_VALUES)
        _enum(batch_op, 'ballot_corrections', 'old_value', 'old_value', NEW_BALLOT_VALUES, BALLOT_VALUES)

    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_column('is_excused')
        batch_op.drop_column('is_remote')

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('is_quasi_judicial')
