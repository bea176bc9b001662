"""The clock rule: intake days, day starts, night keys and durations across DST."""

from datetime import UTC, date, datetime, time, timedelta
import itertools
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.clock import (
    day_of,
    day_start,
    intake_day,
    intake_day_of_night,
    minutes_between,
    next_day_start,
    night_of_intake_day,
    to_utc,
)
from custom_components.magnesium_sleep.domain.sleep.window import (
    DEFAULT_WINDOW,
    night_of,
    span_of,
    window_bounds,
)

AMS = ZoneInfo("Europe/Amsterdam")
NY = ZoneInfo("America/New_York")
FOUR = time(4, 0)
# DST days in 2026: Amsterdam spring/autumn, New York spring/autumn.
DST_DAYS = [
    (AMS, date(2026, 3, 29)),
    (AMS, date(2026, 10, 25)),
    (NY, date(2026, 3, 8)),
    (NY, date(2026, 11, 1)),
]
DAY_STARTS = [time(0, 0), time(1, 30), time(2, 0), time(2, 30), time(3, 0), FOUR, time(23, 30)]


def test_to_utc_and_minutes_between() -> None:
    assert to_utc(datetime(2026, 6, 10, 23, 0, tzinfo=AMS)) == datetime(2026, 6, 10, 21, tzinfo=UTC)
    with pytest.raises(ValueError, match="bedtime must be timezone-aware"):
        to_utc(datetime(2026, 6, 10, 23, 0), "bedtime")
    # 23:00 to 07:00 lasts 7 h on the spring-forward night and 9 h on the fall-back night
    spring = minutes_between(
        datetime(2026, 3, 28, 23, tzinfo=AMS), datetime(2026, 3, 29, 7, tzinfo=AMS)
    )
    autumn = minutes_between(
        datetime(2026, 10, 24, 23, tzinfo=AMS), datetime(2026, 10, 25, 7, tzinfo=AMS)
    )
    assert (spring, autumn) == (7 * 60, 9 * 60)


# ------------------------------------------------------------ days and their starts


def test_half_past_midnight_counts_to_the_evening_before() -> None:
    assert intake_day(datetime(2026, 6, 16, 0, 30, tzinfo=AMS), AMS, FOUR) == date(2026, 6, 15)
    assert intake_day(datetime(2026, 6, 16, 3, 59, 59, tzinfo=AMS), AMS, FOUR) == date(2026, 6, 15)
    assert intake_day(datetime(2026, 6, 16, 4, 0, tzinfo=AMS), AMS, FOUR) == date(2026, 6, 16)
    # The moment's own offset does not matter, only the instant.
    assert intake_day(datetime(2026, 6, 15, 22, 30, tzinfo=UTC), AMS, FOUR) == date(2026, 6, 15)
    assert intake_day(datetime(2026, 6, 16, 0, 30, tzinfo=AMS), AMS, time(0)) == date(2026, 6, 16)


def test_intake_day_requires_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        intake_day(datetime(2026, 1, 1), AMS, FOUR)


def test_day_start_plain_days() -> None:
    assert day_start(date(2026, 6, 15), AMS, FOUR) == datetime(2026, 6, 15, 2, 0, tzinfo=UTC)
    assert day_start(date(2026, 1, 15), NY, FOUR) == datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert day_start(date(2026, 1, 15), AMS, time(4, tzinfo=NY)).tzinfo is UTC


@pytest.mark.parametrize(
    ("tz", "day", "starts_at", "local"),
    [
        # spring forward: the default 04:00 is after the gap and unaffected
        (AMS, date(2026, 3, 29), FOUR, datetime(2026, 3, 29, 4, 0)),
        (NY, date(2026, 3, 8), FOUR, datetime(2026, 3, 8, 4, 0)),
        # nonexistent 02:30: the day starts at the transition (03:00 summer time)
        (AMS, date(2026, 3, 29), time(2, 30), datetime(2026, 3, 29, 3, 0)),
        (NY, date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 3, 0)),
        (AMS, date(2026, 3, 29), time(2, 0), datetime(2026, 3, 29, 3, 0)),
    ],
)
def test_day_start_in_spring(tz: ZoneInfo, day: date, starts_at: time, local: datetime) -> None:
    start = day_start(day, tz, starts_at)
    assert start.tzinfo is UTC
    assert start.astimezone(tz).replace(tzinfo=None) == local


@pytest.mark.parametrize(
    ("tz", "day", "starts_at", "utc"),
    [
        # ambiguous 02:30 (Amsterdam) / 01:30 (New York): the first occurrence (summer time)
        (AMS, date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (NY, date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (AMS, date(2026, 10, 25), FOUR, datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
    ],
)
def test_day_start_in_autumn(tz: ZoneInfo, day: date, starts_at: time, utc: datetime) -> None:
    assert day_start(day, tz, starts_at) == utc


def test_day_lengths_on_dst_days_with_default_start() -> None:
    def length(tz: ZoneInfo, day: date) -> timedelta:
        return day_start(day + timedelta(days=1), tz, FOUR) - day_start(day, tz, FOUR)

    assert length(AMS, date(2026, 3, 29)) == timedelta(hours=24)  # 04:00 is after the change
    assert length(AMS, date(2026, 3, 28)) == timedelta(hours=23)
    assert length(AMS, date(2026, 10, 24)) == timedelta(hours=25)
    assert length(NY, date(2026, 3, 7)) == timedelta(hours=23)
    assert length(NY, date(2026, 10, 31)) == timedelta(hours=25)


def test_no_backwards_step_inside_a_repeated_hour() -> None:
    """With days starting at 01:30 in New York, the second 01:00-01:30 stays on Nov 1."""
    first = datetime(2026, 11, 1, 5, 45, tzinfo=UTC)  # 01:45 EDT
    second = datetime(2026, 11, 1, 6, 15, tzinfo=UTC)  # 01:15 EST, wall clock went back
    assert second.astimezone(NY).time() < time(1, 30)
    assert intake_day(first, NY, time(1, 30)) == date(2026, 11, 1)
    assert intake_day(second, NY, time(1, 30)) == date(2026, 11, 1)


def test_next_day_start() -> None:
    now = datetime(2026, 6, 16, 0, 30, tzinfo=AMS)
    assert next_day_start(now, AMS, FOUR) == datetime(2026, 6, 16, 4, 0, tzinfo=AMS)
    assert next_day_start(datetime(2026, 6, 16, 4, 0, tzinfo=AMS), AMS, FOUR) == datetime(
        2026, 6, 17, 4, 0, tzinfo=AMS
    )
    # across the autumn change the day is 25 hours long
    evening = datetime(2026, 10, 24, 20, 0, tzinfo=AMS)
    assert next_day_start(evening, AMS, FOUR) == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("starts_at", DAY_STARTS, ids=str)
@pytest.mark.parametrize(("tz", "dst_day"), DST_DAYS, ids=str)
def test_intake_day_sweep_over_dst(tz: ZoneInfo, dst_day: date, starts_at: time) -> None:
    """Minute by minute over four days: monotonic, one change per day, exactly at day_start."""
    first = dst_day - timedelta(days=2)
    start = day_start(first, tz, starts_at)
    days = [first + timedelta(days=i) for i in range(5)]
    starts = [day_start(d, tz, starts_at) for d in days]
    for earlier, later in itertools.pairwise(starts):
        assert timedelta(hours=22) < later - earlier < timedelta(hours=26)
    for d, s in zip(days, starts, strict=True):
        assert intake_day(s, tz, starts_at) == d
        assert intake_day(s - timedelta(microseconds=1), tz, starts_at) == d - timedelta(days=1)
        local = s.astimezone(tz)
        # The clock reads day_starts_at then, or the gap it fell into has just ended.
        assert local.date() == d or starts_at == time(23, 30)
        wall = datetime.combine(d, starts_at)
        assert timedelta(0) <= local.replace(tzinfo=None) - wall <= timedelta(hours=1)
    changes = []
    previous = intake_day(start, tz, starts_at)
    moment = start
    while moment < starts[-1]:
        moment += timedelta(minutes=1)
        current = intake_day(moment, tz, starts_at)
        assert current >= previous
        if current != previous:
            assert current == previous + timedelta(days=1)
            changes.append(moment)
        previous = current
    assert changes == starts[1:]


@settings(max_examples=300)
@given(
    tz=st.sampled_from([AMS, NY, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Pacific/Apia"), UTC]),
    starts_at=st.times(),
    a=st.integers(0, 3 * 365 * 86_400 * 10**6),
    b=st.integers(0, 3 * 365 * 86_400 * 10**6),
)
def test_intake_day_is_monotonic_and_agrees_with_day_start(
    tz: ZoneInfo, starts_at: time, a: int, b: int
) -> None:
    origin = datetime(2025, 1, 1, tzinfo=UTC)
    early, late = sorted((origin + timedelta(microseconds=a), origin + timedelta(microseconds=b)))
    day = intake_day(early, tz, starts_at)
    assert day <= intake_day(late, tz, starts_at)
    assert (
        day_start(day, tz, starts_at) <= early < day_start(day + timedelta(days=1), tz, starts_at)
    )
    # Away from DST changes the rule is plain wall-clock comparison.
    local = early.astimezone(tz)
    if all(
        (early + delta).astimezone(tz).utcoffset() == local.utcoffset()
        for delta in (timedelta(hours=-27), timedelta(hours=27))
    ):
        expected = local.date() - timedelta(days=local.time() < starts_at)
        assert day == expected
    assert next_day_start(early, tz, starts_at) > early


# ---------------------------------------------------------------- properties on DST days

# Any instant from two days before to two days after one of the DST changes above.
DST_MOMENTS = st.tuples(
    st.sampled_from(DST_DAYS), st.integers(-2 * 86_400 * 10**6, 2 * 86_400 * 10**6)
).map(
    lambda item: (
        item[0][0],
        datetime.combine(item[0][1], time(12), UTC) + timedelta(microseconds=item[1]),
    )
)
STARTS = st.sampled_from([*DAY_STARTS, DEFAULT_WINDOW.start])


@settings(max_examples=400)
@given(DST_MOMENTS, st.integers(0, 26 * 3600 * 10**6), STARTS)
def test_day_of_is_monotonic_and_changes_once_a_day_at_its_start(
    moment: tuple[ZoneInfo, datetime], step: int, starts_at: time
) -> None:
    tz, early = moment
    late = early + timedelta(microseconds=step)
    day = day_of(early, tz, starts_at)
    starts = [day_start(day + timedelta(days=k), tz, starts_at) for k in range(4)]
    assert starts[0] <= early < starts[1]  # agrees with day_start
    assert next_day_start(early, tz, starts_at) == starts[1]
    # monotonic, and exactly one change per day, at its start
    passed = sum(start <= late for start in starts[1:])
    assert day_of(late, tz, starts_at) == day + timedelta(days=passed) >= day
    for earlier, later in itertools.pairwise(starts):
        assert timedelta(hours=23) <= later - earlier <= timedelta(hours=25)


def ordinary_evening(tz: ZoneInfo, evening: date, minutes: int, fold: int) -> datetime | None:
    """The instant the clock reads 18:00 + `minutes` on `evening`, None in a DST gap."""
    wall = datetime.combine(evening, time(18)) + timedelta(minutes=minutes)
    moment = wall.replace(tzinfo=tz, fold=fold)
    if moment.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall:
        return None
    return moment


@settings(max_examples=400)
@given(
    st.sampled_from(DST_DAYS),
    st.integers(-2, 1),
    st.integers(0, 10 * 60 - 1),  # 18:00 until 04:00, when the next intake day starts
    st.integers(0, 1),
)
def test_night_of_an_evening_is_the_intake_day_of_that_moment(
    dst: tuple[ZoneInfo, date], back: int, minutes: int, fold: int
) -> None:
    """A sleep starting in an ordinary evening pairs with that evening's doses."""
    tz, dst_day = dst
    evening = dst_day + timedelta(days=back)
    moment = ordinary_evening(tz, evening, minutes, fold)
    if moment is None:
        return  # skipped by the spring-forward change
    night = night_of(moment, tz, DEFAULT_WINDOW)
    assert night == span_of(moment, tz, DEFAULT_WINDOW) == evening
    assert intake_day(moment, tz, FOUR) == evening
    assert intake_day_of_night(night) == intake_day(moment, tz, FOUR)
    assert night_of_intake_day(intake_day(moment, tz, FOUR)) == night


@given(st.dates())
def test_night_and_intake_day_pair_one_to_one(day: date) -> None:
    assert intake_day_of_night(day) == day
    assert night_of_intake_day(intake_day_of_night(day)) == day


@pytest.mark.parametrize(("tz", "dst_day"), DST_DAYS, ids=str)
def test_a_night_span_starts_where_its_window_starts(tz: ZoneInfo, dst_day: date) -> None:
    for back in range(-2, 2):
        night = dst_day + timedelta(days=back)
        start, _ = window_bounds(night, tz)
        assert start == day_start(night, tz, DEFAULT_WINDOW.start)
        assert span_of(start, tz) == night
        assert span_of(start - timedelta(microseconds=1), tz) == night - timedelta(days=1)
