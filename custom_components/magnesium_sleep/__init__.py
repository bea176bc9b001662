"""Magnesium & Sleep: magnesium doses, sleep and bedtime for each person in the house."""

from __future__ import annotations

from homeassistant.components import webhook
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    issue_registry as ir,
)
from homeassistant.helpers.typing import ConfigType

from .apple_health import async_register_webhook
from .const import CONF_WEBHOOK_ID, DOMAIN
from .runtime import MagnesiumSleepConfigEntry, MagnesiumSleepRuntime
from .services import async_setup_services
from .sleep_sources import source_issue_id
from .state_adapter import Role
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
    entry.async_on_unload(runtime.async_shutdown)
    await runtime.async_setup()
    entry.runtime_data = runtime
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer="Magnesium & Sleep",
        model="Person profile",
        entry_type=dr.DeviceEntryType.SERVICE,
    )
    async_register_webhook(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> bool:
    """Bring an entry of an older version up to date."""
    if entry.version > 1:
        return False  # made by a newer version; we cannot read it
    if entry.minor_version < 2:  # 1.2: each profile has an Apple Health webhook
        hass.config_entries.async_update_entry(
            entry,
            data={**entry.data, CONF_WEBHOOK_ID: webhook.async_generate_id()},
            minor_version=2,
        )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> bool:
    """Unload a profile; its runtime stops through async_on_unload."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> None:
    """Delete a removed profile's history from disk, and its repair issues."""
    for kind in ("doses", "nights", "removed_imports", "seen", "tags", "experiments"):
        await PartitionedHistory(hass, entry.entry_id, kind).async_remove_all()
    for role in Role:
        ir.async_delete_issue(hass, DOMAIN, source_issue_id(entry.entry_id, role))
