"""invitations.progress: the percentage of the applicable questions answered, for AAPOR's break-off rule
(complete >= 80 %, partial 50-80 %, break-off below 50 %, thresholds configurable)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 17:10:00
"""

import json

import sqlalchemy as sa
from alembic import op

from survey.monitoring import tallies

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from questionnaires.answers import answered_share
    from survey.waves.queries import _parse

    op.add_column('invitations', sa.Column('progress', sa.Integer(), server_default='0', nullable=False))
    connection = op.get_bind()
    # The drafts already saved: each one's share of the applicable questions answered, by its wave's questionnaire.
    rows = connection.execute(sa.text(
        "SELECT i.id, d.answers, e.definition, e.questionnaire_id, e.version FROM invitations AS i "
        "JOIN drafts AS d ON d.invitation_id = i.id JOIN waves AS w ON w.id = i.wave_id "
        "JOIN editions AS e ON e.id = w.edition_id WHERE NOT i.completed AND d.answered"))
    progress = [{"id": row[0], "progress": int(100 * answered_share(_parse(row[2], f"{row[3]} {row[4]}"),
                                                                      json.loads(row[1] or "{}")))}
                for row in rows]
    if progress:
        connection.execute(sa.text("UPDATE invitations SET progress = :progress WHERE id = :id"), progress)
    tallies.install(connection)  # the invitations' category now reads progress
    tallies.recount(connection)


def downgrade() -> None:
    connection = op.get_bind()
    tallies.drop(connection)
    with op.batch_alter_table('invitations') as batch:
        batch.drop_column('progress')
    with tallies.before_progress():  # the triggers as revision 0011 had them
        tallies.install(connection)
        tallies.recount(connection)
