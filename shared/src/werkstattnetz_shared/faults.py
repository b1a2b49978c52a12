"""Whose fault is a failure: the infrastructure's (wait and try again) or the work's own?

Consumers use this to decide between pausing (database or broker unavailable: never the message's
fault, never dead-lettered) and counting an attempt; the HTTP edge uses it to answer 503 with
`Retry-After` instead of 500. PostgreSQL errors are classified by SQLSTATE class rather than by a
list of exception types, so a failover's read-only error or an admin shutdown is recognised
without anyone having thought of it in advance.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import asyncpg
from aiokafka.errors import KafkaError

log = logging.getLogger(__name__)

# SQLSTATE classes: 08 connection exception, 40 transaction rollback (serialization failure,
# deadlock), 53 insufficient resources (disk full, out of memory, too many connections),
# 57 operator intervention (admin/crash shutdown, query cancelled, idle-session timeout,
# cannot connect now), 58 system error (I/O error).
INFRASTRUCTURE_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "57", "58"})
# Single states outside those classes: lock not available (lock_timeout), and a read-only
# transaction, which is what a primary that became a standby during a failover answers.
INFRASTRUCTURE_SQLSTATES = frozenset({"55P03", "25006"})

# Driver errors that say something about the connection, not about the statement: "connection
# was closed in the middle of operation", "cannot switch to state 15; another operation is in
# progress" (seen under a PostgreSQL kill -9), a protocol or schema-cache hiccup.
_DRIVER_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
)
# InterfaceError also covers mistakes in our own statements (a wrong argument type, a feature the
# driver lacks): those are bugs and must count as the work's fault.
_DRIVER_USAGE_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.DataError,
    asyncpg.ClientConfigurationError,
    asyncpg.UnsupportedClientFeatureError,
)

_MAX_CAUSE_DEPTH = 5


def is_infrastructure_failure(error: BaseException) -> bool:
    """True when `error`, or an error it was explicitly raised from, is an outage.

    Only `raise … from …` (`__cause__`) is followed, not the implicit `__context__`: a bug raised
    while handling an outage is still a bug.
    """
    current: BaseException | None = error
    for _ in range(_MAX_CAUSE_DEPTH):
        if current is None:
            return False
        if _is_outage(current):
            return True
        current = current.__cause__
    return False


def _is_outage(error: BaseException) -> bool:
    if isinstance(error, asyncpg.PostgresError):
        sqlstate = str(getattr(error, "sqlstate", "") or "")
        return sqlstate[:2] in INFRASTRUCTURE_SQLSTATE_CLASSES or sqlstate in INFRASTRUCTURE_SQLSTATES
    if isinstance(error, _DRIVER_USAGE_ERRORS):
        return False
    return isinstance(error, (*_DRIVER_CONNECTION_ERRORS, OSError, TimeoutError, KafkaError))


async def run_through_outages(
    work: Callable[[], Awaitable[None]],
    *,
    what: str,
    max_backoff_s: float = 15.0,
    initial_backoff_s: float = 0.5,
) -> None:
    """Run `work` again and again until cancelled: an infrastructure failure only pauses it (with
    exponential backoff, reset after a run that ended normally); anything else is a bug and is
    raised, for the supervisor to log and restart."""
    backoff = initial_backoff_s
    while True:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if not is_infrastructure_failure(error):
                raise
            log.warning("%s paused: %r", what, error, extra={"retry_in_s": backoff})
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, max_backoff_s)
        else:
            backoff = initial_backoff_s
