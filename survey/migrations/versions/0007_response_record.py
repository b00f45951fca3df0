"""responses.record: each response's answers as one CSV record, read back in one query per wave

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: responses stored before this revision have none and are read from `answers`.
    with op.batch_alter_table('responses') as batch:
        batch.add_column(sa.Column('record', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('responses') as batch:
        batch.drop_column('record')
