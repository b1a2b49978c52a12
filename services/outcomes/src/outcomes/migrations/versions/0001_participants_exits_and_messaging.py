"""Participant records, exits, and the outbox/inbox tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from alembic import op

from werkstattnetz_shared.messaging.ddl import MESSAGING_TABLES_V1, MESSAGING_TABLES_V1_DOWN

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(MESSAGING_TABLES_V1)
    op.execute(
        """
        -- Pseudonymous id and coarse attributes only; the enrolment columns stay empty while a
        -- placement has been heard of before the enrolment.
        CREATE TABLE participants (
            participant_id   UUID PRIMARY KEY,
            status           TEXT NOT NULL,
            enrolled_on      DATE,
            funder           TEXT,
            age_band         TEXT,
            referral_source  TEXT,
            work_area        TEXT,
            waitlisted_for   TEXT,
            updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
        );

        -- One exit per participant (the primary key backs the ExitOnlyOnce rule). Work area and
        -- funder are kept as they were at the exit, which is what reports count.
        CREATE TABLE exits (
            participant_id  UUID PRIMARY KEY REFERENCES participants (participant_id),
            destination     TEXT NOT NULL,
            exit_date       DATE NOT NULL,
            integrated      BOOLEAN NOT NULL,
            work_area       TEXT,
            funder          TEXT NOT NULL,
            recorded_by     TEXT NOT NULL,
            recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX exits_exit_date_idx ON exits (exit_date);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE exits; DROP TABLE participants;")
    op.execute(MESSAGING_TABLES_V1_DOWN)
