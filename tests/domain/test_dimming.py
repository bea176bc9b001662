"""Gradual dimming: step times and each light's next level."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, strategies as st

from custom_components.magnesium_sleep.domain.dimming import (
    MIN_STEPS,
    DimTarget,
    LightLevel,
    next_level,
    step_times,
    steps_left,
)

START = datetime(2026, 11, 21, 21, 15, tzinfo=UTC)


@given(st.integers(min_value=1, max_value=4 * 3600))
def test_at_least_one_step_a_minute_and_four_in_any_window(seconds: int) -> None:
    end = START + timedelta(seconds=seconds)
    times = step_times(START, end)
    assert len(times) >= MIN_STEPS
    assert times[-1] == end
    gaps = [later - earlier for earlier, later in zip([START, *times], times, strict=False)]
    assert max(gaps) <= timedelta(minutes=1)
    assert all(gap > timedelta(0) for gap in gaps)


def test_an_empty_window_is_one_step_now() -> None:
    assert step_times(START, START) == [START]


def test_a_45_minute_window_steps_each_minute() -> None:
    times = step_times(START, START + timedelta(minutes=45))
    assert times[:2] == [START + timedelta(minutes=1), START + timedelta(minutes=2)]
    assert len(times) == 45
    assert steps_left(times, START + timedelta(minutes=44)) == 2


@given(
    st.integers(min_value=1, max_value=255),
    st.one_of(st.none(), st.integers(min_value=2000, max_value=6500)),
    st.integers(min_value=1, max_value=100),
    st.integers(min_value=1, max_value=60),
)
def test_the_steps_reach_the_floor_and_never_brighten_or_cool(
    brightness: int, kelvin: int | None, floor_percent: int, steps: int
) -> None:
    target = DimTarget(floor_percent, 2200)
    level = LightLevel(brightness, kelvin, 2000 if kelvin is not None else None)
    for left in range(steps, 0, -1):
        following = next_level(level, target, left) or level
        assert following.brightness <= level.brightness
        assert following.brightness >= min(level.brightness, target.floor_brightness)
        if kelvin is not None:
            assert following.kelvin is not None
            assert level.kelvin is not None
            assert following.kelvin <= level.kelvin
            assert following.kelvin >= min(level.kelvin, 2200)
        level = following
    assert level.brightness == min(brightness, target.floor_brightness)
    if kelvin is not None:
        assert level.kelvin == min(kelvin, 2200)


def test_colour_temperature_stops_at_the_warmest_the_light_can_do() -> None:
    target = DimTarget(20, 2200)
    assert next_level(LightLevel(255, 4000, 2700), target, 1) == LightLevel(51, 2700, 2700)
    # Not in colour-temperature mode (a colour is shown): only the brightness moves.
    assert next_level(LightLevel(255, None, 2000), target, 1) == LightLevel(51, None, 2000)
    assert next_level(LightLevel(40, None, None), target, 3) is None  # below the floor already
    assert next_level(LightLevel(255, None, None), target, 0) is None
    assert DimTarget(0).floor_brightness == 1
