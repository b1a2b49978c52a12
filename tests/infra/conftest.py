"""Makes the infra fixtures available to these tests even when the root conftest does not load them."""

import pytest

from . import fixtures

PLUGIN_NAME = "tests.infra.fixtures"


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin once: a root `pytest_plugins` entry may have loaded it already."""
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(fixtures, name=PLUGIN_NAME)
