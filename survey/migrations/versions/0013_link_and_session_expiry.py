"""Expiry of opt-out links and console sessions (issue 21.8): invitations.optout_key, a random value that the
signed opt-out link carries instead of the invitation's sequential id; waves.closed_at, from which an opt-out
link's lifetime is counted; admin_sessions.last_seen, for the console's idle timeout

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 19:30:00
"""

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): the tally triggers on invitations stay as they are.
    op.add_column('invitations', sa.Column('optout_key', sa.String(length=32), nullable=True))
    op.add_column('waves', sa.Column('closed_at', sa.DateTime(), nullable=True))
    op.add_column('admin_sessions', sa.Column('last_seen', sa.DateTime(), nullable=True))
    connection = op.get_bind()
    keys = [{"id": row[0], "key": secrets.token_urlsafe(16)}
            for row in connection.execute(sa.text("SELECT id FROM invitations"))]
    if keys:
        connection.execute(sa.text("UPDATE invitations SET optout_key = :key WHERE id = :id"), keys)
    op.create_index('ix_invitations_optout_key', 'invitations', ['optout_key'], unique=True)
    # Waves closed before now: their opt-out links' lifetime counts from this upgrade, not from a guess.
    moment = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(sa.text("UPDATE waves SET closed_at = :moment WHERE status = 'closed'"), {"moment": moment})
    connection.execute(sa.text("UPDATE admin_sessions SET last_seen = created_at"))


def downgrade() -> None:
    op.drop_index('ix_invitations_optout_key', table_name='invitations')
    op.drop_column('admin_sessions', 'last_seen')
    op.drop_column('waves', 'closed_at')
    op.drop_column('invitations', 'optout_key')
