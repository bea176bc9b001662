"""Sensors: tonight's magnesium, progress, last dose, averages and streaks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, UnitOfMass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .entity import MagnesiumSleepEntity
from .runtime import DoseSummary, MagnesiumSleepConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class MagnesiumSleepSensorDescription(SensorEntityDescription):
    """A sensor reading the dose summary."""

    value_fn: Callable[[DoseSummary], StateType | datetime]
    attributes_fn: Callable[[DoseSummary], Mapping[str, Any] | None] = lambda _: None
    last_reset_fn: Callable[[DoseSummary], datetime | None] = lambda _: None


def _last_dose_attributes(summary: DoseSummary) -> Mapping[str, Any] | None:
    if (dose := summary.latest) is None:
        return None
    return {
        "dose_id": dose.dose_id,
        "amount": float(dose.amount),
        "unit": dose.unit.value,
        "form": dose.form.value,
        "elemental_mg": float(dose.elemental_mg),
        "servings": None if dose.servings is None else float(dose.servings),
        "note": dose.note,
    }


SENSORS: tuple[MagnesiumSleepSensorDescription, ...] = (
    MagnesiumSleepSensorDescription(
        key="magnesium_today",
        translation_key="magnesium_today",
        device_class=SensorDeviceClass.WEIGHT,
        native_unit_of_measurement=UnitOfMass.MILLIGRAMS,
        # TOTAL with a last_reset at each day start: removing a dose is a decrease,
        # not a meter reset, so long-term statistics stay right.
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=0,
        value_fn=lambda summary: float(summary.today.total_mg),
        last_reset_fn=lambda summary: summary.day_started,
        attributes_fn=lambda summary: {
            "day": summary.today.day.isoformat(),
            "doses": summary.today.dose_count,
            "target_mg": summary.today.target_mg,
            "upper_limit_mg": summary.today.upper_limit_mg,
        },
    ),
    MagnesiumSleepSensorDescription(
        key="target_progress",
        translation_key="target_progress",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda summary: float(summary.today.progress_percent),
    ),
    MagnesiumSleepSensorDescription(
        key="last_dose",
        translation_key="last_dose",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda summary: summary.latest.taken_at if summary.latest else None,
        attributes_fn=_last_dose_attributes,
    ),
    MagnesiumSleepSensorDescription(
        key="average_7_days",
        translation_key="average_7_days",
        native_unit_of_measurement="mg/d",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda summary: round(float(summary.average_7_days_ug) / 1000, 3),
    ),
    MagnesiumSleepSensorDescription(
        key="dose_streak",
        translation_key="dose_streak",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda summary: summary.streak,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MagnesiumSleepConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's sensors."""
    async_add_entities(
        MagnesiumSleepSensor(entry.runtime_data, description) for description in SENSORS
    )


class MagnesiumSleepSensor(MagnesiumSleepEntity, SensorEntity):
    """A sensor of one profile."""

    entity_description: MagnesiumSleepSensorDescription

    @property
    def native_value(self) -> StateType | datetime:
        """The current value."""
        return self.entity_description.value_fn(self.runtime.summary)

    @property
    def last_reset(self) -> datetime | None:
        """When the daily total started counting."""
        return self.entity_description.last_reset_fn(self.runtime.summary)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Details behind the value."""
        return self.entity_description.attributes_fn(self.runtime.summary)
