"""Setting up, reloading and unloading a profile."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.magnesium_sleep.const import DOMAIN

from .conftest import PROFILE_OPTIONS


async def test_setup_creates_a_device_and_unload_cleans_up(
    hass: HomeAssistant, init_integration: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """One service device per profile; unloading leaves nothing running."""
    assert init_integration.state is ConfigEntryState.LOADED
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, init_integration.entry_id), config_entry_id=init_integration.entry_id
    )
    assert device is not None
    assert device.name == "Anna"
    assert device.entry_type is dr.DeviceEntryType.SERVICE

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED


async def test_reload_builds_a_fresh_runtime(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A reload replaces the runtime and ends loaded."""
    before = init_integration.runtime_data
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data is not before


async def test_migration_gives_old_profiles_a_webhook(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Version 1.1 entries get an Apple Health webhook ID and become current."""
    assert init_integration.minor_version == 3
    assert len(init_integration.data["webhook_id"]) == 64


@pytest.mark.parametrize(("own_unit", "shown_in"), [(None, "h"), ("min", "min")])
async def test_migration_shows_an_old_sleep_duration_in_hours(
    hass: HomeAssistant,
    time_zone: str,
    entity_registry: er.EntityRegistry,
    own_unit: str | None,
    shown_in: str,
) -> None:
    """1.3: a sleep duration registered in minutes moves to hours, unless chosen by hand."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Anna",
        data={"name": "Anna", "webhook_id": "a" * 64},
        options=dict(PROFILE_OPTIONS),
        version=1,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    old = entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{entry.entry_id}_sleep_duration",
        config_entry=entry,
        suggested_object_id="anna_sleep_duration",
        unit_of_measurement="min",
    )
    entity_registry.async_update_entity_options(
        old.entity_id, "sensor.private", {"suggested_unit_of_measurement": "min"}
    )
    if own_unit is not None:
        entity_registry.async_update_entity_options(
            old.entity_id, "sensor", {"unit_of_measurement": own_unit}
        )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.minor_version == 3
    assert entity_registry.async_get(old.entity_id).unit_of_measurement == shown_in


async def test_an_entry_from_a_newer_version_is_not_loaded(hass: HomeAssistant) -> None:
    """A downgrade does not mangle a newer entry: it stays unloaded."""
    entry = MockConfigEntry(domain=DOMAIN, title="Anna", data={"name": "Anna"}, version=2)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
