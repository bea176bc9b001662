"""The bedtime routine in a real Home Assistant: whole evenings with the clock moving.

Each test sets the clock, loads Anna's profile (bedtime 23:00, wind-down 45 minutes,
dose reminder 60 minutes before, grace 60 minutes, unless it says otherwise) and
walks through the evening minute by minute, recording every routine bus event with
the local time it fired.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_NAME
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.magnesium_sleep.bedtime import RoutineEvent
from custom_components.magnesium_sleep.const import DOMAIN

from .conftest import PROFILE_OPTIONS, state

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")
WIND_DOWN = "binary_sensor.anna_wind_down"
NEXT_WIND_DOWN = "sensor.anna_next_wind_down"
ROUTINE = "event.anna_bedtime_routine"
BED = "binary_sensor.bed"


class Timeline:
    """Every routine bus event as (local wall time, type), in the order they fired."""

    def __init__(self, hass: HomeAssistant, tz: ZoneInfo) -> None:
        self.tz = tz
        self.events: list[tuple[str, str]] = []
        self.data: list[dict[str, Any]] = []
        for event_type in RoutineEvent:
            hass.bus.async_listen(f"{DOMAIN}_{event_type.value}", self._note)

    @callback
    def _note(self, event: Event[dict[str, Any]]) -> None:
        when = dt_util.utcnow().astimezone(self.tz).strftime("%m-%d %H:%M")
        self.events.append((when, event.event_type.removeprefix(f"{DOMAIN}_")))
        self.data.append(event.data)

    def take(self) -> list[tuple[str, str]]:
        events, self.events = self.events, []
        return events


async def walk(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, until: datetime, step: int = 60
) -> None:
    """Move the clock to `until` in steps of `step` seconds, firing due timers each step."""
    while dt_util.utcnow() < until:
        freezer.move_to(min(until, dt_util.utcnow() + timedelta(seconds=step)))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


def entry_with(**options: Any) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Anna",
        entry_id="01KANNA0000000000000000000",
        data={CONF_NAME: "Anna", "webhook_id": "a" * 64},
        options={**PROFILE_OPTIONS, **options},
        version=1,
        minor_version=2,
    )


async def load(
    hass: HomeAssistant, tz: str = "Europe/Amsterdam", **options: Any
) -> MockConfigEntry:
    await hass.config.async_set_time_zone(tz)
    entry = entry_with(**options)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.mark.freeze_time("2026-11-20 11:00:00+00:00")  # Friday 12:00 in Amsterdam
async def test_two_evenings_fire_each_moment_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Friday uses the weekend bedtime; the sensors follow each evening."""
    entry = await load(hass, weekend_bedtime="00:30:00")
    timeline = Timeline(hass, AMS)
    assert state(hass, WIND_DOWN) == "off"
    assert state(hass, NEXT_WIND_DOWN) == "2026-11-20T22:45:00+00:00"  # Sat 23:45 local

    await walk(hass, freezer, datetime(2026, 11, 22, 0, 0, tzinfo=AMS))
    assert timeline.take() == [
        ("11-20 23:30", "dose_reminder"),
        ("11-20 23:45", "wind_down_started"),
        ("11-21 00:30", "bedtime"),
        ("11-21 23:30", "dose_reminder"),  # Saturday: the weekend bedtime again
        ("11-21 23:45", "wind_down_started"),
    ]
    assert state(hass, WIND_DOWN) == "on"
    assert state(hass, NEXT_WIND_DOWN) == "2026-11-22T21:15:00+00:00"  # Sunday 22:15 local
    routine = hass.states.get(ROUTINE)
    assert routine is not None
    assert routine.attributes["event_type"] == "wind_down_started"
    assert routine.attributes["bedtime"] == "2026-11-21T23:30:00+00:00"
    assert routine.attributes["evening"] == "2026-11-21"
    assert timeline.data[-1]["config_entry_id"] == entry.entry_id  # the bus event names whose
    assert timeline.data[-1]["profile"] == "Anna"

    await walk(hass, freezer, datetime(2026, 11, 22, 1, 29, tzinfo=AMS))
    assert timeline.take() == [("11-22 00:30", "bedtime")]
    assert state(hass, WIND_DOWN) == "on"  # grace period: an hour after bedtime
    await walk(hass, freezer, datetime(2026, 11, 22, 1, 31, tzinfo=AMS))
    assert state(hass, WIND_DOWN) == "off"


@pytest.mark.parametrize(
    ("tz", "start", "end", "expected"),
    [
        # Amsterdam spring forward: 02:30 does not exist, bed at 03:00 summer time
        # an hour and 45 minutes before 03:00 summer time: 01:00 and 01:15 winter time
        (
            "Europe/Amsterdam",
            datetime(2026, 3, 28, 18, 0),
            datetime(2026, 3, 29, 6, 0),
            [
                ("03-29 01:00", "dose_reminder"),
                ("03-29 01:15", "wind_down_started"),
                ("03-29 03:00", "bedtime"),
            ],
        ),
        # Amsterdam fall back: 02:30 shows twice, bed the first time; nothing repeats
        (
            "Europe/Amsterdam",
            datetime(2026, 10, 24, 18, 0),
            datetime(2026, 10, 25, 6, 0),
            [
                ("10-25 01:30", "dose_reminder"),
                ("10-25 01:45", "wind_down_started"),
                ("10-25 02:30", "bedtime"),
            ],
        ),
        (
            "America/New_York",
            datetime(2026, 3, 7, 18, 0),
            datetime(2026, 3, 8, 6, 0),
            [
                ("03-08 01:00", "dose_reminder"),
                ("03-08 01:15", "wind_down_started"),
                ("03-08 03:00", "bedtime"),
            ],
        ),
        (
            "America/New_York",
            datetime(2026, 10, 31, 18, 0),
            datetime(2026, 11, 1, 6, 0),
            [
                ("11-01 01:30", "dose_reminder"),
                ("11-01 01:45", "wind_down_started"),
                ("11-01 02:30", "bedtime"),
            ],
        ),
    ],
)
async def test_dst_evenings(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tz: str,
    start: datetime,
    end: datetime,
    expected: list[tuple[str, str]],
) -> None:
    """A 02:30 bedtime on the nights the clocks change: each moment once, at the right time."""
    zone = ZoneInfo(tz)
    freezer.move_to(start.replace(tzinfo=zone))
    await load(hass, tz, bedtime="02:30:00")
    timeline = Timeline(hass, zone)
    await walk(hass, freezer, end.replace(tzinfo=zone))
    assert timeline.take() == expected


@pytest.mark.freeze_time("2026-11-21 20:50:00+00:00")  # Saturday 21:50 in Amsterdam
async def test_a_restart_in_the_middle_of_wind_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Missed moments fire once after the restart; handled ones never again."""
    entry = await load(hass)
    timeline = Timeline(hass, AMS)
    assert await hass.config_entries.async_unload(entry.entry_id)
    # Home Assistant is down over the dose reminder (22:00) and the wind-down (22:15).
    freezer.move_to(datetime(2026, 11, 21, 22, 20, tzinfo=AMS))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert timeline.take() == [
        ("11-21 22:20", "dose_reminder"),
        ("11-21 22:20", "wind_down_started"),
    ]
    assert state(hass, WIND_DOWN) == "on"

    await walk(hass, freezer, datetime(2026, 11, 21, 22, 30, tzinfo=AMS))
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert timeline.take() == []  # a restart during wind-down fires nothing again
    assert state(hass, WIND_DOWN) == "on"
    await walk(hass, freezer, datetime(2026, 11, 22, 0, 30, tzinfo=AMS))
    assert timeline.take() == [("11-21 23:00", "bedtime")]
    assert state(hass, WIND_DOWN) == "off"


@pytest.mark.freeze_time("2026-11-21 21:30:00+00:00")  # 22:30: wind-down runs
async def test_down_past_the_evenings_end_drops_what_was_missed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await load(hass)
    timeline = Timeline(hass, AMS)
    assert await hass.config_entries.async_unload(entry.entry_id)
    freezer.move_to(datetime(2026, 11, 22, 0, 5, tzinfo=AMS))  # bedtime and its grace passed
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert timeline.take() == []
    assert state(hass, WIND_DOWN) == "off"


@pytest.mark.freeze_time("2026-11-21 21:20:00+00:00")  # 22:20: in the wind-down
async def test_bedtime_changed_during_wind_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The wind-down goes on, the bedtime moves, and the new one is kept over a restart."""
    entry = await load(hass)
    timeline = Timeline(hass, AMS)
    assert state(hass, WIND_DOWN) == "on"
    await hass.services.async_call(
        "time", "set_value", {"entity_id": "time.anna_bedtime", "time": "23:30:00"}, blocking=True
    )
    assert state(hass, "time.anna_bedtime") == "23:30:00"
    assert entry.options["bedtime"] == "23:30:00"
    assert state(hass, WIND_DOWN) == "on"
    await walk(hass, freezer, datetime(2026, 11, 22, 0, 29, tzinfo=AMS))
    assert timeline.take() == [("11-21 23:30", "bedtime")]
    assert state(hass, WIND_DOWN) == "on"
    await walk(hass, freezer, datetime(2026, 11, 22, 0, 31, tzinfo=AMS))
    assert state(hass, WIND_DOWN) == "off"
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, "time.anna_bedtime") == "23:30:00"
    assert state(hass, NEXT_WIND_DOWN) == "2026-11-22T21:45:00+00:00"


@pytest.mark.freeze_time("2026-11-21 12:00:00+00:00")
async def test_settings_from_the_entities(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await load(hass)
    timeline = Timeline(hass, AMS)
    assert state(hass, "time.anna_weekend_bedtime") == "unknown"  # unset: same as the bedtime
    for entity_id, value in (
        ("number.anna_wind_down_length", 90),
        ("number.anna_dose_reminder_before_bedtime", 30),
    ):
        await hass.services.async_call(
            "number", "set_value", {"entity_id": entity_id, "value": value}, blocking=True
        )
    await hass.services.async_call(
        "time",
        "set_value",
        {"entity_id": "time.anna_weekend_bedtime", "time": "23:45:10"},
        blocking=True,
    )
    assert state(hass, "time.anna_weekend_bedtime") == "23:45:00"  # whole minutes
    assert state(hass, "number.anna_wind_down_length") == "90"
    assert entry.options["wind_down_minutes"] == 90
    await walk(hass, freezer, datetime(2026, 11, 22, 0, 0, tzinfo=AMS))
    assert timeline.take() == [
        ("11-21 22:15", "wind_down_started"),
        ("11-21 23:15", "dose_reminder"),
        ("11-21 23:45", "bedtime"),
    ]


@pytest.mark.freeze_time("2026-11-21 12:00:00+00:00")
async def test_a_time_zone_change_moves_the_evening(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await load(hass)
    timeline = Timeline(hass, NYC)
    assert state(hass, NEXT_WIND_DOWN) == "2026-11-21T21:15:00+00:00"
    await hass.config.async_update(time_zone="America/New_York")
    await hass.async_block_till_done()
    assert state(hass, NEXT_WIND_DOWN) == "2026-11-22T03:15:00+00:00"  # 22:15 in New York
    await walk(hass, freezer, datetime(2026, 11, 22, 0, 0, tzinfo=NYC), step=300)
    assert timeline.take() == [
        ("11-21 22:00", "dose_reminder"),
        ("11-21 22:15", "wind_down_started"),
        ("11-21 23:00", "bedtime"),
    ]


@pytest.mark.freeze_time("2026-11-21 20:30:00+00:00")  # 21:30
async def test_the_reminder_is_suppressed_once_the_dose_is_in(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await load(hass)
    timeline = Timeline(hass, AMS)
    await hass.services.async_call(DOMAIN, "log_dose", {"servings": 1}, blocking=True)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 20, tzinfo=AMS))
    assert timeline.take() == [("11-21 22:15", "wind_down_started")]
    assert timeline.data[-1]["dose_taken"] is True
    assert timeline.data[-1]["doses_tonight"]["day_doses"] == 1


@pytest.mark.freeze_time("2026-11-21 19:00:00+00:00")  # 20:00
async def test_start_and_end_wind_down_by_hand(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await load(hass)
    timeline = Timeline(hass, AMS)
    await hass.services.async_call(DOMAIN, "start_wind_down", {}, blocking=True)
    assert timeline.take() == [("11-21 20:00", "wind_down_started")]
    assert state(hass, WIND_DOWN) == "on"
    # Said again while it runs: it goes on, and automations don't run a second time.
    await hass.services.async_call(DOMAIN, "start_wind_down", {}, blocking=True)
    assert timeline.take() == []
    await walk(hass, freezer, datetime(2026, 11, 21, 21, 0, tzinfo=AMS))
    await hass.services.async_call(
        DOMAIN, "end_wind_down", {"config_entry_id": entry.entry_id}, blocking=True
    )
    assert state(hass, WIND_DOWN) == "off"
    await walk(hass, freezer, datetime(2026, 11, 22, 0, 0, tzinfo=AMS))
    # Tonight's wind-down was had: it doesn't start again at 22:15.
    assert timeline.take() == [("11-21 22:00", "dose_reminder"), ("11-21 23:00", "bedtime")]
    assert state(hass, WIND_DOWN) == "off"


@pytest.mark.freeze_time("2026-11-21 19:00:00+00:00")  # 20:00
async def test_end_wind_down_before_it_starts_skips_tonight(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await load(hass)
    timeline = Timeline(hass, AMS)
    await hass.services.async_call(DOMAIN, "end_wind_down", {}, blocking=True)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 30, tzinfo=AMS), step=300)
    assert timeline.take() == [("11-21 22:00", "dose_reminder")]
    assert state(hass, WIND_DOWN) == "off"


@pytest.mark.freeze_time("2026-11-21 23:00:00+00:00")  # 00:00, after the evening ended
async def test_start_wind_down_after_bedtime_lasts_a_grace_period(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await load(hass)
    await hass.services.async_call(DOMAIN, "start_wind_down", {}, blocking=True)
    assert state(hass, WIND_DOWN) == "on"
    await walk(hass, freezer, datetime(2026, 11, 22, 0, 59, tzinfo=AMS))
    assert state(hass, WIND_DOWN) == "on"
    await walk(hass, freezer, datetime(2026, 11, 22, 1, 1, tzinfo=AMS))
    assert state(hass, WIND_DOWN) == "off"


@pytest.mark.freeze_time("2026-11-21 20:00:00+00:00")  # 21:00
async def test_sleep_sources_end_the_wind_down_and_tell_the_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """In bed ends the wind-down; out of bed is waking up; the night is recorded once."""
    hass.states.async_set(BED, "off", {"device_class": "occupancy"})
    entry = await load(hass, sleep_sources={"in_bed": BED})
    timeline = Timeline(hass, AMS)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 40, tzinfo=AMS))
    assert state(hass, WIND_DOWN) == "on"
    hass.states.async_set(BED, "on", {"device_class": "occupancy"})
    await hass.async_block_till_done()
    assert state(hass, WIND_DOWN) == "off"
    await walk(hass, freezer, datetime(2026, 11, 22, 7, 0, tzinfo=AMS), step=600)
    hass.states.async_set(BED, "off", {"device_class": "occupancy"})
    await hass.async_block_till_done()
    # A night known from a bed sensor alone is over when its window ends (12:00).
    await walk(hass, freezer, datetime(2026, 11, 22, 12, 5, tzinfo=AMS), step=600)
    assert timeline.take() == [
        ("11-21 22:00", "dose_reminder"),
        ("11-21 22:15", "wind_down_started"),
        ("11-21 22:40", "went_to_bed"),
        ("11-21 23:00", "bedtime"),
        ("11-22 07:00", "woke_up"),
        ("11-22 12:00", "night_recorded"),
    ]
    night = timeline.data[-1]["night"]
    assert night["night"] == "2026-11-21"
    assert night["values"]["bedtime"] == "2026-11-21T21:40:00+00:00"
    assert timeline.data[-1]["evening"] == "2026-11-21"
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert timeline.take() == []  # recorded once, not again after a restart


async def test_options_step_sets_the_schedule(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The bedtime step pre-fills the defaults, keeps whole minutes and can unset the weekend."""
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "bedtime"}
    )
    assert result["step_id"] == "bedtime"
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description
    }
    assert suggested == {
        "bedtime": "23:00",
        "wind_down_minutes": 45,
        "dose_reminder_minutes": 60,
        "wind_down_grace_minutes": 60,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "bedtime": "22:30",
            "weekend_bedtime": "00:15",
            "wind_down_minutes": 30,
            "dose_reminder_minutes": 90,
            "wind_down_grace_minutes": 20,
        },
    )
    await hass.async_block_till_done()
    assert entry.options["weekend_bedtime"] == "00:15"
    assert state(hass, "time.anna_bedtime") == "22:30:00"
    assert state(hass, "time.anna_weekend_bedtime") == "00:15:00"
    assert state(hass, "number.anna_wind_down_length") == "30"
    # Saturday: the weekend bedtime 00:15, wind-down from 23:45.
    assert state(hass, NEXT_WIND_DOWN) == "2026-11-21T22:45:00+00:00"

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "bedtime"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "bedtime": "22:30",
            "wind_down_minutes": 30,
            "dose_reminder_minutes": 90,
            "wind_down_grace_minutes": 20,
        },
    )
    await hass.async_block_till_done()
    assert state(hass, "time.anna_weekend_bedtime") == "unknown"
    assert state(hass, NEXT_WIND_DOWN) == "2026-11-22T21:00:00+00:00"  # Sunday 22:00


@pytest.mark.freeze_time("2026-11-16 11:00:00+00:00")  # Monday noon
async def test_nine_evenings_and_only_the_last_week_is_remembered(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    entry = await load(hass)
    timeline = Timeline(hass, AMS)
    await walk(hass, freezer, datetime(2026, 11, 25, 12, 0, tzinfo=AMS), step=900)
    fired = timeline.take()
    assert len(fired) == 9 * 3
    assert {kind for _when, kind in fired} == {"dose_reminder", "wind_down_started", "bedtime"}
    handled = hass_storage[f"{DOMAIN}.{entry.entry_id}.bedtime"]["data"]["handled"]
    assert min(handled) == "2026-11-17"  # a week back from the last evening's moments
    assert max(handled) == "2026-11-24"
