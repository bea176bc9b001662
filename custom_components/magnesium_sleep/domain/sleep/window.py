"""The night window: when a night's sleep may start, and which night a moment belongs to.

- The **night key** is the local date of the evening the night starts on.
- The **night window** (default 18:00 to 12:00 local) is when a night's sleep may
  start. An in-bed or asleep interval that *starts* outside it is a nap and is
  ignored (`night_of` gives None).
- The **span** of night N runs from N's window start to N+1's window start; the
  part after the window end is the night's *tail*, where the last intervals may
  still close (waking at 12:30 closes the night, a 14:00 nap starts nothing).

Which evening a moment belongs to is the clock rule (`clock.day_of`) with days
starting at the window start; this module adds the window's end and nap test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final

from ..clock import day_of, day_start, to_utc


@dataclass(frozen=True, slots=True)
class NightWindow:
    """Local times between which a night's sleep may start (start inclusive, end exclusive).

    The default 18:00 to 12:00 crosses midnight. A window that does not cross
    midnight (e.g. 08:00 to 16:00 for someone on nights) belongs to its own date;
    start == end means every moment belongs to some night.
    """

    start: time = time(18, 0)
    end: time = time(12, 0)

    def __post_init__(self) -> None:
        """Reject aware times: the window is in the person's local clock."""
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("night window times must be naive local times")

    @property
    def crosses_midnight(self) -> bool:
        """Whether the window runs past midnight (the usual case)."""
        return self.start >= self.end

    def contains(self, clock: time) -> bool:
        """Whether a local clock time lies inside the window."""
        if self.start == self.end:
            return True
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end


DEFAULT_WINDOW: Final = NightWindow()
"""18:00 to 12:00 local."""


def night_of(moment: datetime, tz: tzinfo, window: NightWindow = DEFAULT_WINDOW) -> date | None:
    """The night key of a moment inside the window (the evening's date), None outside."""
    if not window.contains(to_utc(moment, "moment").astimezone(tz).time()):
        return None
    return span_of(moment, tz, window)


def span_of(moment: datetime, tz: tzinfo, window: NightWindow = DEFAULT_WINDOW) -> date:
    """The night whose span (window start to the next window start) holds a moment."""
    return day_of(to_utc(moment, "moment"), tz, window.start)


def window_bounds(
    key: date, tz: tzinfo, window: NightWindow = DEFAULT_WINDOW
) -> tuple[datetime, datetime]:
    """UTC start and end of night `key`'s window, resolved like `clock.day_start`."""
    end_day = key + timedelta(days=1) if window.crosses_midnight else key
    return day_start(key, tz, window.start), day_start(end_day, tz, window.end)
