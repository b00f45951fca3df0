"""wave_tallies: monitoring counts kept by triggers, so that a wave's page reads a few rows, not every invitation;
invitations indexed by wave and group for the invitations page

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 21:00:00
"""

import sqlalchemy as sa
from alembic import op

from survey.monitoring import tallies

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'wave_tallies',
        sa.Column('wave_id', sa.Integer(), sa.ForeignKey('waves.id', ondelete='CASCADE'), nullable=False),
        sa.Column('group_code', sa.String(length=50), nullable=False),
        sa.Column('counter', sa.String(length=40), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('wave_id', 'group_code', 'counter'),
    )
    # "Answered something" on the invitation row itself (the tally reads no other table): from the drafts.
    op.add_column('invitations', sa.Column('answered', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE invitations SET answered = true WHERE id IN (SELECT invitation_id FROM drafts WHERE answered)")
    # Likewise whether a message to the contact bounced.
    op.add_column('invitations', sa.Column('bounced', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE invitations SET bounced = true "
               "WHERE id IN (SELECT invitation_id FROM mail_outbox WHERE bounced_at IS NOT NULL)")
    # Whether a wave has responses without a record (stored before 0007) is one look, not a scan.
    op.create_index('ix_responses_without_record', 'responses', ['wave_id'],
                    sqlite_where=sa.text('record IS NULL'), postgresql_where=sa.text('record IS NULL'))
    # The invitations page lists a wave's invitations by group, 100 at a time: read in index order, not sorted.
    op.create_index('ix_invitations_wave_group', 'invitations', ['wave_id', 'group_code', 'id'])
    connection = op.get_bind()
    with tallies.before_progress():  # the schema of this revision (0012 adds invitations.progress)
        tallies.install(connection)
        tallies.recount(connection)  # the waves already there


def downgrade() -> None:
    tallies.drop(op.get_bind())
    op.drop_index('ix_invitations_wave_group', table_name='invitations')
    op.drop_index('ix_responses_without_record', table_name='responses')
    with op.batch_alter_table('invitations') as batch:
        batch.drop_column('answered')
        batch.drop_column('bounced')
    op.drop_table('wave_tallies')
