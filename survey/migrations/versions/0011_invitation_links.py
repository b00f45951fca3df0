"""invitation_links: every link e-mailed for an invitation, so that a reminder adds a link and voids none

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: the link an invitation holds now stays in invitations.token_hash and keeps working.
    op.create_table(
        'invitation_links',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('invitation_id', sa.Integer(), sa.ForeignKey('invitations.id', ondelete='CASCADE'),
                  nullable=False),
        sa.PrimaryKeyConstraint('token_hash'),
    )
    op.create_index('ix_invitation_links_invitation_id', 'invitation_links', ['invitation_id'])


def downgrade() -> None:
    op.drop_index('ix_invitation_links_invitation_id', table_name='invitation_links')
    op.drop_table('invitation_links')
