"""Liveness and readiness endpoints. Live = the process answers; ready = every dependency answers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

ReadinessCheck = Callable[[], Awaitable[None]]

router = APIRouter(tags=["health"])


class Liveness(BaseModel):
    status: str = Field(description="Always `live`: the process answers.")


class Readiness(BaseModel):
    status: str = Field(description="`ready` or `not_ready`")
    checks: dict[str, str] = Field(description="Per dependency: `ok` or why it failed.")


@router.get("/health/live", response_model=Liveness)
async def live() -> dict[str, str]:
    return {"status": "live"}


@router.get(
    "/health/ready",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "A dependency does not answer."}},
)
async def ready(request: Request, response: Response) -> dict[str, object]:
    checks: dict[str, ReadinessCheck] = getattr(request.app.state, "readiness_checks", {})
    results = dict(
        zip(checks, await asyncio.gather(*(_outcome(check) for check in checks.values())), strict=True)
    )
    is_ready = bool(checks) and all(result == "ok" for result in results.values())
    if not is_ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {"status": "ready" if is_ready else "not_ready", "checks": results}


async def _outcome(check: ReadinessCheck) -> str:
    try:
        await asyncio.wait_for(check(), timeout=3.0)
    except Exception as error:  # noqa: BLE001 - reported, not raised: that is the endpoint's job
        return f"failed: {type(error).__name__}: {error}"[:300]
    return "ok"
