"""Tests for durations: unit normalisation to minutes."""

from __future__ import annotations

import math

from hypothesis import given, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.durations import minutes_per_unit, to_minutes


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1.617, "h", 97.02),  # Withings shows seconds in hours
        (28800, "s", 480.0),  # Oura API seconds
        (450, "min", 450.0),  # Garmin
        (7.5, "h", 450.0),  # Oura HA sensor
        (27_000_000, "ms", 450.0),  # Android sleep segment
        (0.5, "d", 720.0),
        (7.2, "hr", 432.0),  # Health Auto Export
        (2, "hours", 120.0),
        (90, "minutes", 90.0),
        (120, "seconds", 2.0),
        (3, " H ", 180.0),
        (1, "Hrs", 60.0),
    ],
)
def test_to_minutes(value: float, unit: str, expected: float) -> None:
    result = to_minutes(value, unit)
    assert result is not None
    assert result == pytest.approx(expected)


@pytest.mark.parametrize("unit", [None, "", "m", "km", "bpm", "%", "weeks"])
def test_to_minutes_unknown_unit(unit: str | None) -> None:
    assert to_minutes(10, unit) is None
    assert minutes_per_unit(unit) is None


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e308])
def test_to_minutes_non_finite(value: float) -> None:
    assert to_minutes(value, "d") is None


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.sampled_from(["s", "min", "h"]))
def test_round_trip_through_minutes(value: float, unit: str) -> None:
    factor = minutes_per_unit(unit)
    assert factor is not None
    minutes = to_minutes(value, unit)
    assert minutes is not None
    assert minutes / factor == pytest.approx(value)
