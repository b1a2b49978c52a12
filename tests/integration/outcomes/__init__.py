"""outcomes against real Kafka and PostgreSQL."""
