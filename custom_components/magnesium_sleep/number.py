"""Numbers: the profile's daily target, and the minutes of its bedtime routine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import override

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import EntityCategory, UnitOfMass, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .bedtime import BEDTIME_CHANGED
from .const import CONF_DOSE_REMINDER_MINUTES, CONF_WIND_DOWN_MINUTES
from .domain.schedule import MAX_DOSE_REMINDER_MINUTES, MAX_WIND_DOWN_MINUTES
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


@dataclass(frozen=True, kw_only=True)
class RoutineMinutesDescription(NumberEntityDescription):
    """Whole minutes of the bedtime routine, kept under an option key."""

    option: str


ROUTINE_MINUTES: tuple[RoutineMinutesDescription, ...] = tuple(
    RoutineMinutesDescription(
        key=option,
        translation_key=option,
        option=option,
        entity_category=EntityCategory.CONFIG,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        native_min_value=1,
        native_max_value=maximum,
        native_step=1,
        mode=NumberMode.BOX,
    )
    for option, maximum in (
        (CONF_WIND_DOWN_MINUTES, MAX_WIND_DOWN_MINUTES),
        (CONF_DOSE_REMINDER_MINUTES, MAX_DOSE_REMINDER_MINUTES),
    )
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MagnesiumSleepConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's target and routine minutes."""
    async_add_entities([DailyTargetNumber(entry.runtime_data, DAILY_TARGET)])
    async_add_entities(
        RoutineMinutesNumber(entry.runtime_data, description) for description in ROUTINE_MINUTES
    )


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


class RoutineMinutesNumber(MagnesiumSleepEntity, NumberEntity):
    """Wind-down length or how long before bedtime the dose reminder comes."""

    entity_description: RoutineMinutesDescription
    channel = BEDTIME_CHANGED

    @property
    @override
    def native_value(self) -> float:
        """The minutes as set."""
        settings = self.runtime.bedtime.settings
        if self.entity_description.option == CONF_WIND_DOWN_MINUTES:
            return settings.wind_down_minutes
        return settings.dose_reminder_minutes

    @override
    async def async_set_native_value(self, value: float) -> None:
        """Keep the new minutes and re-plan the evenings."""
        await self.runtime.bedtime.async_update_settings(
            {self.entity_description.option: round(value)}
        )
