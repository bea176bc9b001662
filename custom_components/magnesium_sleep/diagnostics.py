"""Diagnostics: settings and counts, never the doses themselves."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant

from .const import CONF_PERSON
from .runtime import MagnesiumSleepConfigEntry

TO_REDACT = {CONF_NAME, CONF_PERSON}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: MagnesiumSleepConfigEntry
) -> dict[str, Any]:
    """Return what helps to debug a profile without exposing health data."""
    runtime = entry.runtime_data
    summary = runtime.summary
    return {
        "data": async_redact_data(dict(entry.data), TO_REDACT),
        "options": dict(entry.options),
        "doses": {
            "count": len(runtime.doses),
            "days_with_doses": len(runtime.doses.days_with_doses()),
            "today_count": summary.today.dose_count,
            "above_upper_limit_today": summary.today.above_upper_limit,
        },
        "time_zone": str(hass.config.time_zone),
    }
