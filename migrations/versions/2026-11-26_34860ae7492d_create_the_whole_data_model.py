"""Create the whole data model.

Bodies and their voting rules, people and seats, meetings with agenda revisions, sections
and items, attendance, matters with sponsors and history, content-addressed blobs and
attachments, motions, roll calls, ballots and corrections, minutes and their revisions,
users, API tokens and the hash-chained audit log.

Revision ID: 34860ae7492d
Revises:
Create Date: 2026-11-26 12:05:16.075190

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '34860ae7492d'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_blobs_sha256_length')),
    sa.CheckConstraint('size >= 0', name=op.f('ck_blobs_size_nonnegative')),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blobs'))
    )
    op.create_table('bodies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('quorum_rule', sa.Enum('majority_of_seats', 'two_thirds_of_seats', 'fixed_number', name='quorum_rule', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('quorum_fixed', sa.Integer(), nullable=True),
    sa.Column('abstention_policy', sa.Enum('allowed', 'conflict_only', name='abstention_policy', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('is_recused_counted_for_quorum', sa.Boolean(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('notice_hours_regular', sa.Integer(), nullable=False),
    sa.Column('notice_hours_special', sa.Integer(), nullable=False),
    sa.Column('appeal_statement', sa.Text(), nullable=False),
    sa.Column('accommodation_statement', sa.Text(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.CheckConstraint("quorum_rule != 'fixed_number' OR (quorum_fixed > 0 AND quorum_fixed <= seats)", name=op.f('ck_bodies_quorum_fixed_in_range')),
    sa.CheckConstraint('notice_hours_regular >= 0', name=op.f('ck_bodies_notice_regular_nonnegative')),
    sa.CheckConstraint('notice_hours_special >= 0', name=op.f('ck_bodies_notice_special_nonnegative')),
    sa.CheckConstraint('seats > 0', name=op.f('ck_bodies_seats_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bodies')),
    sa.UniqueConstraint('name', name=op.f('uq_bodies_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_bodies_slug'))
    )
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people'))
    )
    op.create_table('matters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('matter_type', sa.Enum('resolution', 'ordinance', 'proclamation', 'report', name='matter_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('file_number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'filed', 'on_agenda', 'adopted', 'failed', 'withdrawn', name='matter_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.CheckConstraint('sequence > 0', name=op.f('ck_matters_sequence_positive')),
    sa.CheckConstraint('year BETWEEN 0 AND 99', name=op.f('ck_matters_year_two_digits')),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_matters_body_id_bodies'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matters')),
    sa.UniqueConstraint('file_number', name=op.f('uq_matters_file_number')),
    sa.UniqueConstraint('matter_type', 'year', 'sequence', name=op.f('uq_matters_matter_type_year_sequence'))
    )
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('meeting_type', sa.Enum('regular', 'special', 'workshop', 'emergency', name='meeting_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'in_progress', 'adjourned', 'cancelled', name='meeting_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_reason', sa.Text(), nullable=True),
    sa.Column('called_to_order_at', sa.DateTime(), nullable=True),
    sa.Column('adjourned_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.CheckConstraint("status != 'cancelled' OR cancelled_reason IS NOT NULL", name=op.f('ck_meetings_cancel_has_reason')),
    sa.CheckConstraint("status NOT IN ('published', 'in_progress', 'adjourned') OR published_at IS NOT NULL", name=op.f('ck_meetings_published_has_time')),
    sa.CheckConstraint('adjourned_at IS NULL OR called_to_order_at IS NULL OR adjourned_at >= called_to_order_at', name=op.f('ck_meetings_adjourned_after_called')),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_meetings_body_id_bodies'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index('ix_meetings_body_id_scheduled_at', ['body_id', 'scheduled_at'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('seat', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_memberships_dates_ordered')),
    sa.CheckConstraint('seat > 0', name=op.f('ck_memberships_seat_positive')),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_memberships_body_id_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_memberships_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('body_id', 'seat', 'starts_on', name=op.f('uq_memberships_body_id_seat_starts_on'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('admin', 'clerk', 'commissioner', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.CheckConstraint("role != 'commissioner' OR person_id IS NOT NULL", name=op.f('ck_users_commissioner_has_person')),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lowercase')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_users_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('agenda_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('agenda_sha256', sa.String(length=64), nullable=True),
    sa.Column('packet_sha256', sa.String(length=64), nullable=True),
    sa.Column('packet_failures', sa.Text(), nullable=False),
    sa.CheckConstraint('number > 0', name=op.f('ck_agenda_revisions_number_positive')),
    sa.ForeignKeyConstraint(['agenda_sha256'], ['blobs.sha256'], name=op.f('fk_agenda_revisions_agenda_sha256_blobs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_revisions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['packet_sha256'], ['blobs.sha256'], name=op.f('fk_agenda_revisions_packet_sha256_blobs'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_revisions')),
    sa.UniqueConstraint('meeting_id', 'number', name=op.f('uq_agenda_revisions_meeting_id_number'))
    )
    op.create_table('agenda_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('is_consent', sa.Boolean(), nullable=False),
    sa.CheckConstraint('position > 0', name=op.f('ck_agenda_sections_position_positive')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_sections_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_sections')),
    sa.UniqueConstraint('meeting_id', 'position', name=op.f('uq_agenda_sections_meeting_id_position'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_api_tokens_token_sha256'))
    )
    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present', 'absent', name='attendance_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('arrived_at', sa.DateTime(), nullable=True),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status = 'present' OR (arrived_at IS NULL AND left_at IS NULL)", name=op.f('ck_attendance_absent_has_no_times')),
    sa.CheckConstraint('left_at IS NULL OR arrived_at IS NULL OR left_at > arrived_at', name=op.f('ck_attendance_left_after_arrived')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendance_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_attendance_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('meeting_id', 'person_id', name=op.f('uq_attendance_meeting_id_person_id'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=320), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=80), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('prev_sha256', sa.String(length=64), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('prev_sha256', name=op.f('uq_audit_events_prev_sha256')),
    sa.UniqueConstraint('sha256', name=op.f('uq_audit_events_sha256'))
    )
    op.create_table('matter_sponsors',
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_matter_sponsors_matter_id_matters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_matter_sponsors_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('matter_id', 'person_id', name=op.f('pk_matter_sponsors')),
    sa.UniqueConstraint('matter_id', 'position', name=op.f('uq_matter_sponsors_matter_id_position'))
    )
    op.create_table('minutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minutes_meeting_id_meetings'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_minutes_meeting_id'))
    )
    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('minutes_of_id', sa.Integer(), nullable=True),
    sa.Column('disposition', sa.Enum('adopted', 'failed', 'continued', 'tabled', 'withdrawn', 'received_and_filed', name='disposition', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('continued_to_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("disposition != 'continued' OR continued_to_id IS NOT NULL", name=op.f('ck_agenda_items_continued_has_meeting')),
    sa.CheckConstraint('position > 0', name=op.f('ck_agenda_items_position_positive')),
    sa.ForeignKeyConstraint(['continued_to_id'], ['meetings.id'], name=op.f('fk_agenda_items_continued_to_id_meetings'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_agenda_items_matter_id_matters'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['minutes_of_id'], ['meetings.id'], name=op.f('fk_agenda_items_minutes_of_id_meetings'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['section_id'], ['agenda_sections.id'], name=op.f('fk_agenda_items_section_id_agenda_sections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items')),
    sa.UniqueConstraint('section_id', 'position', name=op.f('uq_agenda_items_section_id_position'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_section_id'), ['section_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(matter_id IS NULL) != (agenda_item_id IS NULL)', name=op.f('ck_attachments_exactly_one_owner')),
    sa.CheckConstraint('page_count > 0', name=op.f('ck_attachments_page_count_positive')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_attachments_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_attachments_matter_id_matters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sha256'], ['blobs.sha256'], name=op.f('fk_attachments_sha256_blobs'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_matter_id'), ['matter_id'], unique=False)

    op.create_table('motions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('main', 'amendment', 'substitute', 'table', 'continue', 'reconsider', name='motion_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('mover_id', sa.Integer(), nullable=False),
    sa.Column('seconder_id', sa.Integer(), nullable=True),
    sa.Column('threshold', sa.Enum('majority_cast', 'majority_present', 'majority_full', 'two_thirds_present', 'two_thirds_full', 'four_fifths_full', 'unanimous_present', name='threshold', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('continued_to_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind NOT IN ('amendment', 'substitute') OR parent_id IS NOT NULL", name=op.f('ck_motions_amendment_has_parent')),
    sa.CheckConstraint('seconder_id IS NULL OR seconder_id != mover_id', name=op.f('ck_motions_seconder_not_mover')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_motions_agenda_item_id_agenda_items'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['continued_to_id'], ['meetings.id'], name=op.f('fk_motions_continued_to_id_meetings'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['mover_id'], ['people.id'], name=op.f('fk_motions_mover_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['parent_id'], ['motions.id'], name=op.f('fk_motions_parent_id_motions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['seconder_id'], ['people.id'], name=op.f('fk_motions_seconder_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_motions')),
    sa.UniqueConstraint('agenda_item_id', 'position', name=op.f('uq_motions_agenda_item_id_position'))
    )
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_motions_agenda_item_id'), ['agenda_item_id'], unique=False)

    op.create_table('matter_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('filed', 'placed_on_agenda', 'first_reading', 'second_reading', 'continued', 'tabled', 'amended', 'adopted', 'failed', 'withdrawn', name='matter_action', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('motion_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_matter_history_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_matter_history_matter_id_matters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_matter_history_meeting_id_meetings'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['motion_id'], ['motions.id'], name=op.f('fk_matter_history_motion_id_motions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matter_history'))
    )
    with op.batch_alter_table('matter_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matter_history_matter_id'), ['matter_id'], unique=False)

    op.create_table('minutes_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'approved', 'superseded', name='minutes_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('meeting_notes', sa.Text(), nullable=False),
    sa.Column('item_notes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_motion_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('record_sha256', sa.String(length=64), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.CheckConstraint("status = 'draft' OR (approved_by_motion_id IS NOT NULL AND approved_at IS NOT NULL AND record_sha256 IS NOT NULL)", name=op.f('ck_minutes_revisions_approval_complete')),
    sa.CheckConstraint('number > 0', name=op.f('ck_minutes_revisions_number_positive')),
    sa.ForeignKeyConstraint(['approved_by_motion_id'], ['motions.id'], name=op.f('fk_minutes_revisions_approved_by_motion_id_motions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_minutes_revisions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_minutes_revisions_minutes_id_minutes'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['pdf_sha256'], ['blobs.sha256'], name=op.f('fk_minutes_revisions_pdf_sha256_blobs'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_revisions')),
    sa.UniqueConstraint('minutes_id', 'number', name=op.f('uq_minutes_revisions_minutes_id_number'))
    )
    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('yes_count', sa.Integer(), nullable=False),
    sa.Column('no_count', sa.Integer(), nullable=False),
    sa.Column('abstain_count', sa.Integer(), nullable=False),
    sa.Column('recused_count', sa.Integer(), nullable=False),
    sa.Column('absent_count', sa.Integer(), nullable=False),
    sa.Column('required', sa.Integer(), nullable=False),
    sa.Column('result', sa.Enum('passed', 'failed', name='motion_result', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('required >= 0', name=op.f('ck_votes_required_nonnegative')),
    sa.CheckConstraint('yes_count >= 0 AND no_count >= 0 AND abstain_count >= 0 AND recused_count >= 0 AND absent_count >= 0', name=op.f('ck_votes_counts_nonnegative')),
    sa.ForeignKeyConstraint(['motion_id'], ['motions.id'], name=op.f('fk_votes_motion_id_motions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_votes_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('motion_id', name=op.f('uq_votes_motion_id'))
    )
    op.create_table('ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Enum('yes', 'no', 'abstain', 'recused', 'absent', name='ballot_value', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.CheckConstraint("value != 'recused' OR length(reason) > 0", name=op.f('ck_ballots_recusal_has_reason')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_ballots_person_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['vote_id'], ['votes.id'], name=op.f('fk_ballots_vote_id_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    sa.UniqueConstraint('vote_id', 'person_id', name=op.f('uq_ballots_vote_id_person_id'))
    )
    op.create_table('ballot_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('old_value', sa.Enum('yes', 'no', 'abstain', 'recused', 'absent', name='old_value', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('new_value', sa.Enum('yes', 'no', 'abstain', 'recused', 'absent', name='new_value', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('old_reason', sa.Text(), nullable=True),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('corrected_at', sa.DateTime(), nullable=False),
    sa.Column('corrected_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(why) > 0', name=op.f('ck_ballot_corrections_why_given')),
    sa.CheckConstraint('old_value != new_value', name=op.f('ck_ballot_corrections_value_changes')),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_corrections_ballot_id_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['corrected_by_id'], ['users.id'], name=op.f('fk_ballot_corrections_corrected_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_corrections'))
    )
    with op.batch_alter_table('ballot_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_corrections_ballot_id'), ['ballot_id'], unique=False)



def downgrade():
    with op.batch_alter_table('ballot_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_corrections_ballot_id'))

    op.drop_table('ballot_corrections')
    op.drop_table('ballots')
    op.drop_table('votes')
    op.drop_table('minutes_revisions')
    with op.batch_alter_table('matter_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matter_history_matter_id'))

    op.drop_table('matter_history')
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_motions_agenda_item_id'))

    op.drop_table('motions')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_matter_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_agenda_item_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_section_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_matter_id'))

    op.drop_table('agenda_items')
    op.drop_table('minutes')
    op.drop_table('matter_sponsors')
    op.drop_table('audit_events')
    op.drop_table('attendance')
    op.drop_table('api_tokens')
    op.drop_table('agenda_sections')
    op.drop_table('agenda_revisions')
    op.drop_table('users')
    op.drop_table('memberships')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_body_id_scheduled_at')

    op.drop_table('meetings')
    op.drop_table('matters')
    op.drop_table('people')
    op.drop_table('bodies')
    op.drop_table('blobs')
