"""Entity registry entries and states of every platform, as snapshots."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.magnesium_sleep.const import DOMAIN


@pytest.mark.parametrize(
    "platform", [Platform.SENSOR, Platform.BINARY_SENSOR, Platform.BUTTON, Platform.NUMBER]
)
@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_entities_after_a_dose(
    hass: HomeAssistant,
    time_zone: str,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Names, units, classes, icons and states after 2 capsules at 22:15."""
    mock_config_entry.add_to_hass(hass)
    with patch("custom_components.magnesium_sleep.PLATFORMS", [platform]):
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        await hass.services.async_call(DOMAIN, "log_dose", {"servings": 2}, blocking=True)
    # Dose IDs are ULIDs: random beyond their time part.
    stable = snapshot.with_defaults(exclude=props("dose_id"))
    await snapshot_platform(hass, entity_registry, stable, mock_config_entry.entry_id)
