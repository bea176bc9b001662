"""Binary sensors: dose today, above the upper limit, in bed, asleep, wind-down, experiment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .bedtime import BEDTIME_CHANGED
from .entity import MagnesiumSleepEntity, MagnesiumSleepEntityDescription
from .insights import INSIGHTS_CHANGED
from .runtime import MagnesiumSleepConfigEntry, MagnesiumSleepRuntime
from .sleep_tracker import SLEEP_CHANGED

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class MagnesiumSleepBinarySensorDescription(
    BinarySensorEntityDescription, MagnesiumSleepEntityDescription
):
    """A binary sensor reading the profile's runtime; None means unavailable."""

    is_on_fn: Callable[[MagnesiumSleepRuntime], bool | None]
    attributes_fn: Callable[[MagnesiumSleepRuntime], Mapping[str, Any] | None] = lambda _: None


BINARY_SENSORS: tuple[MagnesiumSleepBinarySensorDescription, ...] = (
    MagnesiumSleepBinarySensorDescription(
        key="dose_taken_today",
        translation_key="dose_taken_today",
        is_on_fn=lambda runtime: runtime.doses.summary.today.dose_count > 0,
    ),
    MagnesiumSleepBinarySensorDescription(
        key="above_upper_limit",
        translation_key="above_upper_limit",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda runtime: runtime.doses.summary.today.above_upper_limit,
        # Today's total is magnesium_today's state: repeating it here would write
        # this entity (and a recorder row) on every dose.
        attributes_fn=lambda runtime: {
            "upper_limit_mg": runtime.doses.summary.today.upper_limit_mg
        },
    ),
    MagnesiumSleepBinarySensorDescription(
        key="in_bed",
        translation_key="in_bed",
        channel=SLEEP_CHANGED,
        device_class=BinarySensorDeviceClass.OCCUPANCY,
        is_on_fn=lambda runtime: runtime.sleep.summary.in_bed,
    ),
    MagnesiumSleepBinarySensorDescription(
        key="asleep",
        translation_key="asleep",
        channel=SLEEP_CHANGED,
        is_on_fn=lambda runtime: runtime.sleep.summary.asleep,
    ),
    MagnesiumSleepBinarySensorDescription(
        key="wind_down",
        translation_key="wind_down",
        channel=BEDTIME_CHANGED,
        is_on_fn=lambda runtime: runtime.bedtime.wind_down,
    ),
    MagnesiumSleepBinarySensorDescription(
        key="experiment_running",
        translation_key="experiment_running",
        channel=INSIGHTS_CHANGED,
        is_on_fn=lambda runtime: runtime.insights.summary.experiment is not None,
        attributes_fn=lambda runtime: runtime.insights.summary.experiment,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MagnesiumSleepConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's binary sensors."""
    async_add_entities(
        MagnesiumSleepBinarySensor(entry.runtime_data, description)
        for description in BINARY_SENSORS
    )


class MagnesiumSleepBinarySensor(MagnesiumSleepEntity, BinarySensorEntity):
    """A binary sensor of one profile."""

    entity_description: MagnesiumSleepBinarySensorDescription

    @property
    @override
    def available(self) -> bool:
        """Unavailable until a source has said anything."""
        return self.entity_description.is_on_fn(self.runtime) is not None

    @property
    @override
    def is_on(self) -> bool | None:
        """Whether the condition holds now."""
        return self.entity_description.is_on_fn(self.runtime)

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Details behind the state."""
        return self.entity_description.attributes_fn(self.runtime)

    @override
    def _shown_now(self) -> tuple[Any, ...]:
        return (self.available, self.is_on, self.extra_state_attributes)
