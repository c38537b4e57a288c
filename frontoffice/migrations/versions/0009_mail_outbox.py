"""mail outbox: the guests' receipts and invoices waiting for the mail server

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outgoing_mail',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('reservation_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('check_in', 'check_out', name='mailkind', native_enum=False, length=16), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='mailstatus', native_enum=False, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], name=op.f('fk_outgoing_mail_property_id_property')),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservation.id'], name=op.f('fk_outgoing_mail_reservation_id_reservation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail')),
    sa.UniqueConstraint('reservation_id', 'kind', name=op.f('uq_outgoing_mail_reservation_id_kind'))
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_mail_property_id'), ['property_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_mail_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_status'))
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_property_id'))

    op.drop_table('outgoing_mail')
