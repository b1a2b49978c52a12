"""Development plans (goals along the three aims, milestones, progress notes) and competence
assessments.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

Everything is filed under a stay. Texts are free text about the young person and may be NULL: an
erasure (`ParticipantDataErased`) blanks goal and milestone texts and deletes notes, keeping aims,
statuses and dates for anonymous counts; `case_work_erasures` remembers it, also for a participant
outcomes heard nothing else of yet.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE plan_goals (
            goal_id         UUID PRIMARY KEY,
            participant_id  UUID NOT NULL,
            stay            INTEGER NOT NULL,
            aim             TEXT NOT NULL CHECK (aim IN ('motivation', 'orientation', 'placement')),
            text            TEXT,
            status          TEXT NOT NULL
                            CHECK (status IN ('open', 'in_progress', 'achieved', 'dropped')),
            created_by      TEXT NOT NULL,
            created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
            FOREIGN KEY (participant_id, stay) REFERENCES stays (participant_id, stay)
        );
        CREATE INDEX plan_goals_stay_idx ON plan_goals (participant_id, stay, created_at);

        CREATE TABLE plan_milestones (
            milestone_id  UUID PRIMARY KEY,
            goal_id       UUID NOT NULL REFERENCES plan_goals (goal_id),
            text          TEXT,
            due_on        DATE NOT NULL,
            status        TEXT NOT NULL CHECK (status IN ('open', 'done', 'missed')),
            created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX plan_milestones_goal_idx ON plan_milestones (goal_id, due_on);

        CREATE TABLE progress_notes (
            note_id         UUID PRIMARY KEY,
            participant_id  UUID NOT NULL,
            stay            INTEGER NOT NULL,
            goal_id         UUID REFERENCES plan_goals (goal_id),
            text            TEXT NOT NULL,
            written_on      DATE NOT NULL,
            author          TEXT NOT NULL,
            created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
            FOREIGN KEY (participant_id, stay) REFERENCES stays (participant_id, stay)
        );
        -- Lists are newest first, per stay.
        CREATE INDEX progress_notes_stay_idx
            ON progress_notes (participant_id, stay, written_on DESC, created_at DESC, note_id);

        CREATE TABLE case_work_erasures (
            participant_id  UUID PRIMARY KEY,
            erased_on       DATE NOT NULL,
            heard_at        TIMESTAMPTZ NOT NULL DEFAULT now()
        );

        CREATE TABLE competence_assessments (
            assessment_id   UUID PRIMARY KEY,
            participant_id  UUID NOT NULL,
            stay            INTEGER NOT NULL,
            kind            TEXT NOT NULL CHECK (kind IN ('entry', 'periodic', 'exit')),
            assessed_on     DATE NOT NULL,
            assessor        TEXT NOT NULL,
            recorded_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            FOREIGN KEY (participant_id, stay) REFERENCES stays (participant_id, stay)
        );
        CREATE INDEX competence_assessments_stay_idx
            ON competence_assessments (participant_id, stay, assessed_on);
        -- Backs the rule "one entry and one exit assessment per stay" even against racing requests.
        CREATE UNIQUE INDEX competence_assessments_entry_exit_once
            ON competence_assessments (participant_id, stay, kind) WHERE kind IN ('entry', 'exit');

        CREATE TABLE competence_scores (
            assessment_id  UUID NOT NULL REFERENCES competence_assessments (assessment_id),
            competence     TEXT NOT NULL,
            score          SMALLINT NOT NULL CHECK (score BETWEEN 1 AND 5),
            PRIMARY KEY (assessment_id, competence)
        );
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE competence_scores;
        DROP TABLE competence_assessments;
        DROP TABLE case_work_erasures;
        DROP TABLE progress_notes;
        DROP TABLE plan_milestones;
        DROP TABLE plan_goals;
        """
    )
