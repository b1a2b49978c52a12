"""The one way we build a Kafka producer: idempotent, acks from all in-sync replicas."""

from aiokafka import AIOKafkaProducer


def idempotent_producer(bootstrap_servers: str, client_id: str) -> AIOKafkaProducer:
    # enable_idempotence forces acks="all" and keeps per-partition order across retries.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        request_timeout_ms=15_000,
    )
