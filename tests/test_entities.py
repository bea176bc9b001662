"""Entity registry entries and states of every platform, as snapshots."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.magnesium_sleep.const import DOMAIN


@pytest.mark.parametrize(
    "platform",
    [
        Platform.SENSOR,
        Platform.BINARY_SENSOR,
        Platform.BUTTON,
        Platform.NUMBER,
        Platform.EVENT,
        Platform.TIME,
        Platform.SWITCH,
        Platform.CALENDAR,
    ],
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


async def test_a_dose_writes_only_the_entities_it_changes(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A second dose of the day changes the total, not whether a dose was taken."""
    await hass.services.async_call(DOMAIN, "log_dose", {"servings": 1}, blocking=True)
    freezer.tick(60)
    written: list[str] = []

    @callback
    def note(event: Event[Any]) -> None:
        written.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, note)
    hass.bus.async_listen(EVENT_STATE_REPORTED, note, event_filter=callback(lambda _: True))
    await hass.services.async_call(DOMAIN, "log_dose", {"servings": 1}, blocking=True)
    await hass.async_block_till_done()

    assert "sensor.anna_magnesium_today" in written
    assert "sensor.anna_last_dose" in written
    # Unchanged: not written again (a write would at least report the same state).
    for unchanged in (
        "binary_sensor.anna_dose_taken_today",
        "binary_sensor.anna_above_upper_limit",
        "sensor.anna_dose_streak",
        "number.anna_daily_target",
        "sensor.anna_sleep_score",
    ):
        assert unchanged not in written
