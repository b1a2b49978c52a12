from werkstattnetz_shared.db.migrations import run_alembic_env

run_alembic_env()
