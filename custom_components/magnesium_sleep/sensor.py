"""Sensors: tonight's magnesium and its context, last night's sleep, and insights."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfMass, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .bedtime import BEDTIME_CHANGED
from .domain.effect import OUTCOME_UNITS
from .domain.sleep.night import Field
from .entity import MagnesiumSleepEntity, MagnesiumSleepEntityDescription
from .insights import INSIGHTS_CHANGED, TonightPlan
from .payloads import field_provenance, last_dose_attributes, score_attributes
from .runtime import MagnesiumSleepConfigEntry, MagnesiumSleepRuntime
from .sleep_tracker import SLEEP_CHANGED
from .supply import SUPPLY_CHANGED

PARALLEL_UPDATES = 0

type Value = StateType | datetime


@dataclass(frozen=True, kw_only=True)
class MagnesiumSleepSensorDescription(SensorEntityDescription, MagnesiumSleepEntityDescription):
    """A sensor reading the profile's runtime."""

    value_fn: Callable[[MagnesiumSleepRuntime], Value]
    attributes_fn: Callable[[MagnesiumSleepRuntime], Mapping[str, Any] | None] = lambda _: None
    last_reset_fn: Callable[[MagnesiumSleepRuntime], datetime | None] = lambda _: None
    available_fn: Callable[[MagnesiumSleepRuntime], bool] = lambda _: True
    # For a unit that depends on the profile's options (the effect's outcome).
    unit_fn: Callable[[MagnesiumSleepRuntime], str | None] | None = None


def _night_value(field: Field) -> Callable[[MagnesiumSleepRuntime], Value]:
    def value(runtime: MagnesiumSleepRuntime) -> Value:
        night = runtime.sleep.summary.night
        return None if night is None else _rounded(night.get(field))

    return value


def _rounded(value: datetime | float | None) -> Value:
    return round(value, 1) if isinstance(value, float) else value


def _has(field: Field) -> Callable[[MagnesiumSleepRuntime], bool]:
    def available(runtime: MagnesiumSleepRuntime) -> bool:
        night = runtime.sleep.summary.night
        return night is not None and night.get(field) is not None

    return available


def _entity_name(runtime: MagnesiumSleepRuntime, source: str) -> str | None:
    """A source entity's friendly name; None for a source that is no entity."""
    state = runtime.hass.states.get(source)
    return state.name if state is not None else None


def _field_attributes(field: Field) -> Callable[[MagnesiumSleepRuntime], Mapping[str, Any] | None]:
    def attributes(runtime: MagnesiumSleepRuntime) -> Mapping[str, Any] | None:
        night = runtime.sleep.summary.night
        if night is None:
            return None
        return field_provenance(night, field, lambda source: _entity_name(runtime, source))

    return attributes


def _score_attributes(runtime: MagnesiumSleepRuntime) -> Mapping[str, Any] | None:
    summary = runtime.sleep.summary
    if summary.night is None:
        return None
    return {"night": summary.night.night.isoformat(), **score_attributes(summary.score)} | {
        "vendor_score": summary.night.vendor_score,
        "vendor_score_scale": summary.night.vendor_score_scale,
    }


def _night_sensor(key: str, field: Field, **description: Any) -> MagnesiumSleepSensorDescription:
    return MagnesiumSleepSensorDescription(
        key=key,
        translation_key=key,
        channel=SLEEP_CHANGED,
        value_fn=_night_value(field),
        available_fn=_has(field),
        attributes_fn=_field_attributes(field),
        **description,
    )


def _minutes(key: str, field: Field, display_unit: UnitOfTime) -> MagnesiumSleepSensorDescription:
    """A duration in minutes, shown by Home Assistant as "7h 16m" (hours) or "16m"."""
    return _night_sensor(
        key,
        field,
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_unit_of_measurement=display_unit,
        suggested_display_precision=2 if display_unit is UnitOfTime.HOURS else 0,
        state_class=SensorStateClass.MEASUREMENT,
    )


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
        value_fn=lambda runtime: float(runtime.doses.summary.today.total_mg),
        last_reset_fn=lambda runtime: runtime.doses.summary.day_started,
        attributes_fn=lambda runtime: {
            "day": runtime.doses.summary.today.day.isoformat(),
            "doses": runtime.doses.summary.today.dose_count,
            "target_mg": runtime.doses.summary.today.target_mg,
            "upper_limit_mg": runtime.doses.summary.today.upper_limit_mg,
        },
    ),
    MagnesiumSleepSensorDescription(
        key="target_progress",
        translation_key="target_progress",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda runtime: float(runtime.doses.summary.today.progress_percent),
    ),
    MagnesiumSleepSensorDescription(
        key="last_dose",
        translation_key="last_dose",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda runtime: dose.taken_at if (dose := runtime.doses.summary.latest) else None,
        attributes_fn=lambda runtime: (
            last_dose_attributes(dose) if (dose := runtime.doses.summary.latest) else None
        ),
    ),
    MagnesiumSleepSensorDescription(
        key="average_7_days",
        translation_key="average_7_days",
        native_unit_of_measurement="mg/d",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda runtime: round(float(runtime.doses.summary.average_7_days_ug) / 1000, 3),
        # Fewer than 7 in the first week: the average covers only days since the first dose.
        attributes_fn=lambda runtime: {"days": runtime.doses.summary.average_days},
    ),
    MagnesiumSleepSensorDescription(
        key="dose_streak",
        translation_key="dose_streak",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.DAYS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda runtime: runtime.doses.summary.streak,
    ),
    MagnesiumSleepSensorDescription(
        key="sleep_score",
        translation_key="sleep_score",
        channel=SLEEP_CHANGED,
        # A percentage of the full score: charts then run up to 100, like the score.
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda runtime: score.total if (score := runtime.sleep.summary.score) else None,
        available_fn=lambda runtime: runtime.sleep.summary.score is not None,
        attributes_fn=_score_attributes,
    ),
    MagnesiumSleepSensorDescription(
        key="sleep_score_coverage",
        translation_key="sleep_score_coverage",
        channel=SLEEP_CHANGED,
        entity_category=EntityCategory.DIAGNOSTIC,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda runtime: (
            score.available_points if (score := runtime.sleep.summary.score) else None
        ),
        available_fn=lambda runtime: runtime.sleep.summary.score is not None,
        attributes_fn=lambda runtime: score_attributes(runtime.sleep.summary.score),
    ),
    _minutes("sleep_duration", Field.TOTAL_SLEEP, UnitOfTime.HOURS),
    _minutes("sleep_latency", Field.LATENCY, UnitOfTime.MINUTES),
    _minutes("time_awake", Field.WASO, UnitOfTime.MINUTES),
    _night_sensor(
        "sleep_efficiency",
        Field.EFFICIENCY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    _night_sensor("bedtime", Field.BEDTIME, device_class=SensorDeviceClass.TIMESTAMP),
    _night_sensor("wake_time", Field.WAKE_TIME, device_class=SensorDeviceClass.TIMESTAMP),
    MagnesiumSleepSensorDescription(
        key="next_wind_down",
        translation_key="next_wind_down",
        channel=BEDTIME_CHANGED,
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda runtime: runtime.bedtime.next_wind_down,
    ),
    MagnesiumSleepSensorDescription(
        key="supply_days_left",
        translation_key="supply_days_left",
        channel=SUPPLY_CHANGED,
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.DAYS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        # Unknown until there is use to go by; unavailable while no pack is counted.
        value_fn=lambda runtime: runtime.supply.payload()["days_left"],
        available_fn=lambda runtime: runtime.supply.summary.pack is not None,
        attributes_fn=lambda runtime: runtime.supply.payload(),
    ),
    MagnesiumSleepSensorDescription(
        key="supply_servings_left",
        translation_key="supply_servings_left",
        channel=SUPPLY_CHANGED,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda runtime: runtime.supply.payload()["servings_left"],
        available_fn=lambda runtime: runtime.supply.summary.pack is not None,
    ),
    MagnesiumSleepSensorDescription(
        key="magnesium_effect",
        translation_key="magnesium_effect",
        channel=INSIGHTS_CHANGED,
        suggested_display_precision=1,
        value_fn=lambda runtime: runtime.insights.summary.effect.get("effect"),
        # Unavailable for the moment after setup while every night is scored.
        available_fn=lambda runtime: runtime.insights.indexed,
        unit_fn=lambda runtime: OUTCOME_UNITS[runtime.insights.outcome],
        attributes_fn=lambda runtime: {
            key: value
            for key, value in runtime.insights.summary.effect.items()
            # The note is the same text always: the evidence level is enough here.
            if key not in {"effect", "unit", "evidence_note"}
        },
    ),
    MagnesiumSleepSensorDescription(
        key="tonight_plan",
        translation_key="tonight_plan",
        channel=INSIGHTS_CHANGED,
        device_class=SensorDeviceClass.ENUM,
        options=[plan.value for plan in TonightPlan],
        value_fn=lambda runtime: runtime.insights.summary.tonight.value,
        attributes_fn=lambda runtime: {
            "washout": runtime.insights.summary.tonight_washout,
            **(runtime.insights.summary.experiment or {}),
        },
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
    # Unique per dose: recording them would store a new attribute row with every dose.
    _unrecorded_attributes = frozenset({"dose_id", "note"})

    @property
    @override
    def available(self) -> bool:
        """Unavailable rather than stale: sleep sensors need a recent night."""
        return self.entity_description.available_fn(self.runtime)

    @property
    @override
    def native_value(self) -> Value:
        """The current value."""
        return self.entity_description.value_fn(self.runtime)

    @property
    @override
    def native_unit_of_measurement(self) -> str | None:
        """The unit, from the runtime when it depends on the options."""
        if (unit_fn := self.entity_description.unit_fn) is not None:
            return unit_fn(self.runtime)
        return super().native_unit_of_measurement

    @property
    @override
    def last_reset(self) -> datetime | None:
        """When the daily total started counting."""
        return self.entity_description.last_reset_fn(self.runtime)

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Details behind the value."""
        return self.entity_description.attributes_fn(self.runtime)

    @override
    def _shown_now(self) -> tuple[Any, ...]:
        # The state and its attributes follow from these (unit and precision settings
        # write the state themselves); cheaper than formatting the state to compare.
        return (self.available, self.native_value, self.last_reset, self.extra_state_attributes)
