"""Sleep sources end to end: each provider's real entity shape replayed through a night.

Registry entries and states are shaped like the integrations create them (Home
Assistant 2026.10 source, the Oura and Garmin fixtures in the shared reference),
states are driven with `hass.states.async_set` while the clock moves, and the
assertions read the profile's own sleep entities. Expected values are worked out
by hand next to each test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_NAME, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, section
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.magnesium_sleep.const import DOMAIN
from custom_components.magnesium_sleep.storage import HistoryKind, PartitionedHistory

from .conftest import PROFILE_OPTIONS, durable

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")
ENTRY_ID = "01KANNA0000000000000000000"

SCORE = "sensor.anna_sleep_score"
DURATION = "sensor.anna_sleep_duration"
LATENCY = "sensor.anna_time_to_fall_asleep"
AWAKE = "sensor.anna_time_awake"
EFFICIENCY = "sensor.anna_sleep_efficiency"
BEDTIME = "sensor.anna_bedtime"
WAKE = "sensor.anna_wake_time"
IN_BED = "binary_sensor.anna_in_bed"
ASLEEP = "binary_sensor.anna_asleep"
NIGHT_SENSORS = (SCORE, DURATION, LATENCY, AWAKE, EFFICIENCY, BEDTIME, WAKE)


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class Shape:
    """One source entity as its integration registers it and writes its state."""

    entity_id: str
    platform: str
    device_class: str | None = None
    unit: str | None = None
    translation_key: str | None = None
    name: str | None = None
    state_class: str | None = None
    disabled: bool = False
    has_entity_name: bool = True
    extra: tuple[tuple[str, Any], ...] = ()

    def register(self, registry: er.EntityRegistry) -> er.RegistryEntry:
        """Create the registry entry (disabled by its integration when `disabled`)."""
        domain, object_id = self.entity_id.split(".", 1)
        entry = registry.async_get_or_create(
            domain,
            self.platform,
            f"{self.platform}_{object_id}",
            suggested_object_id=object_id,
            original_device_class=self.device_class,
            unit_of_measurement=self.unit,
            translation_key=self.translation_key,
            original_name=self.name,
            has_entity_name=self.has_entity_name,
            capabilities={"state_class": self.state_class} if self.state_class else None,
            disabled_by=er.RegistryEntryDisabler.INTEGRATION if self.disabled else None,
        )
        assert entry.entity_id == self.entity_id
        return entry

    def attributes(self, **changes: Any) -> dict[str, Any]:
        """The state attributes the entity writes."""
        attributes: dict[str, Any] = {
            "unit_of_measurement": self.unit,
            "device_class": self.device_class,
            "state_class": self.state_class,
            "friendly_name": self.name,
            **dict(self.extra),
            **changes,
        }
        return {key: value for key, value in attributes.items() if value is not None}

    def set(self, hass: HomeAssistant, state: str, **attribute_changes: Any) -> None:
        """Write a new state, as the integration would."""
        hass.states.async_set(self.entity_id, state, self.attributes(**attribute_changes))


def _withings(key: str, name: str, **kwargs: Any) -> Shape:
    return Shape(f"sensor.henk_{key}", "withings", translation_key=key, name=name, **kwargs)


def _h(key: str, name: str, *, disabled: bool = True) -> Shape:
    # Native seconds with a suggested display unit of hours: states read like "1.617".
    return _withings(
        key, name, device_class="duration", unit="h", state_class="measurement", disabled=disabled
    )


W_IN_BED = Shape(
    "binary_sensor.henk_in_bed", "withings", "occupancy", translation_key="in_bed", name="In bed"
)
W_DEEP = _h("deep_sleep", "Deep sleep", disabled=False)  # the only one enabled by default
W_LIGHT = _h("light_sleep", "Light sleep")
W_REM = _h("rem_sleep", "REM sleep")
W_TO_SLEEP = _h("time_to_sleep", "Time to sleep")
W_TO_WAKEUP = _h("time_to_wakeup", "Time to wakeup")
W_WAKEUP_TIME = _h("wakeup_time", "Wakeup time")
W_WAKEUP_COUNT = _withings(
    "wakeup_count", "Wakeup count", unit="times", state_class="measurement", disabled=True
)
W_SCORE = _withings(
    "sleep_score", "Sleep score", unit="points", state_class="measurement", disabled=True
)
W_GOAL = _withings("sleep_goal", "Sleep goal", device_class="duration", unit="h")
WITHINGS = (
    W_IN_BED,
    W_DEEP,
    W_LIGHT,
    W_REM,
    W_TO_SLEEP,
    W_TO_WAKEUP,
    W_WAKEUP_TIME,
    W_WAKEUP_COUNT,
    W_SCORE,
    W_GOAL,
)


def _sleepiq(key: str, name: str, **kwargs: Any) -> Shape:
    # has_entity_name is False: the name is the whole "SleepNumber <bed> <sleeper> <type>".
    return Shape(
        f"sensor.sleepnumber_ile_anna_{key}",
        "sleepiq",
        name=f"SleepNumber ILE Anna {name}",
        has_entity_name=False,
        **kwargs,
    )


IQ_IN_BED = Shape(
    "binary_sensor.sleepnumber_ile_anna_is_in_bed",
    "sleepiq",
    "occupancy",
    name="SleepNumber ILE Anna Is In Bed",
    has_entity_name=False,
)
IQ_SCORE = _sleepiq("sleep_score", "Sleep Score", unit="score", state_class="measurement")
IQ_DURATION = _sleepiq(
    "sleep_duration", "Sleep Duration", device_class="duration", unit="h", state_class="measurement"
)
IQ_HRV = _sleepiq(
    "heart_rate_variability",
    "Heart Rate Variability",
    device_class="duration",
    unit="ms",
    state_class="measurement",
)
IQ_HEART_RATE = _sleepiq(
    "heart_rate_average", "Heart Rate Average", unit="bpm", state_class="measurement"
)
IQ_SLEEP_NUMBER = _sleepiq("sleepnumber", "SleepNumber", state_class="measurement")
SLEEPIQ = (IQ_IN_BED, IQ_SCORE, IQ_DURATION, IQ_HRV, IQ_HEART_RATE, IQ_SLEEP_NUMBER)

SAA_EVENT_TYPES = {
    "sleep_tracking": ["paused", "resumed", "started", "stopped"],
    "sleep_phase": ["awake", "deep_sleep", "light_sleep", "not_awake", "rem"],
    "alarm_clock": ["alarm_alert_dismiss", "alarm_alert_start", "alarm_rescheduled"],
}


def _saa(key: str, name: str) -> Shape:
    return Shape(
        f"event.sleep_as_android_{key}",
        "sleep_as_android",
        translation_key=key,
        name=f"Sleep as Android {name}",
        extra=(("event_types", tuple(SAA_EVENT_TYPES[key])),),
    )


SAA_TRACKING = _saa("sleep_tracking", "Sleep tracking")
SAA_PHASE = _saa("sleep_phase", "Sleep phase")
SAA_ALARM = _saa("alarm_clock", "Alarm clock")
SLEEP_AS_ANDROID = (SAA_TRACKING, SAA_PHASE, SAA_ALARM)

PIXEL_CONFIDENCE = Shape(
    "sensor.pixel_8_sleep_confidence",
    "mobile_app",
    unit="%",
    name="Pixel 8 Sleep confidence",
    state_class="measurement",
)
PIXEL_SEGMENT = Shape(
    "sensor.pixel_8_sleep_segment",
    "mobile_app",
    "duration",
    "ms",
    name="Pixel 8 Sleep segment",
)
ANDROID = (PIXEL_CONFIDENCE, PIXEL_SEGMENT)


def _oura(key: str, name: str, **kwargs: Any) -> Shape:
    return Shape(f"sensor.oura_ring_{key}", "oura", translation_key=key, name=name, **kwargs)


def _oura_h(key: str, name: str) -> Shape:
    return _oura(key, name, device_class="duration", unit="h", state_class="total")


O_SCORE = _oura("sleep_score", "Sleep Score", state_class="measurement")
O_TOTAL = _oura_h("total_sleep_duration", "Total Sleep Duration")
O_DEEP = _oura_h("deep_sleep_duration", "Deep Sleep Duration")
O_REM = _oura_h("rem_sleep_duration", "REM Sleep Duration")
O_LIGHT = _oura_h("light_sleep_duration", "Light Sleep Duration")
O_AWAKE = _oura_h("awake_time", "Awake Time")
O_IN_BED = _oura_h("time_in_bed", "Time in Bed")
O_LATENCY = _oura(
    "sleep_latency", "Sleep Latency", device_class="duration", unit="min", state_class="measurement"
)
O_EFFICIENCY = _oura("sleep_efficiency", "Sleep Efficiency", unit="%", state_class="measurement")
O_START = _oura("bedtime_start", "Bedtime Start", device_class="timestamp")
O_END = _oura("bedtime_end", "Bedtime End", device_class="timestamp")
O_HRV = _oura("average_sleep_hrv", "Average Sleep HRV", unit="ms", state_class="measurement")
O_LOWEST_HR = _oura(
    "lowest_sleep_heart_rate", "Lowest Sleep Heart Rate", unit="bpm", state_class="measurement"
)
O_OPTIMAL = _oura("optimal_bedtime_start", "Optimal Bedtime Start", device_class="timestamp")


def _garmin(key: str, name: str, **kwargs: Any) -> Shape:
    return Shape(
        f"sensor.garmin_connect_{key}", "garmin_connect", translation_key=key, name=name, **kwargs
    )


def _garmin_min(key: str, name: str) -> Shape:
    return _garmin(key, name, device_class="duration", unit="min", state_class="measurement")


G_SCORE = _garmin("sleep_score", "Sleep score", state_class="measurement")
G_TOTAL = _garmin_min("total_sleep_duration", "Total sleep duration")
G_SLEEP_DURATION = _garmin_min("sleep_duration", "Sleep duration")
G_SLEEPING = _garmin_min("sleeping_time", "Sleeping time")
G_DEEP = _garmin_min("deep_sleep", "Deep sleep")
G_LIGHT = _garmin_min("light_sleep", "Light sleep")
G_REM = _garmin_min("rem_sleep", "REM sleep")
G_AWAKE = _garmin_min("awake_sleep", "Awake time")
G_NEED = _garmin_min("sleep_need", "Sleep need")
G_BEDTIME = _garmin("bedtime", "Bedtime", device_class="timestamp")
G_WAKE = _garmin("wake_time", "Wake time", device_class="timestamp")
G_OPTIMAL = _garmin("optimal_bedtime", "Optimal bedtime", device_class="timestamp")


def _fitbit(key: str, name: str, unit: str, **kwargs: Any) -> Shape:
    # Diagnostic entities; most sleep values are total_increasing.
    return Shape(
        f"sensor.fitbit_{key}", "fitbit", translation_key=key, name=name, unit=unit, **kwargs
    )


F_ASLEEP = _fitbit(
    "sleep_minutes_asleep",
    "Sleep minutes asleep",
    "min",
    device_class="duration",
    state_class="total_increasing",
)
F_AWAKE = _fitbit(
    "sleep_minutes_awake",
    "Sleep minutes awake",
    "min",
    device_class="duration",
    state_class="total_increasing",
)
F_TO_FALL_ASLEEP = _fitbit(
    "sleep_minutes_to_fall_asleep",
    "Sleep minutes to fall asleep",
    "min",
    device_class="duration",
    state_class="total_increasing",
)
F_IN_BED = _fitbit(
    "sleep_time_in_bed",
    "Sleep time in bed",
    "min",
    device_class="duration",
    state_class="total_increasing",
)
F_AWAKENINGS = _fitbit(
    "awakenings_count", "Awakenings count", "times awaken", state_class="total_increasing"
)

BED_MAT = Shape("binary_sensor.bedroom_bed_occupancy", "zha", "occupancy", name="Bed occupancy")
BED_ASLEEP = Shape("binary_sensor.anna_is_sleeping", "template", name="Anna is sleeping")

UNRELATED = (
    Shape("sensor.living_room_temperature", "mqtt", "temperature", "°C", name="Temperature"),
    Shape("binary_sensor.hallway_motion", "zha", "motion", name="Hallway motion"),
    Shape("sensor.washing_machine_remaining", "miele", "duration", "min", name="Remaining"),
    Shape("event.doorbell", "ring", "doorbell", name="Doorbell"),
)


# --------------------------------------------------------------------------- helpers


def local(day: str, clock: str, tz: ZoneInfo = AMS, *, fold: int = 0) -> datetime:
    """An aware local moment, e.g. local("2026-11-18", "22:40")."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=tz, fold=fold)


def iso_utc(moment: datetime) -> str:
    """How a timestamp sensor state reads."""
    return moment.astimezone(ZoneInfo("UTC")).isoformat()


async def travel(hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime) -> None:
    """Move the clock, fire what is due, and let everything settle."""
    freezer.move_to(when)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """The state of an entity that must exist."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current.state


def attributes_of(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """The attributes of an entity that must exist."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return dict(current.attributes)


def night_states(hass: HomeAssistant) -> dict[str, str]:
    """The profile's last-night sensors, by short name; the sleep duration in minutes.

    The sleep duration is kept in hours (Home Assistant shows it as "7h 16m"); the
    sources speak minutes, and so do these tests.
    """
    states = {
        entity_id.split(".anna_")[1]: state_of(hass, entity_id) for entity_id in NIGHT_SENSORS
    }
    if (hours := states["sleep_duration"]) not in {STATE_UNAVAILABLE, STATE_UNKNOWN}:
        states["sleep_duration"] = f"{float(hours) * 60:.1f}"
    return states


def components(hass: HomeAssistant) -> dict[str, float]:
    """The score's components as points."""
    points: dict[str, float] = attributes_of(hass, SCORE)["components"]
    return points


def profile_entry(sources: dict[str, str], **options: Any) -> MockConfigEntry:
    """Anna's profile with sleep sources configured."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Anna",
        entry_id=ENTRY_ID,
        data={CONF_NAME: "Anna", "webhook_id": "a" * 64},
        options={**PROFILE_OPTIONS, "sleep_sources": sources, **options},
        version=1,
        minor_version=2,
    )


async def set_up(
    hass: HomeAssistant,
    sources: dict[str, Shape],
    *,
    tz: str = "Europe/Amsterdam",
    initial: dict[Shape, str] | None = None,
    seen: bool = True,
    **options: Any,
) -> MockConfigEntry:
    """Register the sources, write their current states, and load Anna's profile.

    With `seen`, the initial states are ones the profile saw before a restart (not
    news); without, the sources were just picked and their values are last night's.
    """
    await hass.config.async_set_time_zone(tz)
    registry = er.async_get(hass)
    for shape in sources.values():
        if registry.async_get(shape.entity_id) is None:
            shape.register(registry)
    for shape, value in (initial or {}).items():
        shape.set(hass, value)
    entry = profile_entry({role: shape.entity_id for role, shape in sources.items()}, **options)
    if seen and initial:
        history = PartitionedHistory(hass, entry.entry_id, HistoryKind.SEEN)
        await history.async_load(dict)
        for shape in initial:
            current = hass.states.get(shape.entity_id)
            assert current is not None
            await history.async_put(
                "last",
                shape.entity_id,
                {
                    "entity_id": shape.entity_id,
                    "state": current.state,
                    "unit": current.attributes.get("unit_of_measurement"),
                },
            )
        await history.async_close()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def feed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    steps: list[tuple[datetime, Shape, str]],
) -> None:
    """At each moment, write a source's new state."""
    for when, shape, value in steps:
        await travel(hass, freezer, when)
        shape.set(hass, value)
        await hass.async_block_till_done()


def minutes(hass: HomeAssistant, entity_id: str) -> float:
    """A duration sensor's value in minutes (the sleep duration is kept in hours)."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    factor = 60 if state.attributes["unit_of_measurement"] == "h" else 1
    return round(float(state.state) * factor, 6)


def event(shape: Shape, hass: HomeAssistant, kind: str) -> None:
    """Sleep as Android fires an event now: state = its time, event_type = what."""
    now = datetime.now(ZoneInfo("UTC"))
    shape.set(hass, now.isoformat(timespec="milliseconds"), event_type=kind)


# --------------------------------------------------------------------------- replays


async def test_withings_night(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Webhook in-bed changes overnight, the summary in hours after the morning sync.

    In bed 22:40 to 07:05 with a bathroom trip (time in bed 8 h 25 = 505 min); deep
    1.5 h + light 4 h + REM 1.75 h = 435 min asleep; 15 min to sleep; 30 min awake;
    2 wake-ups. Efficiency 435 / 505 = 86.1 %. Score: duration 35 (7.25 h),
    efficiency 25 x 21.14 / 25 = 21.1, latency 15, WASO 10 x 60 / 70 = 8.6,
    awakenings 5 x 2 / 3 = 3.3: 83.04 of 90 points = 92.3. No source says when
    Henk woke, so wake time stays unavailable.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {
        "in_bed": W_IN_BED,
        "deep": W_DEEP,
        "light": W_LIGHT,
        "rem": W_REM,
        "sleep_latency": W_TO_SLEEP,
        "time_awake": W_WAKEUP_TIME,
        "awakenings": W_WAKEUP_COUNT,
        "sleep_score": W_SCORE,
    }
    # When the sources are picked, the night before is on screen: that is last night.
    before = {
        W_IN_BED: "off",
        W_DEEP: "1.2",
        W_LIGHT: "3.9",
        W_REM: "1.3",
        W_TO_SLEEP: "0.4",
        W_WAKEUP_TIME: "0.2",
        W_WAKEUP_COUNT: "1",
        W_SCORE: "70",
    }
    entry = await set_up(hass, sources, initial=before, seen=False)
    # 1.2 + 3.9 + 1.3 h of stages = 384 min; 0.4 h to sleep, 0.2 h awake.
    assert minutes(hass, DURATION) == 384.0
    assert state_of(hass, LATENCY) == "24.0"
    assert attributes_of(hass, SCORE)["night"] == "2026-11-17"
    # Seen values are remembered across restarts: the same values are no news.
    nights = [night.to_dict() for night in entry.runtime_data.sleep.assembler.nights()]
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert [night.to_dict() for night in entry.runtime_data.sleep.assembler.nights()] == nights
    assert state_of(hass, IN_BED) == "off"
    assert state_of(hass, ASLEEP) == STATE_UNAVAILABLE

    await feed(hass, freezer, [(local("2026-11-18", "22:40"), W_IN_BED, "on")])
    assert state_of(hass, IN_BED) == "on"
    await feed(
        hass,
        freezer,
        [
            (local("2026-11-19", "03:10"), W_IN_BED, "off"),
            (local("2026-11-19", "03:18"), W_IN_BED, "on"),
            (local("2026-11-19", "07:05"), W_IN_BED, "off"),
        ],
    )
    assert state_of(hass, IN_BED) == "off"
    # Out of bed, but nothing says how long Henk slept yet: the night before stays.
    assert attributes_of(hass, SCORE)["night"] == "2026-11-17"

    morning = local("2026-11-19", "07:42")
    await feed(
        hass,
        freezer,
        [
            (morning, W_DEEP, "1.5"),
            (morning, W_LIGHT, "4.0"),
            (morning, W_REM, "1.75"),
            (morning, W_TO_SLEEP, "0.25"),
            (morning, W_WAKEUP_TIME, "0.5"),
            (morning, W_WAKEUP_COUNT, "2"),
            (morning, W_SCORE, "78"),
        ],
    )
    assert night_states(hass) == {
        "sleep_score": "92.3",
        "sleep_duration": "435.0",
        "time_to_fall_asleep": "15.0",
        "time_awake": "30.0",
        "sleep_efficiency": "86.1",
        "bedtime": iso_utc(local("2026-11-18", "22:40")),
        "wake_time": STATE_UNAVAILABLE,
    }
    assert components(hass) == {
        "duration": 35.0,
        "efficiency": 21.1,
        "latency": 15.0,
        "waso": 8.6,
        "awakenings": 3.3,
    }
    score = attributes_of(hass, SCORE)
    assert score["night"] == "2026-11-18"
    assert (score["vendor_score"], score["vendor_score_scale"]) == (78.0, "points")
    # 90 of the score's 100 points could be measured (no regularity yet): 5 of 6 parts.
    assert (score["coverage"], score["measured_parts"], score["total_parts"]) == (90, 5, 6)
    assert state_of(hass, "sensor.anna_sleep_score_coverage") == "90.0"

    def name(entity_id: str) -> str:
        state = hass.states.get(entity_id)
        assert state is not None
        return state.name

    # Where each value came from, by the sources' names: the total from the stages.
    duration = attributes_of(hass, DURATION)
    stages = ("sensor.henk_deep_sleep", "sensor.henk_light_sleep", "sensor.henk_rem_sleep")
    assert duration["source"] == " + ".join(name(entity_id) for entity_id in stages)
    assert duration["measured"] is False
    bedtime = attributes_of(hass, "sensor.anna_bedtime")
    assert (bedtime["source"], bedtime["measured"]) == (name(W_IN_BED.entity_id), False)


async def test_sleep_as_android_night(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Point events only: tracking started/stopped and sleep phases, as they happen.

    Tracking 22:55 to 06:50 (475 min in bed); light sleep from 23:10 (latency 15);
    awake 02:30 to 02:45 (WASO 15, one awakening > 5 min); awake for good at 06:40.
    Asleep 23:10-02:30 (200) + 02:45-06:40 (235) = 435 min; efficiency 91.6 %.
    Score: 35 + 25 + 15 + 10 + 5 (all full marks) = 100.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {"sleep_tracking": SAA_TRACKING, "sleep_phase": SAA_PHASE}
    await set_up(hass, sources, initial={SAA_TRACKING: "unknown", SAA_PHASE: "unknown"})
    assert state_of(hass, IN_BED) == STATE_UNAVAILABLE
    assert state_of(hass, ASLEEP) == STATE_UNAVAILABLE

    async def at(clock: str, shape: Shape, kind: str, day: str = "2026-11-19") -> None:
        await travel(hass, freezer, local(day, clock))
        event(shape, hass, kind)
        await hass.async_block_till_done()

    await at("22:55", SAA_TRACKING, "started", day="2026-11-18")
    assert (state_of(hass, IN_BED), state_of(hass, ASLEEP)) == ("on", STATE_UNAVAILABLE)
    await at("23:10", SAA_PHASE, "light_sleep", day="2026-11-18")
    assert state_of(hass, ASLEEP) == "on"
    await at("23:50", SAA_PHASE, "deep_sleep", day="2026-11-18")
    await at("01:00", SAA_PHASE, "light_sleep")
    await at("02:30", SAA_PHASE, "awake")
    assert (state_of(hass, IN_BED), state_of(hass, ASLEEP)) == ("on", "off")
    # Awake in the middle of the night: the night is not over.
    assert state_of(hass, DURATION) == STATE_UNAVAILABLE
    await at("02:45", SAA_PHASE, "light_sleep")
    await at("04:00", SAA_PHASE, "rem")
    await at("05:00", SAA_PHASE, "light_sleep")
    await at("06:40", SAA_PHASE, "awake")
    await at("06:50", SAA_TRACKING, "stopped")
    assert (state_of(hass, IN_BED), state_of(hass, ASLEEP)) == ("off", "off")
    assert night_states(hass) == {
        "sleep_score": "100.0",
        "sleep_duration": "435.0",
        "time_to_fall_asleep": "15.0",
        "time_awake": "15.0",
        "sleep_efficiency": "91.6",
        "bedtime": iso_utc(local("2026-11-18", "22:55")),
        "wake_time": iso_utc(local("2026-11-19", "06:40")),
    }
    assert components(hass) == {
        "duration": 35.0,
        "efficiency": 25.0,
        "latency": 15.0,
        "waso": 10.0,
        "awakenings": 5.0,
    }


async def test_oura_night(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Oura's poll after the ring syncs: hours, latency in minutes, timestamps with offset.

    The fixture's night: bedtime 23:30 to 08:00 (+01:00), 8 h asleep (2 deep, 2 REM,
    4 light), 0.5 h awake, 10 min latency, 8.5 h in bed, score 85. Efficiency is
    derived: 480 / 510 = 94.1 % (Oura's own 92 has no role). Score: duration 35,
    efficiency 25, latency 15, WASO 10 x 60 / 70 = 8.57: 83.57 of 85 = 98.3.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {
        "sleep_score": O_SCORE,
        "total_sleep": O_TOTAL,
        "deep": O_DEEP,
        "rem": O_REM,
        "light": O_LIGHT,
        "time_awake": O_AWAKE,
        "time_in_bed": O_IN_BED,
        "sleep_latency": O_LATENCY,
        "bedtime": O_START,
        "wake_time": O_END,
        "hrv": O_HRV,
        "resting_heart_rate": O_LOWEST_HR,
    }
    # Oura keeps the previous completed night on screen.
    previous = {
        O_SCORE: "71",
        O_TOTAL: "6.5",
        O_DEEP: "1.25",
        O_REM: "1.5",
        O_LIGHT: "3.75",
        O_AWAKE: "0.75",
        O_IN_BED: "7.25",
        O_LATENCY: "20.0",
        O_START: "2026-11-17T00:15:00+01:00",
        O_END: "2026-11-17T07:30:00+01:00",
        O_HRV: "39",
        O_LOWEST_HR: "58",
    }
    await set_up(hass, sources, initial=previous)
    assert set(night_states(hass).values()) == {STATE_UNAVAILABLE}

    sync = local("2026-11-19", "08:25")
    await feed(
        hass,
        freezer,
        [
            (sync, O_START, "2026-11-18T23:30:00+01:00"),
            (sync, O_END, "2026-11-19T08:00:00+01:00"),
            (sync, O_TOTAL, "8.0"),
            (sync, O_DEEP, "2.0"),
            (sync, O_REM, "2.0"),
            (sync, O_LIGHT, "4.0"),
            (sync, O_AWAKE, "0.5"),
            (sync, O_IN_BED, "8.5"),
            (sync, O_LATENCY, "10.0"),
            (sync + timedelta(minutes=5), O_SCORE, "85"),
            (sync + timedelta(minutes=5), O_HRV, "45"),
            (sync + timedelta(minutes=5), O_LOWEST_HR, "55"),
        ],
    )
    assert night_states(hass) == {
        "sleep_score": "98.3",
        "sleep_duration": "480.0",
        "time_to_fall_asleep": "10.0",
        "time_awake": "30.0",
        "sleep_efficiency": "94.1",
        "bedtime": iso_utc(local("2026-11-18", "23:30")),
        "wake_time": iso_utc(local("2026-11-19", "08:00")),
    }
    assert components(hass) == {
        "duration": 35.0,
        "efficiency": 25.0,
        "latency": 15.0,
        "waso": 8.6,
    }
    score = attributes_of(hass, SCORE)
    assert (score["night"], score["vendor_score"], score["vendor_score_scale"]) == (
        "2026-11-18",
        85.0,
        "points",
    )
    night = hass.config_entries.async_get_entry(ENTRY_ID).runtime_data.sleep.summary.night
    assert (night.hrv, night.resting_heart_rate) == (45.0, 55.0)
    derived = {field for field, prov in night.provenance.items() if not prov.measured}
    assert derived == {"efficiency", "sleep_onset"}  # onset = bedtime + latency


async def test_garmin_nights(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Minutes and UTC timestamps after the watch syncs; yesterday's night stays on screen.

    Night 1 (the fixture): total 450 min (the stages 120 + 240 + 120 do not add up to
    it; the measured total wins), 20 min awake, score 82, asleep 22:50 to 07:00.
    Garmin gives no time in bed and no latency: latency stays unavailable, and the
    efficiency is derived from bedtime to wake time (490 min): 450 / 490 = 91.8 %.
    Score: duration 35, efficiency 25, WASO 10 x 70 / 70 = 10: 70 of 70 = 100.
    Night 2: 380 min, 35 min awake, 435 min from bedtime to wake (87.4 %): duration
    35 x 2.33 / 3 = 27.2, efficiency 25 x 22.4 / 25 = 22.4, WASO 10 x 55 / 70 = 7.9:
    57.5 of 70 = 82.1.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {
        "sleep_score": G_SCORE,
        "total_sleep": G_TOTAL,
        "deep": G_DEEP,
        "light": G_LIGHT,
        "rem": G_REM,
        "time_awake": G_AWAKE,
        "bedtime": G_BEDTIME,
        "wake_time": G_WAKE,
    }
    shapes = list(sources.values())
    await set_up(hass, sources, initial=dict.fromkeys(shapes, "unknown"))

    async def sync(when: datetime, values: list[str]) -> None:
        await feed(
            hass,
            freezer,
            [(when, shape, value) for shape, value in zip(shapes, values, strict=True)],
        )

    await sync(
        local("2026-11-19", "07:31"),
        [
            "82",
            "450",
            "120",
            "240",
            "120",
            "20",
            iso_utc(local("2026-11-18", "22:50")),
            iso_utc(local("2026-11-19", "07:00")),
        ],
    )
    assert night_states(hass) == {
        "sleep_score": "100.0",
        "sleep_duration": "450.0",
        "time_to_fall_asleep": STATE_UNAVAILABLE,
        "time_awake": "20.0",
        "sleep_efficiency": "91.8",
        "bedtime": iso_utc(local("2026-11-18", "22:50")),
        "wake_time": iso_utc(local("2026-11-19", "07:00")),
    }
    assert components(hass) == {"duration": 35.0, "efficiency": 25.0, "waso": 10.0}

    # Past midnight Garmin keeps showing night 1: nothing changes, nothing moves.
    await travel(hass, freezer, local("2026-11-20", "01:30"))
    assert attributes_of(hass, SCORE)["night"] == "2026-11-18"

    # Night 2 syncs; the deep sleep happens to be the same (no state change).
    await sync(
        local("2026-11-20", "08:02"),
        [
            "64",
            "380",
            "120",
            "180",
            "80",
            "35",
            iso_utc(local("2026-11-19", "23:40")),
            iso_utc(local("2026-11-20", "06:55")),
        ],
    )
    assert night_states(hass) == {
        "sleep_score": "82.1",
        "sleep_duration": "380.0",
        "time_to_fall_asleep": STATE_UNAVAILABLE,
        "time_awake": "35.0",
        "sleep_efficiency": "87.4",
        "bedtime": iso_utc(local("2026-11-19", "23:40")),
        "wake_time": iso_utc(local("2026-11-20", "06:55")),
    }
    assert attributes_of(hass, SCORE)["night"] == "2026-11-19"
    tracker = hass.config_entries.async_get_entry(ENTRY_ID).runtime_data.sleep
    first = tracker.assembler.night(datetime(2026, 11, 18).date())
    assert (first.total_sleep, first.waso, first.vendor_score) == (450.0, 20.0, 82.0)


async def test_fitbit_night(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Diagnostic total_increasing minutes: the drop to 0 at midnight is a reset, not data.

    Asleep 412, awake 38, 12 to fall asleep, 462 in bed, 3 awakenings.
    Efficiency 412 / 462 = 89.2 %. Score: duration 35 x 2.867 / 3 = 33.4, efficiency
    25 x 24.18 / 25 = 24.2, latency 15, WASO 10 x 52 / 70 = 7.4, awakenings 5 / 3 =
    1.7: 81.72 of 90 = 90.8.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {
        "total_sleep": F_ASLEEP,
        "time_awake": F_AWAKE,
        "sleep_latency": F_TO_FALL_ASLEEP,
        "time_in_bed": F_IN_BED,
        "awakenings": F_AWAKENINGS,
    }
    shapes = list(sources.values())
    # Yesterday's night, as Fitbit polled it this morning.
    await set_up(
        hass, sources, initial=dict(zip(shapes, ["401", "45", "9", "455", "4"], strict=True))
    )
    await feed(hass, freezer, [(local("2026-11-19", "00:03"), shape, "0") for shape in shapes])
    assert set(night_states(hass).values()) == {STATE_UNAVAILABLE}
    tracker = hass.config_entries.async_get_entry(ENTRY_ID).runtime_data.sleep
    assert tracker.assembler.nights() == ()

    # The first poll after the tracker synced has part of the night, the next all of it.
    await feed(
        hass,
        freezer,
        [
            (local("2026-11-19", "07:33"), F_ASLEEP, "350"),
            (local("2026-11-19", "07:33"), F_IN_BED, "400"),
        ],
    )
    assert minutes(hass, DURATION) == 350.0
    sync = local("2026-11-19", "08:03")
    await feed(
        hass,
        freezer,
        [
            (sync, shape, value)
            for shape, value in zip(shapes, ["412", "38", "12", "462", "3"], strict=True)
        ],
    )
    assert night_states(hass) == {
        "sleep_score": "90.8",
        "sleep_duration": "412.0",
        "time_to_fall_asleep": "12.0",
        "time_awake": "38.0",
        "sleep_efficiency": "89.2",
        "bedtime": STATE_UNAVAILABLE,
        "wake_time": STATE_UNAVAILABLE,
    }
    assert components(hass) == {
        "duration": 33.4,
        "efficiency": 24.2,
        "latency": 15.0,
        "waso": 7.4,
        "awakenings": 1.7,
    }
    # The next midnight's reset leaves the night alone.
    await feed(hass, freezer, [(local("2026-11-20", "00:04"), shape, "0") for shape in shapes])
    assert minutes(hass, DURATION) == 412.0
    assert [night.night.isoformat() for night in tracker.assembler.nights()] == ["2026-11-18"]


async def test_sleepiq_night(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """In-bed polled overnight; the previous night's score and "sleep duration" next afternoon.

    In bed 23:00 to 06:45 (465 min by the bed sensor); SleepIQ's "sleep duration"
    7.7 h = 462 min is time in bed and wins over the derived 465 (measured beats
    derived). Nothing says how long Anna slept, so duration, efficiency and score
    stay unavailable; bedtime is known.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {
        "in_bed": IQ_IN_BED,
        "time_in_bed": IQ_DURATION,
        "sleep_score": IQ_SCORE,
        "hrv": IQ_HRV,
    }
    await set_up(
        hass,
        sources,
        initial={IQ_IN_BED: "off", IQ_DURATION: "6.9", IQ_SCORE: "68", IQ_HRV: "41"},
    )
    await feed(
        hass,
        freezer,
        [
            (local("2026-11-18", "23:00"), IQ_IN_BED, "on"),
            (local("2026-11-19", "06:45"), IQ_IN_BED, "off"),
            (local("2026-11-19", "14:07"), IQ_DURATION, "7.7"),
            (local("2026-11-19", "14:07"), IQ_SCORE, "74"),
            (local("2026-11-19", "14:07"), IQ_HRV, "38"),
        ],
    )
    tracker = hass.config_entries.async_get_entry(ENTRY_ID).runtime_data.sleep
    night = tracker.assembler.night(datetime(2026, 11, 18).date())
    assert night is not None
    assert (night.time_in_bed, night.vendor_score, night.vendor_score_scale, night.hrv) == (
        462.0,
        74.0,
        "score",
        38.0,
    )
    assert night.bedtime == local("2026-11-18", "23:00")
    assert night_states(hass) == {
        "sleep_score": STATE_UNAVAILABLE,
        "sleep_duration": STATE_UNAVAILABLE,
        "time_to_fall_asleep": STATE_UNAVAILABLE,
        "time_awake": STATE_UNAVAILABLE,
        "sleep_efficiency": STATE_UNAVAILABLE,
        "bedtime": iso_utc(local("2026-11-18", "23:00")),
        "wake_time": STATE_UNAVAILABLE,
    }


async def test_android_sleep_confidence_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The companion app's sleep confidence (%, every ~10 min) against a 75 % threshold.

    Asleep (>= 75) 23:40-03:10 (210 min) and 03:30-06:50 (200 min): 410 min, WASO
    20 min, one awakening, wake 06:50. No in-bed source: no bedtime, latency, time in
    bed or efficiency. Score: duration 35 x 2.83 / 3 = 33.1, WASO 10, awakenings 5:
    48.06 of 50 = 96.1.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    await set_up(
        hass,
        {"asleep": PIXEL_CONFIDENCE},
        initial={PIXEL_CONFIDENCE: "3"},
        asleep_threshold=75,
    )
    assert state_of(hass, ASLEEP) == "off"
    readings = [
        ("2026-11-18", "23:00", "20"),
        ("2026-11-18", "23:20", "55"),
        ("2026-11-18", "23:40", "75"),  # the threshold itself counts as asleep
        ("2026-11-19", "01:50", "92"),
        ("2026-11-19", "03:10", "60"),
        ("2026-11-19", "03:30", "88"),
        ("2026-11-19", "06:50", "40"),
        ("2026-11-19", "07:00", "12"),
    ]
    for day, clock, confidence in readings:
        await travel(hass, freezer, local(day, clock))
        PIXEL_CONFIDENCE.set(
            hass,
            confidence,
            light=3.0,
            motion=1,
            timestamp=int(local(day, clock).timestamp() * 1000),
        )
        await hass.async_block_till_done()
        if clock == "23:40":
            assert state_of(hass, ASLEEP) == "on"
    assert state_of(hass, ASLEEP) == "off"
    assert state_of(hass, IN_BED) == STATE_UNAVAILABLE
    assert night_states(hass) == {
        "sleep_score": "96.1",
        "sleep_duration": "410.0",
        "time_to_fall_asleep": STATE_UNAVAILABLE,
        "time_awake": "20.0",
        "sleep_efficiency": STATE_UNAVAILABLE,
        "bedtime": STATE_UNAVAILABLE,
        "wake_time": iso_utc(local("2026-11-19", "06:50")),
    }
    assert components(hass) == {"duration": 33.1, "waso": 10.0, "awakenings": 5.0}


async def test_bed_occupancy_sensor_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A plain occupancy sensor under the mattress: bedtime and time in bed, no sleep.

    In bed 22:30 to 06:30 = 480 min. Nothing says when Anna slept, so duration,
    latency, efficiency, wake time and score stay unavailable; the night's bedtime
    is shown once the night can no longer go on (its window ends at 12:00).
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    await set_up(hass, {"in_bed": BED_MAT}, initial={BED_MAT: "off"})
    await feed(
        hass,
        freezer,
        [
            (local("2026-11-18", "22:30"), BED_MAT, "on"),
            (local("2026-11-19", "06:30"), BED_MAT, "off"),
        ],
    )
    assert state_of(hass, IN_BED) == "off"
    tracker = hass.config_entries.async_get_entry(ENTRY_ID).runtime_data.sleep
    night = tracker.assembler.night(datetime(2026, 11, 18).date())
    assert night is not None
    assert night.time_in_bed == 480.0
    assert night.out_of_bed == local("2026-11-19", "06:30")
    await travel(hass, freezer, local("2026-11-19", "12:00"))
    assert night_states(hass) == {
        "sleep_score": STATE_UNAVAILABLE,
        "sleep_duration": STATE_UNAVAILABLE,
        "time_to_fall_asleep": STATE_UNAVAILABLE,
        "time_awake": STATE_UNAVAILABLE,
        "sleep_efficiency": STATE_UNAVAILABLE,
        "bedtime": iso_utc(local("2026-11-18", "22:30")),
        "wake_time": STATE_UNAVAILABLE,
    }


async def test_bed_occupancy_alone_gives_no_sleep_score(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """After four regular nights in bed, regularity is known, but how well Anna slept is not.

    A score from regularity alone (10 of 10 points = 100) would read as a perfect
    night; without a total sleep there is no sleep score.
    """
    freezer.move_to(local("2026-11-14", "12:00"))
    entry = await set_up(hass, {"in_bed": BED_MAT}, initial={BED_MAT: "off"})
    for evening, morning in (
        ("2026-11-14", "2026-11-15"),
        ("2026-11-15", "2026-11-16"),
        ("2026-11-16", "2026-11-17"),
        ("2026-11-17", "2026-11-18"),
    ):
        await feed(
            hass,
            freezer,
            [(local(evening, "22:30"), BED_MAT, "on"), (local(morning, "06:30"), BED_MAT, "off")],
        )
        await travel(hass, freezer, local(morning, "12:00"))
    tracker = entry.runtime_data.sleep
    night = tracker.summary.night
    assert night is not None
    assert night.night.isoformat() == "2026-11-17"
    assert state_of(hass, BEDTIME) == iso_utc(local("2026-11-17", "22:30"))
    assert tracker.score(night) is None
    assert state_of(hass, SCORE) == STATE_UNAVAILABLE


# --------------------------------------------------------------------------- DST


@pytest.mark.parametrize(
    ("tz", "evening", "morning", "hours"),
    [
        ("Europe/Amsterdam", "2026-03-28", "2026-03-29", 7),
        ("Europe/Amsterdam", "2026-10-24", "2026-10-25", 9),
        ("America/New_York", "2026-03-07", "2026-03-08", 7),
        ("America/New_York", "2026-10-31", "2026-11-01", 9),
    ],
)
async def test_dst_nights_are_exact(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tz: str,
    evening: str,
    morning: str,
    hours: int,
) -> None:
    """23:00 to 07:00 on the clock is 7 h when clocks spring forward and 9 h in autumn."""
    zone = ZoneInfo(tz)
    freezer.move_to(local(evening, "12:00", zone))
    sources = {"in_bed": BED_MAT, "asleep": BED_ASLEEP}
    await set_up(hass, sources, tz=tz, initial={BED_MAT: "off", BED_ASLEEP: "off"})
    await feed(
        hass,
        freezer,
        [
            (local(evening, "23:00", zone), BED_MAT, "on"),
            (local(evening, "23:00", zone), BED_ASLEEP, "on"),
            (local(morning, "07:00", zone), BED_ASLEEP, "off"),
            (local(morning, "07:00", zone), BED_MAT, "off"),
        ],
    )
    assert minutes(hass, DURATION) == hours * 60
    assert state_of(hass, EFFICIENCY) == "100.0"
    assert state_of(hass, LATENCY) == "0.0"
    assert state_of(hass, BEDTIME) == iso_utc(local(evening, "23:00", zone))
    assert state_of(hass, WAKE) == iso_utc(local(morning, "07:00", zone))
    night = hass.config_entries.async_get_entry(ENTRY_ID).runtime_data.sleep.summary.night
    assert night is not None
    assert (night.night.isoformat(), night.time_in_bed, night.timezone) == (
        evening,
        hours * 60.0,
        tz,
    )


# --------------------------------------------------------------------------- options flow

OURA = (
    O_SCORE,
    O_TOTAL,
    O_DEEP,
    O_REM,
    O_LIGHT,
    O_AWAKE,
    O_IN_BED,
    O_LATENCY,
    O_EFFICIENCY,
    O_START,
    O_END,
    O_HRV,
    O_LOWEST_HR,
    O_OPTIMAL,
)
GARMIN = (
    G_SCORE,
    G_TOTAL,
    G_SLEEP_DURATION,
    G_SLEEPING,
    G_DEEP,
    G_LIGHT,
    G_REM,
    G_AWAKE,
    G_NEED,
    G_BEDTIME,
    G_WAKE,
    G_OPTIMAL,
)
FITBIT = (F_ASLEEP, F_AWAKE, F_TO_FALL_ASLEEP, F_IN_BED, F_AWAKENINGS)

DETECTED: dict[str, tuple[tuple[Shape, ...], dict[str, Shape]]] = {
    "withings": (
        WITHINGS,
        {
            "in_bed": W_IN_BED,
            "sleep_score": W_SCORE,
            "sleep_latency": W_TO_SLEEP,
            "time_awake": W_WAKEUP_TIME,
            "awakenings": W_WAKEUP_COUNT,
            "deep": W_DEEP,
            "light": W_LIGHT,
            "rem": W_REM,
        },
    ),
    "sleepiq": (
        SLEEPIQ,
        {
            "in_bed": IQ_IN_BED,
            "sleep_score": IQ_SCORE,
            "time_in_bed": IQ_DURATION,
            "hrv": IQ_HRV,
        },
    ),
    "android": (
        (*SLEEP_AS_ANDROID, *ANDROID),
        {
            "asleep": PIXEL_CONFIDENCE,
            "sleep_tracking": SAA_TRACKING,
            "sleep_phase": SAA_PHASE,
        },
    ),
    "oura": (
        OURA,
        {
            "sleep_score": O_SCORE,
            "total_sleep": O_TOTAL,
            "time_in_bed": O_IN_BED,
            "sleep_latency": O_LATENCY,
            "time_awake": O_AWAKE,
            "deep": O_DEEP,
            "light": O_LIGHT,
            "rem": O_REM,
            "hrv": O_HRV,
            "resting_heart_rate": O_LOWEST_HR,
            "bedtime": O_START,
            "wake_time": O_END,
        },
    ),
    "garmin": (
        GARMIN,
        {
            "sleep_score": G_SCORE,
            "total_sleep": G_TOTAL,
            "time_awake": G_AWAKE,
            "deep": G_DEEP,
            "light": G_LIGHT,
            "rem": G_REM,
            "bedtime": G_BEDTIME,
            "wake_time": G_WAKE,
        },
    ),
    "fitbit": (
        FITBIT,
        {
            "total_sleep": F_ASLEEP,
            "time_in_bed": F_IN_BED,
            "sleep_latency": F_TO_FALL_ASLEEP,
            "time_awake": F_AWAKE,
            "awakenings": F_AWAKENINGS,
        },
    ),
}


def suggested(result: Any) -> dict[str, Any]:
    """The form's pre-filled values, whichever section they are in."""
    values: dict[str, Any] = {}
    for field, value in result["data_schema"].schema.items():
        if isinstance(value, section):
            values |= suggested({"data_schema": value.schema})
        elif field.description and "suggested_value" in field.description:
            values[str(field)] = field.description["suggested_value"]
    return values


def sectioned(result: Any, flat: dict[str, Any]) -> dict[str, Any]:
    """An answer to the sectioned form from flat values: each in its section's dict."""
    answer: dict[str, Any] = {}
    for field, value in result["data_schema"].schema.items():
        if isinstance(value, section):
            answer[str(field)] = {
                str(key): flat[str(key)] for key in value.schema.schema if str(key) in flat
            }
        elif str(field) in flat:
            answer[str(field)] = flat[str(field)]
    return answer


def open_sections(result: Any) -> set[str]:
    """The sections the form shows expanded."""
    return {
        str(field)
        for field, value in result["data_schema"].schema.items()
        if isinstance(value, section) and not value.options["collapsed"]
    }


async def open_sources_step(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    """Open the options flow at the sleep sources step."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "sleep_sources"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "sleep_sources"
    return result


@pytest.mark.parametrize("provider", list(DETECTED))
async def test_sources_step_detects_each_provider(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    provider: str,
) -> None:
    """Each role is pre-selected with the provider's entity, disabled ones included.

    The profile's own sleep entities (sensor.anna_sleep_score, binary_sensor.anna_in_bed,
    ...) and unrelated entities are never suggested.
    """
    shapes, expected = DETECTED[provider]
    for shape in (*shapes, *UNRELATED):
        shape.register(entity_registry)
        if not shape.disabled:
            shape.set(hass, "unknown")
    result = await open_sources_step(hass, init_integration)
    picked = {role: shape.entity_id for role, shape in expected.items()}
    assert suggested(result) == {
        **picked,
        "asleep_threshold": 80,
        "night_starts": "18:00:00",
        "night_ends": "12:00:00",
    }
    # Said by the pre-selected pickers themselves: no list of raw keys in the text.
    assert not result["description_placeholders"]
    # Common sections are open; a rarer one is open when something in it was found.
    shown = open_sections(result)
    assert {"presence", "night"} <= shown
    assert ("stages" in shown) == bool({"deep", "light", "rem"} & set(picked))
    assert "night_window" not in shown


async def test_sources_step_saves_enables_and_reloads(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Submitting stores {role: entity_id}, enables the picked disabled ones, and reloads.

    The reloaded profile follows the picked entities at once; opening the step
    again shows what was saved (a role left empty stays empty).
    """
    for shape in (*WITHINGS, *UNRELATED):
        shape.register(entity_registry)
    W_IN_BED.set(hass, "off")
    runtime_before = init_integration.runtime_data
    result = await open_sources_step(hass, init_integration)
    picks = {key: value for key, value in suggested(result).items() if key != "sleep_score"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], sectioned(result, {**picks, "asleep_threshold": 70})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    sources = {role: shape.entity_id for role, shape in DETECTED["withings"][1].items()}
    del sources["sleep_score"]  # Anna does not want Withings' score
    assert init_integration.options == {
        **PROFILE_OPTIONS,
        "sleep_sources": sources,
        "asleep_threshold": 70,
        "night_starts": "18:00:00",
        "night_ends": "12:00:00",
    }
    enabled = {
        s.entity_id for s in WITHINGS if entity_registry.async_get(s.entity_id).disabled_by is None
    }
    # Picked ones are enabled; the unpicked score and time to wakeup stay disabled.
    assert enabled == {*sources.values(), W_GOAL.entity_id}
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data is not runtime_before

    W_IN_BED.set(hass, "on")
    await hass.async_block_till_done()
    assert state_of(hass, IN_BED) == "on"

    result = await open_sources_step(hass, init_integration)
    assert suggested(result) == {
        **sources,
        "asleep_threshold": 70,
        "night_starts": "18:00:00",
        "night_ends": "12:00:00",
    }


async def test_sources_step_can_leave_disabled_entities_alone(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """With "enable picked entities" off, the registry is not touched."""
    for shape in WITHINGS:
        shape.register(entity_registry)
    result = await open_sources_step(hass, init_integration)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], sectioned(result, {**suggested(result), "enable_disabled": False})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert init_integration.options["sleep_sources"]["light"] == W_LIGHT.entity_id
    assert entity_registry.async_get(W_LIGHT.entity_id).disabled_by is (
        er.RegistryEntryDisabler.INTEGRATION
    )


# --------------------------------------------------------------------------- faults


def warnings_about(caplog: pytest.LogCaptureFixture, entity_id: str) -> list[str]:
    """The warnings that name an entity."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno == logging.WARNING and entity_id in record.getMessage()
    ]


async def test_odd_summary_states_never_corrupt_the_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Unavailable/unknown/non-numeric states, unit changes, repeats, values going back.

    The night ends as: 450 min asleep (the re-analysed value), 510 in bed, latency
    15 min (0.25 h after the unit change, not 0.25 min), bedtime 23:30, wake 08:00.
    Efficiency 450 / 510 = 88.2 %. One warning per entity that sent nonsense.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {
        "total_sleep": O_TOTAL,
        "time_in_bed": O_IN_BED,
        "sleep_latency": O_LATENCY,
        "bedtime": O_START,
        "wake_time": O_END,
    }
    previous_end = "2026-11-18T07:30:00+01:00"
    await set_up(
        hass,
        sources,
        initial={
            O_TOTAL: "6.5",
            O_IN_BED: "7.25",
            O_LATENCY: "20.0",
            O_START: "2026-11-18T00:15:00+01:00",
            O_END: previous_end,
        },
    )
    tracker = hass.config_entries.async_get_entry(ENTRY_ID).runtime_data.sleep
    steps: list[tuple[str, Shape, str, dict[str, Any]]] = [
        ("08:15", O_TOTAL, "unavailable", {}),
        ("08:16", O_TOTAL, "unknown", {}),
        ("08:20", O_START, "2026-11-18T23:30:00+01:00", {}),
        ("08:20", O_END, "2026-11-19T08:00:00+01:00", {}),
        ("08:25", O_TOTAL, "8.0", {}),
        ("08:25", O_IN_BED, "8.5", {}),
        ("08:25", O_LATENCY, "10.0", {}),
        ("08:30", O_TOTAL, "eight hours", {}),
        ("08:35", O_TOTAL, "n/a", {}),
        ("08:40", O_TOTAL, "8.0", {}),  # the same value again after the noise
        ("08:41", O_TOTAL, "8.0", {"data_date": "2026-11-19"}),  # attributes only
        ("08:45", O_TOTAL, "480", {"unit_of_measurement": "min"}),  # display unit changed
        ("08:45", O_LATENCY, "0.25", {"unit_of_measurement": "h"}),
        ("08:50", O_IN_BED, "8.5", {"unit_of_measurement": "fortnights"}),
        ("08:55", O_IN_BED, "nan", {}),
        ("09:00", O_TOTAL, "450", {"unit_of_measurement": "min"}),  # re-analysed: goes back
        ("09:05", O_END, previous_end, {}),  # back to the night before's value
        ("09:06", O_START, "unavailable", {}),
        ("09:10", O_END, "yesterday", {}),
    ]
    for clock, shape, value, attributes in steps:
        await travel(hass, freezer, local("2026-11-19", clock))
        shape.set(hass, value, **attributes)
        await hass.async_block_till_done()

    assert night_states(hass) == {
        "sleep_score": night_states(hass)["sleep_score"],
        "sleep_duration": "450.0",
        "time_to_fall_asleep": "15.0",
        # Derived: asleep 23:45 (bedtime + latency) to 08:00 is 495 min, 450 of them asleep.
        "time_awake": "45.0",
        "sleep_efficiency": "88.2",
        "bedtime": iso_utc(local("2026-11-18", "23:30")),
        "wake_time": iso_utc(local("2026-11-19", "08:00")),
    }
    night = tracker.summary.night
    assert night is not None
    assert (night.night.isoformat(), night.time_in_bed, night.latency) == ("2026-11-18", 510, 15)
    # The wake time that jumped back went to the night it belongs to, nowhere else.
    before = tracker.assembler.night(datetime(2026, 11, 17).date())
    assert before is not None
    assert before.values() == {"wake_time": local("2026-11-18", "07:30")}
    assert [n.night.isoformat() for n in tracker.assembler.nights()] == [
        "2026-11-17",
        "2026-11-18",
    ]
    # One clear line per entity that sent something it could not read, none for
    # unavailable/unknown.
    assert len(warnings_about(caplog, O_TOTAL.entity_id)) == 1
    assert "eight hours" in warnings_about(caplog, O_TOTAL.entity_id)[0]
    assert len(warnings_about(caplog, O_IN_BED.entity_id)) == 1
    assert "fortnights" in warnings_about(caplog, O_IN_BED.entity_id)[0]
    assert len(warnings_about(caplog, O_END.entity_id)) == 1
    assert warnings_about(caplog, O_START.entity_id) == []
    assert warnings_about(caplog, O_LATENCY.entity_id) == []


async def test_odd_transitions_never_corrupt_the_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """An in-bed sensor going unavailable and repeating itself; events repeated or garbled.

    Bed sensor: in 22:40, unavailable 01:00-01:20 (back as "on"), out 06:55. Sleep as
    Android: started 22:45 (and again at 22:47), light sleep 23:00, a garbled event,
    awake 06:30. In bed 22:40-06:55 (495 min, the first-priority bed sensor wins),
    asleep 23:00-06:30 = 450 min, efficiency 90.9 %.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {"in_bed": W_IN_BED, "sleep_tracking": SAA_TRACKING, "sleep_phase": SAA_PHASE}
    await set_up(
        hass,
        sources,
        initial={W_IN_BED: "unknown", SAA_TRACKING: "unknown", SAA_PHASE: "unknown"},
    )
    assert state_of(hass, IN_BED) == STATE_UNAVAILABLE

    async def at(day: str, clock: str) -> None:
        await travel(hass, freezer, local(day, clock))

    await at("2026-11-18", "22:40")
    W_IN_BED.set(hass, "on")
    await at("2026-11-18", "22:41")
    W_IN_BED.set(hass, "on", extra="attribute changed, state did not")
    await at("2026-11-18", "22:45")
    event(SAA_TRACKING, hass, "started")
    await at("2026-11-18", "22:47")
    event(SAA_TRACKING, hass, "started")
    await at("2026-11-18", "23:00")
    event(SAA_PHASE, hass, "light_sleep")
    await at("2026-11-19", "01:00")
    W_IN_BED.set(hass, "unavailable")
    await hass.async_block_till_done()
    assert state_of(hass, IN_BED) == "on"  # the last thing the bed said
    await at("2026-11-19", "01:20")
    W_IN_BED.set(hass, "on")
    await at("2026-11-19", "02:00")
    SAA_PHASE.set(hass, "not a time", event_type="deep_sleep")
    await at("2026-11-19", "02:01")
    SAA_PHASE.set(hass, "still not a time", event_type="deep_sleep")
    await at("2026-11-19", "03:00")
    event(SAA_PHASE, hass, "lullaby_start")  # not a sleep phase: says nothing
    await at("2026-11-19", "06:30")
    event(SAA_PHASE, hass, "awake")
    await at("2026-11-19", "06:55")
    W_IN_BED.set(hass, "off")
    await hass.async_block_till_done()

    assert night_states(hass) == {
        "sleep_score": night_states(hass)["sleep_score"],
        "sleep_duration": "450.0",
        "time_to_fall_asleep": "20.0",
        "time_awake": "0.0",
        "sleep_efficiency": "90.9",
        "bedtime": iso_utc(local("2026-11-18", "22:40")),
        "wake_time": iso_utc(local("2026-11-19", "06:30")),
    }
    tracker = hass.config_entries.async_get_entry(ENTRY_ID).runtime_data.sleep
    night = tracker.summary.night
    assert night is not None
    assert (night.time_in_bed, night.awakenings, night.light) == (495, 0, 450)
    assert len(warnings_about(caplog, SAA_PHASE.entity_id)) == 1
    assert warnings_about(caplog, W_IN_BED.entity_id) == []
    assert warnings_about(caplog, SAA_TRACKING.entity_id) == []


async def test_a_nap_shows_in_bed_but_makes_no_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """In bed at 14:00 is a nap: in bed follows it, no night is made or shown."""
    freezer.move_to(local("2026-11-18", "12:00"))
    entry = await set_up(hass, {"in_bed": BED_MAT}, initial={BED_MAT: "off"})
    await feed(hass, freezer, [(local("2026-11-18", "14:00"), BED_MAT, "on")])
    assert state_of(hass, IN_BED) == "on"
    await feed(hass, freezer, [(local("2026-11-18", "15:30"), BED_MAT, "off")])
    assert state_of(hass, IN_BED) == "off"
    assert entry.runtime_data.sleep.assembler.nights() == ()
    assert state_of(hass, BEDTIME) == STATE_UNAVAILABLE


# --------------------------------------------------------------------------- repairs


async def test_deleted_source_raises_a_repair_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Deleting a source entity asks Anna to pick another; it clears once it is back."""
    freezer.move_to(local("2026-11-18", "12:00"))
    entry = await set_up(
        hass, {"in_bed": W_IN_BED, "deep": W_DEEP}, initial={W_IN_BED: "off", W_DEEP: "1.2"}
    )
    issue_id = f"source_missing_{ENTRY_ID}_deep"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None

    entity_registry.async_remove(W_DEEP.entity_id)
    hass.states.async_remove(W_DEEP.entity_id)
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert (issue.translation_key, issue.severity, issue.is_fixable) == (
        "source_missing",
        ir.IssueSeverity.WARNING,
        False,
    )
    assert issue.translation_placeholders == {
        "entity_id": W_DEEP.entity_id,
        "role": "deep",
        "profile": "Anna",
    }
    # The other source keeps working.
    await feed(hass, freezer, [(local("2026-11-18", "22:40"), W_IN_BED, "on")])
    assert state_of(hass, IN_BED) == "on"

    # Still gone after a restart: the issue stays.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    # Withings brings the entity back; the next start finds it.
    W_DEEP.register(entity_registry)
    W_DEEP.set(hass, "1.5")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_repair_issue_clears_when_the_role_is_left_empty(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A source missing at start-up is an issue; emptying its field in the options ends it."""
    freezer.move_to(local("2026-11-18", "12:00"))
    entry = await set_up(hass, {"in_bed": W_IN_BED, "rem": W_REM}, initial={W_IN_BED: "off"})
    er.async_get(hass).async_remove(W_REM.entity_id)
    await hass.async_block_till_done()
    issue_id = f"source_missing_{ENTRY_ID}_rem"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    result = await open_sources_step(hass, entry)
    picks = {key: value for key, value in suggested(result).items() if key != "rem"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], sectioned(result, picks)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["sleep_sources"] == {"in_bed": W_IN_BED.entity_id}
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_deleting_the_profile_removes_its_repair_issues(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """No issue about a profile that no longer exists is left behind."""
    freezer.move_to(local("2026-11-18", "12:00"))
    entry = await set_up(hass, {"in_bed": W_IN_BED, "rem": W_REM}, initial={W_IN_BED: "off"})
    er.async_get(hass).async_remove(W_REM.entity_id)
    await hass.async_block_till_done()
    issue_id = f"source_missing_{ENTRY_ID}_rem"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


# --------------------------------------------------------------------------- restart


async def test_nights_survive_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Restart mid-night and after it: in bed is right at once, the night the same after.

    In bed 23:00, asleep 23:20; restart at 02:00; awake 06:40, out 07:00.
    Latency 20, asleep 440 min, in bed 480, efficiency 91.7 %. Score: 35 + 25 +
    latency 15 x 40 / 45 = 13.3 + 10 + 5 = 88.3 of 90 = 98.1.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {"in_bed": BED_MAT, "asleep": BED_ASLEEP}
    entry = await set_up(hass, sources, initial={BED_MAT: "off", BED_ASLEEP: "off"})
    await feed(
        hass,
        freezer,
        [
            (local("2026-11-18", "23:00"), BED_MAT, "on"),
            (local("2026-11-18", "23:20"), BED_ASLEEP, "on"),
        ],
    )
    await travel(hass, freezer, local("2026-11-19", "02:00"))
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert (state_of(hass, IN_BED), state_of(hass, ASLEEP)) == ("on", "on")

    await feed(
        hass,
        freezer,
        [
            (local("2026-11-19", "06:40"), BED_ASLEEP, "off"),
            (local("2026-11-19", "07:00"), BED_MAT, "off"),
        ],
    )
    shown = {
        "sleep_score": "98.1",
        "sleep_duration": "440.0",
        "time_to_fall_asleep": "20.0",
        "time_awake": "0.0",
        "sleep_efficiency": "91.7",
        "bedtime": iso_utc(local("2026-11-18", "23:00")),
        "wake_time": iso_utc(local("2026-11-19", "06:40")),
    }
    assert night_states(hass) == shown
    score_attributes = attributes_of(hass, SCORE)

    # Unloading writes what was batched; a fresh start reads it back.
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    stored = durable(hass, entry, "nights")["2026-11"]
    assert stored["2026-11-18"]["values"]["total_sleep"] == 440.0
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert night_states(hass) == shown
    assert attributes_of(hass, SCORE) == score_attributes
    assert (state_of(hass, IN_BED), state_of(hass, ASLEEP)) == ("off", "off")


async def test_old_nights_go_unavailable_not_stale(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Two days without a new night: the sleep sensors turn unavailable at the day start."""
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {"in_bed": BED_MAT, "asleep": BED_ASLEEP}
    await set_up(hass, sources, initial={BED_MAT: "off", BED_ASLEEP: "off"})
    await feed(
        hass,
        freezer,
        [
            (local("2026-11-18", "23:00"), BED_MAT, "on"),
            (local("2026-11-18", "23:00"), BED_ASLEEP, "on"),
            (local("2026-11-19", "07:00"), BED_ASLEEP, "off"),
            (local("2026-11-19", "07:00"), BED_MAT, "off"),
        ],
    )
    assert minutes(hass, DURATION) == 480.0
    # Timers fire on time: the day start and the window end of each day in between.
    for day, clock in (("2026-11-20", "04:00"), ("2026-11-20", "12:00"), ("2026-11-21", "03:59")):
        await travel(hass, freezer, local(day, clock))
        assert minutes(hass, DURATION) == 480.0
    await travel(hass, freezer, local("2026-11-21", "04:00"))
    assert set(night_states(hass).values()) == {STATE_UNAVAILABLE}
    # In bed and asleep say what the sources last said: still out of bed.
    assert (state_of(hass, IN_BED), state_of(hass, ASLEEP)) == ("off", "off")


async def test_values_back_after_an_outage_are_not_a_new_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Garmin keeps last night's values; after an outage they come back unchanged.

    Coming back at 05:30 is not news: last night's total must not be filed under
    the night in progress (it would show as a second, identical night). Attribute
    changes with the same value are no news either.
    """
    freezer.move_to(local("2026-11-18", "12:00"))
    sources = {"total_sleep": G_TOTAL, "time_awake": G_AWAKE, "sleep_score": G_SCORE}
    shapes = list(sources.values())
    entry = await set_up(hass, sources, initial=dict.fromkeys(shapes, "unknown"))
    night_1 = ["450", "20", "82"]
    await feed(
        hass,
        freezer,
        [(local("2026-11-19", "07:31"), s, v) for s, v in zip(shapes, night_1, strict=True)],
    )
    assert attributes_of(hass, SCORE)["night"] == "2026-11-18"

    outage = [(local("2026-11-20", "05:00"), s, "unavailable") for s in shapes]
    back = [(local("2026-11-20", "05:30"), s, v) for s, v in zip(shapes, night_1, strict=True)]
    await feed(hass, freezer, [*outage, *back])
    await travel(hass, freezer, local("2026-11-20", "05:45"))
    G_TOTAL.set(hass, "450", last_synced="2026-11-20T05:45:00+00:00")
    await hass.async_block_till_done()
    tracker = entry.runtime_data.sleep
    assert [night.night.isoformat() for night in tracker.assembler.nights()] == ["2026-11-18"]
    assert attributes_of(hass, SCORE)["night"] == "2026-11-18"

    # The watch syncs night 2; its awake time happens to equal night 1's.
    await feed(
        hass,
        freezer,
        [
            (local("2026-11-20", "08:02"), G_TOTAL, "380"),
            (local("2026-11-20", "08:02"), G_SCORE, "64"),
        ],
    )
    assert attributes_of(hass, SCORE)["night"] == "2026-11-19"
    assert minutes(hass, DURATION) == 380.0
    assert state_of(hass, AWAKE) == STATE_UNAVAILABLE  # unchanged state: nothing to tell


async def test_streaming_source_refreshes_the_effect_once_a_minute(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A source's change shows on its night at once; the effect over every night follows
    within a minute, however often the source changes meanwhile."""
    freezer.move_to(local("2026-11-18", "12:00"))
    await set_up(
        hass,
        {"total_sleep": G_TOTAL},
        initial={G_TOTAL: "unknown"},
        effect_outcome="total_sleep",
    )
    effect = "sensor.anna_magnesium_effect"
    for back in range(6, 0, -1):  # six nights by hand, magnesium on every other evening
        evening = local("2026-11-18", "23:00") - timedelta(days=back)
        if back % 2 == 0:
            await hass.services.async_call(
                DOMAIN,
                "log_dose",
                {"servings": 2, "taken_at": (evening - timedelta(hours=1)).isoformat()},
                blocking=True,
            )
        await hass.services.async_call(
            DOMAIN,
            "log_sleep",
            {
                "bedtime": evening.isoformat(),
                "wake_time": (evening + timedelta(hours=8 if back % 2 == 0 else 7)).isoformat(),
                "latency": 15,
            },
            blocking=True,
        )
    before = attributes_of(hass, effect)
    assert (before["nights_with"], before["nights_without"]) == (3, 3)
    first_effect = state_of(hass, effect)

    # The watch syncs last night (no magnesium) and then corrects it twice within the minute.
    for minute, total in enumerate(("300", "310", "320")):
        await feed(
            hass,
            freezer,
            [(local("2026-11-19", "07:30") + timedelta(minutes=minute / 3), G_TOTAL, total)],
        )
    assert minutes(hass, "sensor.anna_sleep_duration") == 320.0
    assert state_of(hass, effect) == first_effect
    assert attributes_of(hass, effect)["nights_without"] == 3

    await travel(hass, freezer, local("2026-11-19", "07:31"))
    after = attributes_of(hass, effect)
    assert (after["nights_with"], after["nights_without"]) == (3, 4)
    assert state_of(hass, effect) != first_effect
