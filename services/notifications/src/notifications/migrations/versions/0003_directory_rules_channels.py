"""Staff directory, notification rules as data, webhook subscriptions, caseworker assignments, the
staff inbox, and deliveries per event *and recipient* over e-mail or webhook.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The defaults the programme starts with (admins change them through /v1/rules).
DEFAULT_RULES = (
    ("placement", "responsible_caseworker", None, False),
    ("placement", "workshop_lead", None, False),
    ("transfer", "responsible_caseworker", None, False),
    ("transfer", "workshop_lead", None, False),
    ("waitlisting", "role", "intake", False),
    ("seat_offered", "role", "intake", False),
    ("offer_expiring", "role", "intake", True),
    ("absences", "responsible_caseworker", None, True),
    ("follow_up_due", "responsible_caseworker", None, False),
    ("integration", "role", "manager", False),
)


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE staff_members (
            subject      TEXT PRIMARY KEY CHECK (length(subject) BETWEEN 1 AND 200),
            email        TEXT,
            roles        TEXT[] NOT NULL DEFAULT '{}',
            channel      TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'inbox')),
            language     TEXT NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
            quiet_from   TIME,
            quiet_until  TIME,
            active       BOOLEAN NOT NULL DEFAULT true,
            created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
            CHECK ((quiet_from IS NULL) = (quiet_until IS NULL)),
            CHECK (channel <> 'email' OR email IS NOT NULL)
        );
        CREATE INDEX staff_members_roles_idx ON staff_members USING gin (roles);

        CREATE TABLE notification_rules (
            rule_id            UUID PRIMARY KEY,
            notification_kind  TEXT NOT NULL,
            audience           TEXT NOT NULL
                               CHECK (audience IN
                                   ('responsible_caseworker', 'workshop_lead', 'role', 'person')),
            role               TEXT,
            subject            TEXT,
            channel            TEXT NOT NULL DEFAULT 'preferred'
                               CHECK (channel IN ('preferred', 'email', 'inbox')),
            timing             TEXT NOT NULL DEFAULT 'immediate' CHECK (timing IN ('immediate', 'digest')),
            urgent             BOOLEAN NOT NULL DEFAULT false,
            created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
            CHECK ((audience = 'role') = (role IS NOT NULL)),
            CHECK ((audience = 'person') = (subject IS NOT NULL))
        );
        CREATE INDEX notification_rules_kind_idx ON notification_rules (notification_kind);

        CREATE TABLE webhook_subscriptions (
            subscription_id    UUID PRIMARY KEY,
            name               TEXT NOT NULL UNIQUE,
            url                TEXT NOT NULL,
            secret             TEXT NOT NULL,
            notification_kinds TEXT[] NOT NULL,
            active             BOOLEAN NOT NULL DEFAULT true,
            created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
        );

        -- Who is responsible for whom, as intake announced it (CaseworkerAssigned).
        CREATE TABLE caseworker_assignments (
            participant_id  UUID PRIMARY KEY,
            caseworker      TEXT NOT NULL,
            assigned_on     DATE NOT NULL,
            updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
        );

        CREATE TABLE inbox_items (
            item_id            UUID PRIMARY KEY,
            recipient          TEXT NOT NULL,
            trigger_event_id   UUID NOT NULL,
            notification_kind  TEXT NOT NULL,
            participant_id     UUID,
            title              TEXT NOT NULL,
            link               TEXT,
            facts              JSONB NOT NULL DEFAULT '{}',
            created_at         TIMESTAMPTZ NOT NULL,
            read_at            TIMESTAMPTZ,
            UNIQUE (trigger_event_id, notification_kind, recipient)
        );
        CREATE INDEX inbox_items_recipient_idx ON inbox_items (recipient, created_at, item_id);
        CREATE INDEX inbox_items_unread_idx ON inbox_items (recipient) WHERE read_at IS NULL;
        CREATE INDEX inbox_items_participant_idx ON inbox_items (participant_id);

        -- Deliveries: one per event, kind, channel (email, webhook, or an inbox item that is due
        -- later) and recipient (a staff member, a webhook
        -- subscription, or the office address); the old one-per-event rows keep their address as key.
        ALTER TABLE deliveries DROP CONSTRAINT deliveries_trigger_event_id_key;
        ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
        ALTER TABLE deliveries
            ADD COLUMN channel          TEXT NOT NULL DEFAULT 'email'
                                        CHECK (channel IN ('email', 'webhook', 'inbox')),
            ADD COLUMN recipient_key    TEXT,
            ADD COLUMN recipient_subject TEXT,
            ADD COLUMN subscription_id  UUID,
            ADD COLUMN language         TEXT NOT NULL DEFAULT 'de',
            ADD COLUMN html_body        TEXT,
            ADD COLUMN facts            JSONB NOT NULL DEFAULT '{}',
            ADD COLUMN timing           TEXT NOT NULL DEFAULT 'immediate'
                                        CHECK (timing IN ('immediate', 'digest')),
            ADD COLUMN offer_id         UUID,
            ADD COLUMN digest_id        UUID,
            ADD COLUMN failed_at        TIMESTAMPTZ,
            ADD COLUMN retried_by       TEXT,
            ADD COLUMN permanent_failure BOOLEAN NOT NULL DEFAULT false,
            ADD COLUMN urgent           BOOLEAN NOT NULL DEFAULT false,
            ADD COLUMN not_before       TIMESTAMPTZ,
            ADD CONSTRAINT deliveries_status_check CHECK (status IN (
                'pending', 'sent', 'failed', 'awaiting_recipient', 'in_digest', 'cancelled'));
        UPDATE deliveries SET recipient_key = recipient;
        ALTER TABLE deliveries ALTER COLUMN recipient_key SET NOT NULL;
        ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_per_recipient
            UNIQUE (trigger_event_id, notification_kind, channel, recipient_key);
        CREATE INDEX deliveries_awaiting_idx ON deliveries (participant_id)
            WHERE status = 'awaiting_recipient';
        CREATE INDEX deliveries_digest_idx ON deliveries (recipient_key)
            WHERE timing = 'digest' AND status = 'pending';
        CREATE INDEX deliveries_offer_idx ON deliveries (offer_id) WHERE offer_id IS NOT NULL;
        DROP INDEX deliveries_due_idx;
        CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at)
            WHERE status IN ('pending', 'awaiting_recipient') AND timing = 'immediate';
        """
    )
    for kind, audience, role, urgent in DEFAULT_RULES:
        role_value = f"'{role}'" if role else "NULL"
        op.execute(
            "INSERT INTO notification_rules (rule_id, notification_kind, audience, role, urgent) "
            f"VALUES (gen_random_uuid(), '{kind}', '{audience}', {role_value}, {urgent})"
        )


def downgrade() -> None:
    op.execute(
        """
        DELETE FROM deliveries WHERE channel <> 'email' OR recipient_key <> recipient;
        ALTER TABLE deliveries DROP CONSTRAINT deliveries_one_per_recipient;
        ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
        DELETE FROM deliveries WHERE status NOT IN ('pending', 'sent', 'failed');
        ALTER TABLE deliveries
            DROP COLUMN channel, DROP COLUMN recipient_key, DROP COLUMN recipient_subject,
            DROP COLUMN subscription_id, DROP COLUMN language, DROP COLUMN html_body, DROP COLUMN facts,
            DROP COLUMN timing, DROP COLUMN offer_id, DROP COLUMN digest_id, DROP COLUMN failed_at,
            DROP COLUMN retried_by, DROP COLUMN permanent_failure, DROP COLUMN urgent, DROP COLUMN not_before,
            ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'sent', 'failed')),
            ADD CONSTRAINT deliveries_trigger_event_id_key UNIQUE (trigger_event_id);
        DROP INDEX IF EXISTS deliveries_due_idx;
        CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE status = 'pending';
        DROP TABLE inbox_items, caseworker_assignments, webhook_subscriptions, notification_rules,
            staff_members;
        """
    )
