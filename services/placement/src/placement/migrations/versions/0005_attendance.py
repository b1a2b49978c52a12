"""Attendance per participant and day, its corrections, and the unexcused runs already reported.

- `attendance`: the current entry of each participant and day (one workshop per day).
- `attendance_history`: every earlier version a correction replaced, with who replaced it when.
- `absence_streaks`: each run of unexcused days reported with `AbsenceThresholdReached`.
- `absence_streak_days`: every day that belongs to a reported run; its primary key decides, even
  between racing requests, that a run is reported once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE attendance (
            participant_id  UUID NOT NULL,
            day             DATE NOT NULL,
            workshop_id     UUID NOT NULL REFERENCES workshops (workshop_id),
            status          TEXT NOT NULL CHECK (status IN ('present', 'excused', 'sick', 'unexcused')),
            hours_present   NUMERIC(4, 2) NOT NULL CHECK (hours_present >= 0 AND hours_present <= 24),
            version         INTEGER NOT NULL CHECK (version >= 1),
            recorded_by     TEXT NOT NULL,
            recorded_at     TIMESTAMPTZ NOT NULL,
            -- Also serves the runs of unexcused days: one participant's entries in day order.
            PRIMARY KEY (participant_id, day)
        );
        -- A workshop's day sheet.
        CREATE INDEX attendance_workshop_day_idx ON attendance (workshop_id, day);
        -- The monthly absence report: one month of every participant's entries.
        CREATE INDEX attendance_day_idx ON attendance (day);

        CREATE TABLE attendance_history (
            participant_id  UUID NOT NULL,
            day             DATE NOT NULL,
            version         INTEGER NOT NULL CHECK (version >= 1),
            workshop_id     UUID NOT NULL REFERENCES workshops (workshop_id),
            status          TEXT NOT NULL CHECK (status IN ('present', 'excused', 'sick', 'unexcused')),
            hours_present   NUMERIC(4, 2) NOT NULL,
            recorded_by     TEXT NOT NULL,
            recorded_at     TIMESTAMPTZ NOT NULL,
            replaced_by     TEXT NOT NULL,
            replaced_at     TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (participant_id, day, version)
        );

        CREATE TABLE absence_streaks (
            streak_id          BIGSERIAL PRIMARY KEY,
            participant_id     UUID NOT NULL,
            workshop_id        UUID NOT NULL REFERENCES workshops (workshop_id),
            streak_started_on  DATE NOT NULL,
            streak_ended_on    DATE NOT NULL,
            unexcused_days     INTEGER NOT NULL CHECK (unexcused_days >= 1),
            threshold          INTEGER NOT NULL CHECK (threshold >= 1),
            event_id           UUID NOT NULL UNIQUE,
            reported_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
            CHECK (streak_ended_on >= streak_started_on)
        );
        CREATE INDEX absence_streaks_participant_idx ON absence_streaks (participant_id, streak_started_on);

        CREATE TABLE absence_streak_days (
            participant_id  UUID NOT NULL,
            day             DATE NOT NULL,
            PRIMARY KEY (participant_id, day)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE absence_streak_days, absence_streaks, attendance_history, attendance;")
