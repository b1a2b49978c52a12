"""Which failures are outages (pause, never dead-letter) and which are the work's own fault."""

from __future__ import annotations

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError, RequestTimedOutError
from pydantic import BaseModel, ValidationError

from werkstattnetz_shared.faults import is_infrastructure_failure


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.DiskFullError("disk full"),  # 53100
        asyncpg.exceptions.ReadOnlySQLTransactionError("read-only after a failover"),  # 25006
        asyncpg.exceptions.AdminShutdownError("terminating connection"),  # 57P01
        asyncpg.exceptions.CrashShutdownError("crash"),  # 57P02
        asyncpg.exceptions.IdleSessionTimeoutError("idle session"),  # 57P05
        asyncpg.exceptions.QueryCanceledError("canceling statement"),  # 57014
        asyncpg.exceptions.LockNotAvailableError("lock timeout"),  # 55P03
        asyncpg.exceptions.SerializationError("could not serialize"),  # 40001
        asyncpg.exceptions.DeadlockDetectedError("deadlock"),  # 40P01
        asyncpg.exceptions.TooManyConnectionsError("too many"),  # 53300
        asyncpg.exceptions.CannotConnectNowError("starting up"),  # 57P03
        asyncpg.exceptions.PostgresIOError("i/o error"),  # 58030
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"),  # 08003
        asyncpg.InterfaceError("cannot perform operation: connection is closed"),
        asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is in progress"),
        ConnectionRefusedError("refused"),
        TimeoutError(),
        KafkaConnectionError("broker down"),
        RequestTimedOutError(),
    ],
    ids=lambda error: type(error).__name__,
)
def test_outages_are_infrastructure_failures(error: BaseException) -> None:
    assert is_infrastructure_failure(error)


class _Contract(BaseModel):
    number: int


def _contract_violation() -> ValidationError:
    try:
        _Contract.model_validate({"number": "many"})
    except ValidationError as error:
        return error
    raise AssertionError("expected a validation error")


@pytest.mark.parametrize(
    "error",
    [
        ValueError("a rule of the handler"),
        KeyError("a bug"),
        _contract_violation(),
        asyncpg.exceptions.UniqueViolationError("duplicate key"),  # 23505: our data, our fault
        asyncpg.exceptions.CharacterNotInRepertoireError("NUL byte"),  # 22021
        asyncpg.exceptions.UndefinedTableError("no such table"),  # 42P01: a bug in a migration
        asyncpg.DataError("invalid input for query argument $1"),  # wrong argument type: our bug
    ],
    ids=lambda error: type(error).__name__,
)
def test_the_works_own_faults_are_not(error: BaseException) -> None:
    assert not is_infrastructure_failure(error)


def test_an_outage_an_error_was_explicitly_raised_from_counts() -> None:
    wrapped = RuntimeError("could not place the participant")
    wrapped.__cause__ = asyncpg.exceptions.AdminShutdownError("terminating connection")
    assert is_infrastructure_failure(wrapped)


def test_a_bug_raised_while_handling_an_outage_is_still_a_bug() -> None:
    bug = KeyError("oops")
    bug.__context__ = ConnectionResetError()
    assert not is_infrastructure_failure(bug)
