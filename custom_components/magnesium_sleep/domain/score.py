"""The transparent 0-100 sleep score (domain reference section 6).

| Component | Points | Formula (ratio clipped to 0..1) |
|---|---|---|
| duration | 35 | (TST_h - 4) / 3; above 9 h, -5 points per hour, floor 25 points |
| efficiency | 25 | (SE - 65) / 25 |
| latency | 15 | (60 - SOL) / 45 |
| waso | 10 | (90 - WASO) / 70 |
| awakenings | 5 | (4 - n) / 3 |
| regularity | 10 | (120 - |midpoint - 14-night median|) / 90 |

A missing input drops its component and the total is rescaled to the points that
are available: total = 100 x earned / available. The weights are design choices,
not norms, so every component is kept next to the total. The vendor's own score is
never mixed in; it stays `Night.vendor_score`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .sleep import Night, regularity


class ComponentKey(StrEnum):
    """The components, in table order."""

    DURATION = "duration"
    EFFICIENCY = "efficiency"
    LATENCY = "latency"
    WASO = "waso"
    AWAKENINGS = "awakenings"
    REGULARITY = "regularity"


MAX_POINTS: Final[dict[ComponentKey, float]] = {
    ComponentKey.DURATION: 35.0,
    ComponentKey.EFFICIENCY: 25.0,
    ComponentKey.LATENCY: 15.0,
    ComponentKey.WASO: 10.0,
    ComponentKey.AWAKENINGS: 5.0,
    ComponentKey.REGULARITY: 10.0,
}

_LONG_SLEEP_HOURS: Final = 9.0
_LONG_SLEEP_PENALTY_PER_HOUR: Final = 5.0
_LONG_SLEEP_FLOOR: Final = 25.0


@dataclass(frozen=True, slots=True)
class Component:
    """One component: its input `value` and the points it earned (unrounded)."""

    key: ComponentKey
    points: float
    max_points: float
    value: float


@dataclass(frozen=True, slots=True)
class SleepScore:
    """The total (0-100, rounded to 0.1) and the components it came from."""

    total: float
    components: tuple[Component, ...]
    available_points: float

    @property
    def earned_points(self) -> float:
        """Points earned before rescaling."""
        return sum(c.points for c in self.components)

    def component(self, key: ComponentKey) -> Component | None:
        """One component, None when its input was missing."""
        return next((c for c in self.components if c.key is key), None)


def _clip(ratio: float) -> float:
    return min(1.0, max(0.0, ratio))


def duration_points(total_sleep_minutes: float) -> float:
    """35 x (TST_h - 4) / 3 up to 9 h, then 35 - 5 per hour above 9 h, floor 25."""
    hours = total_sleep_minutes / 60
    if hours > _LONG_SLEEP_HOURS:
        penalty = _LONG_SLEEP_PENALTY_PER_HOUR * (hours - _LONG_SLEEP_HOURS)
        return max(_LONG_SLEEP_FLOOR, MAX_POINTS[ComponentKey.DURATION] - penalty)
    return MAX_POINTS[ComponentKey.DURATION] * _clip((hours - 4) / 3)


def efficiency_points(efficiency_percent: float) -> float:
    """25 x (SE - 65) / 25."""
    return MAX_POINTS[ComponentKey.EFFICIENCY] * _clip((efficiency_percent - 65) / 25)


def latency_points(latency_minutes: float) -> float:
    """15 x (60 - SOL) / 45."""
    return MAX_POINTS[ComponentKey.LATENCY] * _clip((60 - latency_minutes) / 45)


def waso_points(waso_minutes: float) -> float:
    """10 x (90 - WASO) / 70."""
    return MAX_POINTS[ComponentKey.WASO] * _clip((90 - waso_minutes) / 70)


def awakenings_points(awakenings: float) -> float:
    """5 x (4 - n) / 3."""
    return MAX_POINTS[ComponentKey.AWAKENINGS] * _clip((4 - awakenings) / 3)


def regularity_points(midpoint_offset_minutes: float) -> float:
    """10 x (120 - |offset|) / 90."""
    return MAX_POINTS[ComponentKey.REGULARITY] * _clip((120 - abs(midpoint_offset_minutes)) / 90)


def score_components(
    *,
    total_sleep: float | None = None,
    efficiency: float | None = None,
    latency: float | None = None,
    waso: float | None = None,
    awakenings: float | None = None,
    midpoint_offset: float | None = None,
) -> SleepScore | None:
    """Score from raw inputs (minutes, percent, count); None when none is given."""
    inputs = (
        (ComponentKey.DURATION, total_sleep, duration_points),
        (ComponentKey.EFFICIENCY, efficiency, efficiency_points),
        (ComponentKey.LATENCY, latency, latency_points),
        (ComponentKey.WASO, waso, waso_points),
        (ComponentKey.AWAKENINGS, awakenings, awakenings_points),
        (ComponentKey.REGULARITY, midpoint_offset, regularity_points),
    )
    components = tuple(
        Component(key, points(float(value)), MAX_POINTS[key], float(value))
        for key, value, points in inputs
        if value is not None
    )
    if not components:
        return None
    available = sum(c.max_points for c in components)
    earned = sum(c.points for c in components)
    return SleepScore(round(100 * earned / available, 1), components, available)


def score_night(night: Night, previous: Sequence[Night] = ()) -> SleepScore | None:
    """Score a night; `previous` supplies the nights for the regularity median.

    `previous` may hold any nights (e.g. all of them): only those 1 to 14 evenings
    before this one count.
    """
    return score_components(
        total_sleep=night.total_sleep,
        efficiency=night.efficiency,
        latency=night.latency,
        waso=night.waso,
        awakenings=night.awakenings,
        midpoint_offset=regularity(night, previous),
    )
