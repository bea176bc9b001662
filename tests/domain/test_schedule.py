"""The bedtime schedule: evenings, weekend bedtimes, DST nights, next and due moments."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings as hyp_settings, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.clock import day_start, intake_day
from custom_components.magnesium_sleep.domain.schedule import (
    BedtimeSettings,
    Moment,
    current_evening,
    due,
    evening_plan,
    manual_wind_down_end,
    next_moments,
)

AMS = ZoneInfo("Europe/Amsterdam")
NY = ZoneInfo("America/New_York")
ZONES = [AMS, NY]
# Evenings (Saturdays) that end in a DST change, and the Fridays before them.
SPRING = {AMS: date(2026, 3, 28), NY: date(2026, 3, 7)}
AUTUMN = {AMS: date(2026, 10, 24), NY: date(2026, 10, 31)}


def local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def test_a_plain_evening() -> None:
    plan = evening_plan(date(2026, 6, 10), BedtimeSettings(), AMS)
    assert local(plan.bedtime, AMS) == datetime(2026, 6, 10, 23, 0)
    assert local(plan.wind_down, AMS) == datetime(2026, 6, 10, 22, 15)
    assert local(plan.dose_reminder, AMS) == datetime(2026, 6, 10, 22, 0)
    assert local(plan.end, AMS) == datetime(2026, 6, 11, 0, 0)
    assert plan.bedtime.tzinfo is UTC


def test_a_bedtime_after_midnight_belongs_to_the_evening_before() -> None:
    plan = evening_plan(date(2026, 6, 10), BedtimeSettings(bedtime=time(1, 30)), AMS)
    assert local(plan.bedtime, AMS) == datetime(2026, 6, 11, 1, 30)
    assert intake_day(plan.bedtime, AMS, time(4)) == date(2026, 6, 10)
    # With days starting at midnight, 01:30 is the same date's (early) bedtime.
    early = BedtimeSettings(bedtime=time(1, 30), day_starts_at=time(0))
    assert local(evening_plan(date(2026, 6, 10), early, AMS).bedtime, AMS) == datetime(
        2026, 6, 10, 1, 30
    )


def test_weekend_bedtime_on_friday_and_saturday_evenings() -> None:
    settings = BedtimeSettings(bedtime=time(22, 30), weekend_bedtime=time(0, 30))
    bedtimes = {
        evening.strftime("%a"): local(evening_plan(evening, settings, AMS).bedtime, AMS)
        for evening in (date(2026, 11, 19) + timedelta(days=n) for n in range(4))
    }
    assert bedtimes == {
        "Thu": datetime(2026, 11, 19, 22, 30),
        "Fri": datetime(2026, 11, 21, 0, 30),
        "Sat": datetime(2026, 11, 22, 0, 30),
        "Sun": datetime(2026, 11, 22, 22, 30),
    }
    # Unset weekend bedtime: the same as the bedtime.
    assert local(evening_plan(date(2026, 11, 20), BedtimeSettings(), AMS).bedtime, AMS).time() == (
        time(23)
    )


@pytest.mark.parametrize(
    ("tz", "clock", "bedtime_utc", "wind_down_local"),
    [
        # 02:30 does not exist: bed at the transition (03:00 summer time), wind-down 45
        # elapsed minutes earlier, which the clock shows as 01:15 winter time.
        (AMS, time(2, 30), datetime(2026, 3, 29, 1, 0, tzinfo=UTC), datetime(2026, 3, 29, 1, 15)),
        (NY, time(2, 30), datetime(2026, 3, 8, 7, 0, tzinfo=UTC), datetime(2026, 3, 8, 1, 15)),
        # 01:45 exists: 45 minutes before it is 01:00, before the gap in both zones
        (AMS, time(3, 15), datetime(2026, 3, 29, 1, 15, tzinfo=UTC), datetime(2026, 3, 29, 1, 30)),
    ],
)
def test_spring_forward(
    tz: ZoneInfo, clock: time, bedtime_utc: datetime, wind_down_local: datetime
) -> None:
    plan = evening_plan(SPRING[tz], BedtimeSettings(bedtime=clock), tz)
    assert plan.bedtime == bedtime_utc
    assert local(plan.wind_down, tz) == wind_down_local
    assert plan.bedtime - plan.wind_down == timedelta(minutes=45)


@pytest.mark.parametrize(
    ("tz", "clock", "bedtime_utc"),
    [
        # shown twice: the first time (summer time)
        (AMS, time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (NY, time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (AMS, time(23), datetime(2026, 10, 24, 21, 0, tzinfo=UTC)),
    ],
)
def test_fall_back(tz: ZoneInfo, clock: time, bedtime_utc: datetime) -> None:
    plan = evening_plan(AUTUMN[tz], BedtimeSettings(bedtime=clock), tz)
    assert plan.bedtime == bedtime_utc
    assert plan.end - plan.bedtime == timedelta(minutes=60)


def test_a_bedtime_skipped_with_the_day_start_stays_in_its_evening() -> None:
    # Days start at 02:45, bedtime 02:15: on the spring-forward night both resolve to 03:00.
    settings = BedtimeSettings(bedtime=time(2, 15), day_starts_at=time(2, 45))
    plan = evening_plan(SPRING[AMS], settings, AMS)
    assert intake_day(plan.bedtime, AMS, settings.day_starts_at) == SPRING[AMS]
    assert plan.bedtime == day_start(SPRING[AMS] + timedelta(days=1), AMS, time(2, 45)) - (
        timedelta(microseconds=1)
    )


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="wind_down_minutes"):
        BedtimeSettings(wind_down_minutes=0)
    with pytest.raises(ValueError, match="dose_reminder_minutes"):
        BedtimeSettings(dose_reminder_minutes=721)


def test_next_and_due_moments() -> None:
    settings = BedtimeSettings()
    now = datetime(2026, 6, 10, 22, 20, tzinfo=AMS)  # in the wind-down
    upcoming = next_moments(now, settings, AMS)
    assert local(upcoming[Moment.BEDTIME].at, AMS) == datetime(2026, 6, 10, 23, 0)
    assert local(upcoming[Moment.WIND_DOWN].at, AMS) == datetime(2026, 6, 11, 22, 15)
    assert upcoming[Moment.WIND_DOWN].evening == date(2026, 6, 11)
    pending = due(now, settings, AMS, set())
    assert [(s.moment, s.evening) for s in pending] == [
        (Moment.DOSE_REMINDER, date(2026, 6, 10)),
        (Moment.WIND_DOWN, date(2026, 6, 10)),
    ]
    assert due(now, settings, AMS, {(date(2026, 6, 10), Moment.DOSE_REMINDER)}) == pending[1:]
    # After the evening ended, what was missed is dropped.
    assert due(datetime(2026, 6, 11, 0, 0, tzinfo=AMS), settings, AMS, set()) == []


def test_manual_wind_down() -> None:
    settings = BedtimeSettings()
    evening = current_evening(datetime(2026, 6, 10, 20, 0, tzinfo=AMS), settings, AMS)
    assert evening.day == date(2026, 6, 10)
    early = datetime(2026, 6, 10, 20, 0, tzinfo=AMS)
    assert manual_wind_down_end(early, evening, 60) == evening.end
    late = datetime(2026, 6, 11, 1, 0, tzinfo=AMS)  # after the evening ended
    assert manual_wind_down_end(late, evening, 60) == late + timedelta(hours=1)


# --------------------------------------------------------------------------- properties

times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
minutes = st.integers(min_value=1, max_value=240)
settings_strategy = st.builds(
    BedtimeSettings,
    bedtime=times,
    weekend_bedtime=st.none() | times,
    wind_down_minutes=minutes,
    dose_reminder_minutes=st.integers(min_value=1, max_value=720),
    grace_minutes=minutes,
    day_starts_at=st.sampled_from([time(0), time(2, 30), time(3), time(4), time(6), time(12)]),
)
# Days around the DST changes of 2026 in both zones, and one plain week.
evenings = st.sampled_from([*SPRING.values(), *AUTUMN.values(), date(2026, 6, 10)]).flatmap(
    lambda day: st.integers(min_value=-2, max_value=2).map(lambda n: day + timedelta(days=n))
)


def _exists(on_date: date, clock: time, tz: ZoneInfo) -> bool:
    wall = datetime.combine(on_date, clock)
    return wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall


@example(  # found by hypothesis: bedtime and day start both skipped by spring forward
    BedtimeSettings(
        bedtime=time(2, 0),
        weekend_bedtime=None,
        wind_down_minutes=45,
        dose_reminder_minutes=60,
        grace_minutes=60,
        day_starts_at=time(2, 30),
    ),
    SPRING[AMS],
    AMS,
)
@given(settings_strategy, evenings, st.sampled_from(ZONES))
def test_an_evening_plan_holds_its_rules(
    settings: BedtimeSettings, evening: date, tz: ZoneInfo
) -> None:
    plan = evening_plan(evening, settings, tz)
    assert intake_day(plan.bedtime, tz, settings.day_starts_at) == evening
    assert plan.bedtime - plan.wind_down == timedelta(minutes=settings.wind_down_minutes)
    assert plan.bedtime - plan.dose_reminder == timedelta(minutes=settings.dose_reminder_minutes)
    assert plan.end - plan.bedtime == timedelta(minutes=settings.grace_minutes)
    clock = settings.bedtime_of(evening)
    on_date = evening if clock >= settings.day_starts_at else evening + timedelta(days=1)
    shown = local(plan.bedtime, tz)
    clamped = plan.bedtime == day_start(
        evening + timedelta(days=1), tz, settings.day_starts_at
    ) - timedelta(microseconds=1)
    if clamped:  # kept in its evening: the last instant before the next day starts
        assert abs(shown - datetime.combine(on_date, clock)) <= timedelta(hours=1)
    elif _exists(on_date, clock, tz):
        assert shown == datetime.combine(on_date, clock)
    else:  # skipped by the clock: the transition, less than an hour later on the wall clock
        assert timedelta(0) < shown - datetime.combine(on_date, clock) <= timedelta(hours=1)
    assert evening_plan(evening + timedelta(days=1), settings, tz).bedtime > plan.bedtime


@hyp_settings(max_examples=60, deadline=None)
@given(
    settings_strategy,
    st.sampled_from([*SPRING.values(), *AUTUMN.values()]),
    st.sampled_from(ZONES),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_a_timer_at_each_next_moment_fires_every_moment_once_on_time(
    settings: BedtimeSettings, around: date, tz: ZoneInfo, start_minute: int
) -> None:
    """The engine's loop: sleep until the nearest next moment, then handle what is due."""
    now = day_start(around - timedelta(days=3), tz, time(0)) + timedelta(minutes=start_minute)
    handled = {(s.evening, s.moment) for s in due(now, settings, tz, set())}  # at start-up
    fired: list[tuple[date, Moment]] = []
    stop = now + timedelta(days=6)
    while now < stop:
        upcoming = next_moments(now, settings, tz)
        assert set(upcoming) == set(Moment)
        at = min(scheduled.at for scheduled in upcoming.values())
        assert at > now
        pending = due(at, settings, tz, handled)
        # Exactly the moments at that instant: none missed earlier, none early.
        assert pending
        assert {s.at for s in pending} == {at}
        for scheduled in pending:
            assert scheduled.at == evening_plan(scheduled.evening, settings, tz).at(
                scheduled.moment
            )
            handled.add((scheduled.evening, scheduled.moment))
            fired.append((scheduled.evening, scheduled.moment))
        now = at
    assert len(fired) == len(set(fired))
    by_evening: dict[date, list[Moment]] = {}
    for evening, moment in fired:
        by_evening.setdefault(evening, []).append(moment)
    for evening in sorted(by_evening)[1:-1]:  # evenings wholly inside the six days
        assert sorted(by_evening[evening]) == sorted(Moment)
        order = by_evening[evening]
        assert order.index(Moment.WIND_DOWN) <= order.index(Moment.BEDTIME)
