"""Test-wide wiring: the real-infrastructure fixtures live in tests/infra/fixtures.py."""

pytest_plugins = ["tests.infra.fixtures"]
