"""Magnesium & Sleep: magnesium doses, sleep and bedtime for each person in the house."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN
from .runtime import MagnesiumSleepConfigEntry, MagnesiumSleepRuntime

PLATFORMS: list[Platform] = []


async def async_setup_entry(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> bool:
    """Set up one person profile."""
    entry.runtime_data = MagnesiumSleepRuntime(hass, entry)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer="Magnesium & Sleep",
        model="Person profile",
        entry_type=dr.DeviceEntryType.SERVICE,
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> bool:
    """Unload a profile."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
