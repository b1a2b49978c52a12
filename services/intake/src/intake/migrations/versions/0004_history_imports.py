"""Imported history: people known only by their spreadsheet key, and which file brought which stay.

An imported person has no personal data at all (historical records need none), so the rule that a
person without a name is an erased one now reads: without a name means erased or imported.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE people ADD COLUMN imported BOOLEAN NOT NULL DEFAULT false;
        ALTER TABLE people DROP CONSTRAINT people_check;
        ALTER TABLE people ADD CONSTRAINT people_named_unless_erased_or_imported
            CHECK ((erased_on IS NULL AND NOT imported) = (identity_key IS NOT NULL));

        CREATE TABLE history_imports (
            import_id    UUID PRIMARY KEY,
            file_sha256  TEXT NOT NULL UNIQUE,
            imported_by  TEXT NOT NULL,
            imported_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
            stays        INTEGER NOT NULL,
            people       INTEGER NOT NULL
        );
        -- The spreadsheet's own ids: a later file may neither repeat a stay nor add to a person.
        CREATE TABLE imported_stays (
            record_id       TEXT PRIMARY KEY,
            person_key      TEXT NOT NULL,
            participant_id  UUID NOT NULL REFERENCES people (participant_id),
            referral_id     UUID NOT NULL REFERENCES referrals (referral_id),
            import_id       UUID NOT NULL REFERENCES history_imports (import_id)
        );
        CREATE INDEX imported_stays_person_key_idx ON imported_stays (person_key);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE imported_stays;
        DROP TABLE history_imports;
        DELETE FROM referrals WHERE participant_id IN (SELECT participant_id FROM people WHERE imported);
        DELETE FROM people WHERE imported;
        ALTER TABLE people DROP CONSTRAINT people_named_unless_erased_or_imported;
        ALTER TABLE people ADD CONSTRAINT people_check
            CHECK ((erased_on IS NULL) = (identity_key IS NOT NULL));
        ALTER TABLE people DROP COLUMN imported;
        """
    )
