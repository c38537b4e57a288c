"""refused kiosk calls: when and why the server last refused a kiosk it could identify

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('kiosk') as batch_op:
        batch_op.add_column(sa.Column('refused_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('refused_reason', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('refused_count', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('kiosk') as batch_op:
        batch_op.drop_column('refused_count')
        batch_op.drop_column('refused_reason')
        batch_op.drop_column('refused_at')
