"""Setting up, reloading and unloading a profile."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.magnesium_sleep.const import DOMAIN


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
