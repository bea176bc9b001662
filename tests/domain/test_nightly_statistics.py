"""Nightly statistics: the hour of each night's row, the rows, and corrections."""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.effect import Outcome
from custom_components.magnesium_sleep.domain.instants import EARLIEST_YEAR, LATEST_YEAR
from custom_components.magnesium_sleep.domain.nightly_statistics import (
    STATISTIC_UNITS,
    EveningValues,
    NightlyStatistic,
    StatisticRow,
    evening_values,
    night_of_hour,
    plan_backfill,
    plan_restart,
    plan_update,
    series,
    statistic_hour,
)

AMS = ZoneInfo("Europe/Amsterdam")
KOLKATA = ZoneInfo("Asia/Kolkata")  # +05:30
KATHMANDU = ZoneInfo("Asia/Kathmandu")  # +05:45
ST_JOHNS = ZoneInfo("America/St_Johns")  # -03:30, with DST
CHATHAM = ZoneInfo("Pacific/Chatham")  # +12:45, with DST
APIA = ZoneInfo("Pacific/Apia")  # skipped 30 December 2011

nights = st.dates(date(EARLIEST_YEAR, 1, 1), date(LATEST_YEAR, 12, 30))
zones = st.timezones()


def exists(day: date, tz: tzinfo) -> bool:
    """Whether the local clock shows `day` at all (a zone crossing the date line skips one)."""
    for hour in range(24):
        wall = datetime.combine(day, time(hour))
        if wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall:
            return True
    return False


# ------------------------------------------------------------------ the hour


@pytest.mark.parametrize(
    ("tz", "night", "hour"),
    [
        (AMS, date(2026, 11, 21), datetime(2026, 11, 21, 11, tzinfo=UTC)),  # 12:00 CET
        (AMS, date(2026, 7, 1), datetime(2026, 7, 1, 10, tzinfo=UTC)),  # 12:00 CEST
        (AMS, date(2026, 3, 29), datetime(2026, 3, 29, 10, tzinfo=UTC)),  # spring forward
        (AMS, date(2026, 10, 25), datetime(2026, 10, 25, 11, tzinfo=UTC)),  # fall back
        (KOLKATA, date(2026, 11, 21), datetime(2026, 11, 21, 6, tzinfo=UTC)),  # 11:30 local
        (KATHMANDU, date(2026, 11, 21), datetime(2026, 11, 21, 6, tzinfo=UTC)),  # 11:45
        (ST_JOHNS, date(2026, 11, 21), datetime(2026, 11, 21, 15, tzinfo=UTC)),  # 11:30
        (CHATHAM, date(2026, 11, 21), datetime(2026, 11, 20, 22, tzinfo=UTC)),  # 11:45, +13:45
        (UTC, date(2026, 11, 21), datetime(2026, 11, 21, 12, tzinfo=UTC)),
    ],
)
def test_the_hour_is_local_noon_floored_to_the_utc_hour(
    tz: tzinfo, night: date, hour: datetime
) -> None:
    assert statistic_hour(night, tz) == hour
    assert statistic_hour(night, tz).tzinfo is UTC
    assert night_of_hour(hour, tz) == night


@settings(max_examples=500)
@given(night=nights, tz=zones)
def test_every_hour_is_whole_and_lands_on_its_local_date(night: date, tz: tzinfo) -> None:
    assume(exists(night, tz))
    hour = statistic_hour(night, tz)
    assert (hour.minute, hour.second, hour.microsecond) == (0, 0, 0)
    assert hour.utcoffset() == timedelta(0)
    local = hour.astimezone(tz)
    assert local.date() == night
    assert night_of_hour(hour, tz) == night


@settings(max_examples=500)
@given(first=nights, gap=st.integers(1, 400), tz=zones)
def test_later_nights_have_later_hours(first: date, gap: int, tz: tzinfo) -> None:
    second = first + timedelta(days=gap)
    assume(second.year <= LATEST_YEAR and exists(first, tz) and exists(second, tz))
    assert statistic_hour(first, tz) < statistic_hour(second, tz)


def test_an_hour_that_is_no_nights_hour_has_no_night() -> None:
    assert night_of_hour(datetime(2026, 11, 21, 12, tzinfo=UTC), AMS) is None  # 13:00 local
    # The rows of another time zone: New York's noon is not Amsterdam's.
    new_york = statistic_hour(date(2026, 11, 21), ZoneInfo("America/New_York"))
    assert night_of_hour(new_york, AMS) is None


def test_a_skipped_date_has_no_hour_of_its_own() -> None:
    # Samoa skipped 30 December 2011; no night is keyed by it, and the rule still holds
    # for the days around it.
    assert not exists(date(2011, 12, 30), APIA)
    before, after = (
        statistic_hour(date(2011, 12, 29), APIA),
        statistic_hour(date(2011, 12, 31), APIA),
    )
    assert before.astimezone(APIA).date() == date(2011, 12, 29)
    assert after.astimezone(APIA).date() == date(2011, 12, 31)


# ------------------------------------------------------------------ the rows


def test_evening_values_follow_get_nights() -> None:
    outcomes = {
        Outcome.SLEEP_SCORE: 81.5,
        Outcome.TOTAL_SLEEP: 438.0,
        Outcome.SLEEP_LATENCY: 12.0,
        Outcome.EFFICIENCY: 91.23456,  # shown to 0.1, as get_nights does
        Outcome.TIME_AWAKE: 20.0,
    }
    values = evening_values(outcomes, 140_962)
    assert values == EveningValues(81.5, 438.0, 12.0, 91.2, 140.962)
    assert values.value(NightlyStatistic.TOTAL_SLEEP) == 7.3  # hours
    assert values.value(NightlyStatistic.TIME_TO_FALL_ASLEEP) == 12.0
    assert values.value(NightlyStatistic.SLEEP_SCORE) == 81.5
    assert values.value(NightlyStatistic.EFFICIENCY) == 91.2
    assert values.value(NightlyStatistic.MAGNESIUM) == 140.962
    # A night without a dose: 0 mg; values no source gave: no row.
    bare = evening_values({Outcome.SLEEP_SCORE: None, Outcome.TOTAL_SLEEP: None}, 0)
    assert bare == EveningValues(magnesium_mg=0.0)
    assert bare.value(NightlyStatistic.TOTAL_SLEEP) is None
    # An evening with doses but no night: magnesium only; with neither: no row at all.
    assert evening_values(None, 70_481) == EveningValues(magnesium_mg=70.481)
    assert evening_values(None, 0) is None


def test_the_evening_in_progress_gets_its_row_when_its_night_begins() -> None:
    assert evening_values(None, 70_481, in_progress=True) is None
    assert evening_values({}, 70_481, in_progress=True) == EveningValues(magnesium_mg=70.481)
    assert evening_values({}, 0, in_progress=True) == EveningValues(magnesium_mg=0.0)


def test_units() -> None:
    assert STATISTIC_UNITS == {
        NightlyStatistic.SLEEP_SCORE: "%",
        NightlyStatistic.TOTAL_SLEEP: "h",
        NightlyStatistic.TIME_TO_FALL_ASLEEP: "min",
        NightlyStatistic.EFFICIENCY: "%",
        NightlyStatistic.MAGNESIUM: "mg",
    }


def test_series_has_a_row_per_evening_with_the_value_oldest_first() -> None:
    evenings = {
        date(2026, 11, 21): EveningValues(total_sleep_min=480.0, magnesium_mg=141.0),
        date(2026, 11, 19): EveningValues(total_sleep_min=420.0, magnesium_mg=0.0),
        date(2026, 11, 20): EveningValues(magnesium_mg=70.0),
    }
    hour = statistic_hour
    assert series(evenings, NightlyStatistic.TOTAL_SLEEP, AMS) == [
        StatisticRow(hour(date(2026, 11, 19), AMS), 7.0),
        StatisticRow(hour(date(2026, 11, 21), AMS), 8.0),
    ]
    assert [row.value for row in series(evenings, NightlyStatistic.MAGNESIUM, AMS)] == [
        0.0,
        70.0,
        141.0,
    ]
    assert series(evenings, NightlyStatistic.MAGNESIUM, AMS, since=date(2026, 11, 20)) == [
        StatisticRow(hour(date(2026, 11, 20), AMS), 70.0),
        StatisticRow(hour(date(2026, 11, 21), AMS), 141.0),
    ]
    assert series(evenings, NightlyStatistic.SLEEP_SCORE, AMS) == []


# ------------------------------------------------------------- corrections

values = st.one_of(st.none(), st.integers(0, 100).map(float))
evenings_st = st.builds(
    EveningValues,
    sleep_score=values,
    total_sleep_min=values,
    latency_min=values,
    efficiency=values,
    magnesium_mg=values,
)
FIRST = date(2026, 10, 1)
night_keys = st.integers(0, 30).map(lambda days: FIRST + timedelta(days=days))
histories = st.dictionaries(night_keys, evenings_st, max_size=20)
changes = st.dictionaries(night_keys, st.one_of(st.none(), evenings_st), max_size=8)


def recorder_of(
    evenings: dict[date, EveningValues], tz: tzinfo
) -> dict[str, dict[datetime, float]]:
    """What the recorder holds when it has every row of `evenings`."""
    return {
        statistic: {row.start: row.value for row in series(evenings, statistic, tz)}
        for statistic in NightlyStatistic
    }


@settings(max_examples=300)
@given(before=histories, change=changes, tz=st.sampled_from([AMS, KATHMANDU, ST_JOHNS, UTC]))
def test_an_update_brings_the_recorder_to_the_new_history(
    before: dict[date, EveningValues],
    change: dict[date, EveningValues | None],
    tz: tzinfo,
) -> None:
    """Writing the planned rows (a rebuild clears first) gives exactly the new rows."""
    after = {night: values for night, values in before.items() if night not in change}
    after |= {night: values for night, values in change.items() if values is not None}
    recorder = recorder_of(before, tz)

    update = plan_update(before, change, tz)

    for statistic in update.rebuild:
        recorder[statistic] = {row.start: row.value for row in series(after, statistic, tz)}
    for statistic, rows in update.rows.items():
        assert statistic not in update.rebuild
        recorder[statistic] |= {row.start: row.value for row in rows}
    assert recorder == recorder_of(after, tz)
    assert update.is_empty == (recorder_of(before, tz) == recorder_of(after, tz))


def test_an_unchanged_value_writes_nothing_a_lost_one_rebuilds() -> None:
    night = date(2026, 11, 21)
    before = {night: EveningValues(sleep_score=80.0, magnesium_mg=141.0)}
    same = plan_update(before, {night: EveningValues(sleep_score=80.0, magnesium_mg=141.0)}, AMS)
    assert same.is_empty
    dose_removed = plan_update(
        before, {night: EveningValues(sleep_score=80.0, magnesium_mg=0.0)}, AMS
    )
    assert dose_removed.rebuild == frozenset()
    assert dose_removed.rows == {
        NightlyStatistic.MAGNESIUM: [StatisticRow(statistic_hour(night, AMS), 0.0)]
    }
    gone = plan_update({night: EveningValues(magnesium_mg=70.0)}, {night: None}, AMS)
    assert gone.rebuild == {NightlyStatistic.MAGNESIUM}
    assert gone.rows == {}


# ---------------------------------------------------------------- backfill

recorded_values = st.one_of(st.none(), st.integers(0, 100).map(float))
hours = st.integers(0, 30).map(lambda days: statistic_hour(FIRST + timedelta(days=days), AMS))


@settings(max_examples=300)
@given(
    expected=st.dictionaries(hours, st.integers(0, 100).map(float), max_size=15),
    recorded=st.dictionaries(hours, recorded_values, max_size=15),
)
def test_a_backfill_writes_the_differences_or_rebuilds(
    expected: dict[datetime, float], recorded: dict[datetime, float | None]
) -> None:
    rows = [StatisticRow(start, value) for start, value in sorted(expected.items())]

    planned = plan_backfill(rows, recorded)

    if planned is None:
        assert set(recorded) - set(expected)  # only a row too many asks for a rebuild
    else:
        assert set(recorded) <= set(expected)
        assert recorded | {row.start: row.value for row in planned} == expected
        assert all(
            recorded.get(row.start) != row.value or row.start not in recorded for row in planned
        )


def test_a_backfill_of_what_is_there_writes_nothing() -> None:
    rows = series(
        {
            FIRST: EveningValues(magnesium_mg=70.0),
            FIRST + timedelta(days=1): EveningValues(magnesium_mg=0.0),
        },
        NightlyStatistic.MAGNESIUM,
        AMS,
    )
    assert plan_backfill(rows, dict(rows)) == []
    assert plan_backfill(rows, {rows[0].start: 70.0}) == [rows[1]]
    assert plan_backfill(rows, {rows[0].start: None, rows[1].start: 0.0}) == [rows[0]]
    assert plan_backfill(rows[1:], dict(rows)) is None


def test_a_restart_compares_the_latest_nights_and_the_early_changed_ones() -> None:
    """From 14 nights before the recorder's last row on, plus nights that changed early."""
    evenings = {
        date(2026, 10, 1) + timedelta(days=day): EveningValues(magnesium_mg=float(day))
        for day in range(60)
    }
    statistic = NightlyStatistic.MAGNESIUM
    hour = {night: statistic_hour(night, AMS) for night in evenings}
    last = max(evenings)
    recorded = {h: evenings[n].magnesium_mg for n, h in hour.items()}
    old, recent = date(2026, 10, 5), last - timedelta(days=3)
    recorded[hour[old]] = recorded[hour[recent]] = -1.0  # both out of date

    plan = plan_restart(evenings, statistic, AMS, recorded, last_row=hour[last])
    assert plan is not None
    assert [row.start for row in plan.expected] == [
        hour[last - timedelta(days=14 - d)] for d in range(15)
    ]
    assert plan.differing == [StatisticRow(hour[recent], evenings[recent].magnesium_mg)]

    changed = plan_restart(evenings, statistic, AMS, recorded, last_row=hour[last], changed={old})
    assert changed is not None
    assert changed.differing == [
        StatisticRow(hour[old], 4.0),
        StatisticRow(hour[recent], evenings[recent].magnesium_mg),
    ]

    gone = {n: v for n, v in evenings.items() if n != old}  # its row should not be there
    assert plan_restart(gone, statistic, AMS, recorded, last_row=hour[last], changed={old}) is None
    assert (
        plan_restart(gone, statistic, AMS, recorded, last_row=hour[last]) is not None
    )  # not looked at
    assert (
        plan_restart(evenings, statistic, AMS, recorded, last_row=hour[last] + timedelta(hours=1))
        is None
    )
