"""Bedtime schedule: an evening's wind-down start, dose reminder and bedtime as instants.

Rules here:

* **Evenings** are the clock rule's intake days (`clock.intake_day`, days start at the
  profile's ``day_starts_at``). Evening D's bedtime is the first time the local clock
  reads the bedtime on or after D's day start: 23:00 is on date D, 01:30 (before a
  04:00 day start) on date D + 1, yet both belong to evening D.
* **Weekend**: Friday and Saturday evenings use the weekend bedtime when one is set.
* A wall-clock time the clock skips (spring forward) resolves to the transition, one
  it shows twice (fall back) to its first occurrence, exactly as a day start does.
  A bedtime skipped together with the day start stays in its evening: it becomes the
  evening's last microsecond.
* **Wind-down** starts, and the **dose reminder** comes, that many elapsed minutes
  before the bedtime (UTC arithmetic: 45 minutes are 45 minutes across a DST change).
  The wind-down lasts until the bedtime plus a grace period (`Evening.end`), unless the
  person went to bed earlier (the shell knows that).
* A **moment** that was missed (Home Assistant was down) is still due until its
  evening ends; after that it is dropped (`due`).
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Final

from .clock import day_start, intake_day, to_utc

DEFAULT_BEDTIME: Final = time(23, 0)
DEFAULT_WIND_DOWN_MINUTES: Final = 45
DEFAULT_DOSE_REMINDER_MINUTES: Final = 60
DEFAULT_GRACE_MINUTES: Final = 60
MAX_WIND_DOWN_MINUTES: Final = 240
"""Four hours: a longer wind-down would be most of the evening."""
MAX_DOSE_REMINDER_MINUTES: Final = 720
"""Twelve hours: a reminder with breakfast for an evening's bedtime is not one."""
MAX_GRACE_MINUTES: Final = 240

_ONE_DAY: Final = timedelta(days=1)
_WEEKEND: Final = frozenset({4, 5})  # Friday and Saturday evenings (date.weekday())
_LAST_MICROSECOND: Final = timedelta(microseconds=1)


class Moment(StrEnum):
    """What happens at a scheduled instant of an evening; values are the event types."""

    WIND_DOWN = "wind_down_started"
    DOSE_REMINDER = "dose_reminder"
    BEDTIME = "bedtime"


@dataclass(frozen=True, slots=True)
class BedtimeSettings:
    """A profile's bedtime settings; minutes are whole and at least 1."""

    bedtime: time = DEFAULT_BEDTIME
    weekend_bedtime: time | None = None
    wind_down_minutes: int = DEFAULT_WIND_DOWN_MINUTES
    dose_reminder_minutes: int = DEFAULT_DOSE_REMINDER_MINUTES
    grace_minutes: int = DEFAULT_GRACE_MINUTES
    day_starts_at: time = time(4, 0)

    def __post_init__(self) -> None:
        """Refuse minutes out of range (the entities and the flow enforce them too)."""
        for name, value, maximum in (
            ("wind_down_minutes", self.wind_down_minutes, MAX_WIND_DOWN_MINUTES),
            ("dose_reminder_minutes", self.dose_reminder_minutes, MAX_DOSE_REMINDER_MINUTES),
            ("grace_minutes", self.grace_minutes, MAX_GRACE_MINUTES),
        ):
            if not 1 <= value <= maximum:
                raise ValueError(f"{name} must be from 1 to {maximum}, not {value}")

    def bedtime_of(self, evening: date) -> time:
        """The bedtime clock time of `evening` (weekend or not)."""
        if evening.weekday() in _WEEKEND and self.weekend_bedtime is not None:
            return self.weekend_bedtime
        return self.bedtime


@dataclass(frozen=True, slots=True)
class Evening:
    """One evening's plan; every instant is aware UTC."""

    day: date
    wind_down: datetime
    dose_reminder: datetime
    bedtime: datetime
    end: datetime  # the bedtime plus the grace period: the wind-down is over

    def at(self, moment: Moment) -> datetime:
        """When `moment` happens this evening."""
        match moment:
            case Moment.WIND_DOWN:
                return self.wind_down
            case Moment.DOSE_REMINDER:
                return self.dose_reminder
            case Moment.BEDTIME:
                return self.bedtime


@dataclass(frozen=True, slots=True)
class Scheduled:
    """A moment of an evening, at an instant."""

    at: datetime
    moment: Moment
    evening: date


def evening_plan(evening: date, settings: BedtimeSettings, tz: tzinfo) -> Evening:
    """Evening `evening`'s wind-down, reminder, bedtime and end (see the module rules)."""
    starts_at = settings.day_starts_at.replace(tzinfo=None, fold=0)
    clock = settings.bedtime_of(evening).replace(tzinfo=None, fold=0, second=0, microsecond=0)
    on_date = evening if clock >= starts_at else evening + _ONE_DAY
    bedtime = day_start(on_date, tz, clock)
    bedtime = min(bedtime, day_start(evening + _ONE_DAY, tz, starts_at) - _LAST_MICROSECOND)
    return Evening(
        day=evening,
        wind_down=bedtime - timedelta(minutes=settings.wind_down_minutes),
        dose_reminder=bedtime - timedelta(minutes=settings.dose_reminder_minutes),
        bedtime=bedtime,
        end=bedtime + timedelta(minutes=settings.grace_minutes),
    )


def evenings_around(now: datetime, settings: BedtimeSettings, tz: tzinfo) -> Iterator[Evening]:
    """The evenings whose moments can lie near `now`: yesterday's to the day after tomorrow's.

    Evening D's bedtime lies within intake day D, its earliest moment at most twelve
    hours before and its end at most four hours after, so no other evening can have
    a moment or an open wind-down within a day of `now`.
    """
    today = intake_day(to_utc(now, "now"), tz, settings.day_starts_at)
    for offset in (-1, 0, 1, 2):
        yield evening_plan(today + timedelta(days=offset), settings, tz)


def next_moments(now: datetime, settings: BedtimeSettings, tz: tzinfo) -> dict[Moment, Scheduled]:
    """The next instant strictly after `now` of each moment."""
    upcoming: dict[Moment, Scheduled] = {}
    for evening in evenings_around(now, settings, tz):
        for moment in Moment:
            at = evening.at(moment)
            if at > now and (moment not in upcoming or at < upcoming[moment].at):
                upcoming[moment] = Scheduled(at, moment, evening.day)
    return upcoming


def due(
    now: datetime,
    settings: BedtimeSettings,
    tz: tzinfo,
    handled: Set[tuple[date, Moment]],
) -> list[Scheduled]:
    """Moments at or before `now`, not handled yet, whose evening has not ended; in order."""
    return sorted(
        (
            Scheduled(evening.at(moment), moment, evening.day)
            for evening in evenings_around(now, settings, tz)
            for moment in Moment
            if evening.at(moment) <= now < evening.end and (evening.day, moment) not in handled
        ),
        key=lambda scheduled: scheduled.at,
    )


def manual_wind_down_end(now: datetime, evening: Evening, grace_minutes: int) -> datetime:
    """When a wind-down started by hand at `now` ends: the evening's end, or a grace period."""
    return max(evening.end, now + timedelta(minutes=grace_minutes))


def current_evening(now: datetime, settings: BedtimeSettings, tz: tzinfo) -> Evening:
    """The evening a moment belongs to (the clock rule's intake day)."""
    return evening_plan(intake_day(to_utc(now, "now"), tz, settings.day_starts_at), settings, tz)
