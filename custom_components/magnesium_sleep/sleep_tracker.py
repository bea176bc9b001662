"""Sleep: one profile's nights, assembled from its sources and stored by month.

The sources' states become domain signals (`sleep_sources.SourceReader`), the domain
assembles them into nights (`domain.sleep`), and changed nights are stored, then
published as one `SleepChange`, which entities and the bus event follow.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event, async_track_time_change
from homeassistant.util import dt as dt_util

from .const import (
    CONF_ASLEEP_THRESHOLD,
    CONF_NIGHT_ENDS,
    CONF_NIGHT_STARTS,
    CONF_SLEEP_SOURCES,
    DOMAIN,
    STALE_NIGHT_DAYS,
)
from .domain.score import RegularityIndex, SleepScore, score_night
from .domain.sleep.assembler import NightAssembler
from .domain.sleep.night import Night
from .domain.sleep.signals import ManualEntry, Signal, SleepRejected, validate_manual
from .domain.sleep.window import DEFAULT_WINDOW, NightWindow
from .publisher import Channel, Publisher
from .sleep_sources import (
    SourceReader,
    async_check_source,
    async_clear_unused_issues,
)
from .state_adapter import DEFAULT_ASLEEP_THRESHOLD, Role
from .storage import HistoryKind, HistoryWriteError, PartitionedHistory


@dataclass(frozen=True, slots=True)
class SleepSummary:
    """What the sleep entities show: last night (if recent), its score, and now."""

    night: Night | None
    score: SleepScore | None
    in_bed: bool | None
    asleep: bool | None


@dataclass(frozen=True, slots=True)
class SleepChange:
    """The nights a change touched (none when only in bed / asleep or the day moved).

    `streaming`: a sleep source's state change, which may come every minute all night;
    followers with costly work (the effect over every night) may coalesce those.
    """

    nights: tuple[Night, ...]
    streaming: bool = False


SLEEP_CHANGED: Final = Channel[SleepChange]("sleep")


def window_from_options(options: Mapping[str, Any]) -> NightWindow:
    """The night window a profile's options set."""
    if CONF_NIGHT_STARTS not in options:
        return DEFAULT_WINDOW
    return NightWindow(
        start=time.fromisoformat(options[CONF_NIGHT_STARTS]),
        end=time.fromisoformat(options[CONF_NIGHT_ENDS]),
    )


class SleepTracker:
    """One profile's nights: sources in, nights stored, changes published."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        profile_name: str,
        options: Mapping[str, Any],
        publisher: Publisher,
    ) -> None:
        """Prepare; `async_setup` loads the nights and starts following sources."""
        self._hass = hass
        self._entry_id = entry_id
        self._profile_name = profile_name
        self._publisher = publisher
        self._sources: dict[str, Role] = {
            entity_id: Role(role)
            for role, entity_id in options.get(CONF_SLEEP_SOURCES, {}).items()
            if entity_id
        }
        self._reader = SourceReader(
            hass,
            entry_id,
            profile_name,
            self._sources,
            float(options.get(CONF_ASLEEP_THRESHOLD, DEFAULT_ASLEEP_THRESHOLD)),
        )
        self._window = window_from_options(options)
        self._history = PartitionedHistory(hass, entry_id, HistoryKind.NIGHTS)
        self._assembler = NightAssembler(dt_util.get_default_time_zone(), self._window)
        # Kept next to the assembler so a night's score needs no scan of all nights.
        self._regularity = RegularityIndex()
        # The last night scored, with the regularity it was scored against (a count of
        # its updates): the summary and the night_updated event score the same night.
        self._regularity_updates = 0
        self._last_score: tuple[Night, int, SleepScore | None] | None = None
        self._unsubscribe: list[CALLBACK_TYPE] = []
        # Nights whose durable write failed: written again with the next change.
        self._unsaved: set[date] = set()
        self._feed_turn = asyncio.Lock()
        self.summary = SleepSummary(None, None, None, None)

    @property
    def assembler(self) -> NightAssembler:
        """The domain's view of all nights."""
        return self._assembler

    async def async_setup(self) -> None:
        """Load stored nights and follow the configured sources."""
        nights = await self._history.async_load(Night.from_dict)
        self._assembler = NightAssembler(
            dt_util.get_default_time_zone(),
            self._window,
            nights,
            source_priority=list(self._sources),
        )
        self._regularity = RegularityIndex.deferred(self._assembler.keys(), self._assembler.night)
        self._last_score = None
        # Loaded before following the sources: their changes update what it has seen.
        await self._reader.async_load()
        if self._sources:
            self._unsubscribe.append(
                async_track_state_change_event(
                    self._hass, list(self._sources), self._async_source_changed
                )
            )
        self._unsubscribe.append(
            self._hass.bus.async_listen(
                er.EVENT_ENTITY_REGISTRY_UPDATED, self._async_registry_updated
            )
        )
        # A night known only from an in-bed sensor ends with its window (domain rule).
        end = self._window.end
        self._unsubscribe.append(
            async_track_time_change(
                self._hass,
                self._async_window_ended,
                hour=end.hour,
                minute=end.minute,
                second=end.second,
            )
        )
        for entity_id, role in self._sources.items():
            self._check_source(entity_id, role)
        async_clear_unused_issues(self._hass, self._entry_id, self._sources.values())
        # In-bed and asleep states carry their own time, so the current ones are safe
        # to take again (a repeat changes nothing): "in bed" is right after a restart.
        # Summary values new since we last looked (or since the source was picked) are
        # news too: they arrived while we were not listening.
        current = [
            signal
            for entity_id in self._sources
            if (state := self._hass.states.get(entity_id)) is not None
            and (signal := self._reader.news(state)) is not None
        ]
        await self.async_feed(current, durable=False)
        self.summary = self._summarize()

    async def async_shutdown(self) -> None:
        """Stop following sources and write what is pending."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        await self._history.async_close()
        await self._reader.async_close()

    # ------------------------------------------------------------------ input

    async def async_feed(self, signals: Iterable[Signal], *, durable: bool) -> list[Night]:
        """Apply signals; store changed nights (awaited when `durable`); return them."""
        # Feeds take turns with a durable one: it writes the nights it assembled, and a
        # night assembled during its write would otherwise be overwritten by its older copy.
        async with self._feed_turn:
            if not durable:
                return self._feed_batched(signals)
            nights, to_store, now_changed = self._apply(signals)
            for night in to_store:
                await self._async_store(night)
            if nights or now_changed:
                self._changed(tuple(nights))
            return nights

    @callback
    def _feed_batched(self, signals: Iterable[Signal]) -> list[Night]:
        """`async_feed` without waiting for the disk: a source's change needs no task."""
        nights, to_store, now_changed = self._apply(signals)
        for night in to_store:
            self._history.put_batched(*_record(night))
        if nights or now_changed:
            self._changed(tuple(nights), streaming=True)
        return nights

    def _apply(self, signals: Iterable[Signal]) -> tuple[list[Night], list[Night], bool]:
        """Feed the assembler: changed nights, nights to store, whether "now" changed."""
        now_before = (self._assembler.in_bed_now, self._assembler.asleep_now)
        changed_keys = {key for signal in signals if (key := self._assembler.feed(signal))}
        nights = [night for key in sorted(changed_keys) if (night := self._assembler.night(key))]
        for night in nights:
            self._regularity.update(night)
            self._regularity_updates += 1
        unsaved = [
            n for key in sorted(self._unsaved - changed_keys) if (n := self._assembler.night(key))
        ]
        # A nap or a repeat changes no night, but in bed / asleep now may still change.
        now_changed = (self._assembler.in_bed_now, self._assembler.asleep_now) != now_before
        return nights, [*nights, *unsaved], now_changed

    async def _async_store(self, night: Night) -> None:
        try:
            await self._history.async_put(*_record(night))
        except HistoryWriteError:
            # The assembler has it already: write it with the next change.
            self._unsaved.add(night.night)
            raise
        self._unsaved.discard(night.night)

    async def async_log_sleep(self, entry: ManualEntry) -> Night:
        """Record a night entered by hand; durable before it returns."""
        try:
            validate_manual(entry, self._assembler.tz, self._window)
            await self.async_feed([entry], durable=True)
        except SleepRejected as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key=err.reason
            ) from err
        night = self._assembler.night(entry.night)
        if night is None:  # pragma: no cover - validated and fed just now
            raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_night")
        return night

    def score(self, night: Night) -> SleepScore | None:
        """The transparent score of a night, with regularity from the nights before.

        None without a total sleep (a bed sensor alone): how regular the time in bed
        was, rescaled to 100, would read as how well the person slept.
        """
        if night.total_sleep is None:
            return None
        if (last := self._last_score) and last[0] is night and last[1] == self._regularity_updates:
            return last[2]
        score = score_night(night, self._regularity)
        self._last_score = (night, self._regularity_updates, score)
        return score

    @callback
    def _async_source_changed(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None and (signal := self._reader.news(new)) is not None:
            if self._feed_turn.locked():
                # A durable feed is writing: take turns (rare, so a task is fine here).
                self._hass.async_create_task(self.async_feed([signal], durable=False))
            else:
                self._feed_batched([signal])

    # ---------------------------------------------------------------- repairs

    @callback
    def _async_registry_updated(self, event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        entity_id = event.data["entity_id"]
        if entity_id in self._sources and event.data["action"] == "remove":
            self._check_source(entity_id, self._sources[entity_id], removed=True)

    def _check_source(self, entity_id: str, role: Role, *, removed: bool = False) -> None:
        async_check_source(
            self._hass, self._entry_id, self._profile_name, entity_id, role, removed=removed
        )

    # ---------------------------------------------------------------- summary

    @callback
    def async_refresh(self) -> None:
        """Recompute after the day moved on (a night may have gone stale)."""
        self._changed(())

    @callback
    def _async_window_ended(self, _now: datetime) -> None:
        self.async_refresh()

    @callback
    def _changed(self, nights: tuple[Night, ...], *, streaming: bool = False) -> None:
        self.summary = self._summarize()
        self._publisher.publish(SLEEP_CHANGED, SleepChange(nights, streaming))

    def _summarize(self) -> SleepSummary:
        assembler = self._assembler
        night = assembler.last_complete(dt_util.utcnow())
        today = dt_util.now().date()
        if night is not None and night.night < today - timedelta(days=STALE_NIGHT_DAYS):
            night = None
        return SleepSummary(
            night=night,
            score=self.score(night) if night else None,
            in_bed=assembler.in_bed_now,
            asleep=assembler.asleep_now,
        )


def _record(night: Night) -> tuple[str, str, dict[str, Any]]:
    """A night as the history stores it: (month, ID, record)."""
    return night.night.strftime("%Y-%m"), night.night.isoformat(), night.to_dict()
