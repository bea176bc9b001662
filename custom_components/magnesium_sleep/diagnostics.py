"""Diagnostics: settings and counts, never the doses or nights themselves."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant

from .const import CONF_PERSON, CONF_WEBHOOK_ID
from .runtime import MagnesiumSleepConfigEntry

TO_REDACT = {CONF_NAME, CONF_PERSON, CONF_WEBHOOK_ID}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: MagnesiumSleepConfigEntry
) -> dict[str, Any]:
    """Return what helps to debug a profile without exposing health data."""
    runtime = entry.runtime_data
    summary = runtime.doses.summary
    return {
        "data": async_redact_data(dict(entry.data), TO_REDACT),
        "options": dict(entry.options),
        "doses": {
            "count": len(runtime.doses.log),
            "days_with_doses": len(runtime.doses.log.days_with_doses()),
            "today_count": summary.today.dose_count,
            "above_upper_limit_today": summary.today.above_upper_limit,
        },
        "sleep": {
            "nights": len(runtime.sleep.assembler.nights()),
            "last_night": night.night.isoformat()
            if (night := runtime.sleep.summary.night)
            else None,
            "in_bed": runtime.sleep.summary.in_bed,
        },
        "statistics": {
            "active": runtime.statistics.active,
            "evenings": runtime.statistics.evenings,
            "statistic_ids": list(runtime.statistics.ids.values()),
        },
        "time_zone": str(hass.config.time_zone),
    }
