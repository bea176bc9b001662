"""The transparent 0-100 sleep score and sleep regularity (domain reference section 6).

| Component | Points | Formula (ratio clipped to 0..1) |
|---|---|---|
| duration | 35 | (TST_h - 4) / 3; above 9 h, -5 points per hour, floor 25 points |
| efficiency | 25 | (SE - 65) / 25 |
| latency | 15 | (60 - SOL) / 45 |
| waso | 10 | (90 - WASO) / 70 |
| awakenings | 5 | (4 - n) / 3 |
| regularity | 10 | (120 - |midpoint - 14-night median|) / 90 |

A missing input drops its component and the total is rescaled to the points that
are available: total = 100 x earned / available. The weights are design choices,
not norms, so every component is kept next to the total. The vendor's own score is
never mixed in; it stays `Night.vendor_score`.

**Regularity** is the distance in minutes between a night's sleep midpoint (on the
local clock, so a DST night is not "irregular") and the circular median of the
midpoints of the nights 1 to `REGULARITY_NIGHTS` evenings before it; fewer than
`REGULARITY_MIN_NIGHTS` such nights give none. The median is taken in night order.
`RegularityIndex` keeps the midpoints sorted by night key as nights change, so
scoring one night of a long history costs O(log N + k), k <= 14, instead of a scan
of all N nights; `regularity` and `score_night` also take plain nights.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
import math
import statistics
from typing import Final
from zoneinfo import ZoneInfo

from .sleep.night import Night

REGULARITY_NIGHTS: Final = 14
"""How many previous evenings the regularity median looks back over."""

REGULARITY_MIN_NIGHTS: Final = 3
"""Fewer previous nights with a midpoint than this give no regularity."""

_MINUTES_PER_DAY: Final = 1440.0


class ComponentKey(StrEnum):
    """The components, in table order."""

    DURATION = "duration"
    EFFICIENCY = "efficiency"
    LATENCY = "latency"
    WASO = "waso"
    AWAKENINGS = "awakenings"
    REGULARITY = "regularity"


MAX_POINTS: Final[dict[ComponentKey, float]] = {
    ComponentKey.DURATION: 35.0,
    ComponentKey.EFFICIENCY: 25.0,
    ComponentKey.LATENCY: 15.0,
    ComponentKey.WASO: 10.0,
    ComponentKey.AWAKENINGS: 5.0,
    ComponentKey.REGULARITY: 10.0,
}

_LONG_SLEEP_HOURS: Final = 9.0
_LONG_SLEEP_PENALTY_PER_HOUR: Final = 5.0
_LONG_SLEEP_FLOOR: Final = 25.0


@dataclass(frozen=True, slots=True)
class Component:
    """One component: its input `value` and the points it earned (unrounded)."""

    key: ComponentKey
    points: float
    max_points: float
    value: float


@dataclass(frozen=True, slots=True)
class SleepScore:
    """The total (0-100, rounded to 0.1) and the components it came from."""

    total: float
    components: tuple[Component, ...]
    available_points: float

    def component(self, key: ComponentKey) -> Component | None:
        """One component, None when its input was missing."""
        return next((c for c in self.components if c.key is key), None)


def _clip(ratio: float) -> float:
    return min(1.0, max(0.0, ratio))


def duration_points(total_sleep_minutes: float) -> float:
    """35 x (TST_h - 4) / 3 up to 9 h, then 35 - 5 per hour above 9 h, floor 25."""
    hours = total_sleep_minutes / 60
    if hours > _LONG_SLEEP_HOURS:
        penalty = _LONG_SLEEP_PENALTY_PER_HOUR * (hours - _LONG_SLEEP_HOURS)
        return max(_LONG_SLEEP_FLOOR, MAX_POINTS[ComponentKey.DURATION] - penalty)
    return MAX_POINTS[ComponentKey.DURATION] * _clip((hours - 4) / 3)


def efficiency_points(efficiency_percent: float) -> float:
    """25 x (SE - 65) / 25."""
    return MAX_POINTS[ComponentKey.EFFICIENCY] * _clip((efficiency_percent - 65) / 25)


def latency_points(latency_minutes: float) -> float:
    """15 x (60 - SOL) / 45."""
    return MAX_POINTS[ComponentKey.LATENCY] * _clip((60 - latency_minutes) / 45)


def waso_points(waso_minutes: float) -> float:
    """10 x (90 - WASO) / 70."""
    return MAX_POINTS[ComponentKey.WASO] * _clip((90 - waso_minutes) / 70)


def awakenings_points(awakenings: float) -> float:
    """5 x (4 - n) / 3."""
    return MAX_POINTS[ComponentKey.AWAKENINGS] * _clip((4 - awakenings) / 3)


def regularity_points(midpoint_offset_minutes: float) -> float:
    """10 x (120 - |offset|) / 90."""
    return MAX_POINTS[ComponentKey.REGULARITY] * _clip((120 - abs(midpoint_offset_minutes)) / 90)


def score_components(
    *,
    total_sleep: float | None = None,
    efficiency: float | None = None,
    latency: float | None = None,
    waso: float | None = None,
    awakenings: float | None = None,
    midpoint_offset: float | None = None,
) -> SleepScore | None:
    """Score from raw inputs (minutes, percent, count); None when none is given."""
    inputs = (
        (ComponentKey.DURATION, total_sleep, duration_points),
        (ComponentKey.EFFICIENCY, efficiency, efficiency_points),
        (ComponentKey.LATENCY, latency, latency_points),
        (ComponentKey.WASO, waso, waso_points),
        (ComponentKey.AWAKENINGS, awakenings, awakenings_points),
        (ComponentKey.REGULARITY, midpoint_offset, regularity_points),
    )
    components = tuple(
        Component(key, points(float(value)), MAX_POINTS[key], float(value))
        for key, value, points in inputs
        if value is not None
    )
    if not components:
        return None
    available = sum(c.max_points for c in components)
    earned = sum(c.points for c in components)
    return SleepScore(round(100 * earned / available, 1), components, available)


# --------------------------------------------------------------------------- regularity


def _clock_minutes(moment: datetime, tz: tzinfo) -> float:
    local = moment.astimezone(tz)
    return local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 60e6


def _night_tz(night: Night) -> tzinfo:
    return ZoneInfo(night.timezone) if night.timezone else UTC


def sleep_midpoint(night: Night) -> float | None:
    """Local clock midpoint of sleep in minutes after midnight, [0, 1440).

    Onset to wake (bedtime / out of bed when those are missing), taken on the clock
    (halfway between the two clock readings), so a DST night is not "irregular":
    23:00 to 07:00 has its midpoint at 03:00 whether the night lasted 7, 8 or 9 h.
    """
    start = night.sleep_onset or night.bedtime
    end = night.wake_time or night.out_of_bed
    if start is None or end is None or end <= start:
        return None
    tz = _night_tz(night)
    onset = _clock_minutes(start, tz)
    span = (_clock_minutes(end, tz) - onset) % _MINUTES_PER_DAY
    return (onset + span / 2) % _MINUTES_PER_DAY


def clock_difference(a: float, b: float) -> float:
    """Shortest distance in minutes between two clock times (handles midnight wrap)."""
    diff = (a - b) % _MINUTES_PER_DAY
    return min(diff, _MINUTES_PER_DAY - diff)


def circular_median(clock_minutes: Sequence[float]) -> float | None:
    """Median of clock times: unwrapped around their circular mean, then the usual median."""
    if not clock_minutes:
        return None
    angles = [m / _MINUTES_PER_DAY * 2 * math.pi for m in clock_minutes]
    x = sum(math.cos(a) for a in angles)
    y = sum(math.sin(a) for a in angles)
    if math.hypot(x, y) < 1e-9:
        centre = clock_minutes[0]
    else:
        centre = (math.atan2(y, x) / (2 * math.pi) * _MINUTES_PER_DAY) % _MINUTES_PER_DAY
    unwrapped = [centre + ((m - centre + 720) % _MINUTES_PER_DAY) - 720 for m in clock_minutes]
    return statistics.median(unwrapped) % _MINUTES_PER_DAY


def regularity(night: Night, previous: Iterable[Night]) -> float | None:
    """Minutes between this night's midpoint and the median of the previous 14 evenings.

    Previous nights count when their key lies 1 to 14 days before this one and they
    have a midpoint; fewer than 3 such nights give None. One night per key: of two
    with the same key, the later one counts.
    """
    return RegularityIndex(previous).offset(night)


class RegularityIndex:
    """The sleep midpoints of a person's nights, sorted by night key, kept as nights change.

    `offset` is `regularity` against the nights the index holds: two bisects and the
    median of at most `REGULARITY_NIGHTS` midpoints, O(log N + k). `update` is a dict
    write plus, for a night gaining or losing its midpoint, a bisect and a list
    insert or delete (an append for the newest night). An index made `deferred`
    looks a night up the first time a score needs it, so years of stored nights
    cost nothing until then.
    """

    def __init__(self, nights: Iterable[Night] = ()) -> None:
        """Index the midpoints of `nights` (one per key; a later one replaces)."""
        self._midpoints: dict[date, float] = {}
        for night in nights:
            if (midpoint := sleep_midpoint(night)) is not None:
                self._midpoints[night.night] = midpoint
            else:
                self._midpoints.pop(night.night, None)
        # The keys with a midpoint, and those not looked up yet, sorted.
        self._keys = sorted(self._midpoints)
        self._unresolved: set[date] = set()
        self._lookup: Callable[[date], Night | None] = lambda _key: None

    @classmethod
    def deferred(
        cls, keys: Iterable[date], lookup: Callable[[date], Night | None]
    ) -> RegularityIndex:
        """The index of the nights `lookup` gives for `keys`, each looked up when first needed.

        Equal to `RegularityIndex(nights)` as long as every change of a night after
        this is given to `update`.
        """
        index = cls()
        index._unresolved = set(keys)
        index._keys = sorted(index._unresolved)
        index._lookup = lookup
        return index

    def update(self, night: Night) -> None:
        """Take a night's current record; a night without a midpoint leaves the index."""
        key = night.night
        listed = key in self._midpoints or key in self._unresolved
        self._unresolved.discard(key)
        midpoint = sleep_midpoint(night)
        if midpoint is None:
            self._midpoints.pop(key, None)
            if listed:
                del self._keys[bisect_left(self._keys, key)]
            return
        if not listed:
            if self._keys and key < self._keys[-1]:
                self._keys.insert(bisect_left(self._keys, key), key)
            else:
                self._keys.append(key)
        self._midpoints[key] = midpoint

    def _window(self, key: date) -> tuple[int, int]:
        """Where the keys 1 to `REGULARITY_NIGHTS` evenings before `key` lie in `_keys`."""
        first = bisect_left(self._keys, key - timedelta(days=REGULARITY_NIGHTS))
        return first, bisect_left(self._keys, key, lo=first)

    def offset(self, night: Night) -> float | None:
        """Minutes between `night`'s midpoint and the median of the indexed evenings before it.

        Nights 1 to `REGULARITY_NIGHTS` evenings before `night` count; fewer than
        `REGULARITY_MIN_NIGHTS` of them, or no midpoint of its own, give None.
        """
        midpoint = sleep_midpoint(night)
        if midpoint is None:
            return None
        first, end = self._window(night.night)
        if self._unresolved:
            pending = [key for key in self._keys[first:end] if key in self._unresolved]
            for key in pending:
                looked_up = self._lookup(key)
                if looked_up is None:
                    self._unresolved.discard(key)
                    del self._keys[bisect_left(self._keys, key)]
                else:
                    self.update(looked_up)
            if pending:
                first, end = self._window(night.night)
        if end - first < REGULARITY_MIN_NIGHTS:
            return None
        centre = circular_median([self._midpoints[key] for key in self._keys[first:end]])
        return None if centre is None else clock_difference(midpoint, centre)


# --------------------------------------------------------------------------- the score


def score_night(
    night: Night, previous: Iterable[Night] | RegularityIndex = ()
) -> SleepScore | None:
    """Score a night; `previous` supplies the nights for the regularity median.

    `previous` may hold any nights (e.g. all of them): only those 1 to 14 evenings
    before this one count. Given as a `RegularityIndex` they are not scanned: the
    score costs O(log N + k).
    """
    offset = (
        previous.offset(night)
        if isinstance(previous, RegularityIndex)
        else regularity(night, previous)
    )
    return score_components(
        total_sleep=night.total_sleep,
        efficiency=night.efficiency,
        latency=night.latency,
        waso=night.waso,
        awakenings=night.awakenings,
        midpoint_offset=offset,
    )
