"""Stays imported from a programme's history: where the person sat, from when to when.

Kept apart from `placement_spells` on purpose: a historical stay took no seat of today's workshops
(it names the work area, not a workshop), and attendance is never checked against it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE historical_stays (
            enrolment_id    UUID PRIMARY KEY,
            participant_id  UUID NOT NULL,
            work_area       TEXT NOT NULL,
            enrolled_on     DATE NOT NULL,
            placed_on       DATE,
            exit_date       DATE NOT NULL
        );
        CREATE INDEX historical_stays_participant_idx ON historical_stays (participant_id, exit_date);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE historical_stays")
