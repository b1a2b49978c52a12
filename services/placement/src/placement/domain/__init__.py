"""placement's domain: workshops and their seats, fair waitlists, and the placement decisions.

Plain Python only (no web, database or Kafka imports), so every rule is unit-tested without I/O.
"""
