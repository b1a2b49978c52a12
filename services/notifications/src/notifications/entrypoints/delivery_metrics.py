"""The deliveries-by-status gauge on notifications' `/metrics`, read from the database when scraped."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Gauge

from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.delivery import DeliveryStatus


class DeliveryGauges:
    def __init__(
        self, registry: CollectorRegistry, unit_of_work: Callable[[], NotificationsUnitOfWork]
    ) -> None:
        self._unit_of_work = unit_of_work
        self._deliveries = Gauge(
            "werkstattnetz_notification_deliveries",
            "Mail deliveries by status: pending (due or waiting for a retry), sent, failed.",
            ["status"],
            registry=registry,
        )

    async def refresh(self) -> None:
        async with self._unit_of_work() as uow:
            counts = await uow.deliveries.count_by_status()
        for status in DeliveryStatus:
            self._deliveries.labels(status.value).set(counts.get(status, 0))
