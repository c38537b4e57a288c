"""registration images: the guest's signature and an ID photo for the desk

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 00:28:21.609058
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('registration_image',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('reservation_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('signature', 'id_photo', name='imagekind', native_enum=False, length=16), nullable=False),
    sa.Column('media_type', sa.String(length=32), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservation.id'], name=op.f('fk_registration_image_reservation_id_reservation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_image'))
    )
    with op.batch_alter_table('registration_image', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_image_reservation_id'), ['reservation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('registration_image', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_image_reservation_id'))

    op.drop_table('registration_image')
