"""Real local infrastructure for werkstattnetz development and tests.

PostgreSQL (`postgres.PostgresServer`), a single-node Kafka broker (`kafka.KafkaBroker`), an SMTP
sink (`smtp_sink.SmtpSink`) and the four services, started as plain processes so that neither a
Docker engine nor a system-wide installation is needed. Nothing is imported here on purpose:
`python -m werkstattnetz_devstack.smtp_sink` should not pay for Kafka's client.
"""
