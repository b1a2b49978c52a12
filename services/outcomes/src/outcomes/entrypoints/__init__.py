"""outcomes' entry points: thin translators from HTTP requests and Kafka events to use cases."""
