"""invoice series: gap-free invoice numbers per property, and the property's tax id

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('property', sa.Column('tax_id', sa.String(length=32), server_default='', nullable=False))
    op.create_table(
        'invoice_series',
        sa.Column('property_id', sa.Uuid(), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('last_number', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['property_id'], ['property.id']),
        sa.PrimaryKeyConstraint('property_id'),
    )
    op.create_table(
        'invoice',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('property_id', sa.Uuid(), nullable=False),
        sa.Column('reservation_id', sa.Uuid(), nullable=False),
        sa.Column('number', sa.BigInteger(), nullable=False),
        sa.Column('label', sa.String(length=40), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['property_id'], ['property.id']),
        sa.ForeignKeyConstraint(['reservation_id'], ['reservation.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('property_id', 'number'),
        sa.UniqueConstraint('reservation_id'),
    )


def downgrade() -> None:
    op.drop_table('invoice')
    op.drop_table('invoice_series')
    op.drop_column('property', 'tax_id')
