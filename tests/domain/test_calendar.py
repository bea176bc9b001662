"""The bedtime calendar's entries: the coming evenings' plan, doses and nights."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st

from custom_components.magnesium_sleep.domain.calendar import (
    COMING_EVENINGS,
    DOSE_SPAN,
    DoseEntry,
    NightEntry,
    WindDownEntry,
    calendar_entries,
    coming_evenings,
)
from custom_components.magnesium_sleep.domain.clock import day_start
from custom_components.magnesium_sleep.domain.doses import Dose
from custom_components.magnesium_sleep.domain.schedule import BedtimeSettings, evening_plan
from custom_components.magnesium_sleep.domain.sleep.night import Night
from custom_components.magnesium_sleep.domain.units import Form, Unit

from .test_schedule import AMS, ZONES, evenings, settings_strategy


@given(
    settings_strategy,
    evenings,
    st.sampled_from(ZONES),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_the_coming_evenings_are_the_next_seven_bedtimes(
    settings: BedtimeSettings, around: date, tz: ZoneInfo, minute: int
) -> None:
    """Seven evenings in a row, the first the earliest whose bedtime is still ahead."""
    now = day_start(around, tz, time(0)) + timedelta(minutes=minute)
    plans = coming_evenings(now, settings, tz)
    assert len(plans) == COMING_EVENINGS
    assert all(plan.bedtime > now for plan in plans)
    assert [plan.day - plans[0].day for plan in plans] == [
        timedelta(days=n) for n in range(COMING_EVENINGS)
    ]
    assert evening_plan(plans[0].day - timedelta(days=1), settings, tz).bedtime <= now


def _dose(at: datetime) -> Dose:
    return Dose(
        dose_id=f"d{at:%H%M}",
        taken_at=at,
        elemental_ug=141_000,
        amount=Decimal(500),
        unit=Unit.MG,
        form=Form.GLYCINATE,
        servings=None,
        note=None,
        source="test",
    )


def test_entries_in_a_range_overlap_it_and_come_in_order() -> None:
    """A dose, a night and the plan; a night without a wake time has no entry."""
    now = datetime(2026, 6, 11, 9, 0, tzinfo=UTC)
    settings = BedtimeSettings()
    dose = _dose(datetime(2026, 6, 10, 19, 30, tzinfo=UTC))
    went_to_bed = datetime(2026, 6, 10, 21, 10, tzinfo=UTC)
    woke = datetime(2026, 6, 11, 5, 0, tzinfo=UTC)
    slept = Night(night=now.date() - timedelta(days=1), bedtime=went_to_bed, wake_time=woke)
    going = Night(night=now.date(), bedtime=datetime(2026, 6, 11, 21, 0, tzinfo=UTC))
    entries = calendar_entries(
        datetime(2026, 6, 10, 19, 40, tzinfo=UTC),
        datetime(2026, 6, 12, 0, 0, tzinfo=UTC),
        now=now,
        settings=settings,
        tz=AMS,
        doses=[_dose(datetime(2026, 6, 10, 19, 0, tzinfo=UTC)), dose],
        nights=[slept, going],
    )
    assert entries == [
        DoseEntry(dose),
        NightEntry(slept, went_to_bed, woke),
        WindDownEntry(evening_plan(now.date(), settings, AMS)),
    ]
    assert entries[0].end - entries[0].start == DOSE_SPAN
    assert [entry.uid for entry in entries] == [
        "dose-d1930",
        "night-2026-06-10",
        "wind_down-2026-06-11",
    ]
