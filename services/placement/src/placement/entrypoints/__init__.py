"""placement's entry points: thin translators from HTTP and Kafka to use cases."""
