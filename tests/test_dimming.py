"""Gradual dimming with real lights (template lights), and Adaptive Lighting's sleep mode.

The lights are optimistic template lights: `light.turn_on` sets their brightness and
colour temperature, with the caller's context, as a real bulb's integration would.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest

from .conftest import state
from .test_bedtime import AMS, BED, load, walk

BEDROOM = "light.bedroom"  # brightness and colour temperature
HALL = "light.hall"  # brightness only
DESK = "light.desk"
PORCH = "light.porch"  # on and off only
SLEEP_MODE = "switch.adaptive_lighting_sleep_mode_bedroom"
LIGHTING = "switch.anna_wind_down_lighting"
DIMMING = {
    "wind_down_lighting": True,
    "dimming_lights": [BEDROOM, HALL, DESK, PORCH],
    "dimming_floor_percent": 20,
    "dimming_warm_kelvin": 2200,
}
FLOOR = 51  # 20 % of 255


@pytest.fixture
async def lights(hass: HomeAssistant) -> None:
    """Three lights and an Adaptive Lighting sleep mode switch; the bedroom and hall on."""
    actions: dict[str, Any] = {"turn_on": [], "turn_off": [], "set_level": []}
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": [
                {
                    "light": [
                        {"name": "Bedroom", **actions, "set_temperature": []},
                        {"name": "Hall", **actions},
                        {"name": "Desk", **actions},
                        {"name": "Porch", "turn_on": [], "turn_off": []},
                    ],
                    "switch": [
                        {
                            "name": "Adaptive Lighting Sleep Mode: Bedroom",
                            "turn_on": [],
                            "turn_off": [],
                        }
                    ],
                }
            ]
        },
    )
    await hass.async_block_till_done()
    await by_hand(hass, BEDROOM, brightness=255, color_temp_kelvin=4000)
    await by_hand(hass, HALL, brightness=200)
    for domain, entity_id in (("light", DESK), ("switch", SLEEP_MODE)):
        await hass.services.async_call(
            domain, "turn_off", {"entity_id": entity_id}, blocking=True, context=Context()
        )


async def by_hand(hass: HomeAssistant, light: str, **data: Any) -> None:
    """Someone changes a light (a context that is not the integration's)."""
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": light, **data}, blocking=True, context=Context()
    )


def level(hass: HomeAssistant, light: str) -> tuple[str, Any, Any]:
    current = hass.states.get(light)
    assert current is not None
    return (
        current.state,
        current.attributes.get("brightness"),
        current.attributes.get("color_temp_kelvin"),
    )


async def minutes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, until: datetime
) -> list[tuple[str, Any, Any]]:
    """The bedroom light's level after each minute up to `until`."""
    seen = []
    while dt_util.utcnow() < until:
        await walk(hass, freezer, min(until, dt_util.utcnow() + timedelta(minutes=1)))
        seen.append(level(hass, BEDROOM))
    return seen


@pytest.mark.freeze_time("2026-11-21 21:00:00+00:00")  # 22:00; wind-down 22:15 to 23:00
@pytest.mark.usefixtures("lights")
async def test_lights_dim_step_by_step_and_a_hand_is_respected(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await load(hass, **DIMMING)
    assert state(hass, LIGHTING) == "on"
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 15, tzinfo=AMS))
    assert level(hass, BEDROOM) == ("on", 255, 4000)  # the wind-down starts now

    seen = await minutes(hass, freezer, datetime(2026, 11, 21, 22, 30, tzinfo=AMS))
    assert seen[0] == ("on", 250, 3960)  # one 45th of the way, each minute
    assert len(seen) == 15
    assert [b for _s, b, _k in seen] == sorted((b for _s, b, _k in seen), reverse=True)
    assert len({b for _s, b, _k in seen}) == 15  # a step every minute
    hall_before = level(hass, HALL)
    assert hall_before[1] < 200

    await by_hand(hass, HALL, brightness=180)  # someone wants the hall brighter
    await by_hand(hass, DESK, brightness=255)  # and turns the desk light on
    await walk(hass, freezer, datetime(2026, 11, 22, 0, 30, tzinfo=AMS))
    assert level(hass, BEDROOM) == ("on", FLOOR, 2200)  # the floor and warm by bedtime
    assert level(hass, HALL) == ("on", 180, None)  # left alone for the rest of the evening
    assert level(hass, DESK) == ("on", 255, None)  # turned on by hand: not dimmed either


@pytest.mark.freeze_time("2026-11-21 21:00:00+00:00")
@pytest.mark.usefixtures("lights")
async def test_an_off_light_stays_off_and_the_switch_turns_it_all_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await by_hand(hass, HALL, brightness=30)  # below the floor before the wind-down
    await by_hand(hass, PORCH)
    await load(hass, **DIMMING)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 20, tzinfo=AMS))
    assert level(hass, DESK) == ("off", None, None)
    await hass.services.async_call("switch", "turn_off", {"entity_id": LIGHTING}, blocking=True)
    dimmed = level(hass, BEDROOM)
    await walk(hass, freezer, datetime(2026, 11, 21, 23, 0, tzinfo=AMS))
    assert level(hass, BEDROOM) == dimmed  # off: not touched any more
    assert level(hass, DESK) == ("off", None, None)
    assert level(hass, HALL) == ("on", 30, None)  # never brightened to the floor
    assert level(hass, PORCH) == ("on", None, None)  # nothing to dim
    await hass.services.async_call("switch", "turn_on", {"entity_id": LIGHTING}, blocking=True)
    assert state(hass, LIGHTING) == "on"


@pytest.mark.freeze_time("2026-11-21 21:00:00+00:00")
@pytest.mark.usefixtures("lights")
async def test_a_restart_during_wind_down_resumes_where_it_stands(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await load(hass, **DIMMING)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 20, tzinfo=AMS))
    await by_hand(hass, HALL, brightness=90)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 40, tzinfo=AMS))
    assert await hass.config_entries.async_unload(entry.entry_id)
    stood = level(hass, BEDROOM)
    freezer.move_to(datetime(2026, 11, 21, 22, 45, tzinfo=AMS))  # down for five minutes
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert level(hass, BEDROOM) == stood  # nothing jumps at the restart

    seen = await minutes(hass, freezer, datetime(2026, 11, 21, 23, 0, tzinfo=AMS))
    assert seen[-1] == ("on", FLOOR, 2200)
    assert all(b < stood[1] for _s, b, _k in seen)
    assert level(hass, HALL) == ("on", 90, None)  # still left alone after the restart


@pytest.mark.freeze_time("2026-11-21 21:00:00+00:00")
@pytest.mark.usefixtures("lights")
async def test_adaptive_lighting_sleep_mode_on_at_wind_down_off_at_the_day_start(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await load(hass, **DIMMING, sleep_mode_switch=SLEEP_MODE)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 14, tzinfo=AMS))
    assert state(hass, SLEEP_MODE) == "off"
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 15, tzinfo=AMS))
    assert state(hass, SLEEP_MODE) == "on"
    await walk(hass, freezer, datetime(2026, 11, 21, 23, 0, tzinfo=AMS))
    assert level(hass, BEDROOM) == ("on", 255, 4000)  # sleep mode instead of dimming

    assert await hass.config_entries.async_reload(entry.entry_id)  # a restart at night
    await hass.async_block_till_done()
    await walk(hass, freezer, datetime(2026, 11, 22, 3, 59, tzinfo=AMS), step=600)
    assert state(hass, SLEEP_MODE) == "on"
    await walk(hass, freezer, datetime(2026, 11, 22, 4, 0, tzinfo=AMS))
    assert state(hass, SLEEP_MODE) == "off"  # not left on in the daytime

    # The next evening, Home Assistant is down over the day start: off at start.
    await walk(hass, freezer, datetime(2026, 11, 22, 22, 30, tzinfo=AMS), step=600)
    assert state(hass, SLEEP_MODE) == "on"
    assert await hass.config_entries.async_unload(entry.entry_id)
    freezer.move_to(datetime(2026, 11, 23, 6, 0, tzinfo=AMS))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, SLEEP_MODE) == "off"


@pytest.mark.freeze_time("2026-11-21 21:00:00+00:00")
@pytest.mark.usefixtures("lights")
async def test_sleep_mode_off_at_wake_up_before_the_day_start(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    hass.states.async_set(BED, "off", {"device_class": "occupancy"})
    await load(
        hass,
        **DIMMING,
        sleep_mode_switch=SLEEP_MODE,
        sleep_sources={"in_bed": BED},
        day_starts_at="09:00:00",
    )
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 30, tzinfo=AMS))
    hass.states.async_set(BED, "on", {"device_class": "occupancy"})
    await walk(hass, freezer, datetime(2026, 11, 22, 7, 0, tzinfo=AMS), step=600)
    assert state(hass, SLEEP_MODE) == "on"
    hass.states.async_set(BED, "off", {"device_class": "occupancy"})
    await hass.async_block_till_done()
    assert state(hass, SLEEP_MODE) == "off"  # woke up at 07:00, before the 09:00 day start


@pytest.mark.freeze_time("2026-11-21 10:00:00+00:00")
async def test_the_dimming_options_step(hass: HomeAssistant) -> None:
    """Defaults shown; an emptied sleep mode switch is cleared."""
    entry = await load(hass, sleep_mode_switch=SLEEP_MODE)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "dimming"}
    )
    shown = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }
    assert shown == {
        "dimming_lights": [],
        "dimming_floor_percent": 20,
        "dimming_warm_kelvin": 2200,
        "sleep_mode_switch": SLEEP_MODE,
    }
    await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"dimming_lights": [BEDROOM], "dimming_floor_percent": 10, "dimming_warm_kelvin": 2700},
    )
    await hass.async_block_till_done()
    assert entry.options["dimming_lights"] == [BEDROOM]
    assert entry.options["dimming_floor_percent"] == 10
    assert entry.options["sleep_mode_switch"] is None
    assert state(hass, LIGHTING) == "off"  # off by default
