"""security: server-side admin sessions, open-link invitations marked, responses without rowid on SQLite

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _response_columns() -> list:
    return [
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("wave_id", sa.Integer(), sa.ForeignKey("waves.id"), nullable=False),
        sa.Column("group_code", sa.String(length=50), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("panel_key", sa.String(length=64), nullable=True),
        sa.Column("receipt", sa.String(length=20), nullable=False),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("wave_imports.id", ondelete="CASCADE",
                                                          name="fk_responses_import_id"), nullable=True),
        sa.Column("record", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("receipt"),
        sa.UniqueConstraint("wave_id", "panel_key", name="one_response_per_panel_member"),
    ]


def _answer_columns() -> list:
    return [
        sa.Column("response_id", sa.String(length=32), sa.ForeignKey("responses.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("item_id", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("response_id", "item_id"),
    ]


def _rebuild_without_rowid(table: str, columns: list, names: str) -> None:
    """SQLite keeps a rowid in insertion order; copy the table into one keyed by its primary key only."""
    op.create_table(f"{table}_new", *columns, sqlite_with_rowid=False)
    op.execute(f"INSERT INTO {table}_new ({names}) SELECT {names} FROM {table}")  # noqa: S608 - constants below
    op.drop_table(table)
    op.rename_table(f"{table}_new", table)


def upgrade() -> None:
    op.create_table(
        "admin_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_admin_sessions_user_id", "admin_sessions", ["user_id"])
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.add_column(sa.Column("via_open_link", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("drafts") as batch_op:
        batch_op.add_column(sa.Column("answered", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE drafts SET answered = (answers <> '{}')")
    if op.get_bind().dialect.name == "sqlite":
        # Foreign keys are not enforced in the migration's connection, so dropping `responses` keeps `answers`.
        op.execute("PRAGMA secure_delete=ON")
        _rebuild_without_rowid("responses", _response_columns(),
                               "id, wave_id, group_code, language, submitted_on, panel_key, receipt, import_id, "
                               "record")
        op.create_index("ix_responses_wave_id", "responses", ["wave_id"])
        op.create_index("ix_responses_import_id", "responses", ["import_id"])
        _rebuild_without_rowid("answers", _answer_columns(), "response_id, item_id, value")


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch_op:
        batch_op.drop_column("answered")
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.drop_column("via_open_link")
    op.drop_index("ix_admin_sessions_user_id", table_name="admin_sessions")
    op.drop_table("admin_sessions")
