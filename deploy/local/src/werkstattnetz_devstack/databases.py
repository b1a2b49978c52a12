"""Creates and drops per-service roles and databases on any PostgreSQL we hold an admin DSN for."""

from urllib.parse import quote, urlsplit

import asyncpg

from werkstattnetz_devstack.asyncio_bridge import run_coroutine_blocking


def quote_identifier(name: str) -> str:
    """SQL-quote a role or database name (utility statements take no bind parameters)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """SQL-quote a string literal such as a password."""
    return "'" + text.replace("'", "''") + "'"


def dsn_for(admin_dsn: str, database: str, user: str, password: str) -> str:
    """A DSN on the same server as `admin_dsn`, for another database and login."""
    server = urlsplit(admin_dsn)
    host = server.hostname or "127.0.0.1"
    port = server.port or 5432
    login = f"{quote(user, safe='')}:{quote(password, safe='')}"
    return f"postgresql://{login}@{host}:{port}/{database}"


async def ensure_role_and_database(admin_dsn: str, database: str, owner: str, password: str) -> str:
    """Create (or update the password of) role `owner` and create `database` owned by it.

    Safe to repeat: an existing database is kept with its data. Returns the owner's DSN.
    """
    connection = await asyncpg.connect(admin_dsn)
    try:
        role_exists = await connection.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", owner)
        verb = "ALTER" if role_exists else "CREATE"
        await connection.execute(
            f"{verb} ROLE {quote_identifier(owner)} LOGIN PASSWORD {quote_literal(password)}"
        )
        database_exists = await connection.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", database
        )
        if not database_exists:
            await connection.execute(
                f"CREATE DATABASE {quote_identifier(database)} OWNER {quote_identifier(owner)}"
            )
    finally:
        await connection.close()
    return dsn_for(admin_dsn, database, owner, password)


async def drop_database_and_role(admin_dsn: str, database: str, owner: str) -> None:
    """Drop a database (closing its connections) and then its role, if they exist."""
    connection = await asyncpg.connect(admin_dsn)
    try:
        # WITH (FORCE) ends sessions a test forgot to close instead of failing on them.
        await connection.execute(
            f"DROP DATABASE IF EXISTS {quote_identifier(database)} WITH (FORCE)"
        )
        await connection.execute(f"DROP ROLE IF EXISTS {quote_identifier(owner)}")
    finally:
        await connection.close()


def ensure_role_and_database_blocking(
    admin_dsn: str, database: str, owner: str, password: str
) -> str:
    """`ensure_role_and_database` for synchronous callers, also inside a running event loop."""
    return run_coroutine_blocking(ensure_role_and_database(admin_dsn, database, owner, password))


async def copy_database(admin_dsn: str, source: str, copy: str) -> None:
    """Create `copy` with the tables and rows of `source` (`CREATE DATABASE … TEMPLATE`), owned by
    the same role, so the source's login reaches it. Fails while anyone is connected to `source`."""
    connection = await asyncpg.connect(admin_dsn)
    try:
        owner = await connection.fetchval(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", source
        )
        if owner is None:
            raise LookupError(f"no database {source!r} to copy")
        await connection.execute(
            f"CREATE DATABASE {quote_identifier(copy)} TEMPLATE {quote_identifier(source)} "
            f"OWNER {quote_identifier(owner)}"
        )
    finally:
        await connection.close()


def copy_database_blocking(admin_dsn: str, source: str, copy: str) -> None:
    """`copy_database` for synchronous callers, also inside a running event loop."""
    run_coroutine_blocking(copy_database(admin_dsn, source, copy))


def drop_database_and_role_blocking(admin_dsn: str, database: str, owner: str) -> None:
    """`drop_database_and_role` for synchronous callers, also inside a running event loop."""
    run_coroutine_blocking(drop_database_and_role(admin_dsn, database, owner))
