"""Tests for the transparent sleep score and regularity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.score import (
    MAX_POINTS,
    REGULARITY_MIN_NIGHTS,
    REGULARITY_NIGHTS,
    ComponentKey,
    RegularityIndex,
    awakenings_points,
    circular_median,
    clock_difference,
    duration_points,
    efficiency_points,
    latency_points,
    regularity,
    regularity_points,
    score_components,
    score_night,
    sleep_midpoint,
    waso_points,
)
from custom_components.magnesium_sleep.domain.sleep.night import Night

AMS = ZoneInfo("Europe/Amsterdam")
EVENING = date(2026, 6, 10)
JUNE10 = EVENING
JUNE11 = date(2026, 6, 11)


def night(
    day: date,
    onset: time = time(23, 0),
    wake: time = time(7, 0),
    **values: float | int,
) -> Night:
    start_day = day if onset.hour >= 12 else day + timedelta(days=1)
    return Night(
        night=day,
        sleep_onset=datetime.combine(start_day, onset, tzinfo=AMS),
        wake_time=datetime.combine(day + timedelta(days=1), wake, tzinfo=AMS),
        timezone="Europe/Amsterdam",
        **values,  # type: ignore[arg-type]
    )


def history(days: int = 14) -> list[Night]:
    return [night(EVENING - timedelta(days=d)) for d in range(1, days + 1)]  # midpoint 03:00


def test_worked_example() -> None:
    # 7.5 h, SE 88 %, SOL 20, WASO 30, 2 awakenings, midpoint off by 40 min -> 92.1
    tonight = night(
        EVENING,
        onset=time(0, 20),  # 00:20 -> 07:00: midpoint 03:40
        total_sleep=450.0,
        efficiency=88.0,
        latency=20.0,
        waso=30.0,
        awakenings=2,
    )
    score = score_night(tonight, history())
    assert score is not None
    assert score.total == 92.1
    assert [c.key for c in score.components] == list(ComponentKey)
    assert [round(c.points, 1) for c in score.components] == [35.0, 23.0, 13.3, 8.6, 3.3, 8.9]
    assert [c.value for c in score.components] == pytest.approx([450, 88, 20, 30, 2, 40])
    assert score.available_points == 100
    assert sum(c.points for c in score.components) == pytest.approx(92.127, abs=1e-3)
    regularity = score.component(ComponentKey.REGULARITY)
    assert regularity is not None
    assert regularity.max_points == 10


def test_vendor_score_is_not_mixed_in() -> None:
    low = night(EVENING, total_sleep=450.0, vendor_score=10.0)
    high = night(EVENING, total_sleep=450.0, vendor_score=100.0)
    assert score_night(low) == score_night(high)


def test_rescaled_to_available_points() -> None:
    only_duration = score_components(total_sleep=450)
    assert only_duration is not None
    assert only_duration.total == 100
    assert only_duration.available_points == 35
    assert only_duration.component(ComponentKey.EFFICIENCY) is None
    # 5 h and SE 90: (35/3 + 25) / 60
    partial = score_components(total_sleep=300, efficiency=90)
    assert partial is not None
    assert partial.total == round((35 / 3 + 25) / 60 * 100, 1)


def test_no_components_is_no_score() -> None:
    assert score_components() is None
    assert score_night(Night(night=EVENING)) is None


def test_no_regularity_without_history() -> None:
    score = score_night(night(EVENING, total_sleep=450.0), history(2))
    assert score is not None
    assert score.component(ComponentKey.REGULARITY) is None
    assert score.available_points == 35


@pytest.mark.parametrize(
    ("hours", "points"),
    [(0, 0), (4, 0), (5.5, 17.5), (7, 35), (8, 35), (9, 35), (10, 30), (11, 25), (13, 25)],
)
def test_duration_points(hours: float, points: float) -> None:
    assert duration_points(hours * 60) == pytest.approx(points)


@pytest.mark.parametrize(
    ("function", "value", "points"),
    [
        (efficiency_points, 65, 0),
        (efficiency_points, 90, 25),
        (efficiency_points, 100, 25),
        (efficiency_points, 50, 0),
        (latency_points, 15, 15),
        (latency_points, 0, 15),
        (latency_points, 60, 0),
        (latency_points, 120, 0),
        (waso_points, 20, 10),
        (waso_points, 90, 0),
        (awakenings_points, 1, 5),
        (awakenings_points, 0, 5),
        (awakenings_points, 4, 0),
        (awakenings_points, 9, 0),
        (regularity_points, 30, 10),
        (regularity_points, -30, 10),
        (regularity_points, 120, 0),
        (regularity_points, 75, 5),
    ],
)
def test_component_anchors(function: object, value: float, points: float) -> None:
    assert function(value) == pytest.approx(points)  # type: ignore[operator]


minutes = st.floats(min_value=0, max_value=24 * 60, allow_nan=False)
percent = st.floats(min_value=0, max_value=100, allow_nan=False)
counts = st.integers(min_value=0, max_value=30)
offsets = st.floats(min_value=0, max_value=720, allow_nan=False)


@given(minutes, minutes)
def test_duration_monotone(a: float, b: float) -> None:
    low, high = sorted((a, b))
    if high <= 9 * 60:
        assert duration_points(low) <= duration_points(high)
    if low >= 9 * 60:
        assert duration_points(low) >= duration_points(high)
    assert 0 <= duration_points(a) <= MAX_POINTS[ComponentKey.DURATION]


@given(percent, percent, minutes, minutes, counts, counts, offsets, offsets)
def test_each_component_monotone(
    se1: float, se2: float, m1: float, m2: float, n1: int, n2: int, o1: float, o2: float
) -> None:
    lo, hi = sorted((se1, se2))
    assert efficiency_points(lo) <= efficiency_points(hi)
    lo, hi = sorted((m1, m2))
    assert latency_points(lo) >= latency_points(hi)
    assert waso_points(lo) >= waso_points(hi)
    nlo, nhi = sorted((n1, n2))
    assert awakenings_points(nlo) >= awakenings_points(nhi)
    lo, hi = sorted((o1, o2))
    assert regularity_points(lo) >= regularity_points(hi)


@given(
    st.one_of(st.none(), minutes),
    st.one_of(st.none(), percent),
    st.one_of(st.none(), minutes),
    st.one_of(st.none(), minutes),
    st.one_of(st.none(), counts),
    st.one_of(st.none(), offsets),
)
def test_total_bounds_and_rescaling(
    tst: float | None,
    se: float | None,
    sol: float | None,
    waso: float | None,
    n: int | None,
    offset: float | None,
) -> None:
    score = score_components(
        total_sleep=tst, efficiency=se, latency=sol, waso=waso, awakenings=n, midpoint_offset=offset
    )
    given_inputs = [v for v in (tst, se, sol, waso, n, offset) if v is not None]
    if not given_inputs:
        assert score is None
        return
    assert score is not None
    assert 0 <= score.total <= 100
    assert len(score.components) == len(given_inputs)
    assert score.available_points == pytest.approx(sum(c.max_points for c in score.components))
    assert score.total == pytest.approx(
        100 * sum(c.points for c in score.components) / score.available_points, abs=0.0501
    )
    for component in score.components:
        assert 0 <= component.points <= component.max_points


@given(percent, percent, minutes, minutes)
def test_better_input_never_lowers_total(se_a: float, se_b: float, tst: float, sol: float) -> None:
    worse, better = sorted((se_a, se_b))
    low = score_components(total_sleep=tst, efficiency=worse, latency=sol)
    high = score_components(total_sleep=tst, efficiency=better, latency=sol)
    assert low is not None
    assert high is not None
    assert low.total <= high.total


# --------------------------------------------------------------------------- regularity


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=AMS)


def simple_night(day: date, onset: tuple[int, int], wake: tuple[int, int]) -> Night:
    start = local(day, *onset) if onset[0] >= 12 else local(day + timedelta(days=1), *onset)
    end = local(day + timedelta(days=1), *wake)
    return Night(night=day, sleep_onset=start, wake_time=end, timezone="Europe/Amsterdam")


class TestRegularity:
    def test_midpoint_wraps_midnight(self) -> None:
        night = simple_night(JUNE10, (22, 0), (1, 0))
        assert sleep_midpoint(night) == 23 * 60 + 30
        assert sleep_midpoint(Night(night=JUNE10)) is None

    def test_midpoint_without_timezone_is_utc(self) -> None:
        night = Night(
            night=JUNE10,
            bedtime=datetime(2026, 6, 10, 22, 0, tzinfo=UTC),
            out_of_bed=datetime(2026, 6, 11, 6, 0, tzinfo=UTC),
        )
        assert sleep_midpoint(night) == 120

    def test_clock_difference(self) -> None:
        assert clock_difference(10, 1430) == 20
        assert clock_difference(1430, 10) == 20
        assert clock_difference(720, 0) == 720

    def test_circular_median(self) -> None:
        assert circular_median([]) is None
        assert circular_median([1430, 10, 0]) == 0
        assert circular_median([1420, 1430, 20]) == 1430
        assert circular_median([0, 720]) is not None  # opposite times: no crash

    def test_regularity_against_previous_two_weeks(self) -> None:
        previous = [simple_night(JUNE10 - timedelta(days=d), (23, 0), (7, 0)) for d in range(1, 15)]
        previous.append(simple_night(JUNE10 - timedelta(days=30), (12, 0), (20, 0)))  # too old
        previous.append(simple_night(JUNE11, (12, 0), (20, 0)))  # later: ignored
        tonight = simple_night(JUNE10, (0, 20), (7, 0))  # midpoint 03:40
        assert regularity(tonight, previous) == pytest.approx(40)

    def test_regularity_wraps_midnight(self) -> None:
        previous = [
            simple_night(JUNE10 - timedelta(days=d), (20, 0) if d % 2 else (21, 0), (4, 0))
            for d in range(1, 5)
        ]  # midpoints 00:00 and 00:30
        tonight = simple_night(JUNE10, (19, 0), (4, 0))  # midpoint 23:30
        assert regularity(tonight, previous) == pytest.approx(45)

    def test_regularity_needs_three_nights(self) -> None:
        previous = [simple_night(JUNE10 - timedelta(days=d), (23, 0), (7, 0)) for d in (1, 2)]
        tonight = simple_night(JUNE10, (23, 0), (7, 0))
        assert regularity(tonight, previous) is None
        assert regularity(Night(night=JUNE10), previous) is None


# --------------------------------------------------------------------------- incremental


def naive_regularity(night: Night, previous: Sequence[Night]) -> float | None:
    """The rule as a plain scan over every night, in the order given."""
    midpoint = sleep_midpoint(night)
    if midpoint is None:
        return None
    earliest = night.night - timedelta(days=REGULARITY_NIGHTS)
    earlier = [
        m
        for other in previous
        if earliest <= other.night < night.night and (m := sleep_midpoint(other)) is not None
    ]
    if len(earlier) < REGULARITY_MIN_NIGHTS:
        return None
    centre = circular_median(earlier)
    return None if centre is None else clock_difference(midpoint, centre)


# Evenings around both 2026 DST starts; asleep from 17:00 to 05:00 for up to 14 hours
# or still asleep (no midpoint), in two time zones or none.
type Record = tuple[int, int, int, bool, str | None]
RECORDS = st.tuples(
    st.integers(0, 40),
    st.integers(-360, 360),
    st.integers(1, 14 * 60),
    st.booleans(),
    st.sampled_from(["Europe/Amsterdam", "America/New_York", None]),
)


def record_night(record: Record) -> Night:
    offset, onset_minutes, length, woke, tz = record
    key = date(2026, 2, 20) + timedelta(days=offset)
    onset = datetime.combine(key, time(23), tzinfo=ZoneInfo(tz) if tz else UTC)
    onset += timedelta(minutes=onset_minutes)
    return Night(
        night=key,
        sleep_onset=onset,
        wake_time=onset + timedelta(minutes=length) if woke else None,
        total_sleep=float(length),
        timezone=tz,
    )


@settings(max_examples=200)
@given(st.lists(RECORDS, max_size=80), st.lists(RECORDS, max_size=5))
def test_incremental_regularity_equals_the_naive_scan(
    records: list[Record], probes: list[Record]
) -> None:
    """Nights arrive in any order and change (also losing their midpoint); the index keeps up."""
    index = RegularityIndex()
    latest: dict[date, Night] = {}
    for record in records:
        night = record_night(record)
        index.update(night)
        latest[night.night] = night
    nights = [latest[key] for key in sorted(latest)]  # as NightAssembler.nights() gives them
    bulk = RegularityIndex(nights)
    for night in [*nights, *map(record_night, probes)]:
        expected = naive_regularity(night, nights)
        assert index.offset(night) == expected
        assert bulk.offset(night) == expected
        assert score_night(night, index) == score_night(night, nights)
        assert score_night(night, index) == score_components(
            total_sleep=night.total_sleep, midpoint_offset=expected
        )


@settings(max_examples=200)
@given(
    st.lists(RECORDS, max_size=60),
    st.lists(RECORDS, max_size=10),
    st.lists(RECORDS, max_size=5),
)
def test_deferred_regularity_equals_the_index_of_all_nights(
    stored: list[Record], changes: list[Record], probes: list[Record]
) -> None:
    """Nights looked up only when a score needs them, changes in between: as if all were read."""
    latest = {(night := record_night(record)).night: night for record in stored}
    # A key may have no night any more (the lookup gives None): it leaves the index.
    keys = [*latest, date(2026, 2, 20) + timedelta(days=len(stored) % 41)]
    deferred = RegularityIndex.deferred(keys, latest.get)
    for position, record in enumerate(changes):
        if position % 2:  # some scores before a change, resolving part of the nights
            deferred.offset(record_night(record))
        night = record_night(record)
        latest[night.night] = night
        deferred.update(night)
    nights = [latest[key] for key in sorted(latest)]
    for night in [*nights, *map(record_night, probes)]:
        assert deferred.offset(night) == naive_regularity(night, nights)
