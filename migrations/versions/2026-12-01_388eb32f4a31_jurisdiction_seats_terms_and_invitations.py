"""A city sets itself up: the jurisdiction, seats with titles, terms' reasons, invitations.

Existing bodies get a seat row per seat, titled as its latest holder's title ("Seat N" when
nobody ever held it). A database holding the demo gets the demo's jurisdiction, marked demo,
so `flask demo remove` and then `flask setup` work on it as on a fresh demo.

Revision ID: 388eb32f4a31
Revises: a502896f722f
Create Date: 2026-12-01 00:43:55.470629

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '388eb32f4a31'
down_revision = 'a502896f722f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jurisdictions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('accommodation_statement', sa.Text(), nullable=False),
    sa.Column('appeal_statement', sa.Text(), nullable=False),
    sa.Column('rules_preset', sa.Enum('florida', 'general', name='rules_preset', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jurisdictions'))
    )
    op.create_table('seats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.CheckConstraint('number > 0', name=op.f('ck_seats_number_positive')),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_seats_body_id_bodies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seats')),
    sa.UniqueConstraint('body_id', 'number', name=op.f('uq_seats_body_id_number'))
    )
    op.create_table('one_time_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('invite', 'reset', name='link_purpose', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_one_time_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_one_time_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_links')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_one_time_links_token_sha256'))
    )
    op.create_table('user_bodies',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_user_bodies_body_id_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_bodies_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'body_id', name=op.f('pk_user_bodies'))
    )
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('commission', 'board', 'committee', name='body_kind', native_enum=False, create_constraint=True), server_default='commission', nullable=False))
        batch_op.add_column(sa.Column('default_location', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('default_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('section_template', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('default_thresholds', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_reason', sa.Enum('elected', 'appointed', 'reinstated', name='term_start', native_enum=False, create_constraint=True), server_default='elected', nullable=False))
        batch_op.add_column(sa.Column('end_reason', sa.Enum('expired', 'resigned', 'died', 'removed', 'suspended', name='term_end', native_enum=False, create_constraint=True), nullable=True))
        batch_op.create_check_constraint(op.f('ck_memberships_end_has_date'), 'end_reason IS NULL OR ends_on IS NOT NULL')

    bind = op.get_bind()
    bodies = bind.execute(sa.text("SELECT id, seats, timezone, appeal_statement, accommodation_statement, is_demo FROM bodies ORDER BY id")).all()
    for body in bodies:
        titles = {}
        for row in bind.execute(sa.text(
            "SELECT seat, title FROM memberships WHERE body_id = :b ORDER BY starts_on, id"
        ), {"b": body.id}):
            titles[row.seat] = row.title
        for number in range(1, max([body.seats, *titles]) + 1):
            bind.execute(
                sa.text("INSERT INTO seats (body_id, number, title) VALUES (:b, :n, :t)"),
                {"b": body.id, "n": number, "t": titles.get(number, f"Seat {number}")},
            )
    demo = next((b for b in bodies if b.is_demo), None)
    if demo is not None:
        bind.execute(
            sa.text(
                "INSERT INTO jurisdictions (name, timezone, address, website, accommodation_statement,"
                " appeal_statement, rules_preset, created_at, is_demo) VALUES (:name, :tz, :address,"
                " '', :acc, :appeal, 'florida', CURRENT_TIMESTAMP, :demo)"
            ),
            {"name": "City of Key West (demo)", "tz": demo.timezone,
             "address": "1300 White Street, Key West, FL 33040", "acc": demo.accommodation_statement,
             "appeal": demo.appeal_statement, "demo": True},
        )


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_memberships_end_has_date'), type_='check')
        batch_op.drop_constraint(op.f('ck_memberships_term_end'), type_='check')
        batch_op.drop_constraint(op.f('ck_memberships_term_start'), type_='check')
        batch_op.drop_column('end_reason')
        batch_op.drop_column('start_reason')

    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_bodies_body_kind'), type_='check')
        batch_op.drop_column('default_thresholds')
        batch_op.drop_column('section_template')
        batch_op.drop_column('default_time')
        batch_op.drop_column('default_location')
        batch_op.drop_column('kind')

    op.drop_table('user_bodies')
    op.drop_table('one_time_links')
    op.drop_table('seats')
    op.drop_table('jurisdictions')
