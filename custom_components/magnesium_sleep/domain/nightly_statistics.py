"""Nightly long-term statistics: which hourly row each night's values get.

Home Assistant keeps long-term statistics as hourly rows and groups them into days by
its own time zone. A night is keyed by its evening's date D (`clock`), so its row must
fall on local day D wherever the house is:

* **The hour of night D** is local noon of D, floored to the UTC hour
  (:func:`statistic_hour`). Rows start on a whole UTC hour; flooring moves noon back
  by at most the offset's minutes (11:30 in India, 11:15 in Nepal), so the row is
  still on day D with any offset, also on DST days, whose changes happen at night.
  Consecutive nights' hours are a day apart, give or take the DST hour: distinct and
  in night order.
* **Which nights have a row.** A sleep statistic has a row for each night with that
  value (a night without a latency has no latency row, never a guessed one). The
  magnesium statistic has a row for each evening with a night record or a dose: the
  evening's elemental supplements, 0 mg on a night without a dose. The evening in
  progress (its intake day has not ended) gets its row when its night begins, or else
  when the day ends: until then its total is still moving, and a dose logged and
  undone (the card's *Undo*) leaves no row behind that would have to be deleted.
* **Units.** Score and efficiency in %, total sleep in hours (charts read 7.3 h), time
  to fall asleep in minutes, magnesium in mg; the values `get_nights` gives (night
  values to 0.1, magnesium to the microgram), total sleep's minutes divided by 60.
* **Corrections** (:func:`plan_update`). A changed row is written again (a row with the
  same start replaces the old one). A row that must disappear (its value is gone)
  cannot be deleted alone: that statistic is rebuilt, all of its rows written anew.
* **Backfill** (:func:`plan_backfill`): what the recorder holds of the latest nights is
  compared with what it should hold; only differences are written, and a row it should
  not have rebuilds the statistic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache
from typing import Final, NamedTuple, assert_never

from .effect import Outcome
from .score import REGULARITY_NIGHTS
from .sleep.night import shown

_NOON: Final = time(12)


class NightlyStatistic(StrEnum):
    """The statistics one profile keeps, by the suffix of their IDs."""

    SLEEP_SCORE = "sleep_score"
    TOTAL_SLEEP = "total_sleep"
    TIME_TO_FALL_ASLEEP = "time_to_fall_asleep"
    EFFICIENCY = "sleep_efficiency"
    MAGNESIUM = "magnesium"


STATISTIC_UNITS: Final[Mapping[NightlyStatistic, str]] = {
    NightlyStatistic.SLEEP_SCORE: "%",
    NightlyStatistic.TOTAL_SLEEP: "h",
    NightlyStatistic.TIME_TO_FALL_ASLEEP: "min",
    NightlyStatistic.EFFICIENCY: "%",
    NightlyStatistic.MAGNESIUM: "mg",
}
"""The unit of each statistic's values."""


@dataclass(frozen=True, slots=True)
class EveningValues:
    """One evening's values as `get_nights` gives them (minutes, %, mg); None: not known."""

    sleep_score: float | None = None
    total_sleep_min: float | None = None
    latency_min: float | None = None
    efficiency: float | None = None
    magnesium_mg: float | None = None

    def value(self, statistic: NightlyStatistic) -> float | None:
        """The statistic's value for this evening, in its unit; None: no row."""
        match statistic:
            case NightlyStatistic.SLEEP_SCORE:
                return self.sleep_score
            case NightlyStatistic.TOTAL_SLEEP:
                minutes = self.total_sleep_min
                return None if minutes is None else minutes / 60
            case NightlyStatistic.TIME_TO_FALL_ASLEEP:
                return self.latency_min
            case NightlyStatistic.EFFICIENCY:
                return self.efficiency
            case NightlyStatistic.MAGNESIUM:
                return self.magnesium_mg
            case _:  # pragma: no cover - exhaustive
                assert_never(statistic)


def evening_values(
    night: Mapping[Outcome, float | None] | None, magnesium_ug: int, *, in_progress: bool = False
) -> EveningValues | None:
    """An evening's values from its night's outcomes (if recorded) and its doses.

    None when the evening has no row at all: it has neither a night record nor a dose,
    or it is still `in_progress` (its intake day has not ended) and its night has not
    begun, so its total can still change.
    """
    if night is None:
        if magnesium_ug <= 0 or in_progress:
            return None
        return EveningValues(magnesium_mg=magnesium_ug / 1000)
    return EveningValues(
        sleep_score=_shown(night.get(Outcome.SLEEP_SCORE)),
        total_sleep_min=_shown(night.get(Outcome.TOTAL_SLEEP)),
        latency_min=_shown(night.get(Outcome.SLEEP_LATENCY)),
        efficiency=_shown(night.get(Outcome.EFFICIENCY)),
        magnesium_mg=magnesium_ug / 1000,
    )


def _shown(value: float | None) -> float | None:
    return None if value is None else shown(value)


class StatisticRow(NamedTuple):
    """One hourly row: its start (UTC, on the whole hour) and its value."""

    start: datetime
    value: float


@lru_cache(maxsize=8192)  # a backfill asks for each night's hour once per statistic
def statistic_hour(night: date, tz: tzinfo) -> datetime:
    """The UTC hour of night `night`'s rows: local noon of that date, floored to the hour."""
    noon = datetime.combine(night, _NOON, tzinfo=tz).astimezone(UTC)
    return noon.replace(minute=0, second=0, microsecond=0)


def night_of_hour(start: datetime, tz: tzinfo) -> date | None:
    """The night whose row starts at `start`; None when no night's row starts there."""
    night = start.astimezone(tz).date()
    return night if statistic_hour(night, tz) == start else None


def series(
    evenings: Mapping[date, EveningValues],
    statistic: NightlyStatistic,
    tz: tzinfo,
    *,
    since: date | None = None,
) -> list[StatisticRow]:
    """The statistic's rows for the evenings (from `since` on, if given), oldest first."""
    return rows_of(
        (night for night in evenings if since is None or night >= since),
        evenings,
        statistic,
        tz,
    )


def rows_of(
    nights: Iterable[date],
    evenings: Mapping[date, EveningValues],
    statistic: NightlyStatistic,
    tz: tzinfo,
) -> list[StatisticRow]:
    """The statistic's rows of some `nights` (those with a value), oldest first."""
    rows = []
    for night in sorted(nights):
        values = evenings.get(night)
        value = None if values is None else values.value(statistic)
        if value is not None:
            rows.append(StatisticRow(statistic_hour(night, tz), value))
    return rows


@dataclass(frozen=True, slots=True)
class StatisticsUpdate:
    """What a change asks of the recorder.

    `rebuild`: statistics that lost a row, to clear and write again in full (from the
    evenings after the change); `rows`: the changed rows of the other statistics.
    """

    rebuild: frozenset[NightlyStatistic]
    rows: Mapping[NightlyStatistic, list[StatisticRow]]

    @property
    def is_empty(self) -> bool:
        """Whether the recorder has nothing to do."""
        return not self.rebuild and not self.rows


def plan_update(
    before: Mapping[date, EveningValues],
    after: Mapping[date, EveningValues | None],
    tz: tzinfo,
) -> StatisticsUpdate:
    """What changes in the statistics when evenings change from `before` to `after`.

    `after` holds the changed evenings (None: the evening has no row any more);
    `before` what they were (an evening not in it had no row). Unchanged values
    write nothing.
    """
    rebuild: set[NightlyStatistic] = set()
    rows: dict[NightlyStatistic, list[StatisticRow]] = {}
    for statistic in NightlyStatistic:
        changed = []
        for night in sorted(after):
            old, new = before.get(night), after[night]
            old_value = None if old is None else old.value(statistic)
            new_value = None if new is None else new.value(statistic)
            if new_value == old_value:
                continue
            if new_value is None:
                rebuild.add(statistic)
                break
            changed.append(StatisticRow(statistic_hour(night, tz), new_value))
        if statistic not in rebuild and changed:
            rows[statistic] = changed
    return StatisticsUpdate(frozenset(rebuild), rows)


def plan_backfill(
    expected: Sequence[StatisticRow], recorded: Mapping[datetime, float | None]
) -> list[StatisticRow] | None:
    """The rows to write so that the recorder's rows in a window equal `expected`.

    `recorded`: the rows the recorder holds in that window (start: mean). None when it
    holds a row that should not be there: only a rebuild can remove it.
    """
    starts = {row.start for row in expected}
    if any(start not in starts for start in recorded):
        return None
    return [row for row in expected if recorded.get(row.start, _MISSING) != row.value]


_MISSING: Final = object()


OVERLAP: Final = timedelta(days=REGULARITY_NIGHTS)
"""How far before the recorder's last row a start compares: a night changed just before a
stop changed the scores of the nights after it too."""


class RestartPlan(NamedTuple):
    """What a start writes of a statistic the recorder holds already."""

    expected: list[StatisticRow]
    """The rows compared: of the latest nights, and of earlier nights that changed."""
    differing: list[StatisticRow]
    """Those of them the recorder lacks or holds with another value."""


def plan_restart(
    evenings: Mapping[date, EveningValues],
    statistic: NightlyStatistic,
    tz: tzinfo,
    recorded: Mapping[datetime, float | None],
    *,
    last_row: datetime,
    changed: Iterable[date] = (),
) -> RestartPlan | None:
    """Compare the recorder's rows with the history after a start.

    Compared: the nights from `OVERLAP` before the recorder's `last_row` on, and the
    `changed` nights before them (which changed while the rows were worked out).
    `recorded` holds the recorder's rows of those hours (more are ignored). None:
    rebuild the statistic, when its last row is not on one of this time zone's hours or
    it holds a compared row that should not be there.
    """
    last_night = night_of_hour(last_row, tz)
    if last_night is None:
        return None
    since = last_night - OVERLAP
    start = statistic_hour(since, tz)
    earlier = {night for night in changed if night < since}
    hours = {statistic_hour(night, tz) for night in earlier}
    expected = rows_of(
        [*earlier, *(night for night in evenings if night >= since)], evenings, statistic, tz
    )
    differing = plan_backfill(
        expected, {hour: v for hour, v in recorded.items() if hour >= start or hour in hours}
    )
    return None if differing is None else RestartPlan(expected, differing)
