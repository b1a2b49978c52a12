"""All four services, started once for every fuzzing test (see `services.py`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest

from tests.integration.api_fuzzing.services import SERVE, ServedService
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests


@pytest.fixture(scope="package")
async def served_services(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> AsyncIterator[dict[str, ServedService]]:
    async with AsyncExitStack() as stack:
        yield {
            name: await stack.enter_async_context(serve(kafka_broker, postgres_server))
            for name, serve in SERVE.items()
        }
