"""Writes the configuration files of a single-node KRaft broker: server and logging properties."""

import base64
import uuid
from pathlib import Path

from werkstattnetz_devstack.kafka_runtime import kafka_major_version


def new_cluster_id() -> str:
    """A Kafka cluster id: 16 random bytes, URL-safe base64 without padding.

    This is what `StorageTool random-uuid` prints; making it here saves a JVM start. Kafka rejects
    ids that start with a dash (they read as command-line options), so we draw again then.
    """
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
        if not text.startswith("-"):
            return text


def server_properties(
    version: str, host: str, port: int, controller_port: int, log_dirs: Path
) -> str:
    """The broker settings: one combined broker+controller node, everything replicated once."""
    settings: dict[str, str | int] = {
        "process.roles": "broker,controller",
        "node.id": 1,
        "controller.quorum.voters": f"1@{host}:{controller_port}",
        "listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://{host}:{port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(log_dirs),
        # One broker: internal topics cannot be replicated more than once.
        "offsets.topic.replication.factor": 1,
        "transaction.state.log.replication.factor": 1,
        "transaction.state.log.min.isr": 1,
        "default.replication.factor": 1,
        "min.insync.replicas": 1,
        # Fewer internal partitions: the first consumer group and transaction come up faster.
        "offsets.topic.num.partitions": 10,
        "transaction.state.log.num.partitions": 10,
        "num.partitions": 1,
        # Topics are created on purpose by the services; a typo must not create a new topic.
        "auto.create.topics.enable": "false",
        # Tests start consumer groups all the time; the default 3 s delay would slow each one.
        "group.initial.rebalance.delay.ms": 0,
        # A development broker on a 2-core machine: keep the thread pools small.
        "num.network.threads": 2,
        "num.io.threads": 2,
        "background.threads": 2,
        "num.recovery.threads.per.data.dir": 1,
        "log.cleaner.threads": 1,
        "log.cleaner.dedupe.buffer.size": 16 * 1024 * 1024,
    }
    if kafka_major_version(version) >= 4:
        settings |= {
            "group.coordinator.threads": 1,
            # Share groups (KIP-932) keep state in their own internal topic from 4.1 on.
            "share.coordinator.state.topic.replication.factor": 1,
            "share.coordinator.state.topic.min.isr": 1,
            "share.coordinator.state.topic.num.partitions": 1,
            "share.coordinator.threads": 1,
        }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def logging_properties(version: str, log_file: Path) -> str:
    """A quiet (WARN) logging setup writing to one file: Log4j 2 on Kafka 4, Log4j 1 on 3.x."""
    if kafka_major_version(version) >= 4:
        return (
            "status = warn\n"
            "appender.file.type = File\n"
            "appender.file.name = FILE\n"
            f"appender.file.fileName = {log_file}\n"
            "appender.file.layout.type = PatternLayout\n"
            "appender.file.layout.pattern = [%d] %p %m (%c)%n\n"
            "rootLogger.level = WARN\n"
            "rootLogger.appenderRef.file.ref = FILE\n"
            # This one INFO line tells a reader of the log that the broker came up.
            "logger.server.name = kafka.server.KafkaRaftServer\n"
            "logger.server.level = INFO\n"
        )
    return (
        "log4j.rootLogger=WARN, file\n"
        "log4j.appender.file=org.apache.log4j.FileAppender\n"
        f"log4j.appender.file.File={log_file}\n"
        "log4j.appender.file.layout=org.apache.log4j.PatternLayout\n"
        "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n\n"
        "log4j.logger.kafka.server.KafkaRaftServer=INFO\n"
    )


def logging_jvm_option(version: str, config_file: Path) -> str:
    """The system property that points the broker's logging backend at our file."""
    if kafka_major_version(version) >= 4:
        return f"-Dlog4j2.configurationFile={config_file}"
    return f"-Dlog4j.configuration=file:{config_file}"
