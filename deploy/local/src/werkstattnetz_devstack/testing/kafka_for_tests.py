"""The Kafka broker tests talk to: from the environment, a testcontainer, or a local process."""

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from werkstattnetz_devstack.asyncio_bridge import run_coroutine_blocking
from werkstattnetz_devstack.kafka import (
    DEFAULT_KAFKA_VERSION,
    KafkaBroker,
    wait_until_kafka_answers,
)
from werkstattnetz_devstack.paths import cache_folder
from werkstattnetz_devstack.ports import find_free_ports, port_is_free
from werkstattnetz_devstack.testing.docker_engine import (
    containers_can_be_used,
    testcontainers_class,
)
from werkstattnetz_devstack.testing.outage import BrokerOutage, OutageNotPossibleError
from werkstattnetz_devstack.testing.session_slot import claim_session_slot

TOPIC_ALREADY_EXISTS = 36
READY_TIMEOUT = 120.0


@dataclass
class KafkaForTests:
    """A running broker: where it is, how it was provided, and how to take it down for a while."""

    bootstrap_servers: str
    mode: str
    make_unavailable: Callable[[], None] | None = None
    bring_back: Callable[[], None] | None = None
    crash_and_start_again: Callable[[], None] | None = None

    def outage(self) -> BrokerOutage:
        """`with`/`async with` block during which the broker is unreachable."""
        if self.make_unavailable is None or self.bring_back is None:
            raise OutageNotPossibleError(
                f"Kafka at {self.bootstrap_servers} comes from KAFKA_BOOTSTRAP_SERVERS, a broker "
                "the test fixtures did not start and so cannot stop. Unset KAFKA_BOOTSTRAP_SERVERS "
                "to let them start their own broker for outage tests."
            )
        return BrokerOutage(self.make_unavailable, self.bring_back)

    def kill_and_restart(self) -> None:
        """SIGKILL the broker and start it again on the same data and ports; returns once it
        answers again. Blocking: from async code run it with `asyncio.to_thread`."""
        self.check_kill_and_restart_possible()
        assert self.crash_and_start_again is not None
        self.crash_and_start_again()

    def check_kill_and_restart_possible(self) -> None:
        """Raise `OutageNotPossibleError` (before a test starts its work) unless the fixtures
        can kill this broker and start it again."""
        if self.crash_and_start_again is None:
            raise OutageNotPossibleError(
                f"Kafka at {self.bootstrap_servers} ({self.mode}) cannot be killed and "
                "restarted by the test fixtures: only a broker they run as a local process can. "
                "A broker named by KAFKA_BOOTSTRAP_SERVERS is not theirs; a testcontainer "
                "restarted after a kill gets new host ports while its advertised listener still "
                "names the old ones. Run without KAFKA_BOOTSTRAP_SERVERS and without a Docker "
                "engine for this test."
            )

    def create_topics(self, names: Iterable[str], partitions: int = 1) -> None:
        """Create topics (the brokers do not auto-create them); existing ones are fine."""
        run_coroutine_blocking(create_topics(self.bootstrap_servers, list(names), partitions))


async def create_topics(bootstrap_servers: str, names: list[str], partitions: int) -> None:
    """Create `names` with one replica each, tolerating topics that already exist."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        response = await admin.create_topics([NewTopic(name, partitions, 1) for name in names])
    finally:
        await admin.close()
    for topic, error_code, *_ in response.topic_errors:
        if error_code not in {0, TOPIC_ALREADY_EXISTS}:
            raise RuntimeError(f"creating topic {topic} failed with Kafka error {error_code}")


@contextmanager
def provide_kafka(cache: Path | None = None) -> Iterator[KafkaForTests]:
    """Yield a ready broker, stopping it afterwards when it was started here."""
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if configured:
        wait_until_kafka_answers(configured, READY_TIMEOUT)
        yield KafkaForTests(configured, "environment (KAFKA_BOOTSTRAP_SERVERS)")
        return
    use_containers, reason = containers_can_be_used()
    if use_containers:
        with kafka_in_container() as kafka:
            yield kafka
        return
    with kafka_as_local_process(cache or cache_folder(), reason) as kafka:
        yield kafka


@contextmanager
def kafka_in_container() -> Iterator[KafkaForTests]:
    """A KRaft broker in a testcontainer; an outage pauses the container."""
    image = os.environ.get("TEST_KAFKA_IMAGE", "confluentinc/cp-kafka:7.6.0")
    container: Any = testcontainers_class("kafka", "KafkaContainer")(image).with_kraft()
    # Match the local broker: no auto-created topics, transactions possible on one node.
    container.with_env("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
    container.with_env("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
    container.with_env("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
    with container:
        bootstrap_servers: str = container.get_bootstrap_server()
        wait_until_kafka_answers(bootstrap_servers, READY_TIMEOUT)

        def bring_back() -> None:
            container.get_wrapped_container().unpause()
            wait_until_kafka_answers(bootstrap_servers, READY_TIMEOUT)

        yield KafkaForTests(
            bootstrap_servers,
            f"testcontainers ({image})",
            make_unavailable=lambda: container.get_wrapped_container().pause(),
            bring_back=bring_back,
        )


@contextmanager
def kafka_as_local_process(cache: Path, reason: str) -> Iterator[KafkaForTests]:
    """A fresh local broker on test ports; an outage stops and restarts the process, a crash
    kills it with SIGKILL and starts it again."""
    version = os.environ.get("KAFKA_VERSION", DEFAULT_KAFKA_VERSION)
    with claim_session_slot(cache / "test", "kafka", stop_kafka_left_in) as slot:
        port = int(os.environ.get("TEST_KAFKA_PORT", "19092"))
        controller_port = int(os.environ.get("TEST_KAFKA_CONTROLLER_PORT", "19093"))
        # Another session of this checkout, or another checkout on this machine, may hold them.
        if not (slot.is_default and port_is_free(port) and port_is_free(controller_port)):
            port, controller_port = find_free_ports(2)
        broker = KafkaBroker(slot.folder, port, controller_port, version=version, cache=cache)
        # Each test session starts from empty topics and offsets, like a fresh container would.
        shutil.rmtree(broker.data_dir, ignore_errors=True)
        try:
            broker.start()
            broker.wait_until_ready(READY_TIMEOUT)

            def bring_back() -> None:
                broker.start()
                broker.wait_until_ready(READY_TIMEOUT)

            yield KafkaForTests(
                broker.bootstrap_servers,
                f"local process, Kafka {version} ({reason}), data {broker.data_dir}",
                make_unavailable=broker.stop,
                bring_back=bring_back,
                crash_and_start_again=lambda: broker.kill_and_restart(READY_TIMEOUT),
            )
        finally:
            broker.stop()


def stop_kafka_left_in(folder: Path) -> None:
    """Stop a broker that a killed session left running on `folder`."""
    KafkaBroker(folder).stop_leftover_from_earlier_run()
