"""The bedtime calendar: what an evening shows, as entries with a start and an end.

* **Coming evenings** (`COMING_EVENINGS` of them, starting with tonight while its
  bedtime has not come) show the planned wind-down, from its start to the bedtime.
* **Doses** show when they were taken, one entry each (`DOSE_SPAN` long, so a day
  view can show it).
* **Nights** show from going to bed (or falling asleep) to waking (or getting up);
  a night without both ends (still going, or a vendor's total alone) has no entry.

Everything is a pure function of the plan, the dose log and the nights; the shell
words the entries in the house's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Final

from .clock import intake_day, to_utc
from .doses import Dose
from .schedule import BedtimeSettings, Evening, evening_plan
from .sleep.night import Night

COMING_EVENINGS: Final = 7
DOSE_SPAN: Final = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class WindDownEntry:
    """An evening's planned wind-down, from its start to the bedtime."""

    plan: Evening

    @property
    def start(self) -> datetime:
        """When the wind-down starts."""
        return self.plan.wind_down

    @property
    def end(self) -> datetime:
        """The bedtime."""
        return self.plan.bedtime

    @property
    def uid(self) -> str:
        """Stable across calls, so a calendar card can tell entries apart."""
        return f"wind_down-{self.plan.day.isoformat()}"


@dataclass(frozen=True, slots=True)
class DoseEntry:
    """A dose where it was taken, `DOSE_SPAN` long."""

    dose: Dose

    @property
    def start(self) -> datetime:
        """When it was taken."""
        return self.dose.taken_at

    @property
    def end(self) -> datetime:
        """`DOSE_SPAN` later."""
        return self.dose.taken_at + DOSE_SPAN

    @property
    def uid(self) -> str:
        """Stable across calls, so a calendar card can tell entries apart."""
        return f"dose-{self.dose.dose_id}"


@dataclass(frozen=True, slots=True)
class NightEntry:
    """A recorded night, from going to bed (or falling asleep) to waking (or getting up)."""

    night: Night
    start: datetime
    end: datetime

    @property
    def uid(self) -> str:
        """Stable across calls, so a calendar card can tell entries apart."""
        return f"night-{self.night.night.isoformat()}"


type CalendarEntry = WindDownEntry | DoseEntry | NightEntry


def coming_evenings(now: datetime, settings: BedtimeSettings, tz: tzinfo) -> list[Evening]:
    """The next `COMING_EVENINGS` evenings whose bedtime is after `now`, in order.

    Yesterday's evening is looked at too: a bedtime after midnight but before the day
    start belongs to it.
    """
    today = intake_day(to_utc(now, "now"), tz, settings.day_starts_at)
    plans = (
        evening_plan(today + timedelta(days=offset), settings, tz)
        for offset in range(-1, COMING_EVENINGS + 1)
    )
    return [plan for plan in plans if plan.bedtime > now][:COMING_EVENINGS]


def night_entry(night: Night) -> NightEntry | None:
    """A night's entry; None without a start and an end (still going, a total alone)."""
    start = night.bedtime or night.sleep_onset
    end = night.wake_time or night.out_of_bed
    if start is None or end is None or end <= start:
        return None
    return NightEntry(night, start, end)


def calendar_entries(
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    settings: BedtimeSettings,
    tz: tzinfo,
    doses: Iterable[Dose],
    nights: Iterable[Night],
) -> list[CalendarEntry]:
    """The entries overlapping `start` to `end`, by start.

    `doses` and `nights` may hold more than overlap: those are left out.
    """
    entries: list[CalendarEntry] = [
        WindDownEntry(plan) for plan in coming_evenings(now, settings, tz)
    ]
    entries += [DoseEntry(dose) for dose in doses]
    entries += [entry for night in nights if (entry := night_entry(night)) is not None]
    return sorted(
        (entry for entry in entries if entry.start < end and entry.end > start),
        key=lambda entry: (entry.start, entry.uid),
    )
