"""Nightly long-term statistics end to end, on a real recorder (SQLite in memory)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime, time, timedelta
import threading
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder, get_instance
from homeassistant.components.recorder.core import MAX_DB_EXECUTOR_WORKERS
from homeassistant.components.recorder.models import StatisticMeanType, StatisticMetaData
from homeassistant.components.recorder.statistics import (
    StatisticData,
    async_add_external_statistics,
    get_metadata,
    list_statistic_ids,
    statistics_during_period,
    valid_statistic_id,
)
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.magnesium_sleep.const import DOMAIN
from custom_components.magnesium_sleep.diagnostics import async_get_config_entry_diagnostics
from custom_components.magnesium_sleep.domain.nightly_statistics import (
    NightlyStatistic,
    statistic_hour,
)
from custom_components.magnesium_sleep.statistics import statistic_id, statistic_ids

from .conftest import add_profile
from .test_insights import MORNING, call, dose, sleep
from .test_sleep_sources import G_TOTAL, feed, local, set_up, travel

type RecorderContext = Callable[..., AbstractAsyncContextManager[Recorder]]

SCORE = NightlyStatistic.SLEEP_SCORE
TOTAL = NightlyStatistic.TOTAL_SLEEP
LATENCY = NightlyStatistic.TIME_TO_FALL_ASLEEP
EFFICIENCY = NightlyStatistic.EFFICIENCY
MAGNESIUM = NightlyStatistic.MAGNESIUM
SERVING_MG = 70.481  # one serving of 500 mg glycinate
LAST_NIGHT = date(2026, 11, 21)  # at MORNING; tonight is the 22nd
NIGHTS = [LAST_NIGHT - timedelta(days=back) for back in range(19, -1, -1)]  # 2 to 21 Nov


@pytest.fixture
def mock_recorder_before_hass(async_test_recorder: RecorderContext) -> None:
    """Prepare the recorder's database before `hass` starts (PHCC requires that order)."""


async def settled(hass: HomeAssistant) -> None:
    """Wait for the backfill (a background task) and for the recorder to write it."""
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)


async def rows(
    hass: HomeAssistant, entry: MockConfigEntry, statistic: NightlyStatistic
) -> dict[date, float]:
    """A statistic's hourly rows, by the local date they are on; each row's mean=min=max."""
    stat_id = statistic_id(entry.entry_id, statistic)
    found = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        datetime(2000, 1, 1, tzinfo=UTC),
        None,
        {stat_id},
        "hour",
        None,
        {"mean", "min", "max"},
    )
    result: dict[date, float] = {}
    for row in found.get(stat_id, []):
        start = dt_util.utc_from_timestamp(row["start"])
        night = dt_util.as_local(start).date()
        assert start == statistic_hour(night, dt_util.get_default_time_zone())
        assert night not in result
        assert row["mean"] == row["min"] == row["max"]
        assert row["mean"] is not None
        result[night] = row["mean"]
    return result


async def metadata(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, StatisticMetaData]:
    """The recorder's metadata of the profile's statistics, by statistic ID."""
    found = await get_instance(hass).async_add_executor_job(
        lambda: get_metadata(hass, statistic_ids=set(statistic_ids(entry.entry_id)))
    )
    return {stat_id: meta for stat_id, (_, meta) in found.items()}


async def known_ids(hass: HomeAssistant) -> set[str]:
    """Every statistic ID the recorder knows."""
    listed = await get_instance(hass).async_add_executor_job(list_statistic_ids, hass)
    return {item["statistic_id"] for item in listed}


async def twenty_nights(hass: HomeAssistant) -> None:
    """Nights of 6.5 to 8.4 h with varying latency; a serving on every third evening."""
    for index, night in enumerate(NIGHTS):
        if index % 3 == 0:
            await dose(hass, f"{night} 22:00:00")
        await sleep(hass, night, 6.5 + (index % 10) / 5, latency=5 + index)


async def assert_matches_get_nights(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Each statistic holds exactly the nights get_nights gives, in its unit."""
    response = await call(hass, "get_nights", start="2026-01-01", end="2026-11-22")
    nights = {date.fromisoformat(night["night"]): night for night in response["nights"]}
    expected = {
        SCORE: {k: n["score"] for k, n in nights.items() if n["score"] is not None},
        TOTAL: {k: n["total_sleep"] / 60 for k, n in nights.items() if n["total_sleep"]},
        LATENCY: {k: n["sleep_latency"] for k, n in nights.items() if n["sleep_latency"]},
        EFFICIENCY: {k: n["efficiency"] for k, n in nights.items() if n["efficiency"]},
    }
    for statistic, values in expected.items():
        assert await rows(hass, entry, statistic) == pytest.approx(values, abs=1e-9), statistic
    magnesium = await rows(hass, entry, MAGNESIUM)
    assert {k: magnesium[k] for k in nights} == {k: n["magnesium_mg"] for k, n in nights.items()}


# ------------------------------------------------------------------ live imports


@pytest.mark.freeze_time(MORNING)
async def test_nights_and_doses_become_statistics(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Every night's values go in as they are logged: the values get_nights gives."""
    await twenty_nights(hass)
    await dose(hass, "2026-11-22 08:30:00", servings=2)  # tonight's: no row while it lasts
    await settled(hass)

    await assert_matches_get_nights(hass, init_integration)
    magnesium = await rows(hass, init_integration, MAGNESIUM)
    assert magnesium[NIGHTS[0]] == pytest.approx(SERVING_MG, abs=0.002)
    assert magnesium[NIGHTS[1]] == 0  # a night without a dose
    assert len(magnesium) == len(NIGHTS)
    total = await rows(hass, init_integration, TOTAL)
    assert total[NIGHTS[0]] == pytest.approx(6.5)  # hours
    assert total[NIGHTS[9]] == pytest.approx(8.3)
    latency = await rows(hass, init_integration, LATENCY)
    assert latency[NIGHTS[0]] == 5  # minutes


@pytest.mark.freeze_time(MORNING)
async def test_metadata_names_units_and_ids(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """External statistics of the integration, named for the profile, in units HA converts."""
    await sleep(hass, LAST_NIGHT, 7.0)
    await dose(hass, "2026-11-21 22:00:00")
    await settled(hass)

    found = await metadata(hass, init_integration)

    prefix = "magnesium_sleep:01kanna0000000000000000000"
    expected = {
        f"{prefix}_sleep_score": ("Anna: sleep score per night", "%", None),
        f"{prefix}_total_sleep": ("Anna: total sleep per night", "h", "duration"),
        f"{prefix}_time_to_fall_asleep": ("Anna: time to fall asleep per night", "min", "duration"),
        f"{prefix}_sleep_efficiency": ("Anna: sleep efficiency per night", "%", None),
        f"{prefix}_magnesium": ("Anna: magnesium per evening", "mg", "mass"),
    }
    assert {
        stat_id: (meta["name"], meta["unit_of_measurement"], meta["unit_class"])
        for stat_id, meta in found.items()
    } == expected
    for meta in found.values():
        assert meta["source"] == DOMAIN
        assert meta["mean_type"] is StatisticMeanType.ARITHMETIC
        assert meta["has_sum"] is False


@pytest.mark.freeze_time(MORNING)
async def test_the_daily_period_shows_each_night_on_its_evening(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """What the statistics-graph card asks for (period day) has the night on its own date."""
    await sleep(hass, date(2026, 11, 20), 7.0)
    await sleep(hass, LAST_NIGHT, 8.0)
    await settled(hass)
    stat_id = statistic_id(init_integration.entry_id, TOTAL)

    daily = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        datetime(2026, 11, 1, tzinfo=UTC),
        None,
        {stat_id},
        "day",
        {"duration": "min"},  # a chart may show it in another unit of the class
        {"mean"},
    )

    assert [
        (dt_util.as_local(dt_util.utc_from_timestamp(row["start"])).isoformat(), row["mean"])
        for row in daily[stat_id]
    ] == [
        ("2026-11-20T00:00:00+01:00", pytest.approx(420)),
        ("2026-11-21T00:00:00+01:00", pytest.approx(480)),
    ]


def test_statistic_ids_are_valid_for_any_entry_id() -> None:
    for entry_id in (
        "01KANNA0000000000000000000",
        "3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b",
        "A-b__C",
        "--",
    ):
        ids = statistic_ids(entry_id)
        assert len(set(ids)) == len(NightlyStatistic)
        assert all(valid_statistic_id(stat_id) for stat_id in ids), ids
    assert statistic_id("01KANNA0000000000000000000", MAGNESIUM) == (
        "magnesium_sleep:01kanna0000000000000000000_magnesium"
    )


# -------------------------------------------------------------------- corrections


@pytest.mark.freeze_time(MORNING)
async def test_a_dose_logged_later_updates_its_evening(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A dose logged afterwards for an earlier evening corrects that evening's row only."""
    await sleep(hass, date(2026, 11, 20), 7.0)
    await sleep(hass, LAST_NIGHT, 7.5)
    await settled(hass)
    assert await rows(hass, init_integration, MAGNESIUM) == {
        date(2026, 11, 20): 0,
        LAST_NIGHT: 0,
    }

    await dose(hass, "2026-11-21 00:30:00")  # after midnight: still the evening of the 20th
    await dose(hass, "2026-11-10 21:00:00")  # an evening without a night
    await settled(hass)

    assert await rows(hass, init_integration, MAGNESIUM) == {
        date(2026, 11, 10): pytest.approx(SERVING_MG),
        date(2026, 11, 20): pytest.approx(SERVING_MG),
        LAST_NIGHT: 0,
    }
    await assert_matches_get_nights(hass, init_integration)


@pytest.mark.freeze_time(MORNING)
async def test_a_removed_dose_corrects_its_evening(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Removed from a night: less, or 0 mg. The only dose of an evening without a night: no row."""
    await twenty_nights(hass)
    await dose(hass, "2026-11-11 20:00:00", servings=2)  # a second dose on a dosed evening
    await dose(hass, "2026-10-01 21:00:00")  # an evening without a night
    await dose(hass, "2026-11-22 08:30:00")  # tonight, no night yet
    await settled(hass)
    doses = (await call(hass, "get_doses", start="2026-10-01", end="2026-11-23"))["doses"]
    assert len(doses) == 10
    assert date(2026, 10, 1) in await rows(hass, init_integration, MAGNESIUM)

    await call(hass, "remove_dose")  # the latest: tonight's only dose, which has no row yet
    at_ten = next(d for d in doses if d["taken_at"] == "2026-11-11T21:00:00+00:00")
    await call(hass, "remove_dose", dose_id=at_ten["dose_id"])
    await call(hass, "remove_dose", dose_id=doses[1]["dose_id"])  # the 2nd's only dose
    await settled(hass)
    magnesium = await rows(hass, init_integration, MAGNESIUM)
    assert magnesium[date(2026, 11, 11)] == pytest.approx(2 * SERVING_MG, abs=0.002)
    assert magnesium[NIGHTS[0]] == 0  # a night: its row stays, with 0 mg
    await assert_matches_get_nights(hass, init_integration)

    assert doses[0]["taken_at"] == "2026-10-01T19:00:00+00:00"
    await call(hass, "remove_dose", dose_id=doses[0]["dose_id"])
    await settled(hass)
    magnesium = await rows(hass, init_integration, MAGNESIUM)
    assert date(2026, 10, 1) not in magnesium  # the statistic was written anew without it
    assert len(magnesium) == len(NIGHTS)
    await assert_matches_get_nights(hass, init_integration)


async def night_at(hass: HomeAssistant, night: date, bedtime_hour: int, latency: int = 15) -> None:
    """A night of 7 h asleep, to bed at `bedtime_hour` local (after midnight: the next day)."""
    day = night if bedtime_hour >= 12 else night + timedelta(days=1)
    bedtime = datetime.combine(day, time(bedtime_hour), dt_util.get_default_time_zone())
    await call(
        hass,
        "log_sleep",
        night=night.isoformat(),
        bedtime=bedtime.isoformat(),
        wake_time=(bedtime + timedelta(minutes=latency + 7 * 60)).isoformat(),
        latency=latency,
    )


@pytest.mark.freeze_time(MORNING)
async def test_a_changed_night_corrects_its_rows_and_the_scores_after_it(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A night logged again: its own rows, and the scores whose regularity it is part of."""
    first, changed, third, last = NIGHTS[-4:]
    for night, hour in ((first, 22), (changed, 23), (third, 0), (last, 0)):
        await night_at(hass, night, hour)
    await settled(hass)
    before = await rows(hass, init_integration, SCORE)
    # The last night's regularity: 60 min from the median of the three before it (the
    # changed night's midpoint).
    assert before[last] < 100

    await night_at(hass, changed, 1, latency=40)  # now the third's midpoint is the median
    await settled(hass)

    await assert_matches_get_nights(hass, init_integration)
    assert (await rows(hass, init_integration, LATENCY))[changed] == 40
    after = await rows(hass, init_integration, SCORE)
    assert after[changed] != before[changed]
    assert after[last] > before[last]  # its regularity follows the changed night
    assert after[first] == before[first]


@pytest.mark.freeze_time(MORNING)
async def test_the_evening_gets_its_row_when_the_day_ends(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Tonight's doses are a row once the intake day is over (04:00); nothing else moves."""
    await twenty_nights(hass)
    await dose(hass, "2026-11-22 08:30:00")
    await dose(hass, "2026-11-22 08:45:00")
    await settled(hass)
    before = {
        statistic: await rows(hass, init_integration, statistic) for statistic in NightlyStatistic
    }
    assert date(2026, 11, 22) not in before[MAGNESIUM]

    freezer.move_to("2026-11-23 03:00:01+00:00")  # 04:00:01 in Amsterdam
    async_fire_time_changed(hass)
    await settled(hass)

    after = {
        statistic: await rows(hass, init_integration, statistic) for statistic in NightlyStatistic
    }
    assert after[MAGNESIUM].pop(date(2026, 11, 22)) == pytest.approx(2 * SERVING_MG, abs=0.002)
    assert after == before


# ---------------------------------------------------------------------- backfill


@pytest.mark.freeze_time(MORNING)
async def test_history_from_before_the_recorder_is_backfilled(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    async_test_recorder: RecorderContext,
) -> None:
    """History logged without the recorder is imported when it runs: all of it."""
    await twenty_nights(hass)
    await dose(hass, "2026-10-01 21:00:00")  # an evening long before the first night
    assert await hass.config_entries.async_unload(init_integration.entry_id)

    async with async_test_recorder(hass):
        assert await hass.config_entries.async_setup(init_integration.entry_id)
        await settled(hass)

        await assert_matches_get_nights(hass, init_integration)
        magnesium = await rows(hass, init_integration, MAGNESIUM)
        assert magnesium[date(2026, 10, 1)] == pytest.approx(SERVING_MG)
        assert len(magnesium) == len(NIGHTS) + 1
        assert await hass.config_entries.async_unload(init_integration.entry_id)


async def overwrite(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    statistic: NightlyStatistic,
    values: dict[date, float],
    **meta: Any,
) -> None:
    """Rows the recorder holds that differ from the history (as if written by someone else)."""
    found = await metadata(hass, entry)
    tz = dt_util.get_default_time_zone()
    async_add_external_statistics(
        hass,
        {**found[statistic_id(entry.entry_id, statistic)], **meta},
        [
            StatisticData(start=statistic_hour(night, tz), mean=value, min=value, max=value)
            for night, value in values.items()
        ],
    )
    await async_wait_recording_done(hass)


@pytest.mark.freeze_time(MORNING)
async def test_a_restart_compares_the_latest_rows_only(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Setup reads the last 14 nights' rows and writes what differs, not all history."""
    await twenty_nights(hass)
    await settled(hass)
    old, recent = NIGHTS[0], NIGHTS[-3]
    await overwrite(hass, init_integration, TOTAL, {old: 1.0, recent: 1.0})

    await hass.config_entries.async_reload(init_integration.entry_id)
    await settled(hass)

    total = await rows(hass, init_integration, TOTAL)
    assert total[old] == 1.0  # older than the last row's 14 nights: not looked at
    assert total[recent] == pytest.approx(6.5 + (len(NIGHTS) - 3) % 10 / 5)  # put right


@pytest.mark.freeze_time(MORNING)
async def test_a_row_that_should_not_be_there_rewrites_the_statistic(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A row of an evening without values among the latest (a lost removal): all anew."""
    await twenty_nights(hass)
    await settled(hass)
    await overwrite(hass, init_integration, TOTAL, {NIGHTS[0]: 1.0, date(2026, 11, 22): 9.0})
    await overwrite(hass, init_integration, LATENCY, {NIGHTS[0]: 1.0}, unit_of_measurement="s")

    await hass.config_entries.async_reload(init_integration.entry_id)
    await settled(hass)

    await assert_matches_get_nights(hass, init_integration)  # the old rows are right again
    assert (await metadata(hass, init_integration))[
        statistic_id(init_integration.entry_id, LATENCY)
    ]["unit_of_measurement"] == "min"


@pytest.mark.freeze_time(MORNING)
async def test_names_follow_the_profile_and_the_language(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A renamed profile or another language renames the statistics at the next setup."""
    await sleep(hass, LAST_NIGHT, 7.0)
    await settled(hass)
    await hass.config.async_update(language="nl")
    hass.config_entries.async_update_entry(
        init_integration, data={**init_integration.data, "name": "Anne"}
    )

    await hass.config_entries.async_reload(init_integration.entry_id)
    await settled(hass)

    names = {meta["name"] for meta in (await metadata(hass, init_integration)).values()}
    assert names == {
        "Anne: slaapscore per nacht",
        "Anne: totale slaap per nacht",
        "Anne: tijd tot inslapen per nacht",
        "Anne: slaapefficiëntie per nacht",
        "Anne: magnesium per avond",
    }
    await assert_matches_get_nights(hass, init_integration)


@pytest.mark.freeze_time(MORNING)
async def test_rows_of_another_time_zone_are_rewritten(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """After Home Assistant's time zone changed, each night is at its new noon, once."""
    await twenty_nights(hass)
    await settled(hass)
    assert await hass.config_entries.async_unload(init_integration.entry_id)

    await hass.config.async_set_time_zone("America/New_York")
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await settled(hass)

    # rows() checks each row is at its night's noon in New York, one per local date.
    score = await rows(hass, init_integration, SCORE)
    assert len(score) == len(NIGHTS)


# ---------------------------------------------------------------- without, removal


@pytest.mark.freeze_time(MORNING)
async def test_without_the_recorder_nothing_is_imported_and_nothing_breaks(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """No recorder: the profile works as before; removing it needs no recorder either."""
    assert "recorder" not in hass.config.components
    runtime = init_integration.runtime_data
    assert runtime.statistics.active is False
    await sleep(hass, LAST_NIGHT, 7.0)
    await dose(hass, "2026-11-21 22:00:00")
    await call(hass, "remove_dose")
    await hass.async_block_till_done()

    assert await hass.config_entries.async_remove(init_integration.entry_id)
    assert "recorder" not in hass.config.components


@pytest.mark.freeze_time(MORNING)
async def test_removing_the_profile_clears_its_statistics(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A removed profile's statistics go with its history; another profile's stay."""
    await sleep(hass, LAST_NIGHT, 7.0)
    await dose(hass, "2026-11-21 22:00:00")
    bo = await add_profile(hass, "Bo", "person.bo")
    await call(
        hass, "log_dose", config_entry_id=bo.entry_id, servings=1, taken_at="2026-11-21 22:00:00"
    )
    await settled(hass)
    assert set(statistic_ids(init_integration.entry_id)) <= await known_ids(hass)

    assert await hass.config_entries.async_remove(init_integration.entry_id)
    await async_wait_recording_done(hass)

    remaining = await known_ids(hass)
    assert not set(statistic_ids(init_integration.entry_id)) & remaining
    assert statistic_id(bo.entry_id, MAGNESIUM) in remaining


@pytest.mark.freeze_time(MORNING)
async def test_unloading_during_the_backfill_stops_it_cleanly(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An unload while the backfill waits for the recorder cancels it; a later setup does it."""
    await twenty_nights(hass)
    await settled(hass)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    get_instance(hass).async_clear_statistics(statistic_ids(init_integration.entry_id))
    await async_wait_recording_done(hass)
    # The recorder's database threads are all busy: the backfill's question waits.
    busy = threading.Event()
    blockers = [
        get_instance(hass).async_add_executor_job(busy.wait) for _ in range(MAX_DB_EXECUTOR_WORKERS)
    ]

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    backfill = init_integration.runtime_data.statistics._backfill
    assert backfill is not None
    assert not backfill.done()
    assert await hass.config_entries.async_unload(init_integration.entry_id)

    assert backfill.cancelled()
    busy.set()
    await asyncio.gather(*blockers)
    await settled(hass)
    assert await rows(hass, init_integration, SCORE) == {}
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await settled(hass)
    await assert_matches_get_nights(hass, init_integration)


@pytest.mark.freeze_time(MORNING)
async def test_diagnostics_name_the_statistics(
    recorder_mock: Recorder, hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Diagnostics say whether the statistics are kept, and under which IDs."""
    await sleep(hass, LAST_NIGHT, 7.0)
    await settled(hass)

    diagnostics: dict[str, Any] = await async_get_config_entry_diagnostics(hass, init_integration)

    assert diagnostics["statistics"] == {
        "active": True,
        "evenings": 1,
        "statistic_ids": statistic_ids(init_integration.entry_id),
    }


@pytest.mark.freeze_time(MORNING)
async def test_changes_while_the_nights_are_scored_are_written(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    held_indexing: asyncio.Event,
) -> None:
    """Doses changed in the moment after setup, before the rows are worked out, are not lost:
    old evenings far before the recorder's last row included."""
    await twenty_nights(hass)
    await dose(hass, "2026-10-01 21:00:00")  # an evening without a night: a row of its own
    await settled(hass)
    assert date(2026, 10, 1) in await rows(hass, init_integration, MAGNESIUM)
    doses = (await call(hass, "get_doses", start="2026-10-01", end="2026-11-03"))["doses"]
    assert [d["taken_at"][:10] for d in doses] == ["2026-10-01", str(NIGHTS[0])]

    assert await hass.config_entries.async_reload(init_integration.entry_id)  # held
    await call(hass, "remove_dose", dose_id=doses[1]["dose_id"])  # 19 nights back: 0 mg
    await call(hass, "remove_dose", dose_id=doses[0]["dose_id"])  # its row must go
    await dose(hass, "2026-10-05 21:00:00")  # a new evening without a night
    assert not init_integration.runtime_data.insights.indexed
    held_indexing.set()
    await settled(hass)
    magnesium = await rows(hass, init_integration, MAGNESIUM)
    assert magnesium[NIGHTS[0]] == 0
    assert date(2026, 10, 1) not in magnesium
    assert magnesium[date(2026, 10, 5)] == pytest.approx(SERVING_MG, abs=0.002)
    await assert_matches_get_nights(hass, init_integration)


async def test_a_streaming_source_writes_its_night_once_a_minute(
    recorder_mock: Recorder, hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A watch correcting last night three times within a minute: one write a minute later;
    what is still waiting when the profile stops is written then."""
    freezer.move_to(local("2026-11-18", "12:00"))
    entry = await set_up(hass, {"total_sleep": G_TOTAL}, initial={G_TOTAL: "unknown"})
    await settled(hass)
    night = date(2026, 11, 18)
    for step, total in enumerate(("300", "310", "320")):
        moment = local("2026-11-19", "07:30") + timedelta(seconds=20 * step)
        await feed(hass, freezer, [(moment, G_TOTAL, total)])
    await settled(hass)
    assert night not in await rows(hass, entry, TOTAL)

    await travel(hass, freezer, local("2026-11-19", "07:31"))
    await settled(hass)
    assert (await rows(hass, entry, TOTAL))[night] == pytest.approx(320 / 60)

    await feed(hass, freezer, [(local("2026-11-19", "07:40"), G_TOTAL, "330")])
    assert await hass.config_entries.async_unload(entry.entry_id)
    await settled(hass)
    assert (await rows(hass, entry, TOTAL))[night] == pytest.approx(330 / 60)
