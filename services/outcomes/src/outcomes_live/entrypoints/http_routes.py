"""GET /v1/live/figures: the live figures for funders, as JSON or CSV (role `reporting`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from outcomes_live.domain.counting import NO_WORK_AREA
from outcomes_live.domain.figures import FigureQuery, LiveFigures
from outcomes_live.domain.worker_state import FiguresNotRecoveredYet, WorkerState
from outcomes_live.entrypoints.figures_csv import CSV_EXAMPLE, figures_csv
from outcomes_live.entrypoints.http_schemas import LiveFiguresView
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.content_negotiation import CSV_MEDIA_TYPE, prefers_csv
from werkstattnetz_shared.web.errors import RETRY_AFTER_S, error_body, error_responses

router = APIRouter(prefix="/v1/live", tags=["live reporting"], responses=error_responses(401, 403, 503))

ReportingStaff = Annotated[StaffMember, require_roles(StaffRole.REPORTING)]


class AreaFilter(StrEnum):
    """The four areas, and `none` for what names no area (exits of people never placed)."""

    BIKE_METAL = WorkArea.BIKE_METAL.value
    GARDEN_LANDSCAPE = WorkArea.GARDEN_LANDSCAPE.value
    BUILDING_SERVICES = WorkArea.BUILDING_SERVICES.value
    CARE = WorkArea.CARE.value
    NONE = NO_WORK_AREA


@router.get(
    "/figures",
    response_model=LiveFiguresView,
    responses={
        200: {
            "description": "The figures as JSON, or as CSV for `Accept: text/csv`.",
            "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}, "example": CSV_EXAMPLE}},
        },
        **error_responses(422),
    },
)
async def live_figures(
    request: Request,
    staff: ReportingStaff,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="Only what counts in this year.")] = None,
    work_area: Annotated[
        AreaFilter | None, Query(description="Only this work area (`none`: no area).")
    ] = None,
    funder: Annotated[
        Funder | None, Query(description="Only stays this funder pays for (co-funded too).")
    ] = None,
) -> LiveFiguresView | Response:
    """Referred, enrolled, placed, waiting, exited and integrated, integration rates (programme and
    Jobcenter view), six-month retention and average waiting time and time to exit, as counted
    from the events so far; split by year, work area and funder within the filters."""
    state: WorkerState = request.app.state.worker_state
    figures: LiveFigures = request.app.state.live_figures
    try:
        state.require_recovered()
    except FiguresNotRecoveredYet as not_yet:
        return JSONResponse(
            error_body("service_unavailable", str(not_yet)),
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    query = FigureQuery(
        year=year, work_area=work_area.value if work_area else None, funder=funder.value if funder else None
    )
    breakdown = figures.breakdown(query)
    if prefers_csv(request.headers.get("accept")):
        return Response(
            figures_csv(breakdown),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": 'attachment; filename="live-figures.csv"'},
        )
    return LiveFiguresView.of(query, breakdown)
