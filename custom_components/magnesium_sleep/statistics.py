"""Nightly long-term statistics: each night's values as external statistics of the recorder.

Sleep score, total sleep, time to fall asleep, efficiency and the evening's elemental
magnesium go into Home Assistant's long-term statistics under this profile's own IDs
(`magnesium_sleep:<entry id>_<kind>`), so the statistics-graph card can chart them.
Which row each night gets is the domain's (`domain.nightly_statistics`); this module
keeps the recorder in line with the history:

* **Backfill**, in a background task once `Insights` has scored every night (shortly
  after setup): when the recorder has none of a
  statistic's rows, all of them are written. Otherwise its rows of the 14 nights before
  its last one and later are compared with the history, and only the differences are
  written: new nights, and a night changed just before a stop (with the 14 whose
  score follows from it). A row there that should not be, or rows in the hours of
  another time zone (Home Assistant's changed), rebuild the statistic. A restart with
  ten years of history thus reads a few rows and writes none. Nights that changed while
  the nights were being scored are compared with the recorder the same way.
* **Corrections**, on `DOSES_CHANGED` and `SLEEP_CHANGED` (and the 14 nights after a
  changed night, whose regularity and so score follows from it): the rows that changed
  are written again (a streaming sleep source's at most once a minute); a statistic
  that lost a row is cleared and written in full. The end of an intake day writes the
  evening that ended (the domain leaves the evening in progress out until its night
  begins).
* Nothing happens without the recorder. Removing the profile clears its statistics.

The night values are those `Insights` keeps for the effect (one score per night,
computed once); the magnesium is the dose log's total of the evening's intake day.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Final

from homeassistant.components.recorder import get_instance
from homeassistant.components.recorder.models import StatisticMeanType, StatisticMetaData
from homeassistant.components.recorder.statistics import (
    StatisticData,
    async_add_external_statistics,
    get_last_statistics,
    get_metadata,
    statistics_during_period,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import DurationConverter, MassConverter

from .const import DOMAIN, LOGGER
from .domain.clock import intake_day_of_night, night_of_intake_day
from .domain.nightly_statistics import (
    OVERLAP,
    STATISTIC_UNITS,
    EveningValues,
    NightlyStatistic,
    StatisticRow,
    StatisticsUpdate,
    evening_values,
    plan_restart,
    plan_update,
    series,
    statistic_hour,
)
from .domain.score import REGULARITY_NIGHTS
from .dose_tracker import DOSES_CHANGED, DoseChange, DoseTracker
from .insights import STREAMING_COOLDOWN_S, Insights
from .publisher import Publisher
from .sleep_tracker import SLEEP_CHANGED, SleepChange

RECORDER: Final = "recorder"

_UNIT_CLASSES: Final[Mapping[NightlyStatistic, str | None]] = {
    NightlyStatistic.SLEEP_SCORE: None,
    NightlyStatistic.TOTAL_SLEEP: DurationConverter.UNIT_CLASS,
    NightlyStatistic.TIME_TO_FALL_ASLEEP: DurationConverter.UNIT_CLASS,
    NightlyStatistic.EFFICIENCY: None,
    NightlyStatistic.MAGNESIUM: MassConverter.UNIT_CLASS,
}
"""Home Assistant's unit class of each statistic (% has none), so charts convert units."""

_SCORE_FOLLOWS: Final = range(REGULARITY_NIGHTS + 1)
"""A changed night, and the nights whose regularity (so score) it is part of."""
_WINDOW: Final = OVERLAP + timedelta(days=1)
"""The rows read before the last one: the overlap, and a day for the hours' offsets."""
_ONE_DAY: Final = timedelta(days=1)
_ONE_HOUR: Final = timedelta(hours=1)
_BUILD_SLICE: Final = 512
"""Evenings taken in per turn of the event loop while the rows are first worked out."""


def statistic_id(entry_id: str, statistic: NightlyStatistic) -> str:
    """The ID of a profile's statistic: the domain, the entry ID in lowercase, the kind.

    Entry IDs are ULIDs (older ones UUID hex): letters and digits, so the ID is valid.
    """
    key = "".join(c if c.isascii() and c.isalnum() else "_" for c in entry_id.lower())
    key = "_".join(part for part in key.split("_") if part) or "profile"
    return f"{DOMAIN}:{key}_{statistic.value}"


def statistic_ids(entry_id: str) -> list[str]:
    """All statistic IDs of a profile."""
    return [statistic_id(entry_id, statistic) for statistic in NightlyStatistic]


@callback
def async_remove_statistics(hass: HomeAssistant, entry_id: str) -> None:
    """Delete a removed profile's statistics (when the recorder runs)."""
    if RECORDER in hass.config.components:
        get_instance(hass).async_clear_statistics(statistic_ids(entry_id))


@dataclass(frozen=True, slots=True)
class _Recorded:
    """What the recorder holds of a statistic: its metadata, last row and latest rows."""

    name: str | None
    unit: str | None
    last: datetime
    rows: dict[datetime, float | None]


def _recorded(hass: HomeAssistant, ids: list[str], hours: list[datetime]) -> dict[str, _Recorded]:
    """Each statistic's last row, the rows of the window before it, and its rows at `hours`.

    Runs in the recorder's executor.
    """
    metadata = get_metadata(hass, statistic_ids=set(ids))
    found = {}
    for stat_id in ids:
        last = get_last_statistics(hass, 1, stat_id, False, set()).get(stat_id)
        if not last or stat_id not in metadata:
            continue
        last_start = dt_util.utc_from_timestamp(last[0]["start"])
        window = statistics_during_period(
            hass, last_start - _WINDOW, None, {stat_id}, "hour", None, {"mean"}
        )
        for hour in hours:
            if hour < last_start - _WINDOW:
                one = statistics_during_period(
                    hass, hour, hour + _ONE_HOUR, {stat_id}, "hour", None, {"mean"}
                )
                window.setdefault(stat_id, []).extend(one.get(stat_id, ()))
        meta = metadata[stat_id][1]
        found[stat_id] = _Recorded(
            name=meta["name"],
            unit=meta["unit_of_measurement"],
            last=last_start,
            rows={
                dt_util.utc_from_timestamp(row["start"]): row.get("mean")
                for row in window.get(stat_id, ())
            },
        )
    return found


class NightlyStatistics:
    """One profile's nightly statistics in the recorder: backfilled, then kept right."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        publisher: Publisher,
        doses: DoseTracker,
        insights: Insights,
    ) -> None:
        """Prepare; `async_setup` starts when the recorder runs."""
        self._hass = hass
        self._entry = entry
        self._publisher = publisher
        self._doses = doses
        self._insights = insights
        self._ids = {
            statistic: statistic_id(entry.entry_id, statistic) for statistic in NightlyStatistic
        }
        self._names: dict[NightlyStatistic, str] = {}
        # What the recorder holds (or will, once its queue is written): every evening
        # with a row, by night.
        self._evenings: dict[date, EveningValues] = {}
        # Nights that changed before `_evenings` was first worked out (None after).
        self._changed_early: set[date] | None = set()
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._streamed: set[date] = set()
        self._streaming_write = Debouncer(
            hass,
            LOGGER,
            cooldown=STREAMING_COOLDOWN_S,
            immediate=False,
            function=self._write_streamed,
        )
        self._backfill: asyncio.Task[None] | None = None
        self.active = False

    @property
    def ids(self) -> Mapping[NightlyStatistic, str]:
        """The statistic IDs, by kind."""
        return self._ids

    @property
    def evenings(self) -> int:
        """How many evenings have a row (in the recorder, or in its queue)."""
        return len(self._evenings)

    async def async_setup(self) -> None:
        """Follow the changes and backfill in the background (only with the recorder)."""
        if RECORDER not in self._hass.config.components:
            return
        self.active = True
        texts = await async_get_translations(
            self._hass, self._hass.config.language, "exceptions", [DOMAIN]
        )
        name = self._doses.profile.name
        self._names = {
            statistic: texts[f"component.{DOMAIN}.exceptions.statistic_{statistic}.message"].format(
                name=name
            )
            for statistic in NightlyStatistic
        }
        self._unsubscribe += [
            self._publisher.subscribe(DOSES_CHANGED, self._async_doses_changed),
            self._publisher.subscribe(SLEEP_CHANGED, self._async_sleep_changed),
        ]
        self._backfill = self._entry.async_create_background_task(
            self._hass, self._async_backfill(), f"{DOMAIN} statistics backfill"
        )

    async def async_shutdown(self) -> None:
        """Stop following changes and stop the backfill (what it queued is written)."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        self._streaming_write.async_cancel()
        self._write_streamed()  # what a source changed in the last minute
        if (task := self._backfill) is not None:
            self._backfill = None
            task.cancel()
            await asyncio.wait([task])

    # --------------------------------------------------------------- backfill

    async def _async_backfill(self) -> None:
        """Write what the recorder lacks or holds otherwise; everything when it has nothing."""
        await self._insights.async_wait_indexed()
        nights = sorted(
            {
                *self._insights.night_values(),
                *map(night_of_intake_day, self._doses.log.days_with_doses()),
            }
        )
        tonight = self._insights.tonight()
        for first in range(0, len(nights), _BUILD_SLICE):
            for night in nights[first : first + _BUILD_SLICE]:
                if (values := self._evening(night, tonight)) is not None:
                    self._evenings[night] = values
            await asyncio.sleep(0)
        # From here on changes are written as they come; earlier ones are compared below.
        changed_early, self._changed_early = self._changed_early or set(), None
        tz = dt_util.get_default_time_zone()
        hours = [statistic_hour(night, tz) for night in sorted(changed_early)]
        ids = list(self._ids.values())
        recorded = await get_instance(self._hass).async_add_executor_job(
            _recorded, self._hass, ids, hours
        )
        for statistic, stat_id in self._ids.items():
            found = recorded.get(stat_id)
            rows = None if found is None else self._differences(statistic, found, tz, changed_early)
            if rows is None:
                if found is not None:
                    LOGGER.debug("Rewriting %s: it holds rows it should not", stat_id)
                    get_instance(self._hass).async_clear_statistics([stat_id])
                rows = series(self._evenings, statistic, tz)
            self._import(statistic, rows)
            await asyncio.sleep(0)  # ten years are 3650 rows a statistic: one at a time

    def _differences(
        self,
        statistic: NightlyStatistic,
        found: _Recorded,
        tz: tzinfo,
        changed_early: set[date],
    ) -> list[StatisticRow] | None:
        """The rows to write of a statistic the recorder holds; None: rebuild it.

        A rebuild also when its unit is not ours any more.
        """
        if found.unit != STATISTIC_UNITS[statistic]:
            return None
        plan = plan_restart(
            self._evenings, statistic, tz, found.rows, last_row=found.last, changed=changed_early
        )
        if plan is None:
            return None
        if found.name != self._names[statistic]:
            return plan.expected  # they carry the new name to the recorder
        return plan.differing

    # ------------------------------------------------------------ corrections

    @callback
    def _async_doses_changed(self, change: DoseChange | None) -> None:
        if change is None:  # a new day (or target): the evening before is over now
            self._changed({self._insights.tonight() - _ONE_DAY})
        else:
            self._changed({night_of_intake_day(change.day.day)})

    @callback
    def _async_sleep_changed(self, change: SleepChange) -> None:
        nights = {
            night.night + timedelta(days=days) for night in change.nights for days in _SCORE_FOLLOWS
        }
        if change.streaming:  # a source may change every minute all night: once a minute
            self._streamed |= nights
            self._streaming_write.async_schedule_call()
        else:
            self._changed(nights)

    @callback
    def _write_streamed(self) -> None:
        nights, self._streamed = self._streamed, set()
        self._changed(nights)

    def _changed(self, nights: set[date]) -> None:
        if self._changed_early is not None:
            self._changed_early |= nights  # the backfill compares them with the recorder
            return
        if not nights:
            return
        tonight = self._insights.tonight()
        after = {night: self._evening(night, tonight) for night in nights}
        update = plan_update(self._evenings, after, dt_util.get_default_time_zone())
        for night, values in after.items():
            if values is None:
                self._evenings.pop(night, None)
            else:
                self._evenings[night] = values
        self._apply(update)

    def _apply(self, update: StatisticsUpdate) -> None:
        tz = dt_util.get_default_time_zone()
        if update.rebuild:
            get_instance(self._hass).async_clear_statistics(
                [self._ids[statistic] for statistic in sorted(update.rebuild)]
            )
        for statistic in sorted(update.rebuild):
            self._import(statistic, series(self._evenings, statistic, tz))
        for statistic, rows in update.rows.items():
            self._import(statistic, rows)

    # ---------------------------------------------------------------- helpers

    def _evening(self, night: date, tonight: date) -> EveningValues | None:
        return evening_values(
            self._insights.night_values().get(night),
            self._doses.log.day_total_ug(intake_day_of_night(night)),
            in_progress=night >= tonight,
        )

    def _import(self, statistic: NightlyStatistic, rows: list[StatisticRow]) -> None:
        if not rows:
            return
        metadata = StatisticMetaData(
            mean_type=StatisticMeanType.ARITHMETIC,
            has_sum=False,
            name=self._names[statistic],
            source=DOMAIN,
            statistic_id=self._ids[statistic],
            unit_class=_UNIT_CLASSES[statistic],
            unit_of_measurement=STATISTIC_UNITS[statistic],
        )
        async_add_external_statistics(
            self._hass,
            metadata,
            [
                StatisticData(start=row.start, mean=row.value, min=row.value, max=row.value)
                for row in rows
            ],
        )
