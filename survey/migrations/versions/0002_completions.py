"""completions: one row per completed invitation, a primary key that allows one response

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "completions",
        sa.Column("invitation_id", sa.Integer(), sa.ForeignKey("invitations.id"), nullable=False),
        sa.PrimaryKeyConstraint("invitation_id"),
        sqlite_with_rowid=False,
    )
    # Invitations completed before this table existed.
    op.execute("INSERT INTO completions (invitation_id) SELECT id FROM invitations WHERE completed")


def downgrade() -> None:
    op.drop_table("completions")
