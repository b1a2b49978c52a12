"""notifications' unit of work: deliveries, the outbox and the inbox in one transaction."""

import asyncpg

from notifications.adapters.assignment_repository import AssignmentRepository
from notifications.adapters.delivery_repository import DeliveryRepository
from notifications.adapters.directory_repository import StaffRepository
from notifications.adapters.inbox_repository import InboxRepository
from notifications.adapters.rule_repository import RuleRepository
from notifications.adapters.webhook_repository import WebhookRepository
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.messaging.topics import NOTIFICATIONS_EVENTS
from werkstattnetz_shared.settings import ServiceSettings

CONSUMER_NAME = "notifications"


class NotificationsUnitOfWork(PostgresUnitOfWork):
    deliveries: DeliveryRepository
    assignments: AssignmentRepository
    staff: StaffRepository
    rules: RuleRepository
    webhooks: WebhookRepository
    # Not `inbox`: that is the consumer's duplicate check (PostgresUnitOfWork.inbox).
    staff_inbox: InboxRepository

    def __init__(self, pool: asyncpg.Pool, settings: ServiceSettings) -> None:
        super().__init__(pool, outbox_topic=settings.topic(NOTIFICATIONS_EVENTS), consumer_name=CONSUMER_NAME)

    def _open_repositories(self, connection: asyncpg.Connection) -> None:
        self.deliveries = DeliveryRepository(connection)
        self.assignments = AssignmentRepository(connection)
        self.staff = StaffRepository(connection)
        self.rules = RuleRepository(connection)
        self.webhooks = WebhookRepository(connection)
        self.staff_inbox = InboxRepository(connection)
