"""Database migrations at service start, with Alembic.

Each service keeps its revisions in its own `migrations/` package whose `env.py` only calls
`run_alembic_env()`. Revisions are plain SQL; Alembic runs them in one transaction guarded by an
advisory lock, so several replicas starting at once migrate exactly once.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import create_engine, pool, text

log = logging.getLogger(__name__)

MIGRATION_LOCK_KEY = 7_172_002


def sqlalchemy_url(dsn: str) -> str:
    """Alembic talks to PostgreSQL through psycopg; services use asyncpg with the same DSN."""
    for prefix in ("postgresql://", "postgres://"):
        if dsn.startswith(prefix):
            return "postgresql+psycopg://" + dsn[len(prefix) :]
    return dsn


def alembic_config(dsn: str, script_location: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(dsn).replace("%", "%%"))
    return config


def upgrade_to_head(dsn: str, script_location: Path) -> None:
    command.upgrade(alembic_config(dsn, script_location), "head")


async def migrate_to_head(dsn: str, script_location: Path) -> None:
    log.info("applying database migrations", extra={"script_location": str(script_location)})
    await asyncio.to_thread(upgrade_to_head, dsn, script_location)


def run_alembic_env() -> None:
    """The body of every service's `env.py`."""
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("sqlalchemy.url is not configured")
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            context.run_migrations()
    engine.dispose()
