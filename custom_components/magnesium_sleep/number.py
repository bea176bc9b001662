"""Number: the profile's daily target."""

from __future__ import annotations

from typing import override

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import EntityCategory, UnitOfMass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .dose_tracker import TARGET_CHANGED
from .entity import MagnesiumSleepEntity
from .runtime import MagnesiumSleepConfigEntry

PARALLEL_UPDATES = 0

DAILY_TARGET = NumberEntityDescription(
    key="daily_target",
    translation_key="daily_target",
    entity_category=EntityCategory.CONFIG,
    native_unit_of_measurement=UnitOfMass.MILLIGRAMS,
    native_min_value=10,
    native_max_value=2000,
    native_step=5,
    mode=NumberMode.BOX,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MagnesiumSleepConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's target."""
    async_add_entities([DailyTargetNumber(entry.runtime_data, DAILY_TARGET)])


class DailyTargetNumber(MagnesiumSleepEntity, NumberEntity):
    """The elemental mg a day the person aims for; stored in the entry's options."""

    channel = TARGET_CHANGED

    @property
    @override
    def native_value(self) -> float:
        """The current target."""
        return self.runtime.profile.target_mg

    @override
    async def async_set_native_value(self, value: float) -> None:
        """Set a new target."""
        self.runtime.async_set_target(round(value))
