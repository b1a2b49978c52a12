"""The first answers to creating requests sent with an Idempotency-Key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op

from werkstattnetz_shared.db.idempotency import IDEMPOTENCY_TABLE_V1, IDEMPOTENCY_TABLE_V1_DOWN

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(IDEMPOTENCY_TABLE_V1)


def downgrade() -> None:
    op.execute(IDEMPOTENCY_TABLE_V1_DOWN)
