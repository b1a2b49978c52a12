"""notifications' unit of work: deliveries, the outbox and the inbox in one transaction."""

import asyncpg

from notifications.adapters.delivery_repository import DeliveryRepository
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.messaging.topics import NOTIFICATIONS_EVENTS
from werkstattnetz_shared.settings import ServiceSettings

CONSUMER_NAME = "notifications"


class NotificationsUnitOfWork(PostgresUnitOfWork):
    deliveries: DeliveryRepository

    def __init__(self, pool: asyncpg.Pool, settings: ServiceSettings) -> None:
        super().__init__(pool, outbox_topic=settings.topic(NOTIFICATIONS_EVENTS), consumer_name=CONSUMER_NAME)

    def _open_repositories(self, connection: asyncpg.Connection) -> None:
        self.deliveries = DeliveryRepository(connection)
