"""Re-entry: one row per stay, its funding shares, one exit per stay; early placement news.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

Existing participants become stay 1 (their exit, if any, the exit of stay 1). What the participant
row kept of placement before an enrolment arrived becomes its early news.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        -- Enrolment facts and placement state per stay; a new enrolment id is a new stay.
        CREATE TABLE stays (
            participant_id    UUID NOT NULL REFERENCES participants (participant_id),
            stay              INTEGER NOT NULL CHECK (stay >= 1),
            enrolment_id      UUID UNIQUE,
            -- The event id of the stay's ParticipantEnrolled, which placement's decisions name.
            announced_by      UUID,
            enrolled_on       DATE NOT NULL,
            funder            TEXT NOT NULL,
            age_band          TEXT NOT NULL,
            referral_source   TEXT NOT NULL,
            re_entry          BOOLEAN NOT NULL DEFAULT false,
            placement_status  TEXT NOT NULL,
            work_area         TEXT,
            waitlisted_for    TEXT,
            updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY (participant_id, stay)
        );

        -- Who pays for the place of a stay (coarse: funder, legal basis, share; no amounts), in
        -- the order intake named them.
        CREATE TABLE funding_shares (
            participant_id  UUID NOT NULL,
            stay            INTEGER NOT NULL,
            position        INTEGER NOT NULL CHECK (position >= 1),
            funder          TEXT NOT NULL,
            legal_basis     TEXT NOT NULL,
            share_percent   INTEGER NOT NULL CHECK (share_percent BETWEEN 1 AND 100),
            PRIMARY KEY (participant_id, stay, position),
            FOREIGN KEY (participant_id, stay) REFERENCES stays (participant_id, stay)
        );

        INSERT INTO stays (participant_id, stay, enrolled_on, funder, age_band, referral_source,
                           placement_status, work_area, waitlisted_for)
        SELECT participant_id, 1, enrolled_on, funder, age_band, referral_source,
               CASE WHEN status = 'exited' THEN
                   CASE WHEN work_area IS NULL THEN 'enrolled' ELSE 'placement_ended' END
               ELSE status END,
               work_area, waitlisted_for
        FROM participants WHERE enrolled_on IS NOT NULL;

        -- One exit per stay now (the key backs ExitOnlyOnce); `funders` are all the stay's
        -- funders at the exit, each of whom counts it in their report.
        ALTER TABLE exits DROP CONSTRAINT exits_pkey;
        ALTER TABLE exits DROP CONSTRAINT exits_participant_id_fkey;
        ALTER TABLE exits
            ADD COLUMN stay INTEGER NOT NULL DEFAULT 1,
            ADD COLUMN funders TEXT[];
        UPDATE exits SET funders = ARRAY[funder];
        ALTER TABLE exits
            ALTER COLUMN stay DROP DEFAULT,
            ALTER COLUMN funders SET NOT NULL,
            ADD CHECK (funder = funders[1]),
            ADD PRIMARY KEY (participant_id, stay),
            ADD FOREIGN KEY (participant_id, stay) REFERENCES stays (participant_id, stay);

        -- The participant row keeps what is the person's, not a stay's: which stay placement's
        -- latest decision was about, and placement news of a stay whose enrolment is on its way.
        ALTER TABLE participants
            ADD COLUMN news_for_stay        INTEGER,
            ADD COLUMN early_cause          UUID,
            ADD COLUMN early_status         TEXT,
            ADD COLUMN early_work_area      TEXT,
            ADD COLUMN early_waitlisted_for TEXT;
        UPDATE participants SET news_for_stay = 1 WHERE enrolled_on IS NOT NULL;
        UPDATE participants
            SET early_status = status, early_work_area = work_area, early_waitlisted_for = waitlisted_for
            WHERE enrolled_on IS NULL;
        ALTER TABLE participants
            DROP COLUMN status, DROP COLUMN enrolled_on, DROP COLUMN funder, DROP COLUMN age_band,
            DROP COLUMN referral_source, DROP COLUMN work_area, DROP COLUMN waitlisted_for;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM stays WHERE stay > 1) THEN
                RAISE EXCEPTION 'participants with re-entries cannot be kept by revision 0002';
            END IF;
        END $$;
        ALTER TABLE participants
            ADD COLUMN status TEXT, ADD COLUMN enrolled_on DATE, ADD COLUMN funder TEXT,
            ADD COLUMN age_band TEXT, ADD COLUMN referral_source TEXT, ADD COLUMN work_area TEXT,
            ADD COLUMN waitlisted_for TEXT;
        UPDATE participants p SET
            status = CASE WHEN EXISTS (SELECT 1 FROM exits e WHERE e.participant_id = p.participant_id)
                          THEN 'exited' ELSE s.placement_status END,
            enrolled_on = s.enrolled_on, funder = s.funder, age_band = s.age_band,
            referral_source = s.referral_source, work_area = s.work_area, waitlisted_for = s.waitlisted_for
        FROM stays s WHERE s.participant_id = p.participant_id;
        UPDATE participants SET status = coalesce(early_status, 'enrolled'), work_area = early_work_area,
            waitlisted_for = early_waitlisted_for
        WHERE status IS NULL;
        ALTER TABLE participants ALTER COLUMN status SET NOT NULL,
            DROP COLUMN news_for_stay, DROP COLUMN early_cause, DROP COLUMN early_status,
            DROP COLUMN early_work_area, DROP COLUMN early_waitlisted_for;
        ALTER TABLE exits DROP CONSTRAINT exits_pkey;
        ALTER TABLE exits DROP CONSTRAINT exits_participant_id_stay_fkey;
        ALTER TABLE exits DROP COLUMN stay, DROP COLUMN funders;
        ALTER TABLE exits
            ADD PRIMARY KEY (participant_id),
            ADD FOREIGN KEY (participant_id) REFERENCES participants (participant_id);
        DROP TABLE funding_shares;
        DROP TABLE stays;
        """
    )
