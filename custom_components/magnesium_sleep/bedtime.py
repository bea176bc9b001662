"""Bedtime: one timer at the next scheduled moment, the wind-down state and the routine's events.

The schedule is the domain's (`domain.schedule`); this shell arms one timer at the
nearest thing that will happen (a moment, or the end of a running wind-down), handles
what is due when it fires, and arms the next one. Nothing polls. What was handled for
which evening is on disk before its event fires, so after a restart nothing fires
twice, and a moment missed while Home Assistant was down still fires until its evening
ends. Sleep sources add went to bed, fell asleep, woke up and night recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import CALLBACK_TYPE, Context, Event, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import (
    CONF_BEDTIME,
    CONF_DOSE_REMINDER_MINUTES,
    CONF_WEEKEND_BEDTIME,
    CONF_WIND_DOWN_GRACE_MINUTES,
    CONF_WIND_DOWN_MINUTES,
    DOMAIN,
)
from .domain.clock import intake_day_of_night
from .domain.doses import DayStatus, day_status
from .domain.schedule import (
    DEFAULT_BEDTIME,
    DEFAULT_DOSE_REMINDER_MINUTES,
    DEFAULT_GRACE_MINUTES,
    DEFAULT_WIND_DOWN_MINUTES,
    BedtimeSettings,
    Evening,
    Moment,
    current_evening,
    due,
    evening_plan,
    evenings_around,
    manual_wind_down_end,
    next_moments,
)
from .domain.sleep.window import span_of
from .dose_tracker import DoseTracker
from .payloads import night_payload, tonight_payload
from .publisher import Channel, Publisher
from .sleep_tracker import SLEEP_CHANGED, SleepChange, SleepTracker

STORAGE_VERSION: Final = 1
KEEP_EVENINGS: Final = timedelta(days=7)
"""How long what was handled for an evening is remembered."""


class RoutineEvent(StrEnum):
    """The bedtime routine's event types; each also fires `magnesium_sleep_<type>`."""

    WIND_DOWN_STARTED = Moment.WIND_DOWN.value
    DOSE_REMINDER = Moment.DOSE_REMINDER.value
    BEDTIME = Moment.BEDTIME.value
    WENT_TO_BED = "went_to_bed"
    FELL_ASLEEP = "fell_asleep"
    WOKE_UP = "woke_up"
    NIGHT_RECORDED = "night_recorded"


@dataclass(frozen=True, slots=True)
class RoutineChange:
    """The wind-down or the schedule changed; with an event when one fired."""

    event: RoutineEvent | None = None
    data: Mapping[str, Any] | None = None


BEDTIME_CHANGED: Final = Channel[RoutineChange]("bedtime")
DOSE_REMINDER_DUE: Final = Channel[Evening]("dose_reminder")
"""The evening's dose reminder is due and no dose was taken yet (for notifications)."""


def bedtime_settings(options: Mapping[str, Any], day_starts_at: time) -> BedtimeSettings:
    """The schedule settings in a profile's options; defaults for what is not set."""
    weekend = options.get(CONF_WEEKEND_BEDTIME)
    return BedtimeSettings(
        bedtime=time.fromisoformat(options.get(CONF_BEDTIME) or DEFAULT_BEDTIME.isoformat()),
        weekend_bedtime=time.fromisoformat(weekend) if weekend else None,
        wind_down_minutes=int(options.get(CONF_WIND_DOWN_MINUTES, DEFAULT_WIND_DOWN_MINUTES)),
        dose_reminder_minutes=int(
            options.get(CONF_DOSE_REMINDER_MINUTES, DEFAULT_DOSE_REMINDER_MINUTES)
        ),
        grace_minutes=int(options.get(CONF_WIND_DOWN_GRACE_MINUTES, DEFAULT_GRACE_MINUTES)),
        day_starts_at=day_starts_at,
    )


def _routine_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.bedtime")


async def async_remove_routine_state(hass: HomeAssistant, entry_id: str) -> None:
    """Delete a removed profile's routine state from disk."""
    await _routine_store(hass, entry_id).async_remove()


class _RoutineState:
    """What the routine remembers on disk, per evening (ISO dates as keys)."""

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        data = data or {}
        self.handled: dict[str, list[str]] = dict(data.get("handled", {}))
        # A wind-down started by hand ends at its own time; one ended early, then.
        self.manual_end: dict[str, str] = dict(data.get("manual_end", {}))
        self.ended_at: dict[str, str] = dict(data.get("ended_at", {}))
        self.night_recorded: str | None = data.get("night_recorded")

    def as_dict(self) -> dict[str, Any]:
        return {
            "handled": self.handled,
            "manual_end": self.manual_end,
            "ended_at": self.ended_at,
            "night_recorded": self.night_recorded,
        }

    def handled_set(self) -> set[tuple[date, Moment]]:
        return {
            (date.fromisoformat(evening), Moment(moment))
            for evening, moments in self.handled.items()
            for moment in moments
        }

    def is_handled(self, evening: date, moment: Moment) -> bool:
        return moment.value in self.handled.get(evening.isoformat(), [])

    def mark(self, evening: date, moment: Moment) -> None:
        moments = self.handled.setdefault(evening.isoformat(), [])
        if moment.value not in moments:
            moments.append(moment.value)

    def forget_before(self, oldest: date) -> None:
        for table in (self.handled, self.manual_end, self.ended_at):
            for evening in [key for key in table if date.fromisoformat(key) < oldest]:
                del table[evening]


class BedtimeRoutine:
    """One profile's bedtime: schedule timer, wind-down state, routine events."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        *,
        publisher: Publisher,
        doses: DoseTracker,
        sleep: SleepTracker,
        owner: Callable[[], dict[str, Any]],
    ) -> None:
        """Prepare; `async_setup` loads what was handled and arms the timer."""
        self._hass = hass
        self._entry = entry
        self._publisher = publisher
        self._doses = doses
        self._sleep = sleep
        self._owner = owner
        self._store = _routine_store(hass, entry.entry_id)
        self._state = _RoutineState()
        self._turn = asyncio.Lock()
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._in_bed: bool | None = None
        self._asleep: bool | None = None

    # ------------------------------------------------------------------ reading

    @property
    def tz(self) -> tzinfo:
        """Home Assistant's time zone now (it can change while running)."""
        return dt_util.get_default_time_zone()

    @property
    def settings(self) -> BedtimeSettings:
        """The schedule settings as the options hold them now."""
        return bedtime_settings(self._entry.options, self._doses.profile.day_starts_at)

    def plan(self, evening: date) -> Evening:
        """An evening's plan in the current settings and time zone."""
        return evening_plan(evening, self.settings, self.tz)

    def _wind_down_end(self, plan: Evening) -> datetime | None:
        """When a started wind-down of this evening ends; None if it did not start."""
        key = plan.day.isoformat()
        if not self._state.is_handled(plan.day, Moment.WIND_DOWN):
            return None
        end = plan.end
        if manual := self._state.manual_end.get(key):
            end = dt_util.parse_datetime(manual) or end
        if ended := self._state.ended_at.get(key):
            end = min(end, dt_util.parse_datetime(ended) or end)
        return end

    def _active(self, now: datetime) -> list[tuple[Evening, datetime]]:
        return [
            (plan, end)
            for plan in evenings_around(now, self.settings, self.tz)
            if (end := self._wind_down_end(plan)) is not None and now < end
        ]

    @property
    def wind_down(self) -> bool:
        """Whether the person is winding down now."""
        return bool(self._active(dt_util.utcnow()))

    @property
    def current_wind_down(self) -> tuple[Evening, datetime] | None:
        """The running wind-down's evening and when it ends; None when none runs."""
        return next(iter(self._active(dt_util.utcnow())), None)

    @property
    def next_wind_down(self) -> datetime:
        """When the next wind-down starts (after now)."""
        return next_moments(dt_util.utcnow(), self.settings, self.tz)[Moment.WIND_DOWN].at

    def dose_status(self, evening: date) -> DayStatus:
        """Doses of an evening (its intake day) against the target."""
        return day_status(self._doses.log, self._doses.profile, evening)

    # -------------------------------------------------------------- lifecycle

    async def async_setup(self) -> None:
        """Load what was handled and follow sleep and settings; `async_start` arms."""
        self._state = _RoutineState(await self._store.async_load())
        summary = self._sleep.summary
        self._in_bed, self._asleep = summary.in_bed, summary.asleep
        if self._state.night_recorded is None and summary.night is not None:
            # Nights recorded before the routine existed are not news.
            self._state.night_recorded = summary.night.night.isoformat()
        self._unsubscribe += [
            self._publisher.subscribe(SLEEP_CHANGED, self._async_sleep_changed),
            self._hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, self._async_config_updated),
        ]

    async def async_start(self) -> None:
        """Handle what is due (missed while Home Assistant was down) and arm the timer."""
        await self._async_tick()

    async def async_shutdown(self) -> None:
        """Stop the timer and the listeners."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        self._cancel_timer()

    def _cancel_timer(self) -> None:
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None

    # ---------------------------------------------------------------- changes

    async def async_update_settings(self, changes: Mapping[str, Any]) -> None:
        """Store changed settings in the options (no reload) and re-plan."""
        self._hass.config_entries.async_update_entry(
            self._entry, options={**self._entry.options, **changes}
        )
        await self._async_tick()

    async def async_start_wind_down(self, context: Context | None = None) -> None:
        """Start tonight's wind-down now (a button or voice command); running, it goes on."""
        async with self._turn:
            if self.wind_down:
                # Saying it twice must not run the automations on `wind_down_started` twice.
                return
            now = dt_util.utcnow()
            plan = current_evening(now, self.settings, self.tz)
            key = plan.day.isoformat()
            self._state.mark(plan.day, Moment.WIND_DOWN)
            self._state.ended_at.pop(key, None)
            self._state.manual_end[key] = manual_wind_down_end(
                now, plan, self.settings.grace_minutes
            ).isoformat()
            await self._async_save()
            self._fire(RoutineEvent.WIND_DOWN_STARTED, self._tonight(plan), context)
            self._arm(now)

    async def async_end_wind_down(self, context: Context | None = None) -> None:
        """End the wind-down now; before it started, skip tonight's."""
        async with self._turn:
            now = dt_util.utcnow()
            plans = [plan for plan, _end in self._active(now)] or [
                current_evening(now, self.settings, self.tz)
            ]
            for plan in plans:
                self._state.mark(plan.day, Moment.WIND_DOWN)
                self._state.ended_at[plan.day.isoformat()] = now.isoformat()
            await self._async_save()
            self._arm(now)

    @callback
    def _async_config_updated(self, event: Event[Mapping[str, Any]]) -> None:
        if "time_zone" in event.data:
            self._hass.async_create_task(self._async_tick(), eager_start=True)

    @callback
    def _async_timer(self, _now: datetime) -> None:
        self._unsub_timer = None
        self._hass.async_create_task(self._async_tick(), eager_start=True)

    async def _async_tick(self) -> None:
        """Handle what is due, remember it on disk, fire it, and arm the next timer."""
        async with self._turn:
            now = dt_util.utcnow()
            settings, tz = self.settings, self.tz
            pending = due(now, settings, tz, self._state.handled_set())
            for scheduled in pending:
                self._state.mark(scheduled.evening, scheduled.moment)
            if pending:
                self._state.forget_before(now.date() - KEEP_EVENINGS)
                await self._async_save()
            for scheduled in pending:
                plan = evening_plan(scheduled.evening, settings, tz)
                status = self.dose_status(plan.day)
                if scheduled.moment is Moment.DOSE_REMINDER:
                    if status.dose_count:
                        continue  # taken already: nothing to remind of
                    self._publisher.publish(DOSE_REMINDER_DUE, plan)
                self._fire(RoutineEvent(scheduled.moment.value), tonight_payload(plan, status))
            self._arm(now)

    def _arm(self, now: datetime) -> None:
        """One timer at the nearest next moment or wind-down end; tell the entities."""
        self._cancel_timer()
        upcoming = [
            scheduled.at for scheduled in next_moments(now, self.settings, self.tz).values()
        ]
        upcoming += [end for _plan, end in self._active(now)]
        self._unsub_timer = async_track_point_in_utc_time(
            self._hass, self._async_timer, min(upcoming)
        )
        self._publisher.publish(BEDTIME_CHANGED, RoutineChange())

    async def _async_save(self) -> None:
        await self._store.async_save(self._state.as_dict())

    # ------------------------------------------------------------------ sleep

    @callback
    def _async_sleep_changed(self, change: SleepChange) -> None:
        self._hass.async_create_task(self._async_follow_sleep(change), eager_start=True)

    async def _async_follow_sleep(self, change: SleepChange) -> None:
        summary = self._sleep.summary
        went_to_bed = bool(summary.in_bed) and not self._in_bed
        fell_asleep = bool(summary.asleep) and not self._asleep
        # Awake: asleep turns off; with no asleep source, leaving the bed.
        woke_up = (self._asleep and summary.asleep is False) or (
            summary.asleep is None and self._in_bed and summary.in_bed is False
        )
        self._in_bed, self._asleep = summary.in_bed, summary.asleep
        now = dt_util.utcnow()
        evening = span_of(now, self._sleep.assembler.tz, self._sleep.assembler.window)
        plan = self.plan(intake_day_of_night(evening))
        async with self._turn:
            if went_to_bed or fell_asleep:
                for active, _end in self._active(now):
                    self._state.ended_at[active.day.isoformat()] = now.isoformat()
            night = summary.night
            recorded = night is not None and night.night.isoformat() > (
                self._state.night_recorded or ""
            )
            if recorded and night is not None:
                self._state.night_recorded = night.night.isoformat()
            if went_to_bed or fell_asleep or recorded:
                await self._async_save()
            for happened, event in (
                (went_to_bed, RoutineEvent.WENT_TO_BED),
                (fell_asleep, RoutineEvent.FELL_ASLEEP),
                (woke_up, RoutineEvent.WOKE_UP),
            ):
                if happened:
                    self._fire(event, self._tonight(plan))
            if recorded and night is not None:
                night_plan = self.plan(intake_day_of_night(night.night))
                data = {
                    **self._tonight(night_plan),
                    "night": night_payload(night, self._sleep.score(night)),
                }
                self._fire(RoutineEvent.NIGHT_RECORDED, data)
            if went_to_bed or fell_asleep:
                self._arm(now)

    # ----------------------------------------------------------------- events

    def _tonight(self, plan: Evening) -> dict[str, Any]:
        return tonight_payload(plan, self.dose_status(plan.day))

    def _fire(
        self, event: RoutineEvent, data: Mapping[str, Any], context: Context | None = None
    ) -> None:
        """The event entity and the bus event `magnesium_sleep_<type>`, with the same data."""
        self._hass.bus.async_fire(
            f"{DOMAIN}_{event.value}", {**self._owner(), **data}, context=context
        )
        self._publisher.publish(BEDTIME_CHANGED, RoutineChange(event, data))
