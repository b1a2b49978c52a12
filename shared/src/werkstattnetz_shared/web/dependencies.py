"""Dependencies every service's routes use: the unit of work and bounded paging parameters."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, status

from werkstattnetz_shared.web.errors import ApiError

UnitOfWorkT = TypeVar("UnitOfWorkT")


async def _new_unit_of_work(request: Request) -> Any:  # async: no worker-thread hand-off
    # The composition root (bootstrap, run from the lifespan) puts the factory on app.state, so
    # nothing is connected at import time and tests can swap it.
    return request.app.state.unit_of_work()


UnitOfWork = Annotated[UnitOfWorkT, Depends(_new_unit_of_work)]
"""A fresh unit of work per request: `uow: UnitOfWork[IntakeUnitOfWork]`."""

MAX_PAGE_SIZE = 200
MAX_OFFSET = 100_000

PageLimit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")]
PageOffset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]


async def each_query_parameter_once(request: Request) -> None:
    """A query parameter the route declares may be given once. FastAPI would silently take the
    last of `?status=a&status=b`; a filter the client meant twice is a mistake to point out.
    (No route has a list parameter; unknown parameters stay ignored.)"""
    route = request.scope.get("route")
    declared = {param.alias for param in getattr(getattr(route, "dependant", None), "query_params", [])}
    for name in declared:
        if len(request.query_params.getlist(name)) > 1:
            raise ApiError(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "parameter_given_once",
                f"the query parameter {name} may be given only once",
                f"query.{name}",
            )
