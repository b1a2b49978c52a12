"""Reliable messaging plumbing: transactional outbox and relay, idempotent inbox, retrying
consumer with a dead-letter topic, explicit topic creation."""
