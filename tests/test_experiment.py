"""Experiment mode end to end: plan, tonight's advice, restart, the planned end, stopping."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.magnesium_sleep.const import DOMAIN
from custom_components.magnesium_sleep.domain.effect import Outcome
from custom_components.magnesium_sleep.domain.experiment import make_plan

from .conftest import durable, state
from .test_insights import call, dose, refused, sleep

# Saturday 21 November 2026, 20:00 in Amsterdam: the plan starts tonight.
EVENING = "2026-11-21 19:00:00+00:00"
FIRST_NIGHT = date(2026, 11, 21)
RUNNING = "binary_sensor.anna_experiment_running"
TONIGHT = "sensor.anna_plan_for_tonight"
FINISHED = f"{DOMAIN}_experiment_finished"
# Two weeks, 7-night blocks: the last night is 4 December; its window closes at 12:00.
ENDS = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)


async def tick_to(hass: HomeAssistant, freezer: FrozenDateTimeFactory, moment: datetime) -> None:
    freezer.move_to(moment)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


@pytest.mark.freeze_time(EVENING)
async def test_experiment_runs_to_its_planned_end(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two weeks followed but for one night, a reload halfway, a report at the end."""
    events = async_capture_events(hass, FINISHED)
    expected = make_plan(FIRST_NIGHT, seed=7, outcome=Outcome.SLEEP_SCORE, weeks=2)

    response = await call(hass, "start_experiment", weeks=2, seed=7)

    assert response["plan"] == [
        {"night": night.isoformat(), "take": take} for night, take in expected.nights()
    ]
    assert response["ends"] == ENDS.isoformat()
    assert response["first_night"] == "2026-11-21"
    assert (response["weeks"], response["block_days"], response["washout_nights"]) == (2, 7, 2)
    assert response["evidence"] == "low"
    assert "doctor" in response["safety_note"]
    assert state(hass, RUNNING) == "on"
    await refused(hass, "start_experiment", "experiment_running")

    forgot = max(i for i, (_, take) in enumerate(expected.nights()) if take)
    for index, (night, take) in enumerate(expected.nights()):
        await tick_to(hass, freezer, datetime.combine(night, time(19), UTC))
        assert state(hass, TONIGHT) == ("take" if take else "skip")
        washout = hass.states.get(TONIGHT)
        assert washout is not None
        assert washout.attributes["washout"] is expected.is_washout(night)
        if take and index != forgot:
            await dose(hass, f"{night} 19:30:00")
        if index == 6:  # restart halfway: the plan is read back from storage
            assert await hass.config_entries.async_reload(init_integration.entry_id)
            await hass.async_block_till_done()
            assert state(hass, RUNNING) == "on"
            assert state(hass, TONIGHT) == ("take" if take else "skip")
        await tick_to(hass, freezer, datetime.combine(night + timedelta(days=1), time(8), UTC))
        await sleep(hass, night, 7.5, latency=10 if take else 40)
    assert events == []

    await tick_to(hass, freezer, ENDS - timedelta(seconds=1))
    assert events == []
    await tick_to(hass, freezer, ENDS + timedelta(seconds=1))

    assert len(events) == 1
    report = events[0].data
    assert report["config_entry_id"] == init_integration.entry_id
    assert report["randomised"] is True
    assert report["analysis"] == "intention_to_treat"
    assert report["stopped_early"] is False
    assert report["nights_washout"] == 4
    assert report["nights_used"] == 10
    assert report["nights_with"] == report["nights_without"] == 5
    assert report["nights_followed"] == 13
    assert report["adherence"] == pytest.approx(92.9)
    assert report["effect"] > 0  # 30 minutes faster asleep scores higher
    assert report["ci_low"] <= report["effect"] <= report["ci_high"]
    assert "randomised experiment" in report["summary"]
    assert len(report["nights"]) == 10
    assert all(night["arm"] in {"with", "without"} for night in report["nights"])

    notifications = persistent_notification._async_get_or_create_notifications(hass)
    (notification,) = notifications.values()
    assert notification["title"] == "Anna's magnesium experiment has finished"
    assert report["summary"] in notification["message"]
    assert "93 % of the nights followed the plan" in notification["message"]
    assert "doctor" in notification["message"]

    assert state(hass, RUNNING) == "off"
    assert state(hass, TONIGHT) == "none"
    (stored,) = durable(hass, init_integration, "experiments")["2026-11"].values()
    assert stored["status"] == "finished"
    assert stored["report"]["adherence"] == pytest.approx(92.9)
    exported = await call(hass, "export")
    assert [e["status"] for e in exported["experiments"]] == ["finished"]
    await refused(hass, "stop_experiment", "no_experiment")


@pytest.mark.freeze_time(EVENING)
async def test_experiment_that_ended_while_stopped(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Home Assistant was off at the planned end: the report comes at the next start."""
    await call(hass, "start_experiment", weeks=2, seed=3)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    events = async_capture_events(hass, FINISHED)
    freezer.move_to(ENDS + timedelta(days=2))

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()

    assert len(events) == 1
    assert events[0].data["effect"] is None
    assert events[0].data["reason"] == "too_few_nights"
    assert events[0].data["adherence"] == 50.0  # nothing taken: every skip night followed
    assert state(hass, RUNNING) == "off"


@pytest.mark.freeze_time(EVENING)
async def test_stop_experiment_early(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Stopped after three nights: the report covers those, no notification."""
    events = async_capture_events(hass, FINISHED)
    started = await call(hass, "start_experiment", seed=11, outcome="sleep_latency")
    assert len(started["plan"]) == 42
    assert started["outcome"] == "sleep_latency"
    await tick_to(hass, freezer, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))

    report = await call(hass, "stop_experiment")

    assert report["stopped_early"] is True
    assert report["nights_so_far"] == 3
    assert report["outcome"] == "sleep_latency"
    assert report["unit"] == "min"
    assert report["effect"] is None
    assert len(events) == 1
    assert events[0].data["stopped_early"] is True
    assert persistent_notification._async_get_or_create_notifications(hass) == {}
    assert state(hass, RUNNING) == "off"
    # A new one may start now.
    assert (await call(hass, "start_experiment", seed=11))["first_night"] == "2026-11-24"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"weeks": 1}, "weeks_out_of_range"),
        ({"weeks": 3}, "blocks_not_paired"),
        ({"block_days": 1}, "block_days_out_of_range"),
        ({"washout_nights": 7}, "washout_out_of_range"),
        ({"outcome": "mood"}, "unknown_outcome"),
    ],
)
@pytest.mark.freeze_time(EVENING)
async def test_bad_plans_start_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    data: dict[str, Any],
    reason: str,
) -> None:
    await refused(hass, "start_experiment", reason, **data)
    assert durable(hass, init_integration, "experiments") == {}
    assert state(hass, RUNNING) == "off"
