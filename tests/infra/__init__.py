"""Test infrastructure: pytest fixtures that give tests a real Kafka broker and PostgreSQL."""
