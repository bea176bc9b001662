"""Magnesium & Sleep: magnesium doses, sleep and bedtime for each person in the house."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .runtime import MagnesiumSleepConfigEntry, MagnesiumSleepRuntime
from .services import async_setup_services
from .storage import PartitionedHistory

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.NUMBER,
    Platform.SENSOR,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, once for all profiles."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> bool:
    """Set up one person profile."""
    runtime = MagnesiumSleepRuntime(hass, entry)
    await runtime.async_setup()
    entry.runtime_data = runtime
    entry.async_on_unload(runtime.async_shutdown)
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


async def async_remove_entry(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> None:
    """Delete a removed profile's history from disk."""
    await PartitionedHistory(hass, entry.entry_id, "doses").async_remove_all()
