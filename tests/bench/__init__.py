"""`make bench`: measures the system side by side with bare floors on the same broker and database.

`python -m tests.bench [--quick] [--only P2,P4] [--json PATH]` starts real Kafka and PostgreSQL,
runs each measurement module (`p<N>_<name>.py`, each exposing `async def measure(ctx)`), prints one
table and writes JSON. It reports what it measured; it never asserts timings.
"""
