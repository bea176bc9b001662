"""The log_sleep action end to end: response, sensors, storage, corrections and refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_NAME
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.magnesium_sleep.const import DOMAIN
from custom_components.magnesium_sleep.storage import HistoryWriteError, PartitionedHistory

from .conftest import PROFILE_OPTIONS, add_profile, durable, state, states

# Sunday 22 November 2026, 09:00 in Amsterdam (CET, +01:00).
MORNING = "2026-11-22 08:00:00+00:00"
NIGHT = "2026-11-21"

DURATION = "sensor.anna_sleep_duration"
LATENCY = "sensor.anna_time_to_fall_asleep"
AWAKE = "sensor.anna_time_awake"
EFFICIENCY = "sensor.anna_sleep_efficiency"
BEDTIME = "sensor.anna_bedtime"
WAKE = "sensor.anna_wake_time"
SCORE = "sensor.anna_sleep_score"

# Anna's night as she remembers it, in Home Assistant's time zone.
ENTRY: dict[str, Any] = {
    "bedtime": "2026-11-21 23:10:00",
    "wake_time": "2026-11-22 07:05:00",
    "latency": 20,
    "awakenings": 1,
    "rating": 4,
}
MESSAGES: dict[str, str] = {
    key: value["message"]
    for key, value in json.loads(
        (
            Path(__file__).parents[1] / "custom_components/magnesium_sleep/translations/en.json"
        ).read_text(encoding="utf-8")
    )["exceptions"].items()
}


async def log_sleep(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Call log_sleep and return its response."""
    response = await hass.services.async_call(
        DOMAIN, "log_sleep", data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


def night_records(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """A copy of the stored nights of November 2026."""
    return durable(hass, entry, "nights").get("2026-11", {})


@pytest.mark.freeze_time(MORNING)
async def test_log_a_night(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """23:10 to 07:05, 20 minutes to fall asleep: 7 h 35 min asleep, scored 97.9."""
    events = async_capture_events(hass, f"{DOMAIN}_night_updated")
    response = await log_sleep(hass, **ENTRY)

    values = {
        "bedtime": "2026-11-21T22:10:00+00:00",
        "wake_time": "2026-11-22T06:05:00+00:00",
        "sleep_onset": "2026-11-21T22:30:00+00:00",  # bedtime + latency
        "time_in_bed": 475.0,  # 7 h 55 min
        "total_sleep": 455.0,  # minus 20 minutes latency, no WASO given
        "latency": 20.0,
        "awakenings": 1,
        "rating": 4,
        "efficiency": pytest.approx(455 / 475 * 100),
    }
    assert response["config_entry_id"] == init_integration.entry_id
    assert response["night"] == NIGHT
    assert response["timezone"] == "Europe/Amsterdam"
    assert response["values"] == values
    assert "transitions" not in response
    provenance = response["provenance"]
    assert provenance["bedtime"]["source"] == "manual"
    assert provenance["bedtime"]["measured"] is True
    assert provenance["latency"]["measured"] is True
    assert provenance["total_sleep"]["source"] == "manual"
    assert provenance["total_sleep"]["measured"] is False  # a vendor's measured total wins
    assert provenance["sleep_onset"]["inputs"] == ["bedtime", "latency"]
    # Duration 35 (over 7 h), efficiency 25 (over 90 %), latency 15 x 40 / 45,
    # awakenings 5 (one); no WASO and no regularity: 78.33 of 80 points.
    assert response["score"] == 97.9
    assert response["score_components"] == {
        "duration": {"points": 35.0, "max_points": 35.0, "value": 455.0},
        "efficiency": {"points": 25.0, "max_points": 25.0, "value": 95.8},
        "latency": {"points": 13.3, "max_points": 15.0, "value": 20.0},
        "awakenings": {"points": 5.0, "max_points": 5.0, "value": 1.0},
    }

    assert 60 * float(state(hass, DURATION)) == pytest.approx(455.0)  # kept in hours
    assert float(state(hass, LATENCY)) == 20.0
    assert float(state(hass, EFFICIENCY)) == 95.8
    assert state(hass, BEDTIME) == "2026-11-21T22:10:00+00:00"
    assert state(hass, WAKE) == "2026-11-22T06:05:00+00:00"
    assert state(hass, SCORE) == "97.9"
    assert state(hass, AWAKE) == "unavailable"  # nothing said about time awake
    score = hass.states.get(SCORE)
    assert score is not None
    assert score.attributes["night"] == NIGHT
    # The sensor shows each part's points; the response also has its maximum and input.
    assert score.attributes["components"] == {
        part: values["points"] for part, values in response["score_components"].items()
    }
    assert score.attributes["max_points"] == {
        part: values["max_points"] for part, values in response["score_components"].items()
    }

    # On disk before the action returned.
    stored = night_records(hass, init_integration)
    assert list(stored) == [NIGHT]
    assert stored[NIGHT]["values"] == values
    assert [event.data["night"] for event in events] == [NIGHT]


@pytest.mark.freeze_time(MORNING)
async def test_correcting_a_night_replaces_it(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Logging the same night again replaces the times; what is left out is kept."""
    await log_sleep(hass, **ENTRY)
    freezer.tick(60)

    response = await log_sleep(
        hass, bedtime="2026-11-21 23:30:00", wake_time="2026-11-22 07:00:00", latency=10
    )

    values = response["values"]
    assert values["bedtime"] == "2026-11-21T22:30:00+00:00"
    assert values["wake_time"] == "2026-11-22T06:00:00+00:00"
    assert values["time_in_bed"] == 450.0
    assert values["total_sleep"] == 440.0
    assert values["latency"] == 10.0
    assert (values["awakenings"], values["rating"]) == (1, 4)  # kept
    stored = night_records(hass, init_integration)
    assert list(stored) == [NIGHT]
    assert stored[NIGHT]["values"] == values
    assert 60 * float(state(hass, DURATION)) == pytest.approx(440.0)  # kept in hours
    assert state(hass, BEDTIME) == "2026-11-21T22:30:00+00:00"

    # The same correction again changes nothing, not even when it was received.
    before = night_records(hass, init_integration), states(hass)
    freezer.tick(60)
    await log_sleep(
        hass, bedtime="2026-11-21 23:30:00", wake_time="2026-11-22 07:00:00", latency=10
    )
    assert (night_records(hass, init_integration), states(hass)) == before


@pytest.mark.freeze_time(MORNING)
async def test_regularity_follows_earlier_nights_and_a_reload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Three earlier nights give last night its regularity; corrections and reloads count."""

    def regularity() -> float:
        score = hass.states.get(SCORE)
        assert score is not None
        points: dict[str, float] = score.attributes["components"]
        return points["regularity"]

    for evening, morning in (("18", "19"), ("19", "20"), ("20", "21")):
        await log_sleep(
            hass, bedtime=f"2026-11-{evening} 23:10:00", wake_time=f"2026-11-{morning} 07:05:00"
        )
    # Midpoints 03:07:30 before, 03:17:30 last night (asleep at 23:30): 10 minutes off.
    response = await log_sleep(hass, **ENTRY)
    expected = {"points": 10.0, "max_points": 10.0, "value": 10.0}
    assert response["score_components"]["regularity"] == expected
    assert regularity() == 10.0

    # Two evenings moved two hours later: the median is 05:07:30, 110 minutes off.
    for morning in ("20", "21"):
        await log_sleep(
            hass, bedtime=f"2026-11-{morning} 01:10:00", wake_time=f"2026-11-{morning} 09:05:00"
        )
    assert regularity() == 1.1  # 10 x (120 - 110) / 90

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert regularity() == 1.1


@pytest.mark.parametrize(
    ("data", "night"),
    [
        pytest.param({}, NIGHT, id="evening"),
        pytest.param({"bedtime": "2026-11-22 00:40:00"}, NIGHT, id="after_midnight"),
        pytest.param({"night": NIGHT}, NIGHT, id="given"),
        pytest.param(
            {"bedtime": "2026-11-20T23:10:00+01:00", "wake_time": "2026-11-21T07:05:00+01:00"},
            "2026-11-20",
            id="with_offset",
        ),
        pytest.param(
            {"bedtime": "2026-11-20T22:10:00+00:00", "wake_time": "2026-11-21T06:05:00Z"},
            "2026-11-20",
            id="in_utc",
        ),
    ],
)
@pytest.mark.freeze_time(MORNING)
async def test_night_defaults_to_the_bedtimes_evening(
    hass: HomeAssistant, init_integration: MockConfigEntry, data: dict[str, Any], night: str
) -> None:
    """Without `night`, a bedtime before or after midnight belongs to that evening."""
    response = await log_sleep(hass, **{**ENTRY, **data})
    assert response["night"] == night


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(
            {"wake_time": "2026-11-21 22:00:00"}, "wake_before_bedtime", id="wake_before_bed"
        ),
        pytest.param({"wake_time": "2026-11-21 23:10:00"}, "wake_before_bedtime", id="no_time"),
        pytest.param(
            {"bedtime": "2026-11-20 19:00:00", "wake_time": "2026-11-21 15:01:00"},
            "night_too_long",
            id="over_20_hours",
        ),
        pytest.param({"rating": 6}, "rating_out_of_range", id="rating_6"),
        pytest.param({"rating": 0}, "rating_out_of_range", id="rating_0"),
        pytest.param({"latency": 476}, "latency_too_long", id="latency_longer_than_night"),
        pytest.param({"latency": -5}, "negative_value", id="negative_latency"),
        pytest.param({"awakenings": -1}, "negative_value", id="negative_awakenings"),
        pytest.param({"awakenings": 2**70}, "awakenings_implausible", id="absurd_awakenings"),
        pytest.param(
            {"bedtime": "2026-11-22 23:00:00", "wake_time": "2026-11-23 07:00:00"},
            "night_in_future",
            id="tonight",
        ),
        pytest.param(
            {"bedtime": "2026-11-22 01:00:00", "wake_time": "2026-11-22 09:30:00"},
            "night_in_future",
            id="still_asleep",
        ),
        pytest.param({"night": "2026-11-20"}, "bedtime_not_in_night", id="other_night"),
        pytest.param(
            {"bedtime": "0001-01-01T00:10:00+14:00", "wake_time": "0001-01-01T07:00:00+14:00"},
            "date_out_of_range",
            id="year_1",
        ),
        pytest.param(
            {"wake_time": "9999-12-31T23:59:59.999999+00:00"}, "date_out_of_range", id="year_9999"
        ),
        pytest.param({"night": "0001-01-01"}, "date_out_of_range", id="night_in_year_1"),
        pytest.param(
            {"bedtime": "2026-11-21 14:00:00", "wake_time": "2026-11-21 15:00:00"},
            "bedtime_not_in_night",
            id="nap",
        ),
    ],
)
@pytest.mark.freeze_time(MORNING)
async def test_refused_nights_change_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
    reason: str,
) -> None:
    """Each mistake gets its own translated explanation; nothing is stored or shown."""
    await log_sleep(hass, bedtime="2026-11-20 23:00:00", wake_time="2026-11-21 07:00:00", rating=3)
    before = night_records(hass, init_integration), states(hass)
    events = async_capture_events(hass, f"{DOMAIN}_night_updated")

    with pytest.raises(ServiceValidationError) as err:
        await log_sleep(hass, **{**ENTRY, **data})

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == reason
    message = MESSAGES[reason].format(**err.value.translation_placeholders or {})
    assert str(err.value) == message.rstrip(".")  # HA drops the final stop
    await hass.async_block_till_done()
    assert (night_records(hass, init_integration), states(hass)) == before
    assert events == []


@pytest.mark.freeze_time(MORNING)
async def test_unknown_or_unloaded_profile(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A profile that does not exist or is not loaded is refused by name."""
    with pytest.raises(ServiceValidationError) as err:
        await log_sleep(hass, **ENTRY, config_entry_id="nope")
    assert err.value.translation_key == "service_config_entry_not_found"
    await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await log_sleep(hass, **ENTRY, config_entry_id=init_integration.entry_id)
    assert err.value.translation_key == "service_config_entry_not_loaded"


@pytest.mark.freeze_time(MORNING)
async def test_a_vendor_total_beats_the_manual_estimate(
    hass: HomeAssistant,
    time_zone: str,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Times and answers typed in win; a tracker's measured total sleep beats our estimate."""
    oura = "sensor.oura_total_sleep"
    attributes = {"unit_of_measurement": "h", "device_class": "duration"}
    hass.states.async_set(oura, "unknown", attributes)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Anna",
        data={CONF_NAME: "Anna", "webhook_id": "anna" * 16},
        options={**PROFILE_OPTIONS, "sleep_sources": {"total_sleep": oura}},
        version=1,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    response = await log_sleep(hass, **ENTRY)
    assert response["values"]["total_sleep"] == 455.0

    # The ring syncs after the manual entry: 7.1 h asleep.
    freezer.tick(600)
    hass.states.async_set(oura, "7.1", attributes)
    await hass.async_block_till_done()
    assert 60 * float(state(hass, DURATION)) == pytest.approx(426.0)  # kept in hours
    assert float(state(hass, EFFICIENCY)) == 89.7  # 426 / 475: time in bed is still manual
    assert state(hass, BEDTIME) == "2026-11-21T22:10:00+00:00"
    assert float(state(hass, LATENCY)) == 20.0
    duration = hass.states.get(DURATION)
    assert duration is not None
    oura_name = hass.states.get(oura).name
    assert (duration.attributes["source"], duration.attributes["measured"]) == (oura_name, True)

    # A later correction of the times still does not override the measured total.
    freezer.tick(600)
    response = await log_sleep(
        hass, bedtime="2026-11-21 23:00:00", wake_time="2026-11-22 07:05:00", latency=30
    )
    assert response["values"]["total_sleep"] == 426.0
    assert response["values"]["time_in_bed"] == 485.0
    assert response["provenance"]["total_sleep"]["source"] == oura
    stored = night_records(hass, entry)[NIGHT]
    assert stored["values"]["total_sleep"] == 426.0
    assert stored["values"]["bedtime"] == "2026-11-21T22:00:00+00:00"


@pytest.mark.freeze_time(MORNING)
async def test_the_night_goes_to_the_callers_profile(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_admin_user: Any,
    hass_read_only_user: Any,
) -> None:
    """Without an ID the caller's own profile is used; someone without one must choose."""
    bo = await add_profile(hass, "Bo", "person.bo")
    hass.states.async_set("person.bo", "home", {"user_id": hass_admin_user.id})

    response = await hass.services.async_call(
        DOMAIN,
        "log_sleep",
        ENTRY,
        blocking=True,
        return_response=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert response is not None
    assert response["config_entry_id"] == bo.entry_id
    assert list(night_records(hass, bo)) == [NIGHT]
    assert night_records(hass, init_integration) == {}

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "log_sleep",
            ENTRY,
            blocking=True,
            return_response=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert err.value.translation_key == "service_found_multiple_config_entry_for_domain"


@pytest.mark.freeze_time(MORNING)
async def test_a_night_that_failed_to_save_is_saved_with_the_next_change(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The person sees the error; the night is not lost but written on the next try."""
    put = PartitionedHistory.async_put

    async def fail(*_args: Any) -> None:
        raise HistoryWriteError(translation_domain=DOMAIN, translation_key="write_failed")

    monkeypatch.setattr(PartitionedHistory, "async_put", fail)
    with pytest.raises(HomeAssistantError, match="could not be saved"):
        await log_sleep(hass, **ENTRY)
    assert night_records(hass, init_integration) == {}

    monkeypatch.setattr(PartitionedHistory, "async_put", put)
    await log_sleep(hass, **ENTRY)  # the same night again: nothing new, but now saved
    assert list(night_records(hass, init_integration)) == [NIGHT]
