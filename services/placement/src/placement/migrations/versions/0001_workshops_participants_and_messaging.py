"""Workshops, participants with their place or waitlist spot, and the outbox/inbox tables.

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
        -- Capacities come from the WORKSHOP_CAPACITIES setting, written here at every start.
        -- Deciding on a seat locks the workshop's row (SELECT ... FOR UPDATE).
        CREATE TABLE workshops (
            work_area   TEXT PRIMARY KEY,
            capacity    INTEGER NOT NULL CHECK (capacity >= 0),
            updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
        );

        -- The order people joined a waitlist in (first come, first served); a sequence rather
        -- than a timestamp, so clocks of different replicas cannot reorder the queue.
        CREATE SEQUENCE waitlist_numbers;

        CREATE TABLE participants (
            participant_id        UUID PRIMARY KEY,
            status                TEXT NOT NULL CHECK (status IN ('placed', 'waitlisted', 'ended',
                                  'left_waitlist', 'exited_before_enrolment')),
            preferred_work_areas  TEXT[] NOT NULL DEFAULT '{}',
            funder                TEXT,
            enrolled_on           DATE,
            work_area             TEXT REFERENCES workshops (work_area),
            placed_on             DATE,
            from_waitlist         BOOLEAN NOT NULL DEFAULT false,
            waiting_since         TIMESTAMPTZ,
            waitlist_number       BIGINT UNIQUE,
            ended_on              DATE,
            exited_on             DATE,
            updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
            CHECK ((status = 'waitlisted') = (waitlist_number IS NOT NULL)),
            CHECK (status NOT IN ('placed', 'waitlisted', 'ended') OR work_area IS NOT NULL)
        );
        CREATE INDEX participants_seated_idx ON participants (work_area) WHERE status = 'placed';
        CREATE INDEX participants_waitlist_idx ON participants (work_area, waitlist_number)
            WHERE status = 'waitlisted';
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE participants; DROP SEQUENCE waitlist_numbers; DROP TABLE workshops;")
    op.execute(MESSAGING_TABLES_V1_DOWN)
