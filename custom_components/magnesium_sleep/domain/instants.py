"""The dates the integration accepts from outside, checked before any arithmetic.

Python's datetime ends at years 1 and 9999: converting 0001-01-01 00:10 +14:00 (or a
local time in year 1) to UTC, adding a microsecond to 9999-12-31 23:59:59.999999 or
going back 30 days from 0001-01-02 raises OverflowError. Every date or time that comes
from an action or an export is therefore checked first, by the date it shows. The
range is far enough from those limits that any UTC offset and every span this
integration adds or subtracts (a few centuries at most) stay inside them, and far wider
than any real dose or night, which have their own, stricter rules.
"""

from __future__ import annotations

from datetime import date
from typing import Final

EARLIEST_YEAR: Final = 1900
LATEST_YEAR: Final = 2999


class DateOutOfRange(ValueError):  # noqa: N818 - named like DoseRejected and SleepRejected
    """A date outside the years the integration accepts; `reason` is a translation key."""

    reason: Final = "date_out_of_range"

    def __init__(self, field: str, value: date) -> None:
        """Name the field and the date in the message and the translation placeholders."""
        self.placeholders = {
            "field": field,
            "value": value.isoformat(),
            "earliest": str(EARLIEST_YEAR),
            "latest": str(LATEST_YEAR),
        }
        super().__init__(
            f"{field} {value.isoformat()} is not in the years {EARLIEST_YEAR} to {LATEST_YEAR}"
        )


def check_date(field: str, value: date) -> None:
    """Raise DateOutOfRange unless `value` (a date, or a time by its own clock) is in range."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise DateOutOfRange(field, value)
