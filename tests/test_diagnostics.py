"""Diagnostics expose settings and counts, not names or doses."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.magnesium_sleep.const import DOMAIN
from custom_components.magnesium_sleep.diagnostics import async_get_config_entry_diagnostics


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_diagnostics_redact_the_person(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Name and person are redacted; the dose count is there."""
    await hass.services.async_call(DOMAIN, "log_dose", {"amount": 400}, blocking=True)
    diagnostics: dict[str, Any] = await async_get_config_entry_diagnostics(hass, init_integration)
    assert diagnostics["data"] == {"name": "**REDACTED**", "webhook_id": "**REDACTED**"}
    assert diagnostics["sleep"] == {"nights": 0, "last_night": None, "in_bed": None}
    assert diagnostics["options"]["product_form"] == "glycinate"
    assert diagnostics["doses"] == {
        "count": 1,
        "days_with_doses": 1,
        "today_count": 1,
        "above_upper_limit_today": False,
    }
