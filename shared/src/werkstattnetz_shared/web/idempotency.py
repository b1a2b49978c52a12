"""`Idempotency-Key` for creating requests: a client that retries after a timeout gets the first
answer again instead of creating a second person, enrolment or exit.

A route runs its use case through `answer_once`, which opens the unit of work, claims the key,
runs the use case inside that same transaction, stores the answer and commits — so the work and
its remembered answer exist together or not at all. Only successful answers are kept: a request
that failed changed nothing and may simply be sent again. The same key with another method, path
or body is a 409. Keys are scoped to the staff member and kept for `IDEMPOTENCY_KEY_RETENTION_HOURS`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Header, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from werkstattnetz_shared.db.idempotency import KeyReusedForAnotherRequest
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.rules import RuleViolated
from werkstattnetz_shared.web.auth import StaffMember
from werkstattnetz_shared.web.errors import ApiError, Violation, rule_violation_error

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        pattern=r"^[\x21-\x7e]{1,200}$",
        description="Any unique string (e.g. a UUID) per intended creation. A retry with the same "
        "key and body gets the first answer (with `Idempotent-Replayed: true`); the same key with "
        "another body is a 409.",
    ),
]

Answer = TypeVar("Answer", bound=BaseModel)


def request_fingerprint(request: Request, body: BaseModel | None) -> str:
    canonical = json.dumps(body.model_dump(mode="json") if body is not None else None, sort_keys=True)
    return hashlib.sha256(f"{request.method} {request.url.path} {canonical}".encode()).hexdigest()


async def answer_once(
    uow: PostgresUnitOfWork,
    *,
    request: Request,
    staff: StaffMember,
    key: str | None,
    body: BaseModel | None,
    work: Callable[[], Awaitable[Answer]],
    status_code: int = status.HTTP_201_CREATED,
    status_of_rule: Mapping[type[Violation], int] | None = None,
) -> Answer | JSONResponse:
    """Run `work` (a use case running inside `uow`'s open transaction) once per key. A domain rule
    it breaks that `status_of_rule` names is answered as that error (after the rollback)."""
    try:
        return await _answer_once(uow, request, staff, key, body, work, status_code)
    except RuleViolated as violation:
        if status_of_rule is None:
            raise
        for rule in status_of_rule:
            if isinstance(violation, rule):
                raise rule_violation_error(violation, status_of_rule) from violation
        raise


async def _answer_once(
    uow: PostgresUnitOfWork,
    request: Request,
    staff: StaffMember,
    key: str | None,
    body: BaseModel | None,
    work: Callable[[], Awaitable[Answer]],
    status_code: int,
) -> Answer | JSONResponse:
    async with uow:
        if key is not None:
            try:
                earlier = await uow.idempotency.claim(staff.subject, key, request_fingerprint(request, body))
            except KeyReusedForAnotherRequest as reused:
                raise ApiError(
                    status.HTTP_409_CONFLICT,
                    "idempotency_key_reused",
                    f"the {IDEMPOTENCY_HEADER} was first used for a different request; use a new key",
                    IDEMPOTENCY_HEADER,
                ) from reused
            if earlier is not None:
                return JSONResponse(earlier.body, earlier.status_code, headers={REPLAYED_HEADER: "true"})
        answer = await work()
        if key is not None:
            stored: Any = answer.model_dump(mode="json")
            await uow.idempotency.remember(staff.subject, key, status_code, stored)
        await uow.commit()
    return answer
