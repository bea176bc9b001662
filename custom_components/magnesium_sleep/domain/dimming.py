"""Gradual dimming: when to step, and each light's next level on the way to the floor.

Rules here:

* **Steps, not one long transition**: many bulbs cannot do long native transitions. A
  window gets at least one step a minute and at least `MIN_STEPS`, however short,
  evenly spaced, the last one at the window's end (`step_times`).
* Each step goes from the light's **current** level an equal share of the way to the
  floor (`next_level`), so whatever happened before (a restart, a bulb that rounds
  brightness) the remaining steps still arrive at the floor by the end.
* The **floor** is a share of full brightness (255). A light already at or below it is
  not brightened; dimming only ever goes down.
* The **colour temperature** moves toward the warm target only for a light that shows a
  colour temperature now (it is in colour-temperature mode), never past the warmest it
  can do, and never back toward cool.
* Turning lights on or off is not the plan's business: the shell steps only lights that
  are on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import math
from typing import Final

MIN_STEPS: Final = 4
STEP_AT_LEAST_EVERY: Final = timedelta(minutes=1)
FULL_BRIGHTNESS: Final = 255
DEFAULT_FLOOR_PERCENT: Final = 20
DEFAULT_WARM_KELVIN: Final = 2200


@dataclass(frozen=True, slots=True)
class LightLevel:
    """A light's brightness (1-255) and, in colour-temperature mode, its colour temperature."""

    brightness: int
    kelvin: int | None = None
    warmest_kelvin: int | None = None  # the lowest colour temperature the light can show


@dataclass(frozen=True, slots=True)
class DimTarget:
    """Where the lights end: a share of full brightness and a warm colour temperature."""

    floor_percent: int = DEFAULT_FLOOR_PERCENT
    warm_kelvin: int = DEFAULT_WARM_KELVIN

    @property
    def floor_brightness(self) -> int:
        """The floor on the 1-255 scale (at least 1: the floor never turns a light off)."""
        return max(1, round(FULL_BRIGHTNESS * self.floor_percent / 100))


def step_times(start: datetime, end: datetime) -> list[datetime]:
    """When to step: evenly, at least one a minute and `MIN_STEPS`; the last at the end."""
    if end <= start:
        return [start]
    count = max(MIN_STEPS, math.ceil((end - start) / STEP_AT_LEAST_EVERY))
    interval = (end - start) / count
    return [start + interval * step for step in range(1, count)] + [end]


def steps_left(times: list[datetime], now: datetime) -> int:
    """How many steps are at or after `now`, this one included."""
    return sum(1 for at in times if at >= now)


def _toward(current: int, target: int, steps: int) -> int:
    """An equal share of the way from `current` to `target`, with `steps` steps to go."""
    return round(target + (current - target) * (steps - 1) / steps)


def next_level(current: LightLevel, target: DimTarget, steps: int) -> LightLevel | None:
    """The light's level after this step, with `steps` to go; None when nothing changes."""
    if steps < 1:
        return None
    brightness = current.brightness
    if brightness > target.floor_brightness:
        brightness = _toward(brightness, target.floor_brightness, steps)
    kelvin = current.kelvin
    if kelvin is not None and current.warmest_kelvin is not None:
        warm = max(target.warm_kelvin, current.warmest_kelvin)
        if kelvin > warm:
            kelvin = _toward(kelvin, warm, steps)
    if (brightness, kelvin) == (current.brightness, current.kelvin):
        return None
    return LightLevel(brightness, kelvin, current.warmest_kelvin)
