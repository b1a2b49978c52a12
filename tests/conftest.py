"""Test-wide wiring: the real-infrastructure fixtures live in tests/infra/fixtures.py."""

import os

pytest_plugins = ["tests.infra.fixtures"]

# Services started by the tests create their topics with 3 partitions, not the deployment default
# of 12: hundreds of test topic prefixes share one small broker. The bench (P5) measures 12.
os.environ.setdefault("KAFKA_TOPIC_PARTITIONS", "3")
