"""Workshops as their own records (several per work area), placement spells, fair waitlist order.

- `workshops`: one row per workshop (id, work area, name, seats, lead instructor, opening days);
  the old one-row-per-area capacities become one workshop per area.
- `participants.workshop_id`: the workshop a placed participant sits in.
- `participants.funders`: every funder of the current stay (co-funding), for funders' reports.
- `participants.enrolled_at` and `urgent`: the waitlist's fair order is urgent cases first, then
  the moment of enrolment as the enrolment event states it.
- `placement_spells`: who sat in which workshop from when to when (and why it ended) — attendance
  and the absence report are checked against it.

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
        ALTER TABLE participants DROP CONSTRAINT participants_work_area_fkey;
        ALTER TABLE workshops RENAME TO workshops_before_0004;
        ALTER INDEX workshops_pkey RENAME TO workshops_before_0004_pkey;

        CREATE TABLE workshops (
            workshop_id      UUID PRIMARY KEY,
            work_area        TEXT NOT NULL CHECK (work_area IN
                             ('bike_metal', 'garden_landscape', 'building_services', 'care')),
            name             TEXT NOT NULL UNIQUE,
            seats            INTEGER NOT NULL CHECK (seats >= 0),
            lead_instructor  TEXT,
            -- ISO weekdays the workshop is open (1 = Monday … 7 = Sunday).
            opening_days     SMALLINT[] NOT NULL DEFAULT '{1,2,3,4,5}'
                             CHECK (opening_days <@ '{1,2,3,4,5,6,7}'::smallint[]),
            created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX workshops_area_idx ON workshops (work_area);

        INSERT INTO workshops (workshop_id, work_area, name, seats)
        SELECT gen_random_uuid(), work_area,
               CASE work_area WHEN 'bike_metal' THEN 'Fahrrad und Metall'
                              WHEN 'garden_landscape' THEN 'Garten- und Landschaftspflege'
                              WHEN 'building_services' THEN 'Gebäudeassistenz'
                              ELSE 'Betreuung und Pflege' END,
               capacity
        FROM workshops_before_0004;

        ALTER TABLE participants
            ADD COLUMN workshop_id   UUID REFERENCES workshops (workshop_id),
            ADD COLUMN funders       TEXT[] NOT NULL DEFAULT '{}',
            ADD COLUMN enrolled_at   TIMESTAMPTZ,
            ADD COLUMN urgent        BOOLEAN NOT NULL DEFAULT false,
            ADD COLUMN urgency_reason TEXT;
        UPDATE participants p SET workshop_id = w.workshop_id
        FROM workshops w WHERE w.work_area = p.work_area AND p.status IN ('placed', 'ended');
        UPDATE participants SET funders = ARRAY[funder] WHERE funder IS NOT NULL;
        -- Before, the queue was the order placement heard of enrolments; the best stand-in for
        -- the moment of enrolment is when the person started waiting.
        UPDATE participants SET enrolled_at = coalesce(waiting_since, enrolled_on::timestamptz)
        WHERE enrolled_on IS NOT NULL;
        CREATE INDEX participants_fair_order_idx ON participants (work_area, urgent DESC, enrolled_at)
            WHERE status = 'waitlisted';
        CREATE INDEX participants_workshop_idx ON participants (workshop_id) WHERE status = 'placed';

        CREATE TABLE placement_spells (
            spell_id        BIGSERIAL PRIMARY KEY,
            participant_id  UUID NOT NULL,
            workshop_id     UUID NOT NULL REFERENCES workshops (workshop_id),
            placed_on       DATE NOT NULL,
            ended_on        DATE,
            end_reason      TEXT CHECK (end_reason IN ('completed', 'transferred', 'dropout', 'exited')),
            CHECK ((ended_on IS NULL) = (end_reason IS NULL)),
            CHECK (ended_on IS NULL OR ended_on >= placed_on)
        );
        CREATE INDEX placement_spells_workshop_idx ON placement_spells (workshop_id, placed_on);
        CREATE INDEX placement_spells_participant_idx ON placement_spells (participant_id, placed_on);
        -- At most one open spell per participant.
        CREATE UNIQUE INDEX placement_spells_one_open_idx ON placement_spells (participant_id)
            WHERE ended_on IS NULL;
        INSERT INTO placement_spells (participant_id, workshop_id, placed_on, ended_on, end_reason)
        SELECT participant_id, workshop_id, placed_on,
               CASE WHEN status = 'ended' THEN greatest(ended_on, placed_on) END,
               CASE WHEN status = 'ended' THEN 'exited' END
        FROM participants WHERE status IN ('placed', 'ended') AND placed_on IS NOT NULL;

        DROP TABLE workshops_before_0004;
        """
    )
    op.execute(
        """
        -- The fair order replaces the order of arrival: the sequence and its numbers go.
        ALTER TABLE participants DROP CONSTRAINT participants_check;
        DROP INDEX participants_waitlist_idx;
        ALTER TABLE participants DROP COLUMN waitlist_number;
        DROP SEQUENCE waitlist_numbers;

        -- between_placements: a caseworker ended the placement; the stay goes on until its exit.
        ALTER TABLE participants DROP CONSTRAINT participants_status_check;
        ALTER TABLE participants ADD CONSTRAINT participants_status_check CHECK (status IN
            ('placed', 'waitlisted', 'between_placements', 'ended', 'left_waitlist',
             'exited_before_enrolment'));
        -- Re-entries are held, and exits ahead impossible, while a stay is active: between two
        -- placements too (revision 0003 wrote both checks for placed and waitlisted).
        ALTER TABLE participants DROP CONSTRAINT participants_check2, DROP CONSTRAINT participants_check3,
            ADD CONSTRAINT participants_held_only_while_active CHECK (held_enrolments = '[]'
                OR status IN ('placed', 'waitlisted', 'between_placements')),
            ADD CONSTRAINT participants_exits_ahead_only_while_inactive CHECK (exits_ahead = '{}'
                OR status NOT IN ('placed', 'waitlisted', 'between_placements'));
        ALTER TABLE participants
            ADD CONSTRAINT participants_placed_in_a_workshop
                CHECK (status <> 'placed' OR workshop_id IS NOT NULL),
            ADD CONSTRAINT participants_urgency_has_reason
                CHECK (urgent = (urgency_reason IS NOT NULL));

        -- A free seat of a workshop, from the moment it is free until someone takes it (filled)
        -- or the seats are reduced (withdrawn). Placement keeps one open vacancy per seat nobody
        -- sits on; it remembers whom the seat was offered to, so nobody is offered it twice.
        CREATE TABLE vacancies (
            vacancy_id   UUID PRIMARY KEY,
            workshop_id  UUID NOT NULL REFERENCES workshops (workshop_id),
            opened_at    TIMESTAMPTZ NOT NULL,
            status       TEXT NOT NULL CHECK (status IN ('open', 'filled', 'withdrawn')),
            closed_at    TIMESTAMPTZ,
            CHECK ((status = 'open') = (closed_at IS NULL)),
            UNIQUE (vacancy_id, workshop_id)
        );
        CREATE INDEX vacancies_open_idx ON vacancies (workshop_id, opened_at) WHERE status = 'open';

        -- Seat offers. An open offer holds its vacancy until it is accepted, declined or expires
        -- (at expires_at: the offer timer's durable state).
        CREATE TABLE offers (
            offer_id        UUID PRIMARY KEY,
            vacancy_id      UUID NOT NULL,
            workshop_id     UUID NOT NULL,
            work_area       TEXT NOT NULL,
            participant_id  UUID NOT NULL REFERENCES participants (participant_id),
            status          TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'expired')),
            offered_at      TIMESTAMPTZ NOT NULL,
            expires_at      TIMESTAMPTZ NOT NULL CHECK (expires_at > offered_at),
            answered_at     TIMESTAMPTZ,
            answered_by     TEXT,
            decline_reason  TEXT,
            FOREIGN KEY (vacancy_id, workshop_id) REFERENCES vacancies (vacancy_id, workshop_id),
            CHECK ((status = 'open') = (answered_at IS NULL)),
            CHECK ((status = 'declined') = (decline_reason IS NOT NULL))
        );
        -- Exactly one open offer per free seat, at most one per person, and never the same seat
        -- offered to the same person twice (a decliner is not offered that vacancy again).
        CREATE UNIQUE INDEX offers_one_open_per_vacancy ON offers (vacancy_id) WHERE status = 'open';
        CREATE UNIQUE INDEX offers_one_open_per_participant ON offers (participant_id)
            WHERE status = 'open';
        CREATE UNIQUE INDEX offers_once_per_vacancy_and_participant ON offers (vacancy_id, participant_id);
        -- The offer timer: the open offers by deadline.
        CREATE INDEX offers_due_idx ON offers (expires_at) WHERE status = 'open';
        CREATE INDEX offers_workshop_idx ON offers (workshop_id, offered_at);
        """
    )


def downgrade() -> None:
    raise RuntimeError("0004 turns work areas into workshop records; restore a backup to go back")
