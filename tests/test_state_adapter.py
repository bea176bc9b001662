"""Auto-detection of sleep sources and the meaning of their states, per real provider shape.

Plain pytest: the adapter is pure Python and needs no Home Assistant instance.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from custom_components.magnesium_sleep import state_adapter
from custom_components.magnesium_sleep.domain.sleep.night import Field
from custom_components.magnesium_sleep.domain.sleep.signals import (
    Asleep,
    InBed,
    SleepEvent,
    Summary,
)
from custom_components.magnesium_sleep.state_adapter import (
    EntityFacts,
    Role,
    detect_sources,
    parse_number,
    signal_for,
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the shell's autouse fixture, which would start hass for every test."""


NOW = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)
CHANGED = datetime(2026, 11, 21, 22, 48, tzinfo=UTC)

# Entity shapes as each integration creates them (sleep sources reference, section 9).
WITHINGS = [
    EntityFacts("binary_sensor.withings_in_bed", "withings", "occupancy", None, "in_bed", "In bed"),
    EntityFacts(
        "sensor.withings_deep_sleep", "withings", "duration", "h", "deep_sleep", "Deep sleep"
    ),
    EntityFacts(
        "sensor.withings_light_sleep",
        "withings",
        "duration",
        "h",
        "light_sleep",
        "Light sleep",
        disabled=True,
    ),
    EntityFacts(
        "sensor.withings_rem_sleep",
        "withings",
        "duration",
        "h",
        "rem_sleep",
        "REM sleep",
        disabled=True,
    ),
    EntityFacts(
        "sensor.withings_time_to_sleep",
        "withings",
        "duration",
        "h",
        "time_to_sleep",
        "Time to sleep",
        disabled=True,
    ),
    EntityFacts(
        "sensor.withings_wakeup_time",
        "withings",
        "duration",
        "h",
        "wakeup_time",
        "Wakeup time",
        disabled=True,
    ),
    EntityFacts(
        "sensor.withings_wakeup_count",
        "withings",
        None,
        None,
        "wakeup_count",
        "Wakeup count",
        disabled=True,
    ),
    EntityFacts(
        "sensor.withings_sleep_score",
        "withings",
        None,
        "points",
        "sleep_score",
        "Sleep score",
        disabled=True,
    ),
    EntityFacts(
        "sensor.withings_sleep_goal", "withings", "duration", "h", "sleep_goal", "Sleep goal"
    ),
]
SLEEPIQ = [
    EntityFacts(
        "binary_sensor.sleepnumber_bed_anna_is_in_bed",
        "sleepiq",
        "occupancy",
        name="SleepNumber Bed Anna Is In Bed",
    ),
    EntityFacts(
        "sensor.sleepnumber_bed_anna_sleep_duration",
        "sleepiq",
        "duration",
        "h",
        name="SleepNumber Bed Anna Sleep Duration",
    ),
    EntityFacts(
        "sensor.sleepnumber_bed_anna_sleep_score",
        "sleepiq",
        None,
        "score",
        name="SleepNumber Bed Anna Sleep Score",
    ),
    EntityFacts(
        "sensor.sleepnumber_bed_anna_hrv", "sleepiq", "duration", "ms", name="SleepNumber HRV"
    ),
]
GARMIN = [
    EntityFacts(
        "sensor.garmin_connect_total_sleep_duration",
        "garmin_connect",
        "duration",
        "min",
        "total_sleep_duration",
        "Total sleep duration",
    ),
    EntityFacts(
        "sensor.garmin_connect_sleep_need",
        "garmin_connect",
        "duration",
        "min",
        "sleep_need",
        "Sleep need",
    ),
    EntityFacts(
        "sensor.garmin_connect_optimal_bedtime",
        "garmin_connect",
        "timestamp",
        None,
        "optimal_bedtime",
        "Optimal bedtime",
    ),
    EntityFacts(
        "sensor.garmin_connect_bedtime", "garmin_connect", "timestamp", None, "bedtime", "Bedtime"
    ),
    EntityFacts(
        "sensor.garmin_connect_wake_time",
        "garmin_connect",
        "timestamp",
        None,
        "wake_time",
        "Wake time",
    ),
]
ANDROID = [
    EntityFacts("sensor.pixel_sleep_confidence", "mobile_app", None, "%", name="Sleep confidence"),
    EntityFacts("sensor.pixel_sleep_segment", "mobile_app", "duration", "ms", name="Sleep segment"),
]
SLEEP_AS_ANDROID = [
    EntityFacts(
        "event.sleep_as_android_sleep_tracking",
        "sleep_as_android",
        translation_key="sleep_tracking",
        name="Sleep tracking",
    ),
    EntityFacts(
        "event.sleep_as_android_sleep_phase",
        "sleep_as_android",
        translation_key="sleep_phase",
        name="Sleep phase",
    ),
]
UNRELATED = [
    EntityFacts("sensor.living_room_temperature", "mqtt", "temperature", "°C"),
    EntityFacts("binary_sensor.hallway_motion", "zha", "motion"),
]


def test_withings_roles_including_disabled_entities() -> None:
    """Every Withings sleep entity gets its role; the sleep goal is not a measurement."""
    found = {role: facts.entity_id for role, facts in detect_sources(WITHINGS).items()}
    assert found == {
        Role.IN_BED: "binary_sensor.withings_in_bed",
        Role.DEEP: "sensor.withings_deep_sleep",
        Role.LIGHT: "sensor.withings_light_sleep",
        Role.REM: "sensor.withings_rem_sleep",
        Role.SLEEP_LATENCY: "sensor.withings_time_to_sleep",
        Role.TIME_AWAKE: "sensor.withings_wakeup_time",
        Role.AWAKENINGS: "sensor.withings_wakeup_count",
        Role.SLEEP_SCORE: "sensor.withings_sleep_score",
    }


def test_sleepiq_sleep_duration_is_time_in_bed() -> None:
    """SleepIQ calls time in bed "sleep duration"; it must not become total sleep."""
    found = {role: facts.entity_id for role, facts in detect_sources(SLEEPIQ).items()}
    assert found[Role.TIME_IN_BED] == "sensor.sleepnumber_bed_anna_sleep_duration"
    assert Role.TOTAL_SLEEP not in found
    assert found[Role.IN_BED] == "binary_sensor.sleepnumber_bed_anna_is_in_bed"
    assert found[Role.SLEEP_SCORE] == "sensor.sleepnumber_bed_anna_sleep_score"
    assert found[Role.HRV] == "sensor.sleepnumber_bed_anna_hrv"


def test_garmin_advice_is_not_data() -> None:
    """Optimal bedtime and sleep need are advice, not last night."""
    found = {role: facts.entity_id for role, facts in detect_sources(GARMIN).items()}
    assert found == {
        Role.TOTAL_SLEEP: "sensor.garmin_connect_total_sleep_duration",
        Role.BEDTIME: "sensor.garmin_connect_bedtime",
        Role.WAKE_TIME: "sensor.garmin_connect_wake_time",
    }


def test_android_and_sleep_as_android() -> None:
    """Sleep confidence is the asleep source; Sleep as Android's events are found by key."""
    found = {
        role: facts.entity_id
        for role, facts in detect_sources([*ANDROID, *SLEEP_AS_ANDROID, *UNRELATED]).items()
    }
    assert found == {
        Role.ASLEEP: "sensor.pixel_sleep_confidence",
        Role.SLEEP_TRACKING: "event.sleep_as_android_sleep_tracking",
        Role.SLEEP_PHASE: "event.sleep_as_android_sleep_phase",
    }


def test_enabled_entities_win_ties_and_one_entity_one_role() -> None:
    """Of two equal candidates the enabled one is first; no entity plays two roles."""
    disabled = EntityFacts("sensor.a_deep_sleep", None, "duration", "min", disabled=True)
    enabled = EntityFacts("sensor.b_deep_sleep", None, "duration", "min")
    assert detect_sources([disabled, enabled])[Role.DEEP] == enabled
    assert detect_sources([enabled, disabled])[Role.DEEP] == enabled
    assert detect_sources([disabled])[Role.DEEP] == disabled  # still a candidate
    chosen = detect_sources([*WITHINGS, *SLEEPIQ, *GARMIN])
    ids = [facts.entity_id for facts in chosen.values()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("role", "facts", "state", "attributes", "expected"),
    [
        (Role.IN_BED, WITHINGS[0], "on", {}, InBed(CHANGED, True, "binary_sensor.withings_in_bed")),
        (Role.IN_BED, WITHINGS[0], "unknown", {}, None),
        (
            Role.DEEP,
            WITHINGS[1],
            "1.617",
            {"unit_of_measurement": "h"},
            Summary(Field.DEEP, 97.02, "sensor.withings_deep_sleep", NOW),
        ),
        # Withings stores seconds; a user may switch the display unit to minutes.
        (
            Role.DEEP,
            WITHINGS[1],
            "97.02",
            {"unit_of_measurement": "min"},
            Summary(Field.DEEP, 97.02, "sensor.withings_deep_sleep", NOW),
        ),
        (Role.DEEP, WITHINGS[1], "unavailable", {"unit_of_measurement": "h"}, None),
        (Role.DEEP, WITHINGS[1], "lots", {"unit_of_measurement": "h"}, None),
        (Role.DEEP, WITHINGS[1], "nan", {"unit_of_measurement": "h"}, None),
        (Role.DEEP, WITHINGS[1], "1.5", {"unit_of_measurement": "fortnights"}, None),
        # a bare number could be any of five units
        (Role.DEEP, EntityFacts("sensor.deep_sleep", device_class="duration"), "7.5", {}, None),
        (
            Role.SLEEP_SCORE,
            SLEEPIQ[2],
            "81",
            {"unit_of_measurement": "score"},
            Summary(
                Field.VENDOR_SCORE,
                81.0,
                "sensor.sleepnumber_bed_anna_sleep_score",
                NOW,
                scale="score",
            ),
        ),
        (
            Role.AWAKENINGS,
            WITHINGS[6],
            "3",
            {},
            Summary(Field.AWAKENINGS, 3, "sensor.withings_wakeup_count", NOW),
        ),
        (
            Role.ASLEEP,
            ANDROID[0],
            "91",
            {"unit_of_measurement": "%"},
            Asleep(CHANGED, True, "sensor.pixel_sleep_confidence"),
        ),
        (
            Role.ASLEEP,
            ANDROID[0],
            "12",
            {"unit_of_measurement": "%"},
            Asleep(CHANGED, False, "sensor.pixel_sleep_confidence"),
        ),
        (
            Role.BEDTIME,
            GARMIN[3],
            "2026-11-21T22:41:00+00:00",
            {},
            Summary(
                Field.BEDTIME,
                datetime(2026, 11, 21, 22, 41, tzinfo=UTC),
                "sensor.garmin_connect_bedtime",
                NOW,
            ),
        ),
        (Role.BEDTIME, GARMIN[3], "2026-11-21T22:41:00", {}, None),
        (
            Role.SLEEP_PHASE,
            SLEEP_AS_ANDROID[1],
            "2026-11-21T23:05:00.000+00:00",
            {"event_type": "deep_sleep"},
            SleepEvent(
                datetime(2026, 11, 21, 23, 5, tzinfo=UTC),
                "deep_sleep",
                "event.sleep_as_android_sleep_phase",
            ),
        ),
        (Role.SLEEP_PHASE, SLEEP_AS_ANDROID[1], "unknown", {}, None),
    ],
)
def test_states_become_signals(
    role: Role,
    facts: EntityFacts,
    state: str,
    attributes: dict[str, str],
    expected: object,
) -> None:
    """Units are normalised; unavailable, unknown, non-numeric and odd units say nothing."""
    signal = signal_for(role, facts, state, attributes, changed_at=CHANGED, now=NOW)
    if isinstance(expected, Summary) and isinstance(signal, Summary):
        assert signal.value == pytest.approx(expected.value)
        assert (signal.field, signal.source, signal.scale) == (
            expected.field,
            expected.source,
            expected.scale,
        )
    else:
        assert signal == expected


def test_fitbit_total_increasing_is_marked_cumulative() -> None:
    """A Fitbit sensor's nightly drop must be recognisable as its reset."""
    fitbit = EntityFacts(
        "sensor.fitbit_minutes_asleep", "fitbit", "duration", "min", state_class="total_increasing"
    )
    signal = signal_for(
        Role.TOTAL_SLEEP,
        fitbit,
        "431",
        {"state_class": "total_increasing"},
        changed_at=CHANGED,
        now=NOW,
    )
    assert isinstance(signal, Summary)
    assert signal.cumulative is True
    assert signal.value == 431


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("7.5", 7.5),
        ("  42 ", 42.0),
        ("-1", -1.0),
        ("1e3", 1000.0),
        ("0", 0.0),
    ],
)
def test_parse_number_accepts_numbers(state: str, expected: float) -> None:
    assert parse_number(state) == expected


@pytest.mark.parametrize(
    "state",
    [
        "",
        "   ",
        "unavailable",
        "unknown",
        "Unknown",
        "none",
        "null",
        "abc",
        "7,5",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1e999",
    ],
)
def test_parse_number_rejects_non_numbers(state: str) -> None:
    assert parse_number(state) is None


def test_the_adapter_imports_no_home_assistant() -> None:
    """It sits in the shell but stays pure, so these tests need no hass."""
    path = Path(state_adapter.__file__)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules = [node.module or ""]
        else:
            continue
        assert not any(m.split(".")[0] == "homeassistant" for m in modules), node.lineno
