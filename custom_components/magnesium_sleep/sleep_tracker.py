"""Sleep: follow a profile's source entities and keep one record per night.

State changes of the configured entities become domain signals (domain.sources),
the domain assembles nights (domain.sleep), and nights are stored by month.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.event import async_track_state_change_event, async_track_time_change
from homeassistant.util import dt as dt_util

from .const import (
    CONF_ASLEEP_THRESHOLD,
    CONF_NIGHT_ENDS,
    CONF_NIGHT_STARTS,
    CONF_SLEEP_SOURCES,
    DOMAIN,
    EVENT_NIGHT_UPDATED,
    LOGGER,
    STALE_NIGHT_DAYS,
)
from .domain.score import SleepScore, score_night
from .domain.sleep import (
    DEFAULT_WINDOW,
    ManualEntry,
    Night,
    NightAssembler,
    NightWindow,
    Signal,
    SleepRejected,
    validate_manual,
)
from .domain.sources import DEFAULT_ASLEEP_THRESHOLD, EntityFacts, Role, signal_for
from .storage import HistoryWriteError, PartitionedHistory

# Roles whose states say when they happened (transitions, events), unlike summaries.
TIMED_ROLES = frozenset({Role.IN_BED, Role.ASLEEP, Role.SLEEP_TRACKING, Role.SLEEP_PHASE})


def entity_facts(hass: HomeAssistant, entity_id: str) -> EntityFacts:
    """What the registry and the state machine say about an entity."""
    entry = er.async_get(hass).async_get(entity_id)
    state = hass.states.get(entity_id)
    attributes: Mapping[str, Any] = state.attributes if state else {}
    if entry is None:
        return EntityFacts(
            entity_id,
            device_class=attributes.get("device_class"),
            unit=attributes.get("unit_of_measurement"),
            name=str(attributes.get("friendly_name", "")),
            state_class=attributes.get("state_class"),
        )
    return EntityFacts(
        entity_id,
        platform=entry.platform,
        device_class=entry.device_class or entry.original_device_class,
        unit=entry.unit_of_measurement or attributes.get("unit_of_measurement"),
        translation_key=entry.translation_key,
        name=str(entry.name or entry.original_name or attributes.get("friendly_name", "")),
        state_class=(entry.capabilities or {}).get("state_class"),
        disabled=entry.disabled_by is not None,
    )


def source_issue_id(entry_id: str, role: Role) -> str:
    """The repair issue raised when the source of a profile's role is gone."""
    return f"source_missing_{entry_id}_{role}"


def window_from_options(options: Mapping[str, Any]) -> NightWindow:
    """The night window a profile's options set."""
    if CONF_NIGHT_STARTS not in options:
        return DEFAULT_WINDOW
    return NightWindow(
        start=time.fromisoformat(options[CONF_NIGHT_STARTS]),
        end=time.fromisoformat(options[CONF_NIGHT_ENDS]),
    )


@dataclass(frozen=True, slots=True)
class SleepSummary:
    """What the sleep entities show: last night (if recent), its score, and now."""

    night: Night | None
    score: SleepScore | None
    in_bed: bool | None
    asleep: bool | None


class SleepTracker:
    """One profile's nights: sources in, nights stored, entities told."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        profile_name: str,
        options: Mapping[str, Any],
        changed: Callable[[], None],
    ) -> None:
        """Prepare; `async_setup` loads the nights and starts following sources."""
        self._hass = hass
        self._entry_id = entry_id
        self._profile_name = profile_name
        self._changed = changed
        self._sources: dict[str, Role] = {
            entity_id: Role(role)
            for role, entity_id in options.get(CONF_SLEEP_SOURCES, {}).items()
            if entity_id
        }
        self._facts: dict[str, EntityFacts] = {}
        self._threshold = float(options.get(CONF_ASLEEP_THRESHOLD, DEFAULT_ASLEEP_THRESHOLD))
        self._window = window_from_options(options)
        self._history = PartitionedHistory(hass, entry_id, "nights")
        self._assembler = NightAssembler(dt_util.get_default_time_zone(), self._window)
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._not_understood: set[str] = set()
        # Per summary source, the last value (state, unit) it was seen with; kept on
        # disk so a value that arrived while Home Assistant was down is still news.
        self._seen: dict[str, tuple[str, Any]] = {}
        self._seen_history = PartitionedHistory(hass, entry_id, "seen")
        # Nights whose durable write failed: written with the next change.
        self._unsaved: set[date] = set()
        self._feed_lock = asyncio.Lock()
        self.summary = SleepSummary(None, None, None, None)

    @property
    def assembler(self) -> NightAssembler:
        """The domain's view of all nights."""
        return self._assembler

    async def async_setup(self) -> None:
        """Load stored nights and follow the configured sources."""
        nights = [Night.from_dict(record) for record in await self._history.async_load()]
        self._assembler = NightAssembler(
            dt_util.get_default_time_zone(),
            self._window,
            nights,
            source_priority=list(self._sources),
        )
        self._facts = {
            entity_id: entity_facts(self._hass, entity_id) for entity_id in self._sources
        }
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
        self._seen = {
            record["entity_id"]: (record["state"], record["unit"])
            for record in await self._seen_history.async_load()
        }
        for entity_id, role in self._sources.items():
            self._check_source(entity_id, role)
        # A role left empty (as the repair suggests) has nothing missing any more.
        for role in set(Role) - set(self._sources.values()):
            ir.async_delete_issue(self._hass, DOMAIN, self._issue_id(role))
        # In-bed and asleep states carry their own time, so the current ones are safe
        # to take again (a repeat changes nothing): "in bed" is right after a restart.
        # Summary values new since we last looked (or since the source was picked) are
        # news too: they arrived while we were not listening.
        current = [
            signal
            for entity_id in self._sources
            if (state := self._hass.states.get(entity_id)) is not None
            and (signal := self._news(state)) is not None
        ]
        await self.async_feed(current, durable=False)
        self.summary = self._summarize()

    async def async_shutdown(self) -> None:
        """Stop following sources and write what is pending."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        await self._history.async_close()
        await self._seen_history.async_close()

    # ------------------------------------------------------------------ input

    async def async_feed(self, signals: Iterable[Signal], *, durable: bool) -> list[Night]:
        """Apply signals; store changed nights (awaited when `durable`); return them."""
        # Feeds take turns: each writes the nights it assembled, and one assembled
        # during another's write would otherwise be overwritten by an older copy.
        async with self._feed_lock:
            now_before = (self._assembler.in_bed_now, self._assembler.asleep_now)
            changed_keys = {key for signal in signals if (key := self._assembler.feed(signal))}
            nights = [
                night for key in sorted(changed_keys) if (night := self._assembler.night(key))
            ]
            unsaved = [
                n
                for key in sorted(self._unsaved - changed_keys)
                if (n := self._assembler.night(key))
            ]
            for night in [*nights, *unsaved]:
                partition, record_id = night.night.strftime("%Y-%m"), night.night.isoformat()
                if not durable:
                    await self._history.async_put_batched(partition, record_id, night.to_dict())
                    continue
                try:
                    await self._history.async_put(partition, record_id, night.to_dict())
                except HistoryWriteError:
                    # The assembler has it already: write it with the next change.
                    self._unsaved.add(night.night)
                    raise
                self._unsaved.discard(night.night)
            # A nap or a repeat changes no night, but in bed / asleep now may still change.
            if nights or (self._assembler.in_bed_now, self._assembler.asleep_now) != now_before:
                self.summary = self._summarize()
                self._changed()
            for night in nights:
                self._hass.bus.async_fire(
                    EVENT_NIGHT_UPDATED,
                    {"config_entry_id": self._entry_id, "night": night.night.isoformat()},
                )
            return nights

    async def async_log_sleep(self, entry: ManualEntry) -> Night:
        """Record a night entered by hand; durable before it returns."""
        try:
            validate_manual(entry, self._assembler.tz, self._window)
            nights = await self.async_feed([entry], durable=True)
        except SleepRejected as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key=err.reason
            ) from err
        return nights[0] if nights else self._night_or_raise(entry.night)

    def _night_or_raise(self, key: date) -> Night:
        if (night := self._assembler.night(key)) is None:  # pragma: no cover - fed just now
            raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_night")
        return night

    def score(self, night: Night) -> SleepScore | None:
        """The transparent score of a night, with regularity from the nights before.

        None without a total sleep (a bed sensor alone): how regular the time in bed
        was, rescaled to 100, would read as how well the person slept.
        """
        if night.total_sleep is None:
            return None
        return score_night(night, self._assembler.nights())

    @callback
    def _async_source_changed(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None and (signal := self._news(new)) is not None:
            self._hass.async_create_task(self.async_feed([signal], durable=False), eager_start=True)

    def _news(self, state: State) -> Signal | None:
        """The signal a source's state stands for, unless it was seen already.

        A value without its own time is news only when it differs from the last one
        seen: one that comes back after being unavailable, or repeats with other
        attributes, fed as if received now could file last night's value under the
        night in progress. In-bed and asleep states carry their time: a repeat is
        harmless.
        """
        if self._sources[state.entity_id] not in TIMED_ROLES:
            if state.state in {STATE_UNAVAILABLE, STATE_UNKNOWN}:
                return None
            value = _value_of(state)
            if value == self._seen.get(state.entity_id):
                return None
            self._seen[state.entity_id] = value
            self._hass.async_create_task(
                self._seen_history.async_put_batched(
                    "last",
                    state.entity_id,
                    {"entity_id": state.entity_id, "state": value[0], "unit": value[1]},
                ),
                eager_start=True,
            )
        return self._signal(state)

    def _signal(self, state: State) -> Signal | None:
        entity_id = state.entity_id
        signal = signal_for(
            self._sources[entity_id],
            self._facts[entity_id],
            state.state,
            state.attributes,
            changed_at=state.last_changed,
            now=dt_util.utcnow(),
            asleep_threshold=self._threshold,
        )
        if signal is None:
            self._note_not_understood(entity_id, state.state, state.attributes)
        return signal

    def _note_not_understood(
        self, entity_id: str, state: str, attributes: Mapping[str, Any]
    ) -> None:
        if state in {STATE_UNAVAILABLE, STATE_UNKNOWN} or entity_id in self._not_understood:
            return
        self._not_understood.add(entity_id)
        LOGGER.warning(
            "Ignoring %s of %s for %s's sleep: not understood as %s (unit %s); "
            "further such states are ignored silently",
            state,
            entity_id,
            self._profile_name,
            self._sources[entity_id],
            attributes.get("unit_of_measurement"),
        )

    # ---------------------------------------------------------------- repairs

    @callback
    def _async_registry_updated(self, event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        entity_id = event.data["entity_id"]
        if entity_id in self._sources and event.data["action"] == "remove":
            self._check_source(entity_id, self._sources[entity_id], removed=True)

    def _issue_id(self, role: Role) -> str:
        return source_issue_id(self._entry_id, role)

    def _check_source(self, entity_id: str, role: Role, *, removed: bool = False) -> None:
        issue_id = self._issue_id(role)
        exists = not removed and (
            er.async_get(self._hass).async_get(entity_id) is not None
            or self._hass.states.get(entity_id) is not None
        )
        if exists:
            ir.async_delete_issue(self._hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="source_missing",
            translation_placeholders={
                "entity_id": entity_id,
                "role": role.value,
                "profile": self._profile_name,
            },
        )

    # ---------------------------------------------------------------- summary

    def refresh(self) -> None:
        """Recompute after the day moved on (a night may have gone stale)."""
        self.summary = self._summarize()

    @callback
    def _async_window_ended(self, _now: datetime) -> None:
        self.refresh()
        self._changed()

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


def _value_of(state: State) -> tuple[str, Any]:
    """What a summary source says: its state and unit, without the other attributes."""
    return state.state, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)


def night_data(night: Night, score: SleepScore | None) -> dict[str, Any]:
    """A night and its score as JSON-safe data for responses and attributes."""
    data = night.to_dict()
    data.pop("transitions", None)
    data["score"] = None if score is None else score.total
    data["score_components"] = score_components(score)
    return data


def score_components(score: SleepScore | None) -> dict[str, dict[str, float]]:
    """Each component's points, maximum and input, for the score's attributes."""
    if score is None:
        return {}
    return {
        component.key.value: {
            "points": round(component.points, 1),
            "max_points": component.max_points,
            "value": round(component.value, 1),
        }
        for component in score.components
    }
