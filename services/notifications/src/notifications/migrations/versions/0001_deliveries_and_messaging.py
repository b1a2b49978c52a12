"""Mail deliveries, and the outbox/inbox tables.

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
        CREATE TABLE deliveries (
            delivery_id         UUID PRIMARY KEY,
            trigger_event_id    UUID NOT NULL UNIQUE,
            trigger_event_type  TEXT NOT NULL,
            correlation_id      UUID NOT NULL,
            participant_id      UUID NOT NULL,
            notification_kind   TEXT NOT NULL,
            recipient           TEXT NOT NULL,
            sender              TEXT NOT NULL,
            subject             TEXT NOT NULL,
            body                TEXT NOT NULL,
            message_id          TEXT NOT NULL UNIQUE,
            status              TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
            attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            created_at          TIMESTAMPTZ NOT NULL,
            next_attempt_at     TIMESTAMPTZ NOT NULL,
            sent_at             TIMESTAMPTZ,
            last_error          TEXT,
            CHECK ((status = 'sent') = (sent_at IS NOT NULL))
        );
        CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE status = 'pending';
        CREATE INDEX deliveries_listing_idx ON deliveries (created_at, delivery_id);
        CREATE INDEX deliveries_participant_idx ON deliveries (participant_id, created_at, delivery_id);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE deliveries;")
    op.execute(MESSAGING_TABLES_V1_DOWN)
