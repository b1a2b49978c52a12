"""`/metrics` in Prometheus' text format, and the HTTP metrics every service records.

Each app owns one registry: HTTP requests and latency (recorded by the edge middleware, by route
template, never by raw path, so ids do not explode the label set), the messaging metrics of its
runtime, process metrics, and gauges a service refreshes from its database when scraped (outbox
backlog, deliveries by status).

Metrics carry no personal data, but like every endpoint besides health and docs they need a
credential: a staff token with the `monitoring` (or `admin`) role, or — what a Prometheus scrape
job can hold — the static `METRICS_TOKEN`, if one is configured.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)

from werkstattnetz_shared.messaging.metrics import MessagingMetrics
from werkstattnetz_shared.web.auth import (
    StaffRole,
    bearer_credentials,
    require_role_of,
    verified_staff_member,
)
from werkstattnetz_shared.web.errors import error_responses

log = logging.getLogger(__name__)

MetricsRefresher = Callable[[], Awaitable[None]]

# Request latencies of a small service on a local network: 5 ms … 10 s.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class HttpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "werkstattnetz_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "werkstattnetz_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)


class ServiceMetrics:
    """Everything one service app measures, in one registry served at `/metrics`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        self.http = HttpMetrics(self.registry)
        self.messaging = MessagingMetrics(self.registry)
        self._refreshers: list[MetricsRefresher] = []

    def refresh_when_scraped(self, refresher: MetricsRefresher) -> None:
        """Run `refresher` before every scrape (gauges read from the database)."""
        self._refreshers.append(refresher)

    async def exposition(self) -> bytes:
        for refresher in self._refreshers:
            try:
                await refresher()
            except Exception as error:  # noqa: BLE001 - a scrape still answers, with the last values
                log.warning("a metrics gauge could not be refreshed: %r", error)
        return generate_latest(self.registry)


def _metrics_reader(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_credentials)]
) -> None:
    token = request.app.state.settings.metrics_token
    presented = credentials.credentials.encode() if credentials is not None else None
    if (
        token is not None
        and presented is not None
        and hmac.compare_digest(presented, token.get_secret_value().encode())
    ):
        return
    staff = verified_staff_member(request, credentials)
    require_role_of(staff, (StaffRole.MONITORING,))


router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {
            "content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}},
            "description": "Prometheus text",
        },
        **error_responses(401, 403),
    },
    dependencies=[Depends(_metrics_reader)],
)
async def metrics(request: Request) -> Response:
    service_metrics: ServiceMetrics = request.app.state.metrics
    return Response(await service_metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


def install_metrics(app: FastAPI) -> ServiceMetrics:
    service_metrics = ServiceMetrics()
    app.state.metrics = service_metrics
    app.include_router(router)
    return service_metrics
