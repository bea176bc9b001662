"""Durations as sleep sources report them, normalised to minutes.

Sources report durations in five units (Withings s, Fitbit/Garmin/Health Connect
min, Oura/SleepIQ h, the Android sleep segment ms, Health Auto Export "hr"). Every
duration inside the domain is a float number of minutes; this module is the one
place that converts. Unknown units give None rather than a guess: a value in the
wrong unit is worse than no value.
"""

from __future__ import annotations

import math
from typing import Final

_MINUTES_PER_UNIT: Final[dict[str, float]] = {
    # Home Assistant's UnitOfTime values
    "ms": 1 / 60_000,
    "s": 1 / 60,
    "min": 1.0,
    "h": 60.0,
    "d": 1_440.0,
    # spellings seen in Health Auto Export and hand-made template sensors
    "msec": 1 / 60_000,
    "millisecond": 1 / 60_000,
    "milliseconds": 1 / 60_000,
    "sec": 1 / 60,
    "secs": 1 / 60,
    "second": 1 / 60,
    "seconds": 1 / 60,
    "mins": 1.0,
    "minute": 1.0,
    "minutes": 1.0,
    "hr": 60.0,
    "hrs": 60.0,
    "hour": 60.0,
    "hours": 60.0,
    "day": 1_440.0,
    "days": 1_440.0,
}


def minutes_per_unit(unit: str | None) -> float | None:
    """Minutes in one `unit` (case and surrounding space ignored), None if unknown."""
    if unit is None:
        return None
    return _MINUTES_PER_UNIT.get(unit.strip().casefold())


def to_minutes(value: float, unit: str | None) -> float | None:
    """Convert a duration to minutes; None for an unknown unit or a non-finite value.

    A unit of None is unknown on purpose: HA duration sensors always carry a unit,
    and a bare number could be any of five units.
    """
    factor = minutes_per_unit(unit)
    if factor is None or not math.isfinite(value):
        return None
    minutes = value * factor
    return minutes if math.isfinite(minutes) else None
