"""Domain tests are plain pytest: they need no Home Assistant instance."""

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the shell's autouse fixture, which would start hass for every test."""
