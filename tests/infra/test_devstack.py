"""Tests of the devstack against the real things: Kafka, PostgreSQL, SMTP and the stack CLI."""

import asyncio
import os
import smtplib
import socket
import uuid
from email.message import EmailMessage
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from werkstattnetz_devstack.databases import ensure_role_and_database_blocking
from werkstattnetz_devstack.kafka import admin_can_list_topics
from werkstattnetz_devstack.kafka_config import server_properties
from werkstattnetz_devstack.kafka_runtime import runtime_pom
from werkstattnetz_devstack.ports import PortTakenError, ensure_port_is_free, find_free_ports
from werkstattnetz_devstack.smtp_sink import SmtpSink
from werkstattnetz_devstack.testing import KafkaForTests, OutageNotPossibleError, PostgresForTests


async def produce_idempotently(bootstrap_servers: str, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, enable_idempotence=True)
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, key=b"participant-1")
    finally:
        await producer.stop()


async def consume_and_commit(bootstrap_servers: str, topic: str, group: str, count: int) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    received: list[bytes] = []
    try:
        async with asyncio.timeout(30):
            while len(received) < count:
                batches = await consumer.getmany(timeout_ms=500)
                received += [message.value for messages in batches.values() for message in messages]
        await consumer.commit()
        committed = await consumer.committed(TopicPartition(topic, 0))
        assert committed == count
    finally:
        await consumer.stop()
    return received


def test_kafka_takes_idempotent_writes_and_manual_commits(kafka_broker: KafkaForTests) -> None:
    topic = f"devstack-{uuid.uuid4().hex[:8]}"
    kafka_broker.create_topics([topic])
    kafka_broker.create_topics([topic])  # creating again is harmless
    values = [f"event-{number}".encode() for number in range(5)]

    asyncio.run(produce_idempotently(kafka_broker.bootstrap_servers, topic, values))
    received = asyncio.run(consume_and_commit(kafka_broker.bootstrap_servers, topic, "g", 5))

    assert received == values


def test_kafka_outage_takes_the_broker_away_and_brings_it_back(kafka_broker: KafkaForTests) -> None:
    if kafka_broker.mode.startswith("environment"):
        with pytest.raises(OutageNotPossibleError):
            kafka_broker.outage()
        return
    topic = f"outage-{uuid.uuid4().hex[:8]}"
    kafka_broker.create_topics([topic])
    servers = kafka_broker.bootstrap_servers

    async def write_across_an_outage() -> bool:
        await produce_idempotently(servers, topic, [b"before"])
        async with kafka_broker.outage():
            reachable_during_outage = await admin_can_list_topics(servers)
        await produce_idempotently(servers, topic, [b"after"])
        return reachable_during_outage

    assert asyncio.run(write_across_an_outage()) is False
    # The data written before the outage survived it.
    assert asyncio.run(consume_and_commit(servers, topic, "g", 2)) == [b"before", b"after"]


def test_postgres_gives_each_caller_a_fresh_database(postgres_server: PostgresForTests) -> None:
    first = postgres_server.create_database("intake")
    second = postgres_server.create_database("intake")

    async def who_am_i_and_create_a_table(dsn: str) -> tuple[str, str]:
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute("CREATE TABLE marker (id int)")
            row = await connection.fetchrow("SELECT current_user, current_database()")
            assert row is not None
            return row[0], row[1]
        finally:
            await connection.close()

    first_user, first_database = asyncio.run(who_am_i_and_create_a_table(first))
    second_user, second_database = asyncio.run(who_am_i_and_create_a_table(second))

    assert first_database != second_database
    assert first_database.startswith("intake_")
    assert (first_user, second_user) == (first_database, second_database)


def test_a_copied_database_holds_the_rows_and_changes_on_its_own(postgres_server: PostgresForTests) -> None:
    source = postgres_server.create_database("prepared")

    async def run(dsn: str, sql: str) -> list[int]:
        connection = await asyncpg.connect(dsn)
        try:
            return [row[0] for row in await connection.fetch(sql)]
        finally:
            await connection.close()

    asyncio.run(run(source, "CREATE TABLE kept AS SELECT * FROM (VALUES (1), (2)) AS v(id)"))
    copy = postgres_server.copy_database(source, "copy")
    asyncio.run(run(copy, "DELETE FROM kept WHERE id = 1"))

    assert copy != source
    assert asyncio.run(run(copy, "SELECT id FROM kept")) == [2]
    assert asyncio.run(run(source, "SELECT id FROM kept ORDER BY id")) == [1, 2]


def test_ensuring_a_service_database_twice_keeps_it(postgres_server: PostgresForTests) -> None:
    name = f"svc_{uuid.uuid4().hex[:8]}"
    admin = postgres_server.admin_dsn
    dsn = ensure_role_and_database_blocking(admin, name, owner=name, password=name)

    async def write_then_read_after_second_ensure() -> int:
        connection = await asyncpg.connect(dsn)
        await connection.execute("CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)")
        await connection.close()
        assert ensure_role_and_database_blocking(admin, name, owner=name, password=name) == dsn
        connection = await asyncpg.connect(dsn)
        try:
            count: int = await connection.fetchval("SELECT count(*) FROM kept")
            return count
        finally:
            await connection.close()

    try:
        assert asyncio.run(write_then_read_after_second_ensure()) == 1
    finally:
        postgres_server.created.append(name)  # dropped at session end


def send_mail(port: int, subject: str) -> None:
    message = EmailMessage()
    message["From"] = "notifications@werkstattnetz.localhost"
    message["To"] = "staff@werkstattnetz.localhost"
    message["Subject"] = subject
    message.set_content("Ein Platz in der Fahrradwerkstatt ist frei geworden.")
    with smtplib.SMTP("127.0.0.1", port) as connection:
        connection.send_message(message)


@pytest.mark.parametrize("how", ["in process", "subprocess"])
def test_smtp_sink_stores_each_mail_as_an_eml_file(tmp_path: Path, how: str) -> None:
    sink = SmtpSink(tmp_path / "mail", port=find_free_ports(1)[0])
    if how == "in process":
        sink.start()
    else:
        sink.start_subprocess(tmp_path / "sink.log")
    try:
        send_mail(sink.port, "Platz frei – Fahrrad und Metall")
        send_mail(sink.port, "Zweite Nachricht")
        mails = sink.wait_for_mails(2)
    finally:
        sink.stop()

    assert [mail["Subject"] for mail in mails] == ["Platz frei – Fahrrad und Metall", "Zweite Nachricht"]
    assert mails[0]["X-Envelope-To"] == "staff@werkstattnetz.localhost"
    assert all(path.suffix == ".eml" for path in sink.mail_files())


def test_a_taken_port_is_reported_with_the_variable_to_change() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(PortTakenError, match=f"127.0.0.1:{port}.*KAFKA_PORT"):
            ensure_port_is_free("127.0.0.1", port, "Kafka", "KAFKA_PORT")


def test_broker_settings_follow_the_kafka_version(tmp_path: Path) -> None:
    newer = server_properties("4.1.1", "127.0.0.1", 9092, 9093, tmp_path)
    older = server_properties("3.9.1", "127.0.0.1", 9092, 9093, tmp_path)

    assert "share.coordinator.state.topic.replication.factor=1" in newer
    assert "share.coordinator" not in older
    assert "auto.create.topics.enable=false" in newer
    assert "reload4j" in runtime_pom("3.9.1")
    assert "log4j-slf4j-impl" in runtime_pom("4.1.1")
    assert os.path.join(str(tmp_path)) in newer
