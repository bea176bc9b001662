"""Insights end to end: night history, tags, the effect, its sensor, and export."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.magnesium_sleep.const import DOMAIN

from .conftest import durable, state

# Sunday 22 November 2026, 09:00 in Amsterdam: last night is the 21st, tonight the 22nd.
MORNING = "2026-11-22 08:00:00+00:00"
EFFECT = "sensor.anna_magnesium_effect"
TRANSLATIONS = Path(__file__).parents[1] / "custom_components/magnesium_sleep/translations"
MESSAGES: dict[str, str] = {
    key: value["message"]
    for key, value in json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))[
        "exceptions"
    ].items()
}


async def call(hass: HomeAssistant, action: str, **data: Any) -> dict[str, Any]:
    """Call an action of ours and return its response."""
    response = await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


def journal_lines(hass: HomeAssistant, entry: MockConfigEntry) -> list[bytes]:
    """The lines of a profile's tag journal file."""
    path = Path(hass.config.path(".storage", f"{DOMAIN}.{entry.entry_id}.tags.journal"))
    return path.read_bytes().splitlines()


async def refused(hass: HomeAssistant, action: str, reason: str, **data: Any) -> None:
    """The action is refused with this translated reason."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, action, data, blocking=True, return_response=True)
    assert err.value.translation_key == reason
    assert err.value.translation_domain == DOMAIN


async def sleep(hass: HomeAssistant, evening: date, hours: float, latency: int = 15) -> None:
    """A night logged by hand: in bed at 23:00 local, asleep `hours` after `latency`."""
    bedtime = dt_util.as_utc(
        datetime.combine(evening, time(23), tzinfo=dt_util.get_default_time_zone())
    )
    wake = bedtime + timedelta(minutes=latency + hours * 60)  # elapsed, also across DST
    await call(
        hass,
        "log_sleep",
        bedtime=bedtime.isoformat(),
        wake_time=wake.isoformat(),
        latency=latency,
    )


async def dose(hass: HomeAssistant, moment: str, servings: float = 1) -> None:
    """One logged dose at a local time (1 serving of 500 mg glycinate: 70.481 mg elemental)."""
    await call(hass, "log_dose", servings=servings, taken_at=moment)


EVENINGS = [date(2026, 11, 21) - timedelta(days=back) for back in range(29, -1, -1)]
"""30 evenings, 23 October to 21 November."""


def sleep_minutes(index: int) -> float:
    """Night `index` of `EVENINGS`: 30 minutes more on magnesium (even) nights, +-5 wiggle."""
    wiggle = (index * 7) % 11 - 5  # the same every run
    return (450 if index % 2 == 0 else 420) + wiggle


EXPECTED_EFFECT = (
    sum(sleep_minutes(i) for i in range(0, 30, 2)) / 15
    - sum(sleep_minutes(i) for i in range(1, 30, 2)) / 15
)


async def thirty_nights(hass: HomeAssistant) -> None:
    """Magnesium on every other evening (a serving at 22:00), with more sleep."""
    for index, evening in enumerate(EVENINGS):
        if index % 2 == 0:
            await dose(hass, f"{evening} 22:00:00")
        await sleep(hass, evening, sleep_minutes(index) / 60)


# ------------------------------------------------------------------ get_nights


@pytest.mark.freeze_time(MORNING)
async def test_get_nights(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Last 30 nights oldest first; magnesium by the 04:00 boundary; unknowns are null."""
    await sleep(hass, date(2026, 11, 19), 7.0)
    await sleep(hass, date(2026, 11, 21), 8.0, latency=30)
    await dose(hass, "2026-11-21 22:00:00", servings=2)  # 141 mg
    await dose(hass, "2026-11-22 00:30:00")  # after midnight: still the 21st's evening
    await dose(hass, "2026-11-22 05:00:00")  # after 04:00: today, for tonight
    await call(hass, "tag_night", tags=["alcohol"], night="2026-10-01")  # outside 30 nights

    response = await call(hass, "get_nights")

    assert response["start"] == "2026-10-23"
    assert response["end"] == "2026-11-21"
    nights = response["nights"]
    assert [night["night"] for night in nights] == ["2026-11-19", "2026-11-21"]
    last = nights[1]
    assert last["bedtime"] == "2026-11-21T22:00:00+00:00"
    assert last["sleep_onset"] == "2026-11-21T22:30:00+00:00"
    assert last["wake_time"] == "2026-11-22T06:30:00+00:00"
    assert last["out_of_bed"] is None  # not given, not invented
    assert last["time_in_bed"] == 510.0
    assert last["total_sleep"] == 480.0
    assert last["sleep_latency"] == 30.0
    assert last["time_awake"] is None
    assert last["efficiency"] == pytest.approx(94.1)
    assert last["awakenings"] is None
    assert last["vendor_score"] is None
    assert isinstance(last["score"], float)
    assert set(last["score_components"]) == {"duration", "efficiency", "latency"}  # 1 night before
    assert last["magnesium_mg"] == pytest.approx(140.962 + 70.481, abs=0.002)
    assert last["tags"] == []
    assert last["provenance"]["sleep_latency"] == {"source": "manual", "measured": True}
    assert nights[0]["magnesium_mg"] == 0

    earlier = await call(hass, "get_nights", start="2026-09-30", end="2026-10-02")
    assert [n["night"] for n in earlier["nights"]] == ["2026-10-01"]
    assert earlier["nights"][0]["tags"] == ["alcohol"]
    assert earlier["nights"][0]["total_sleep"] is None
    await refused(hass, "get_nights", "start_after_end", start="2026-11-21", end="2026-11-20")


# --------------------------------------------------------------------- tags


@pytest.mark.freeze_time(MORNING)
async def test_tag_night_is_durable_and_shown(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """Tags reach the journal before the reply, survive a reload and can be removed."""
    await sleep(hass, date(2026, 11, 21), 7.5)

    response = await call(hass, "tag_night", tags=["alcohol", "stress"], note="Party")

    assert response["night"] == "2026-11-21"  # default: last night
    assert response["tags"] == ["alcohol", "stress"]
    assert response["note"] == "Party"
    # Appended to the journal before the reply: what a kill -9 right now would leave on disk.
    (line,) = journal_lines(hass, init_integration)
    assert json.loads(line)["record"]["tags"] == ["alcohol", "stress"]
    # What a restart after kill -9 would read: the month Stores plus the journal.
    stored = durable(hass, init_integration, "tags")
    assert stored == {
        "2026-11": {
            "2026-11-21": {"night": "2026-11-21", "tags": ["alcohol", "stress"], "note": "Party"}
        }
    }

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    (night,) = (await call(hass, "get_nights"))["nights"]
    assert night["tags"] == ["alcohol", "stress"]

    response = await call(hass, "tag_night", tags="alcohol", remove=True)
    assert response["tags"] == ["stress"]
    response = await call(hass, "tag_night", tags=["stress"], note="", remove=True)
    assert response == {"config_entry_id": init_integration.entry_id, "night": "2026-11-21"}
    assert durable(hass, init_integration, "tags") == {"2026-11": {}}
    # Removing from a night without tags writes nothing.
    await call(hass, "tag_night", tags=["travel"], night="2026-11-10", remove=True)
    assert durable(hass, init_integration, "tags") == {"2026-11": {}}
    (night,) = (await call(hass, "get_nights"))["nights"]
    assert night["tags"] == []
    assert night["note"] is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"tags": ["hangover"]}, "unknown_tag"),
        ({"tags": []}, "no_tags"),
        ({"tags": ["illness"], "night": "2026-11-23"}, "tag_night_in_future"),
    ],
)
@pytest.mark.freeze_time(MORNING)
async def test_bad_tags_change_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    data: dict[str, Any],
    reason: str,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "tag_night", data, blocking=True, return_response=True
        )
    assert err.value.translation_key == reason
    assert str(err.value).startswith(MESSAGES[reason].split("{")[0].rstrip("."))
    assert durable(hass, init_integration, "tags") == {}


@pytest.mark.freeze_time(MORNING)
async def test_tonight_may_be_tagged(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Tonight (already begun for its intake day) may be tagged, tomorrow not."""
    response = await call(hass, "tag_night", tags=["travel"], night="2026-11-22")
    assert response["tags"] == ["travel"]


# ------------------------------------------------------------------- effect


@pytest.mark.freeze_time(MORNING)
async def test_get_effect(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """30 nights, magnesium on 15: about 30 minutes more sleep, called a correlation."""
    await thirty_nights(hass)

    response = await call(hass, "get_effect", outcome="total_sleep")

    assert response["outcome"] == "total_sleep"
    assert response["unit"] == "min"
    assert response["effect"] == pytest.approx(EXPECTED_EFFECT, abs=0.01)
    assert 10 < response["ci_low"] < EXPECTED_EFFECT < response["ci_high"] < 40
    assert response["nights_with"] == response["nights_without"] == 15
    assert response["nights_excluded"] == 0
    assert response["method"] == "difference_of_means_ar1"
    assert response["stars"] == 4  # 14+ nights per arm, clear, not randomised
    assert response["randomised"] is False
    assert response["reason"] is None
    assert response["evidence"] == "low"
    summary = response["summary"]
    assert "correlation" in summary
    assert "30 nights" in summary
    assert "higher" in summary
    assert "improve" not in summary
    assert response["summary_key"] == "higher_correlation"  # the template a card translates
    assert len(response["nights"]) == 30
    first = response["nights"][0]
    assert first == {"night": "2026-10-23", "arm": "with", "value": first["value"]}
    assert response["nights"][1]["arm"] == "without"

    latency = await call(hass, "get_effect", outcome="sleep_latency")
    assert latency["effect"] == 0
    assert latency["ci_low"] == latency["ci_high"] == 0  # every night 15 minutes
    assert "no clear difference" in latency["summary"]
    assert latency["summary_key"] == "unclear_correlation"
    assert latency["stars"] == 3

    # A tagged night is left out unless asked; a period narrows the nights.
    await call(hass, "tag_night", tags=["illness"], night="2026-11-21")
    tagged = await call(hass, "get_effect", outcome="total_sleep")
    assert tagged["nights_excluded"] == 1
    assert tagged["nights_with"] + tagged["nights_without"] == 29
    kept = await call(hass, "get_effect", outcome="total_sleep", exclude_tagged=False)
    assert kept["nights_excluded"] == 0
    week = await call(hass, "get_effect", start="2026-11-15", end="2026-11-18")
    assert week["outcome"] == "sleep_score"
    assert week["effect"] is None
    assert week["reason"] == "too_few_nights"
    assert week["stars"] is None
    assert week["summary"].startswith("Not enough nights to compare yet: 2 with magnesium")


@pytest.mark.freeze_time(MORNING)
async def test_effect_refusals(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    await refused(hass, "get_effect", "unknown_outcome", outcome="mood")
    await refused(hass, "get_effect", "start_after_end", start="2026-11-21", end="2026-11-20")


@pytest.mark.freeze_time(MORNING)
async def test_effect_sensor_follows_doses_and_nights(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Unknown with a reason until 3 nights per arm; then the effect, recomputed on change."""
    effect = hass.states.get(EFFECT)
    assert effect is not None
    assert effect.state == "unknown"
    assert effect.attributes["reason"] == "too_few_nights"
    assert effect.attributes["unit_of_measurement"] == "points"
    assert effect.attributes["summary"].startswith("Not enough nights")
    assert "nights" not in effect.attributes

    await thirty_nights(hass)
    response = await call(hass, "get_effect")
    effect = hass.states.get(EFFECT)
    assert effect is not None
    assert float(effect.state) == response["effect"]
    assert effect.attributes["ci_low"] == response["ci_low"]
    assert effect.attributes["stars"] == response["stars"]
    assert effect.attributes["summary"] == response["summary"]
    assert effect.attributes["outcome"] == "sleep_score"

    # A dose on a night without moves it to "with", removing it moves it back: at once.
    before = state(hass, EFFECT)
    await call(hass, "log_dose", servings=1, taken_at="2026-11-21 22:30:00")
    assert state(hass, EFFECT) != before
    await call(hass, "remove_dose")
    assert state(hass, EFFECT) == before
    # A corrected night too: a magnesium night with an hour to fall asleep scores less.
    await sleep(hass, EVENINGS[0], 7.5, latency=60)
    assert float(state(hass, EFFECT)) < float(before)


@pytest.mark.freeze_time(MORNING)
async def test_insights_options_set_threshold_and_outcome(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The options step: a 100 mg threshold makes 1-serving nights nights without."""
    await thirty_nights(hass)
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "insights"}
    )
    assert result["step_id"] == "insights"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"dose_night_mg": 100, "effect_outcome": "total_sleep"}
    )
    await hass.async_block_till_done()
    assert init_integration.options["dose_night_mg"] == 100
    effect = hass.states.get(EFFECT)
    assert effect is not None
    assert effect.attributes["unit_of_measurement"] == "min"
    assert effect.attributes["nights_with"] == 0
    assert effect.state == "unknown"


@pytest.mark.freeze_time(MORNING)
async def test_dutch_summary(hass: HomeAssistant, mock_config_entry: MockConfigEntry) -> None:
    """Home Assistant in Dutch: the sentence is Dutch, with decimal commas."""
    hass.config.language = "nl"
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await thirty_nights(hass)

    summary = (await call(hass, "get_effect", outcome="total_sleep"))["summary"]

    assert summary.startswith("In de 15 nachten met magnesium was je totale slaap ")
    assert "correlatie" in summary
    assert "," in summary.split("min")[0]


# -------------------------------------------------------------------- export


@pytest.mark.freeze_time(MORNING)
async def test_export(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Every dose and night, also those long ago."""
    await dose(hass, "2024-01-10 21:00:00")
    await sleep(hass, date(2024, 1, 10), 7.0)
    await thirty_nights(hass)
    await call(hass, "tag_night", tags=["exercise"], night="2025-06-01")

    response = await call(hass, "export")

    assert len(response["doses"]) == 16
    assert response["doses"][0]["taken_at"] == "2024-01-10T20:00:00+00:00"
    nights = [night["night"] for night in response["nights"]]
    assert nights[:2] == ["2024-01-10", "2025-06-01"]
    assert len(nights) == 32
    assert response["nights"][0]["magnesium_mg"] == pytest.approx(70.481)
    assert response["experiments"] == []
    assert response["dose_night_mg"] == 50


async def test_export_without_history(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    response = await call(hass, "export")
    assert response["doses"] == response["nights"] == response["experiments"] == []


@pytest.mark.freeze_time(MORNING)
async def test_setup_scores_the_nights_after_it_returns(
    hass: HomeAssistant, init_integration: MockConfigEntry, held_indexing: asyncio.Event
) -> None:
    """The nights are scored after setup returns: the effect sensor and the actions wait
    for them, and an unload in the middle stops the work cleanly."""
    for back in range(30, 0, -1):
        evening = date(2026, 11, 21) - timedelta(days=back)
        if back % 2 == 0:
            await dose(hass, f"{evening} 22:00:00")
        await sleep(hass, evening, 7.5 if back % 2 == 0 else 7.0)
    expected = await call(hass, "get_effect")
    assert expected["nights_with"] + expected["nights_without"] == 30

    entry_id = init_integration.entry_id
    # Held before the first night (waiting for everything to settle would wait for it too).
    assert await hass.config_entries.async_reload(entry_id)
    runtime = init_integration.runtime_data
    assert state(hass, EFFECT) == "unavailable"
    assert not runtime.insights.indexed
    assert await hass.config_entries.async_unload(entry_id)  # stops the held scoring
    assert not runtime.insights.indexed

    assert await hass.config_entries.async_setup(entry_id)
    asked = hass.async_create_task(call(hass, "get_effect"))
    await asyncio.sleep(0)
    assert not asked.done()  # waits for the nights
    held_indexing.set()
    assert await asked == expected
    await hass.async_block_till_done()
    assert float(state(hass, EFFECT)) == expected["effect"]
