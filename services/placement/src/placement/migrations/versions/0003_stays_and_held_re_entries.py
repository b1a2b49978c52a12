"""Re-entry: the stay a participant row describes, the enrolments heard, held re-entries, exits ahead.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        -- One row per participant still: the latest stay placement has heard the enrolment of.
        ALTER TABLE participants
            ADD COLUMN enrolment_id     UUID,
            ADD COLUMN stay             INTEGER NOT NULL DEFAULT 1 CHECK (stay >= 0),
            -- Every enrolment id heard (held ones too): one enrolment never places twice.
            ADD COLUMN enrolment_ids    UUID[] NOT NULL DEFAULT '{}',
            -- Re-entries heard while this stay was active, oldest first; each an object with the
            -- enrolment's coarse facts and the ids of the event that announced it.
            ADD COLUMN held_enrolments  JSONB NOT NULL DEFAULT '[]'
                CHECK (jsonb_typeof(held_enrolments) = 'array'),
            -- Exit dates of stays whose enrolment has not arrived yet, oldest first.
            ADD COLUMN exits_ahead      DATE[] NOT NULL DEFAULT '{}',
            ADD CHECK (held_enrolments = '[]' OR status IN ('placed', 'waitlisted')),
            ADD CHECK (exits_ahead = '{}' OR status NOT IN ('placed', 'waitlisted'));

        -- Rows of people whose exit came before any enrolment: that exit is an exit ahead.
        UPDATE participants SET stay = 0, exits_ahead = ARRAY[exited_on]
        WHERE status = 'exited_before_enrolment' AND enrolled_on IS NULL;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM participants WHERE stay > 1 OR held_enrolments <> '[]') THEN
                RAISE EXCEPTION 'participants with re-entries cannot be kept by revision 0002';
            END IF;
        END $$;
        ALTER TABLE participants DROP COLUMN enrolment_id, DROP COLUMN stay, DROP COLUMN enrolment_ids,
            DROP COLUMN held_enrolments, DROP COLUMN exits_ahead;
        """
    )
