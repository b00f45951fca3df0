"""rounds: who imported a file, and which responses and counts each import brought

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-26 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('wave_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported_by', sa.String(length=200), nullable=False, server_default=''))
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_responses_import_id'), ['import_id'], unique=False)
        batch_op.create_foreign_key('fk_responses_import_id', 'wave_imports', ['import_id'], ['id'],
                                    ondelete='CASCADE')
    with op.batch_alter_table('baseline_counts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_baseline_counts_import_id', 'wave_imports', ['import_id'], ['id'],
                                    ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('baseline_counts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_baseline_counts_import_id', type_='foreignkey')
        batch_op.drop_column('import_id')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_constraint('fk_responses_import_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_responses_import_id'))
        batch_op.drop_column('import_id')
    with op.batch_alter_table('wave_imports', schema=None) as batch_op:
        batch_op.drop_column('imported_by')
