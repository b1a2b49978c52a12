"""Referrals, the personal-data access log, and the outbox/inbox tables.

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
        CREATE TABLE referrals (
            referral_id                 UUID PRIMARY KEY,
            first_name                  TEXT NOT NULL,
            last_name                   TEXT NOT NULL,
            birth_date                  DATE NOT NULL,
            email                       TEXT,
            phone                       TEXT,
            referral_source             TEXT NOT NULL,
            funder                      TEXT NOT NULL,
            preferred_work_areas        TEXT[] NOT NULL,
            consent_to_data_processing  BOOLEAN NOT NULL,
            received_at                 TIMESTAMPTZ NOT NULL,
            status                      TEXT NOT NULL,
            participant_id              UUID UNIQUE,
            enrolled_on                 DATE,
            age_band                    TEXT
        );
        CREATE INDEX referrals_received_idx ON referrals (received_at, referral_id);

        CREATE TABLE personal_data_access (
            id             BIGSERIAL PRIMARY KEY,
            staff_subject  TEXT NOT NULL,
            action         TEXT NOT NULL,
            referral_id    UUID NOT NULL REFERENCES referrals (referral_id),
            at             TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX personal_data_access_referral_idx ON personal_data_access (referral_id);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE personal_data_access; DROP TABLE referrals;")
    op.execute(MESSAGING_TABLES_V1_DOWN)
