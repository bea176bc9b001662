"""The clock rule: which evening a moment belongs to, and how long things last (DST-exact).

**Days that start at a clock time.** A day that starts at local ``starts_at`` is
named by the date it starts on. :func:`day_start` resolves that wall-clock time to
an instant:

* normal: the instant the local clock reads ``starts_at``;
* ambiguous (the clock reads it twice when DST ends): the *first* time it does;
* nonexistent (skipped when DST starts): the transition itself, i.e. the first
  instant the clock reads ``starts_at`` or later (02:30 on a 02:00→03:00 night
  resolves to 03:00 summer time).

:func:`day_of` is the last day whose start is at or before the moment, so it
never runs backwards, even when ``starts_at`` falls inside a repeated hour, and it
changes exactly once per day, at :func:`day_start`.

The same rule names every evening in the domain:

* a dose's **intake day** (:func:`intake_day`): days start at the profile's
  ``day_starts_at`` (default 04:00), so a dose at 00:30 counts to the evening before;
* a night's **span** (`sleep.window.span_of`): days start at the night window's
  start (default 18:00);
* **night ↔ intake day**: night D (keyed by its evening's date) pairs with intake
  day D, the doses of that evening ("the dose for tonight"). Between the window
  start and ``day_starts_at`` (18:00 to 04:00 by default) a moment's night key and
  intake day are the same date; a dose at 05:00 counts to the new day, while sleep
  starting then still belongs to the night before.

**Durations** are elapsed time between aware instants, computed in UTC, never by
subtracting wall clocks: 23:00 to 07:00 is 7 h on the spring-forward night and 9 h
on the fall-back night.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Final

DEFAULT_DAY_STARTS_AT: Final = time(4, 0)
"""When a new intake day starts unless the profile says otherwise."""

_ONE_DAY: Final = timedelta(days=1)


def to_utc(moment: datetime, what: str = "datetime") -> datetime:
    """The same instant in UTC; ValueError for a naive datetime (`what` names it)."""
    if moment.tzinfo is UTC:  # most are: stored times, and times this made
        return moment
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return moment.astimezone(UTC)


def minutes_between(start: datetime, end: datetime) -> float:
    """Elapsed minutes between two aware datetimes (UTC arithmetic, DST-exact)."""
    return (to_utc(end) - to_utc(start)).total_seconds() / 60


def _naive_time(value: time) -> time:
    return value.replace(tzinfo=None, fold=0)


def _wall(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None, fold=0)


@lru_cache(maxsize=4096)
def _day_start_utc(day: date, tz: tzinfo, starts_at: time) -> datetime:
    """First instant at which the local clock reads `day` `starts_at` or later."""
    wall = datetime.combine(day, starts_at)
    candidates = [wall.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1)]
    existing = [utc for utc in candidates if _wall(utc, tz) == wall]
    if existing:
        return min(existing)  # ambiguous: the first time the clock shows it
    # Nonexistent (a gap): the wall clock is below `wall` at the earlier candidate
    # and above it at the later one; bisect for the transition, to the microsecond.
    lo, hi = min(candidates), max(candidates)
    span = (hi - lo) // timedelta(microseconds=1)
    low, high = 0, span
    while high - low > 1:
        mid = (low + high) // 2
        if _wall(lo + timedelta(microseconds=mid), tz) >= wall:
            high = mid
        else:
            low = mid
    return lo + timedelta(microseconds=high)


def day_start(day: date, tz: tzinfo, starts_at: time) -> datetime:
    """Aware UTC instant at which `day` begins when days start at local `starts_at`."""
    return _day_start_utc(day, tz, _naive_time(starts_at))


def day_of(moment: datetime, tz: tzinfo, starts_at: time) -> date:
    """The day `moment` belongs to: the last day starting (at `starts_at`) at or before it."""
    to_utc(moment, "moment")
    starts_at = _naive_time(starts_at)
    wall = _wall(moment, tz)
    day = wall.date()
    if wall.time() < starts_at:
        day -= _ONE_DAY
    # Wall-clock comparison is exact except inside a repeated or skipped hour;
    # reconcile with day_start so the result never runs backwards.
    while _day_start_utc(day + _ONE_DAY, tz, starts_at) <= moment:
        day += _ONE_DAY
    while _day_start_utc(day, tz, starts_at) > moment:  # pragma: no cover - defensive
        day -= _ONE_DAY
    return day


def next_day_start(moment: datetime, tz: tzinfo, starts_at: time) -> datetime:
    """When the day containing `moment` ends (always later than `moment`)."""
    return day_start(day_of(moment, tz, starts_at) + _ONE_DAY, tz, starts_at)


def intake_day(moment: datetime, tz: tzinfo, day_starts_at: time) -> date:
    """The intake day a dose taken at `moment` counts to (days start at `day_starts_at`)."""
    return day_of(moment, tz, day_starts_at)


def intake_day_of_night(night: date) -> date:
    """The intake day whose doses count for night `night`: the same evening."""
    return night


def night_of_intake_day(day: date) -> date:
    """The night that follows intake day `day` (the inverse of `intake_day_of_night`)."""
    return day
