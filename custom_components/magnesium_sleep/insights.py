"""Insights: a profile's night history with magnesium and tags, the effect, the experiment.

The statistics are the domain's (`domain.effect`, `domain.experiment`); this module
keeps what they need at hand and durable:

* each night's outcome values, cached per night and refreshed for the nights a
  `SleepChange` names (and the 14 after them, whose regularity, and so score,
  follows from them), so the effect on ten years of nights is one O(N) pass. The
  cache is filled once the profile is set up, in slices (`_async_index`): setup does
  not wait for ten years of nights to be scored, and the loop is never held for long;
* tags (one `PartitionedHistory`, durable before `async_tag` returns);
* experiments (another one): the running plan, its end timer, and finished reports.

The effect for the profile's outcome is recomputed when doses or nights change its
input (`DOSES_CHANGED`, `SLEEP_CHANGED`), never on a timer, and published on
`INSIGHTS_CHANGED`, which the effect, tonight's plan and experiment entities follow.
A sleep source streaming changes all night refreshes it at most once a minute.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
import random
from typing import Any, Final

from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .const import (
    CONF_DOSE_NIGHT_MG,
    CONF_EFFECT_OUTCOME,
    DEFAULT_DOSE_NIGHT_MG,
    DOMAIN,
    EVENT_EXPERIMENT_FINISHED,
    LOGGER,
)
from .domain.clock import intake_day, intake_day_of_night, night_of_intake_day
from .domain.effect import (
    OUTCOME_UNITS,
    EffectEstimate,
    NightOutcome,
    Outcome,
    collect,
    estimate_effect,
    is_dose_night,
    summary,
)
from .domain.experiment import ExperimentPlan, ExperimentRejected, analyse, make_plan
from .domain.score import REGULARITY_NIGHTS
from .domain.sleep.night import Night
from .domain.sleep.window import window_bounds
from .domain.tags import NightTags, TagRejected, apply_tags, parse_tags
from .dose_tracker import DOSES_CHANGED, DoseChange, DoseTracker
from .payloads import (
    effect_payload,
    experiment_payload,
    experiment_report_payload,
    history_night_payload,
)
from .publisher import Channel, Publisher
from .sleep_tracker import SLEEP_CHANGED, SleepChange, SleepTracker
from .storage import HistoryKind, PartitionedHistory

INSIGHTS_CHANGED: Final = Channel[None]("insights")
"""The effect, tonight's plan or the experiment changed."""

_ONE_DAY: Final = timedelta(days=1)
_SEED_LIMIT: Final = 2**31
_INDEX_SLICE: Final = 32
"""Nights scored per turn of the event loop while the cache fills after setup."""
STREAMING_COOLDOWN_S: Final = 60.0
"""A streaming sleep source refreshes what follows every night (the effect, the long-term
statistics) at most this often."""


class TonightPlan(StrEnum):
    """What the running experiment says about tonight."""

    TAKE = "take"
    SKIP = "skip"
    NONE = "none"


class ExperimentStatus(StrEnum):
    """Where an experiment stands."""

    RUNNING = "running"
    FINISHED = "finished"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class Experiment:
    """A plan and when it started; the stored record."""

    plan: ExperimentPlan
    started_at: datetime
    status: ExperimentStatus = ExperimentStatus.RUNNING
    ended_at: datetime | None = None
    report: dict[str, Any] | None = None

    @property
    def record_id(self) -> str:
        """The record's key in its history."""
        return self.started_at.isoformat()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "plan": self.plan.to_dict(),
            "started_at": self.started_at.isoformat(),
            "status": self.status.value,
            "ended_at": None if self.ended_at is None else self.ended_at.isoformat(),
            "report": self.report,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Experiment:
        """Inverse of `to_dict`."""
        ended = data.get("ended_at")
        return cls(
            plan=ExperimentPlan.from_dict(data["plan"]),
            started_at=datetime.fromisoformat(data["started_at"]),
            status=ExperimentStatus(data["status"]),
            ended_at=None if ended is None else datetime.fromisoformat(ended),
            report=data.get("report"),
        )


@dataclass(frozen=True, slots=True)
class EffectResult:
    """An effect with the nights it used and how many were left out."""

    outcome: Outcome
    estimate: EffectEstimate
    used: tuple[NightOutcome, ...]
    excluded: int


@dataclass(frozen=True, slots=True)
class InsightsSummary:
    """What the insight entities show."""

    effect: dict[str, Any]
    tonight: TonightPlan
    tonight_washout: bool
    experiment: dict[str, Any] | None


def _rejected(err: TagRejected | ExperimentRejected) -> ServiceValidationError:
    return _error(err.reason, err.placeholders)


def _error(key: str, placeholders: dict[str, str] | None = None) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def _outcome_values(night: Night, score: float | None) -> dict[Outcome, float | None]:
    return {
        Outcome.SLEEP_SCORE: score,
        Outcome.TOTAL_SLEEP: night.total_sleep,
        Outcome.SLEEP_LATENCY: night.latency,
        Outcome.EFFICIENCY: night.efficiency,
        Outcome.TIME_AWAKE: night.waso,
    }


def parse_outcome(value: str | None, default: Outcome) -> Outcome:
    """An outcome by name; a translated error for an unknown one."""
    if value is None:
        return default
    try:
        return Outcome(value)
    except ValueError:
        raise _error(
            "unknown_outcome",
            {"outcome": value, "outcomes": ", ".join(o.value for o in Outcome)},
        ) from None


class Insights:
    """One profile's night history, effect and experiment."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        publisher: Publisher,
        doses: DoseTracker,
        sleep: SleepTracker,
    ) -> None:
        """Prepare; `async_setup` loads tags and experiments."""
        self._hass = hass
        self._entry = entry
        self._entry_id = entry.entry_id
        self._publisher = publisher
        self._doses = doses
        self._sleep = sleep
        self.threshold_mg = float(entry.options.get(CONF_DOSE_NIGHT_MG, DEFAULT_DOSE_NIGHT_MG))
        self.outcome = Outcome(entry.options.get(CONF_EFFECT_OUTCOME, Outcome.SLEEP_SCORE))
        self._tag_history = PartitionedHistory(hass, entry.entry_id, HistoryKind.TAGS)
        self._experiment_history = PartitionedHistory(hass, entry.entry_id, HistoryKind.EXPERIMENTS)
        self.tags: dict[date, NightTags] = {}
        self.experiments: list[Experiment] = []
        self._values: dict[date, dict[Outcome, float | None]] = {}
        self._keys: list[date] | None = None  # sorted keys of `_values`, when known
        self._phrases: dict[str, str] = {}
        self._turn = asyncio.Lock()
        self._indexed = asyncio.Event()
        self._indexing: asyncio.Task[None] | None = None
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._unsub_end: CALLBACK_TYPE | None = None
        self._streaming_refresh = Debouncer(
            hass,
            LOGGER,
            cooldown=STREAMING_COOLDOWN_S,
            immediate=False,
            function=self._refresh_effect,
        )
        self.summary = InsightsSummary({}, TonightPlan.NONE, False, None)

    # ------------------------------------------------------------------ setup

    async def async_setup(self) -> None:
        """Load tags and experiments, index the nights, follow changes, arm the end."""
        self.tags = {
            tags.night: tags for tags in await self._tag_history.async_load(NightTags.from_dict)
        }
        self.experiments = sorted(
            await self._experiment_history.async_load(Experiment.from_dict),
            key=lambda experiment: experiment.started_at,
        )
        language = self._hass.config.language
        self._phrases = await async_get_translations(self._hass, language, "exceptions", [DOMAIN])
        self._unsubscribe += [
            self._publisher.subscribe(DOSES_CHANGED, self._async_doses_changed),
            self._publisher.subscribe(SLEEP_CHANGED, self._async_sleep_changed),
        ]
        self._summarize(effect_changed=False)

    @callback
    def async_start_indexing(self) -> None:
        """Start scoring every night, once the profile is set up (see `_async_index`)."""
        self._indexing = self._entry.async_create_task(
            self._hass, self._async_index(), f"{DOMAIN} index nights {self._entry_id}"
        )

    @property
    def indexed(self) -> bool:
        """Whether every night's values are cached (shortly after setup)."""
        return self._indexed.is_set()

    async def async_wait_indexed(self) -> None:
        """Wait until every night's values are cached."""
        await self._indexed.wait()

    async def _async_index(self) -> None:
        """Cache every night's values in slices, then the effect; end an overdue experiment."""
        assembler = self._sleep.assembler
        keys = assembler.keys()
        for first in range(0, len(keys), _INDEX_SLICE):
            for key in keys[first : first + _INDEX_SLICE]:
                # A night that changed meanwhile is cached (current) already.
                if key not in self._values and (night := assembler.night(key)) is not None:
                    self._values[key] = self._night_values(night)
            await asyncio.sleep(0)
        self._keys = None
        self._indexed.set()
        self._summarize(effect_changed=True)
        running = self.running
        if running is not None and self.experiment_ends(running) <= dt_util.utcnow():
            await self.async_end_experiment(stopped_early=False)  # ended while we were away
        else:
            self._arm_end()

    async def async_shutdown(self) -> None:
        """Stop listening and timing, and write what is pending."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        if self._indexing is not None and not self._indexing.done():
            self._indexing.cancel()  # before the histories close under it
            await asyncio.wait([self._indexing])
        self._streaming_refresh.async_cancel()
        self._disarm_end()
        await self._tag_history.async_close()
        await self._experiment_history.async_close()

    # ------------------------------------------------------------ the nights

    def _night_values(self, night: Night) -> dict[Outcome, float | None]:
        score = self._sleep.score(night)
        return _outcome_values(night, None if score is None else score.total)

    def night_values(self) -> Mapping[date, Mapping[Outcome, float | None]]:
        """Each recorded night's outcome values (score, total sleep, ...), kept current.

        Read-only; up to date for a `SleepChange` by the time later subscribers hear it.
        """
        return self._values

    @callback
    def _async_sleep_changed(self, change: SleepChange) -> None:
        if not change.nights:
            return
        assembler = self._sleep.assembler
        # A night's score takes its regularity from the 14 nights before it.
        keys = {
            night.night + timedelta(days=offset)
            for night in change.nights
            for offset in range(REGULARITY_NIGHTS + 1)
        }
        outcome_changed = False
        for key in keys:
            if (night := assembler.night(key)) is not None:
                before = self._values.get(key)
                if before is None:
                    self._keys = None
                after = self._values[key] = self._night_values(night)
                outcome_changed |= before is None or before[self.outcome] != after[self.outcome]
        if not outcome_changed:
            return  # e.g. in bed while the night's total is still unknown
        if change.streaming:
            self._streaming_refresh.async_schedule_call()
        else:
            self._summarize(effect_changed=True)

    @callback
    def _refresh_effect(self) -> None:
        self._summarize(effect_changed=True)

    @callback
    def _async_doses_changed(self, change: DoseChange | None) -> None:
        # Usually tonight's dose, whose night has no record yet: the effect stays.
        # Without a dose (a new day), only tonight's plan may have moved on.
        night = None if change is None else night_of_intake_day(change.day.day)
        self._summarize(effect_changed=night in self._values)

    def tonight(self) -> date:
        """The night that follows the current intake day."""
        profile = self._doses.profile
        today = intake_day(dt_util.utcnow(), dt_util.get_default_time_zone(), profile.day_starts_at)
        return night_of_intake_day(today)

    def magnesium_ug(self, night: date) -> int:
        """Supplemental elemental micrograms counted to the night's intake day."""
        return self._doses.log.day_total_ug(intake_day_of_night(night))

    def dosed(self, night: date) -> bool:
        """Whether `night` is a dose night by the profile's threshold."""
        return is_dose_night(self.magnesium_ug(night), self.threshold_mg)

    def history(self, start: date, end: date) -> list[dict[str, Any]]:
        """Nights from `start` to `end` (both included) with a record or tags, oldest first."""
        assembler = self._sleep.assembler
        nights: list[dict[str, Any]] = []
        for key in _days(start, end):
            night = assembler.night(key)
            tags = self.tags.get(key)
            if night is None and tags is None:
                continue
            score = None if night is None else self._sleep.score(night)
            nights.append(history_night_payload(key, night, score, self.magnesium_ug(key), tags))
        return nights

    def all_nights(self) -> list[dict[str, Any]]:
        """Every night with a record or tags, oldest first."""
        keys = set(self._values) | set(self.tags)
        return self.history(min(keys), max(keys)) if keys else []

    # ------------------------------------------------------------------ tags

    async def async_tag(
        self, night: date, raw_tags: list[str], *, note: str | None, remove: bool
    ) -> dict[str, Any]:
        """Add or remove tags (and set a note) on a night; durable before it returns."""
        try:
            tags = parse_tags(raw_tags)
        except TagRejected as err:
            raise _rejected(err) from err
        if night > self.tonight():
            raise _error("tag_night_in_future")
        await self.async_wait_indexed()
        async with self._turn:
            current = self.tags.get(night, NightTags(night))
            updated = apply_tags(current, tags, note=note, remove=remove)
            partition, record_id = night.strftime("%Y-%m"), night.isoformat()
            if updated.is_empty:
                if night in self.tags:
                    await self._tag_history.async_delete(partition, record_id)
                self.tags.pop(night, None)
            else:
                await self._tag_history.async_put(partition, record_id, updated.to_dict())
                self.tags[night] = updated
        self._summarize(effect_changed=True)
        return self.history(night, night)[0] if night in self.tags else {"night": record_id}

    def _tagged(self) -> set[date]:
        return {night for night, tags in self.tags.items() if tags.tags}

    # ---------------------------------------------------------------- effect

    def effect(
        self, outcome: Outcome, start: date | None, end: date | None, *, exclude_tagged: bool
    ) -> EffectResult:
        """The effect of dose nights on `outcome` between `start` and `end` (included)."""
        if self._keys is None:
            self._keys = sorted(self._values)
        keys = self._keys
        first = 0 if start is None else bisect_left(keys, start)
        last = len(keys) if end is None else bisect_right(keys, end)
        used, excluded = collect(
            ((night, self._values[night][outcome]) for night in keys[first:last]),
            self.magnesium_ug,
            self.threshold_mg,
            self._tagged() if exclude_tagged else (),
        )
        return EffectResult(outcome, estimate_effect(used), tuple(used), excluded)

    def effect_payload(self, result: EffectResult, *, with_nights: bool = True) -> dict[str, Any]:
        """The effect as responses and attributes show it, with its sentence."""
        return effect_payload(
            result.outcome,
            result.estimate,
            result.used if with_nights else (),
            excluded=result.excluded,
            summary=self.sentence(result.outcome, result.estimate),
            summary_key=summary(result.estimate)[0],
            evidence_note=self._phrase("evidence_note"),
        )

    def sentence(self, outcome: Outcome, estimate: EffectEstimate) -> str:
        """The one-sentence summary in Home Assistant's language."""
        key, numbers = summary(estimate)
        comma = self._hass.config.language.startswith("nl")
        shown = {
            name: str(value) if isinstance(value, int) else _number(value, comma=comma)
            for name, value in numbers.items()
        }
        unit = {"points": "unit_points", "min": "unit_minutes", "%": "unit_percent_points"}
        return self._phrase(
            f"effect_{key}",
            outcome=self._phrase(f"outcome_{outcome.value}"),
            unit=self._phrase(unit[OUTCOME_UNITS[outcome]]),
            **shown,
        )

    def _phrase(self, key: str, **placeholders: str) -> str:
        template = self._phrases[f"component.{DOMAIN}.exceptions.{key}.message"]
        return template.format(**placeholders)

    # ------------------------------------------------------------ experiment

    @property
    def running(self) -> Experiment | None:
        """The experiment under way, if any."""
        latest = self.experiments[-1] if self.experiments else None
        return latest if latest and latest.status is ExperimentStatus.RUNNING else None

    def experiment_ends(self, experiment: Experiment) -> datetime:
        """The morning after the last night, when that night's window closes."""
        _, end = window_bounds(
            experiment.plan.last_night,
            dt_util.get_default_time_zone(),
            self._sleep.assembler.window,
        )
        return end

    async def async_start_experiment(
        self,
        *,
        weeks: int,
        block_days: int,
        washout_nights: int,
        seed: int | None,
        outcome: Outcome,
    ) -> dict[str, Any]:
        """Plan an experiment from tonight on and store it; durable before it returns."""
        async with self._turn:
            if self.running is not None:
                raise _error("experiment_running")
            try:
                plan = make_plan(
                    self.tonight(),
                    seed=random.SystemRandom().randrange(_SEED_LIMIT) if seed is None else seed,
                    outcome=outcome,
                    weeks=weeks,
                    block_days=block_days,
                    washout_nights=washout_nights,
                )
            except ExperimentRejected as err:
                raise _rejected(err) from err
            experiment = Experiment(plan, dt_util.utcnow())
            await self._store(experiment)
            self.experiments.append(experiment)
            self._arm_end()
        self._summarize(effect_changed=False)
        return {
            **experiment_payload(plan, experiment.started_at, self.experiment_ends(experiment)),
            "evidence": "low",
            "evidence_note": self._phrase("evidence_note"),
            "safety_note": self._phrase("experiment_safety_note"),
        }

    async def async_end_experiment(self, *, stopped_early: bool) -> dict[str, Any]:
        """End the running experiment: analyse it by plan, store, announce, return the report."""
        await self.async_wait_indexed()
        async with self._turn:
            experiment = self.running
            if experiment is None:
                raise _error("no_experiment")
            plan = experiment.plan
            last_night = self.tonight() - _ONE_DAY if stopped_early else plan.last_night
            values = {
                night: self._values.get(night, {}).get(plan.outcome) for night, _ in plan.nights()
            }
            report = analyse(plan, values, self.dosed, min(last_night, plan.last_night))
            result = EffectResult(plan.outcome, report.estimate, report.used, 0)
            payload = {
                **self.effect_payload(result),
                **experiment_report_payload(report),
                **experiment_payload(plan, experiment.started_at, self.experiment_ends(experiment)),
                "stopped_early": stopped_early,
            }
            del payload["nights_excluded"]  # by plan: nothing is excluded
            ended = replace(
                experiment,
                status=ExperimentStatus.STOPPED if stopped_early else ExperimentStatus.FINISHED,
                ended_at=dt_util.utcnow(),
                report=payload,
            )
            await self._store(ended)
            self.experiments[-1] = ended
            self._disarm_end()
        self._hass.bus.async_fire(
            EVENT_EXPERIMENT_FINISHED, {"config_entry_id": self._entry_id, **payload}
        )
        if not stopped_early:
            self._notify_finished(payload)
        self._summarize(effect_changed=False)
        return payload

    async def _store(self, experiment: Experiment) -> None:
        await self._experiment_history.async_put(
            experiment.plan.first_night.strftime("%Y-%m"),
            experiment.record_id,
            experiment.to_dict(),
        )

    def _arm_end(self) -> None:
        self._disarm_end()
        if (running := self.running) is not None:
            self._unsub_end = async_track_point_in_utc_time(
                self._hass, self._async_planned_end, self.experiment_ends(running)
            )

    def _disarm_end(self) -> None:
        if self._unsub_end is not None:
            self._unsub_end()
            self._unsub_end = None

    async def _async_planned_end(self, _now: datetime) -> None:
        self._unsub_end = None
        try:
            await self.async_end_experiment(stopped_early=False)
        except ServiceValidationError:  # pragma: no cover - stopped in the same instant
            LOGGER.debug("Experiment of %s already ended", self._entry_id)

    def _notify_finished(self, report: dict[str, Any]) -> None:
        name = self._doses.profile.name
        adherence = report["adherence"]
        comma = self._hass.config.language.startswith("nl")
        persistent_notification.async_create(
            self._hass,
            self._phrase(
                "experiment_finished_notice",
                name=name,
                summary=report["summary"],
                adherence="-" if adherence is None else _number(adherence, comma=comma, digits=0),
                nights_washout=str(report["nights_washout"]),
                safety_note=self._phrase("experiment_safety_note"),
            ),
            title=self._phrase("experiment_finished_notice_title", name=name),
            notification_id=f"{DOMAIN}_{self._entry_id}_experiment_finished",
        )

    # --------------------------------------------------------------- summary

    @callback
    def _summarize(self, *, effect_changed: bool) -> None:
        """Refresh what the entities show; the effect (O(nights)) only when its data changed."""
        effect = self.summary.effect
        if effect_changed and self.indexed:
            # Without its nights: as attributes they would bloat the history.
            result = self.effect(self.outcome, None, None, exclude_tagged=True)
            effect = self.effect_payload(result, with_nights=False)
            del effect["nights"]
        running = self.running
        tonight, washout, experiment = TonightPlan.NONE, False, None
        if running is not None:
            night = self.tonight()
            take = running.plan.take(night)
            if take is not None:
                tonight = TonightPlan.TAKE if take else TonightPlan.SKIP
                washout = running.plan.is_washout(night)
            experiment = experiment_payload(
                running.plan, running.started_at, self.experiment_ends(running)
            )
            del experiment["plan"]
        self.summary = InsightsSummary(effect, tonight, washout, experiment)
        self._publisher.publish(INSIGHTS_CHANGED, None)


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += _ONE_DAY


def _number(value: float, *, comma: bool, digits: int = 1) -> str:
    shown = f"{value:.{digits}f}"
    if shown.startswith("-") and not shown.strip("-0.,"):
        shown = shown[1:]  # "-0.0" reads as a direction that isn't there
    return shown.replace(".", ",") if comma else shown
