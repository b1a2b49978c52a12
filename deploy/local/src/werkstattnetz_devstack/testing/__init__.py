"""Real Kafka and PostgreSQL for integration and end-to-end tests, whatever the machine offers.

Each is taken, in this order, from an environment variable naming a running one, from
testcontainers when a Docker engine answers, or from local processes started with the devstack.
The pytest fixtures in `tests/infra/fixtures.py` are thin wrappers around these.
"""

from werkstattnetz_devstack.testing.kafka_for_tests import KafkaForTests, provide_kafka
from werkstattnetz_devstack.testing.outage import BrokerOutage, OutageNotPossibleError
from werkstattnetz_devstack.testing.postgres_for_tests import PostgresForTests, provide_postgres

__all__ = [
    "BrokerOutage",
    "KafkaForTests",
    "OutageNotPossibleError",
    "PostgresForTests",
    "provide_kafka",
    "provide_postgres",
]
