"""Exit details (reason code, kind of next step), event-order-tolerant state and six-month follow-ups.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Exits recorded before keep no reason and no next step (reports count them as `not_recorded`), get
the Jobcenter's view from their destination, and get their follow-up with the default schedule
(182 days after the exit date, from midnight in Europe/Berlin): one that is due already is
published by the timer at the next start, as any follow-up whose moment passed while outcomes was
down.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE exits
            ADD COLUMN reason TEXT,
            ADD COLUMN next_step TEXT,
            ADD COLUMN jobcenter_integrated BOOLEAN;
        UPDATE exits SET jobcenter_integrated = destination IN ('apprenticeship', 'employment');
        ALTER TABLE exits ALTER COLUMN jobcenter_integrated SET NOT NULL;

        -- The moment of the latest placement news taken per stay (and for early news): older news,
        -- such as a replayed event, is stale. Placement's clock, from the envelope's occurred_at.
        ALTER TABLE stays ADD COLUMN placement_as_of TIMESTAMPTZ;
        ALTER TABLE participants ADD COLUMN early_as_of TIMESTAMPTZ;

        -- One follow-up per exit, written in the exit's transaction. `due_at` is the durable
        -- schedule the timer reads; `due_published_at` says FollowUpDue went into the outbox
        -- (exactly once: the timer's or the recording's transaction sets it under the row lock).
        CREATE TABLE follow_ups (
            follow_up_id      UUID PRIMARY KEY,
            participant_id    UUID NOT NULL,
            stay              INTEGER NOT NULL,
            due_on            DATE NOT NULL,
            due_at            TIMESTAMPTZ NOT NULL,
            due_published_at  TIMESTAMPTZ,
            situation         TEXT,
            recorded_on       DATE,
            recorded_by       TEXT,
            recorded_at       TIMESTAMPTZ,
            UNIQUE (participant_id, stay),
            FOREIGN KEY (participant_id, stay) REFERENCES exits (participant_id, stay),
            CHECK ((situation IS NULL) = (recorded_on IS NULL)),
            CHECK (situation IS NULL OR due_published_at IS NOT NULL)
        );
        -- What the timer looks for: the earliest follow-up not yet announced.
        CREATE INDEX follow_ups_to_announce_idx ON follow_ups (due_at) WHERE due_published_at IS NULL;
        CREATE INDEX follow_ups_due_at_idx ON follow_ups (due_at, follow_up_id);

        INSERT INTO follow_ups (follow_up_id, participant_id, stay, due_on, due_at)
        SELECT gen_random_uuid(), participant_id, stay, exit_date + 182,
               (exit_date + 182)::timestamp AT TIME ZONE 'Europe/Berlin'
        FROM exits;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE follow_ups;
        ALTER TABLE participants DROP COLUMN early_as_of;
        ALTER TABLE stays DROP COLUMN placement_as_of;
        ALTER TABLE exits DROP COLUMN reason, DROP COLUMN next_step, DROP COLUMN jobcenter_integrated;
        """
    )
