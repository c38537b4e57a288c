"""back office: night audit, staff users, charges by business date and kiosk, payment review

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 22:04:30.574161
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('night_audit',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('next_business_date', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('no_shows', sa.Integer(), nullable=False),
    sa.Column('overstays', sa.Integer(), nullable=False),
    sa.Column('nights_posted', sa.Integer(), nullable=False),
    sa.Column('amount_posted', sa.BigInteger(), nullable=False),
    sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_night_audit_property_id_property')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_night_audit')),
    sa.UniqueConstraint('property_id', 'business_date', name=op.f('uq_night_audit_property_id_business_date'))
    )
    op.create_table('staff_user',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('session_key', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_staff_user_property_id_property')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('name', name=op.f('uq_staff_user_name'))
    )
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_user_property_id'), ['property_id'], unique=False)

    # Existing charges were posted when booked: their business date is taken as the arrival's
    # (the best the old rows tell). Added nullable, filled, then made NOT NULL.
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.add_column(sa.Column('business_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('kiosk_id', sa.Uuid(), nullable=True))
    op.execute(
        "UPDATE charge SET business_date = "
        "(SELECT reservation.arrival FROM reservation WHERE reservation.id = charge.reservation_id)"
    )
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.alter_column('business_date', existing_type=sa.Date(), nullable=False)
        batch_op.create_index(batch_op.f('ix_charge_business_date'), ['business_date'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_charge_kiosk_id_kiosk'), 'kiosk', ['kiosk_id'], ['id'])

    # Existing payments need no review: the defaults fill them, then the server defaults go
    # (the models set these values in Python, as everywhere else).
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_reason', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by', sa.String(length=80), nullable=False, server_default=''))
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.alter_column('review_reason', existing_type=sa.String(length=200), server_default=None)
        batch_op.alter_column('reviewed_by', existing_type=sa.String(length=80), server_default=None)



def downgrade() -> None:
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_column('reviewed_by')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('review_reason')

    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_charge_kiosk_id_kiosk'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_charge_business_date'))
        batch_op.drop_column('kiosk_id')
        batch_op.drop_column('business_date')

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_user_property_id'))

    op.drop_table('staff_user')
    op.drop_table('night_audit')
