"""The range of dates the integration accepts, and why it is safe to compute with."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.instants import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    DateOutOfRange,
    check_date,
)

# The longest span the integration adds to or subtracts from a date: how long an
# export's assembler keeps transitions (100,000 days), more than any other.
LONGEST_SPAN = timedelta(days=100_000)


@pytest.mark.parametrize(
    "value",
    [
        date(1900, 1, 1),
        date(2999, 12, 31),
        datetime(1900, 1, 1, 0, 0),
        datetime(1900, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=14))),
        datetime(2999, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone(-timedelta(hours=12))),
    ],
)
def test_accepted(value: date) -> None:
    check_date("taken_at", value)


@pytest.mark.parametrize(
    "value",
    [
        date(1, 1, 1),
        date(1899, 12, 31),
        date(3000, 1, 1),
        datetime(1, 1, 1, 0, 10, tzinfo=timezone(timedelta(hours=14))),
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(1899, 12, 31, 23, 59),
    ],
)
def test_refused(value: date) -> None:
    with pytest.raises(DateOutOfRange) as err:
        check_date("end", value)
    assert err.value.reason == "date_out_of_range"
    assert err.value.placeholders == {
        "field": "end",
        "value": value.isoformat(),
        "earliest": "1900",
        "latest": "2999",
    }
    assert isinstance(err.value, ValueError)


@given(
    st.datetimes(datetime(EARLIEST_YEAR, 1, 1), datetime(LATEST_YEAR, 12, 31, 23, 59, 59, 999_999)),
    st.integers(-24 * 60 + 1, 24 * 60 - 1),
    st.sampled_from(["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Amsterdam"]),
)
def test_any_accepted_time_can_be_computed_with(
    wall: datetime, offset_minutes: int, zone: str
) -> None:
    """Whatever its offset or zone, an accepted time converts to UTC and moves freely."""
    for moment in (
        wall.replace(tzinfo=timezone(timedelta(minutes=offset_minutes))),
        wall.replace(tzinfo=ZoneInfo(zone)),  # a time without a zone, in the home zone
    ):
        check_date("taken_at", moment)
        utc = moment.astimezone(UTC)
        assert utc - LONGEST_SPAN < utc < utc + LONGEST_SPAN
        assert utc.date() - LONGEST_SPAN < utc.date() + LONGEST_SPAN
