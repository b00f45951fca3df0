"""responses indexed in the export's order (wave, group, id), so that a wave is read without sorting it

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 00:10:00
"""

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# On SQLite the index also holds every column a comparison reads: a wave is then one walk along it. Without
# them each of a million responses is looked up in the table (ordered by its random id): three times the time.
# Not on PostgreSQL, whose index entries are limited in size (a long free-text answer would not fit) and
# whose table rows are read in index order at a fraction of the cost of the sort it saves.
SQLITE_COLUMNS = ['wave_id', 'group_code', 'id', 'panel_key', 'language', 'record']
COLUMNS = ['wave_id', 'group_code', 'id']


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.create_index('ix_responses_export_order', 'responses', SQLITE_COLUMNS if sqlite else COLUMNS)
    op.drop_index('ix_responses_wave_id', table_name='responses')  # the new index begins with wave_id


def downgrade() -> None:
    op.create_index('ix_responses_wave_id', 'responses', ['wave_id'])
    op.drop_index('ix_responses_export_order', table_name='responses')
