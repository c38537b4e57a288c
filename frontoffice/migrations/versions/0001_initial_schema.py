"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 21:39:09.869712
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('property',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=400), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('check_in_time', sa.Time(), nullable=False),
    sa.Column('check_out_time', sa.Time(), nullable=False),
    sa.Column('service_rate_bp', sa.Integer(), nullable=False),
    sa.Column('tax_rate_bp', sa.Integer(), nullable=False),
    sa.Column('wifi_ssid', sa.String(length=64), nullable=False),
    sa.Column('wifi_password', sa.String(length=64), nullable=False),
    sa.Column('breakfast_hours', sa.String(length=64), nullable=False),
    sa.Column('qr_secret', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_property')),
    sa.UniqueConstraint('code', name=op.f('uq_property_code'))
    )
    op.create_table('change_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_change_log_property_id_property')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_log'))
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_log_property_id'), ['property_id'], unique=False)

    op.create_table('guest',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('surname', sa.String(length=120), nullable=False),
    sa.Column('given_names', sa.String(length=160), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('nationality', sa.String(length=3), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_guest_property_id_property')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guest'))
    )
    with op.batch_alter_table('guest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guest_birth_date'), ['birth_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_guest_property_id'), ['property_id'], unique=False)

    op.create_table('kiosk',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('app_version', sa.String(length=32), nullable=False),
    sa.Column('outbox_depth', sa.Integer(), nullable=False),
    sa.Column('last_sync_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('devices', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_kiosk_property_id_property')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk')),
    sa.UniqueConstraint('property_id', 'name', name=op.f('uq_kiosk_property_id_name')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_kiosk_token_hash'))
    )
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_property_id'), ['property_id'], unique=False)

    op.create_table('room_type',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('bed', sa.String(length=64), nullable=False),
    sa.Column('size_m2', sa.Integer(), nullable=False),
    sa.Column('max_adults', sa.Integer(), nullable=False),
    sa.Column('max_children', sa.Integer(), nullable=False),
    sa.Column('base_rate', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_room_type_property_id_property')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_type')),
    sa.UniqueConstraint('property_id', 'code', name=op.f('uq_room_type_property_id_code'))
    )
    with op.batch_alter_table('room_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_type_property_id'), ['property_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('kiosk_id', sa.Uuid(), nullable=True),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_audit_event_kiosk_id_kiosk')),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_audit_event_property_id_property')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_property_id'), ['property_id'], unique=False)

    op.create_table('dead_letter',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kiosk_id', sa.Uuid(), nullable=False),
    sa.Column('op_id', sa.String(length=80), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('type', sa.String(length=48), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('reason', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_dead_letter_kiosk_id_kiosk')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dead_letter'))
    )
    with op.batch_alter_table('dead_letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dead_letter_kiosk_id'), ['kiosk_id'], unique=False)

    op.create_table('kiosk_heartbeat',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kiosk_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('app_version', sa.String(length=32), nullable=False),
    sa.Column('outbox_depth', sa.Integer(), nullable=False),
    sa.Column('last_sync_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('devices', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_kiosk_heartbeat_kiosk_id_kiosk')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_heartbeat'))
    )
    with op.batch_alter_table('kiosk_heartbeat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_heartbeat_kiosk_id'), ['kiosk_id'], unique=False)

    op.create_table('processed_op',
    sa.Column('kiosk_id', sa.Uuid(), nullable=False),
    sa.Column('op_id', sa.String(length=80), nullable=False),
    sa.Column('type', sa.String(length=48), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_processed_op_kiosk_id_kiosk')),
    sa.PrimaryKeyConstraint('kiosk_id', 'op_id', name=op.f('pk_processed_op'))
    )
    op.create_table('rate',
    sa.Column('room_type_id', sa.Uuid(), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['room_type_id'], ['room_type.id'], name=op.f('fk_rate_room_type_id_room_type')),
    sa.PrimaryKeyConstraint('room_type_id', 'night', name=op.f('pk_rate'))
    )
    op.create_table('room',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('room_type_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('floor', sa.Integer(), nullable=False),
    sa.Column('directions', sa.String(length=200), nullable=False),
    sa.Column('occupancy', sa.Enum('vacant', 'occupied', name='occupancy', native_enum=False, length=16), nullable=False),
    sa.Column('housekeeping', sa.Enum('clean', 'dirty', 'inspected', 'out_of_order', name='housekeeping', native_enum=False, length=16), nullable=False),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_room_property_id_property')),
    sa.ForeignKeyConstraint(['room_type_id'], ['room_type.id'], name=op.f('fk_room_room_type_id_room_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room')),
    sa.UniqueConstraint('property_id', 'number', name=op.f('uq_room_property_id_number'))
    )
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_property_id'), ['property_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_room_type_id'), ['room_type_id'], unique=False)

    op.create_table('reservation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('confirmation_code', sa.String(length=16), nullable=False),
    sa.Column('status', sa.Enum('confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show', name='reservationstatus', native_enum=False, length=16), nullable=False),
    sa.Column('arrival', sa.Date(), nullable=False),
    sa.Column('departure', sa.Date(), nullable=False),
    sa.Column('adults', sa.Integer(), nullable=False),
    sa.Column('children', sa.Integer(), nullable=False),
    sa.Column('room_type_id', sa.Uuid(), nullable=False),
    sa.Column('room_id', sa.Uuid(), nullable=True),
    sa.Column('guest_id', sa.Uuid(), nullable=False),
    sa.Column('deposit_amount', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('terms_version', sa.String(length=32), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by', sa.String(length=80), nullable=False),
    sa.Column('checked_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['guest_id'], ['guest.id'], name=op.f('fk_reservation_guest_id_guest')),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_reservation_property_id_property')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_reservation_room_id_room')),
    sa.ForeignKeyConstraint(['room_type_id'], ['room_type.id'], name=op.f('fk_reservation_room_type_id_room_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reservation'))
    )
    with op.batch_alter_table('reservation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reservation_arrival'), ['arrival'], unique=False)
        batch_op.create_index(batch_op.f('ix_reservation_confirmation_code'), ['confirmation_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_reservation_departure'), ['departure'], unique=False)
        batch_op.create_index(batch_op.f('ix_reservation_guest_id'), ['guest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reservation_property_id'), ['property_id'], unique=False)

    op.create_table('assistance_request',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('kiosk_id', sa.Uuid(), nullable=False),
    sa.Column('screen', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('reservation_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_assistance_request_kiosk_id_kiosk')),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_assistance_request_property_id_property')),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservation.id'], name=op.f('fk_assistance_request_reservation_id_reservation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistance_request'))
    )
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assistance_request_property_id'), ['property_id'], unique=False)

    op.create_table('charge',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('reservation_id', sa.Uuid(), nullable=False),
    sa.Column('type', sa.Enum('room', 'service', 'tax', 'extra', name='chargetype', native_enum=False, length=16), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('night', sa.Date(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservation.id'], name=op.f('fk_charge_reservation_id_reservation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charge'))
    )
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charge_reservation_id'), ['reservation_id'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('reservation_id', sa.Uuid(), nullable=False),
    sa.Column('kiosk_id', sa.Uuid(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.Enum('sale', 'preauth', 'capture', 'refund', name='paymentkind', native_enum=False, length=16), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('card_brand', sa.String(length=32), nullable=False),
    sa.Column('masked_pan', sa.String(length=32), nullable=False),
    sa.Column('auth_code', sa.String(length=16), nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('terminal_ref', sa.String(length=32), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_payment_kiosk_id_kiosk')),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservation.id'], name=op.f('fk_payment_reservation_id_reservation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
    sa.UniqueConstraint('kiosk_id', 'idempotency_key', name=op.f('uq_payment_kiosk_id_idempotency_key'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_business_date'), ['business_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_reservation_id'), ['reservation_id'], unique=False)

    op.create_table('room_night',
    sa.Column('room_id', sa.Uuid(), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('reservation_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservation.id'], name=op.f('fk_room_night_reservation_id_reservation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_room_night_room_id_room')),
    sa.PrimaryKeyConstraint('room_id', 'night', name=op.f('pk_room_night'))
    )
    with op.batch_alter_table('room_night', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_night_reservation_id'), ['reservation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('room_night', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_night_reservation_id'))

    op.drop_table('room_night')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_reservation_id'))
        batch_op.drop_index(batch_op.f('ix_payment_business_date'))

    op.drop_table('payment')
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_charge_reservation_id'))

    op.drop_table('charge')
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assistance_request_property_id'))

    op.drop_table('assistance_request')
    with op.batch_alter_table('reservation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reservation_property_id'))
        batch_op.drop_index(batch_op.f('ix_reservation_guest_id'))
        batch_op.drop_index(batch_op.f('ix_reservation_departure'))
        batch_op.drop_index(batch_op.f('ix_reservation_confirmation_code'))
        batch_op.drop_index(batch_op.f('ix_reservation_arrival'))

    op.drop_table('reservation')
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_room_type_id'))
        batch_op.drop_index(batch_op.f('ix_room_property_id'))

    op.drop_table('room')
    op.drop_table('rate')
    op.drop_table('processed_op')
    with op.batch_alter_table('kiosk_heartbeat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_heartbeat_kiosk_id'))

    op.drop_table('kiosk_heartbeat')
    with op.batch_alter_table('dead_letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dead_letter_kiosk_id'))

    op.drop_table('dead_letter')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_property_id'))

    op.drop_table('audit_event')
    with op.batch_alter_table('room_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_type_property_id'))

    op.drop_table('room_type')
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_property_id'))

    op.drop_table('kiosk')
    with op.batch_alter_table('guest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guest_property_id'))
        batch_op.drop_index(batch_op.f('ix_guest_birth_date'))

    op.drop_table('guest')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_log_property_id'))

    op.drop_table('change_log')
    op.drop_table('property')
