"""room directions per language: the way to a room in other languages than the property's own

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('room', sa.Column('directions_local', sa.JSON(), server_default='{}', nullable=False))


def downgrade() -> None:
    op.drop_column('room', 'directions_local')
