"""identity rejected: the desk's "does not match" flags the stay; help requests the server raises

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reservation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_rejected_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('identity_rejected_by', sa.String(length=80), nullable=False, server_default='')
        )
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.alter_column('kiosk_id', existing_type=sa.Uuid(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.alter_column('kiosk_id', existing_type=sa.Uuid(), nullable=False)
    with op.batch_alter_table('reservation', schema=None) as batch_op:
        batch_op.drop_column('identity_rejected_by')
        batch_op.drop_column('identity_rejected_at')
