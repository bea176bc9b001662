"""Magnesium & Sleep: magnesium doses, sleep and bedtime for each person in the house."""

from __future__ import annotations

from homeassistant.components import webhook
from homeassistant.const import CONF_UNIT_OF_MEASUREMENT, Platform, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.typing import ConfigType

from .apple_health import async_register_webhook
from .bedtime import async_remove_routine_state
from .const import CONF_WEBHOOK_ID, DOMAIN
from .dimmer import async_remove_dimming_state
from .frontend import async_register_card
from .logbook import async_load_logbook_texts
from .reminders import async_remove_reminder_state
from .runtime import MagnesiumSleepConfigEntry, MagnesiumSleepRuntime
from .services import async_setup_services
from .sleep_sources import source_issue_id
from .state_adapter import Role
from .statistics import async_remove_statistics
from .storage import async_remove_history
from .voice_sentences import async_sync_sentences

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.EVENT,
    Platform.TIME,
    Platform.SWITCH,
    Platform.CALENDAR,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and the dashboard card, once for all profiles."""
    async_setup_services(hass)
    await async_load_logbook_texts(hass)
    await async_register_card(hass)
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
    # After the platforms: a moment caught up at start reaches the event entity too.
    await runtime.bedtime.async_start()
    await async_sync_sentences(hass)
    # Last: scoring a long history of nights then shares the loop with no setup step.
    runtime.insights.async_start_indexing()
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
    if entry.minor_version < 3:  # 1.3: the sleep duration is shown in hours ("7h 16m")
        _suggest_hours_for_sleep_duration(hass, entry.entry_id)
        hass.config_entries.async_update_entry(entry, minor_version=3)
    return True


def _suggest_hours_for_sleep_duration(hass: HomeAssistant, entry_id: str) -> None:
    """Show an existing sleep duration sensor in hours, unless the person chose a unit.

    Home Assistant keeps an existing sensor's first suggested unit (minutes here), so
    the new suggestion reaches old profiles only through their registry entry.
    """
    registry = er.async_get(hass)
    entity_id = registry.async_get_entity_id(Platform.SENSOR, DOMAIN, f"{entry_id}_sleep_duration")
    if entity_id is None or (registry_entry := registry.async_get(entity_id)) is None:
        return
    if CONF_UNIT_OF_MEASUREMENT in registry_entry.options.get(Platform.SENSOR, {}):
        return
    registry.async_update_entity_options(
        entity_id,
        f"{Platform.SENSOR}.private",
        {"suggested_unit_of_measurement": UnitOfTime.HOURS},
    )


async def async_unload_entry(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> bool:
    """Unload a profile; its runtime stops through async_on_unload."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> None:
    """Delete a removed profile's history (set-aside copies too), statistics, repair issues."""
    await async_remove_history(hass, entry.entry_id)
    async_remove_statistics(hass, entry.entry_id)
    await async_remove_routine_state(hass, entry.entry_id)
    await async_remove_reminder_state(hass, entry.entry_id)
    await async_remove_dimming_state(hass, entry.entry_id)
    for role in Role:
        ir.async_delete_issue(hass, DOMAIN, source_issue_id(entry.entry_id, role))
    await async_sync_sentences(hass, removed_entry_id=entry.entry_id)
