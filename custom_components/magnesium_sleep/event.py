"""Event: the bedtime routine (wind-down, dose reminder, bedtime, and what sleep sources tell)."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .bedtime import BEDTIME_CHANGED, RoutineChange, RoutineEvent
from .entity import MagnesiumSleepEntity
from .runtime import MagnesiumSleepConfigEntry

PARALLEL_UPDATES = 0

BEDTIME_ROUTINE = EventEntityDescription(
    key="bedtime_routine",
    translation_key="bedtime_routine",
    event_types=[event.value for event in RoutineEvent],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MagnesiumSleepConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's bedtime routine."""
    async_add_entities([BedtimeRoutineEvent(entry.runtime_data, BEDTIME_ROUTINE)])


class BedtimeRoutineEvent(MagnesiumSleepEntity, EventEntity):
    """Fires with each routine event, with the data its bus event carries (less the owner)."""

    channel = BEDTIME_CHANGED

    @callback
    @override
    def _async_changed(self, payload: Any) -> None:
        change: RoutineChange = payload
        if change.event is not None:
            self._trigger_event(change.event.value, dict(change.data or {}))
            self.async_write_ha_state()
