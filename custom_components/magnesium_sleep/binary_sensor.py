"""Binary sensors: a dose taken today, and above the supplemental upper limit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import MagnesiumSleepEntity
from .runtime import DoseSummary, MagnesiumSleepConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class MagnesiumSleepBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor reading the dose summary."""

    is_on_fn: Callable[[DoseSummary], bool]
    attributes_fn: Callable[[DoseSummary], Mapping[str, Any] | None] = lambda _: None


BINARY_SENSORS: tuple[MagnesiumSleepBinarySensorDescription, ...] = (
    MagnesiumSleepBinarySensorDescription(
        key="dose_taken_today",
        translation_key="dose_taken_today",
        is_on_fn=lambda summary: summary.today.dose_count > 0,
    ),
    MagnesiumSleepBinarySensorDescription(
        key="above_upper_limit",
        translation_key="above_upper_limit",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda summary: summary.today.above_upper_limit,
        attributes_fn=lambda summary: {
            "today_mg": float(summary.today.total_mg),
            "upper_limit_mg": summary.today.upper_limit_mg,
        },
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
    def is_on(self) -> bool:
        """Whether the condition holds now."""
        return self.entity_description.is_on_fn(self.runtime.summary)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Details behind the state."""
        return self.entity_description.attributes_fn(self.runtime.summary)
