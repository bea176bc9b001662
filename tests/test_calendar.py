"""The bedtime calendar through the calendar actions, with the clock moving."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.magnesium_sleep.const import DOMAIN

from .conftest import state
from .test_bedtime import load

AMS = ZoneInfo("Europe/Amsterdam")
CALENDAR = "calendar.anna_bedtime_calendar"
SUNDAY_MORNING = "2026-11-22 08:00:00+00:00"  # 09:00 in Amsterdam


async def events(
    hass: HomeAssistant, start: datetime, end: datetime, calendar: str = CALENDAR
) -> list[tuple[str, ...]]:
    """(local start, local end, summary) of each event the calendar action returns."""
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": calendar, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    found: list[dict[str, Any]] = response[calendar]["events"]  # type: ignore[index]

    def local(value: str) -> str:
        return datetime.fromisoformat(value).astimezone(AMS).strftime("%a %d %H:%M")

    return [(local(event["start"]), local(event["end"]), event["summary"]) for event in found]


async def log_saturday_evening(hass: HomeAssistant) -> None:
    """A dose at 21:30 and a night from 23:10 to 07:05."""
    await hass.services.async_call(
        DOMAIN, "log_dose", {"servings": 1, "taken_at": "2026-11-21 21:30:00"}, blocking=True
    )
    await hass.services.async_call(
        DOMAIN,
        "log_sleep",
        {"bedtime": "2026-11-21 23:10:00", "wake_time": "2026-11-22 07:05:00", "latency": 20},
        blocking=True,
    )
    await hass.async_block_till_done()


@pytest.mark.freeze_time(SUNDAY_MORNING)
async def test_past_evenings_show_doses_and_nights_coming_ones_the_plan(
    hass: HomeAssistant,
) -> None:
    """Saturday's dose and night with its score; the seven coming wind-downs, no more."""
    await load(hass, weekend_bedtime="23:30:00")
    await log_saturday_evening(hass)
    score = state(hass, "sensor.anna_sleep_score")

    shown = await events(
        hass, datetime(2026, 11, 21, 12, 0, tzinfo=AMS), datetime(2026, 12, 1, 0, 0, tzinfo=AMS)
    )
    assert shown == [
        ("Sat 21 21:30", "Sat 21 21:45", "Magnesium 70 mg (glycinate (bisglycinate))"),
        ("Sat 21 23:10", "Sun 22 07:05", f"Slept 7 h 35 min, score {round(float(score))}"),
        ("Sun 22 22:15", "Sun 22 23:00", "Wind-down, bedtime 23:00"),
        ("Mon 23 22:15", "Mon 23 23:00", "Wind-down, bedtime 23:00"),
        ("Tue 24 22:15", "Tue 24 23:00", "Wind-down, bedtime 23:00"),
        ("Wed 25 22:15", "Wed 25 23:00", "Wind-down, bedtime 23:00"),
        ("Thu 26 22:15", "Thu 26 23:00", "Wind-down, bedtime 23:00"),
        ("Fri 27 22:45", "Fri 27 23:30", "Wind-down, bedtime 23:30"),  # weekend bedtime
        ("Sat 28 22:45", "Sat 28 23:30", "Wind-down, bedtime 23:30"),
    ]
    # A range holding only a part of an evening shows what overlaps it.
    assert await events(
        hass, datetime(2026, 11, 21, 21, 40, tzinfo=AMS), datetime(2026, 11, 21, 23, 0, tzinfo=AMS)
    ) == [("Sat 21 21:30", "Sat 21 21:45", "Magnesium 70 mg (glycinate (bisglycinate))")]


@pytest.mark.freeze_time(SUNDAY_MORNING)
async def test_the_state_follows_the_next_wind_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Off before, on during the planned wind-down, then the next evening's, on its own timer."""
    await load(hass)
    assert state(hass, CALENDAR) == "off"
    attributes = hass.states.get(CALENDAR).attributes  # type: ignore[union-attr]
    assert attributes["message"] == "Wind-down, bedtime 23:00"
    assert attributes["start_time"] == "2026-11-22 22:15:00"
    assert attributes["end_time"] == "2026-11-22 23:00:00"
    assert "22:00" in attributes["description"]  # the dose reminder

    for moment, expected, start in (
        (datetime(2026, 11, 22, 22, 15, tzinfo=AMS), "on", "2026-11-22 22:15:00"),
        (datetime(2026, 11, 22, 23, 0, tzinfo=AMS), "off", "2026-11-23 22:15:00"),
    ):
        freezer.move_to(moment)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert state(hass, CALENDAR) == expected
        assert hass.states.get(CALENDAR).attributes["start_time"] == start  # type: ignore[union-attr]

    # A new bedtime moves the next event at once.
    await hass.services.async_call(
        "time", "set_value", {"entity_id": "time.anna_bedtime", "time": "22:30"}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get(CALENDAR).attributes["start_time"] == "2026-11-23 21:45:00"  # type: ignore[union-attr]


@pytest.mark.freeze_time(SUNDAY_MORNING)
async def test_the_calendar_speaks_dutch(hass: HomeAssistant) -> None:
    """Summaries in the house's language."""
    hass.config.language = "nl"
    entry = await load(hass)
    await log_saturday_evening(hass)
    registry = er.async_get(hass)
    score_sensor = registry.async_get_entity_id("sensor", DOMAIN, f"{entry.entry_id}_sleep_score")
    calendar = registry.async_get_entity_id(
        "calendar", DOMAIN, f"{entry.entry_id}_bedtime_calendar"
    )
    assert score_sensor is not None
    assert calendar is not None
    score = state(hass, score_sensor)
    shown = await events(
        hass,
        datetime(2026, 11, 21, 12, 0, tzinfo=AMS),
        datetime(2026, 11, 23, 0, 0, tzinfo=AMS),
        calendar,
    )
    assert [summary for _start, _end, summary in shown] == [
        "Magnesium 70 mg (glycinaat (bisglycinaat))",
        f"7 u 35 min geslapen, score {round(float(score))}",
        "Avondrust, bedtijd 23:00",
    ]
    assert hass.states.get(calendar).attributes["message"] == "Avondrust, bedtijd 23:00"  # type: ignore[union-attr]
