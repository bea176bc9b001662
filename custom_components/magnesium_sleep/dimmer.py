"""Gradual dimming during the wind-down, or Adaptive Lighting's sleep mode instead.

Follows the routine (`BEDTIME_CHANGED`): while a wind-down runs and the
`wind_down_lighting` switch is on, the chosen lights that are on are stepped toward the
floor by bedtime (`domain.dimming`), each step a `light.turn_on` with a `Context` of
our own. A change to a light with any other context is someone's hand: that light is
left alone for the rest of the evening (kept on disk, so a restart does not forget).
A light that is off is never turned on. After a restart during the wind-down the
remaining steps go from the lights' levels now to the floor by bedtime.

With an Adaptive Lighting sleep-mode switch chosen, that switch is turned on at the
wind-down instead, and off in the morning: at wake-up (sleep sources) or at the day
start, whichever comes first, also when Home Assistant was down at the time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Final

from homeassistant.components.light import (
    ATTR_BRIGHTNESS,
    ATTR_COLOR_MODE,
    ATTR_COLOR_TEMP_KELVIN,
    ATTR_MIN_COLOR_TEMP_KELVIN,
    ATTR_SUPPORTED_COLOR_MODES,
    ColorMode,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_OFF, SERVICE_TURN_ON, STATE_ON
from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .bedtime import BEDTIME_CHANGED, BedtimeRoutine, RoutineChange, RoutineEvent
from .const import (
    CONF_DIMMING_FLOOR_PERCENT,
    CONF_DIMMING_LIGHTS,
    CONF_DIMMING_WARM_KELVIN,
    CONF_SLEEP_MODE_SWITCH,
    CONF_WIND_DOWN_LIGHTING,
    DOMAIN,
    LOGGER,
)
from .domain.clock import intake_day, next_day_start
from .domain.dimming import (
    DEFAULT_FLOOR_PERCENT,
    DEFAULT_WARM_KELVIN,
    DimTarget,
    LightLevel,
    next_level,
    step_times,
    steps_left,
)
from .publisher import Channel, Publisher

STORAGE_VERSION: Final = 1
LIGHTING_CHANGED: Final = Channel[bool]("wind_down_lighting")
"""The `wind_down_lighting` switch was turned on (True) or off."""
_CONTEXTS_KEPT: Final = 500  # far more than one evening's steps


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.dimming")


async def async_remove_dimming_state(hass: HomeAssistant, entry_id: str) -> None:
    """Delete a removed profile's dimming state from disk."""
    await _store(hass, entry_id).async_remove()


def _level(state: State) -> LightLevel | None:
    """A light's level now; None for a light without brightness."""
    attributes = state.attributes
    if (brightness := attributes.get(ATTR_BRIGHTNESS)) is None:
        return None
    in_color_temp = attributes.get(ATTR_COLOR_MODE) == ColorMode.COLOR_TEMP
    supports = ColorMode.COLOR_TEMP in (attributes.get(ATTR_SUPPORTED_COLOR_MODES) or ())
    return LightLevel(
        brightness=int(brightness),
        kelvin=attributes.get(ATTR_COLOR_TEMP_KELVIN) if in_color_temp else None,
        warmest_kelvin=attributes.get(ATTR_MIN_COLOR_TEMP_KELVIN) if supports else None,
    )


def _shown(state: State | None) -> tuple[Any, ...]:
    """What a person sees of a light: on or off, brightness, colour temperature."""
    if state is None:
        return ()
    attributes = state.attributes
    return (
        state.state,
        attributes.get(ATTR_BRIGHTNESS),
        attributes.get(ATTR_COLOR_TEMP_KELVIN),
    )


@dataclass(slots=True)
class _Run:
    """One evening's dimming: its step times, timer and light listener."""

    evening: date
    times: list[datetime]
    unsubscribe: list[CALLBACK_TYPE] = field(default_factory=list)

    def stop(self) -> None:
        while self.unsubscribe:
            self.unsubscribe.pop()()


class WindDownDimmer:
    """One profile's lights during the wind-down."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        *,
        publisher: Publisher,
        routine: BedtimeRoutine,
    ) -> None:
        """Prepare; `async_setup` loads what was left alone and follows the routine."""
        self._hass = hass
        self._entry = entry
        self._publisher = publisher
        self._routine = routine
        self._store = _store(hass, entry.entry_id)
        # The evening dimmed, the lights left alone then, the evening sleep mode went on.
        self._state: dict[str, Any] = {}
        self._ours: deque[str] = deque(maxlen=_CONTEXTS_KEPT)
        self._run: _Run | None = None
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._unsub_morning: CALLBACK_TYPE | None = None

    @property
    def enabled(self) -> bool:
        """Whether the `wind_down_lighting` switch is on."""
        return bool(self._options.get(CONF_WIND_DOWN_LIGHTING, False))

    @property
    def _options(self) -> Mapping[str, Any]:
        return self._entry.options

    @property
    def _target(self) -> DimTarget:
        return DimTarget(
            int(self._options.get(CONF_DIMMING_FLOOR_PERCENT, DEFAULT_FLOOR_PERCENT)),
            int(self._options.get(CONF_DIMMING_WARM_KELVIN, DEFAULT_WARM_KELVIN)),
        )

    @property
    def _left_alone(self) -> list[str]:
        left: list[str] = self._state.setdefault("left_alone", [])
        return left

    async def async_setup(self) -> None:
        """Load the state, follow the routine; sleep mode left on past the morning goes off."""
        self._state = await self._store.async_load() or {}
        self._unsubscribe.append(
            self._publisher.subscribe(BEDTIME_CHANGED, self._async_routine_changed)
        )
        await self._async_morning()

    async def async_shutdown(self) -> None:
        """Stop stepping and listening; nothing is undone."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        self._stop()
        if self._unsub_morning is not None:
            self._unsub_morning()
            self._unsub_morning = None

    async def async_set_enabled(self, enabled: bool) -> None:
        """Turn the feature on or off (the switch); a running wind-down follows at once."""
        self._hass.config_entries.async_update_entry(
            self._entry, options={**self._options, CONF_WIND_DOWN_LIGHTING: enabled}
        )
        self._publisher.publish(LIGHTING_CHANGED, enabled)
        self._follow()

    # ---------------------------------------------------------------- routine

    @callback
    def _async_routine_changed(self, change: RoutineChange) -> None:
        if change.event is RoutineEvent.WOKE_UP:
            self._hass.async_create_task(self._async_sleep_mode_off(), eager_start=True)
        self._follow()

    @callback
    def _follow(self) -> None:
        """Dim (or turn sleep mode on) while a wind-down runs and the feature is on."""
        current = self._routine.current_wind_down if self.enabled else None
        if current is None:
            self._stop()
            return
        plan, end = current
        if self._state.get("evening") != plan.day.isoformat():
            self._state.update(evening=plan.day.isoformat(), left_alone=[])
            self._save()
        if switch := self._options.get(CONF_SLEEP_MODE_SWITCH):
            if self._state.get("sleep_mode_evening") != plan.day.isoformat():
                self._state["sleep_mode_evening"] = plan.day.isoformat()
                self._save()
                self._hass.async_create_task(
                    self._async_switch(switch, SERVICE_TURN_ON), eager_start=True
                )
                self._arm_morning()
            return
        if self._run is not None and self._run.evening == plan.day:
            return
        self._stop()
        now = dt_util.utcnow()
        # Toward the floor by bedtime; a wind-down started after bedtime has until its end.
        run = _Run(plan.day, step_times(now, plan.bedtime if plan.bedtime > now else end))
        self._run = run
        run.unsubscribe.append(
            async_track_state_change_event(
                self._hass, list(self._options.get(CONF_DIMMING_LIGHTS) or []), self._light_changed
            )
        )
        self._arm_step(run, now)

    def _stop(self) -> None:
        if self._run is not None:
            self._run.stop()
            self._run = None

    # ---------------------------------------------------------------- dimming

    def _arm_step(self, run: _Run, now: datetime) -> None:
        upcoming = [at for at in run.times if at > now]
        if upcoming:
            run.unsubscribe.append(
                async_track_point_in_utc_time(self._hass, self._async_step_due, upcoming[0])
            )

    @callback
    def _async_step_due(self, _now: datetime) -> None:
        if (run := self._run) is not None:
            self._hass.async_create_task(self._async_step(run), eager_start=True)

    async def _async_step(self, run: _Run) -> None:
        """Each light that is on and not left alone, one step toward the floor."""
        now = dt_util.utcnow()
        steps = steps_left(run.times, now)
        for entity_id in self._options.get(CONF_DIMMING_LIGHTS) or []:
            state = self._hass.states.get(entity_id)
            if entity_id in self._left_alone or state is None or state.state != STATE_ON:
                continue  # never turn a light on
            if (level := _level(state)) is None:
                continue
            if (step := next_level(level, self._target, steps)) is None:
                continue
            data: dict[str, Any] = {ATTR_ENTITY_ID: entity_id, ATTR_BRIGHTNESS: step.brightness}
            if step.kelvin != level.kelvin:
                data[ATTR_COLOR_TEMP_KELVIN] = step.kelvin
            await self._async_call("light", SERVICE_TURN_ON, data)
        if self._run is run:
            self._arm_step(run, now)

    @callback
    def _light_changed(self, event: Event[EventStateChangedData]) -> None:
        """Anyone else's change to a light: leave it alone for the rest of the evening."""
        old, new = event.data["old_state"], event.data["new_state"]
        if event.context.id in self._ours or _shown(old) == _shown(new):
            return
        if (entity_id := event.data["entity_id"]) not in self._left_alone:
            self._left_alone.append(entity_id)
            self._save()

    # ------------------------------------------------------------- sleep mode

    def _arm_morning(self) -> None:
        if self._unsub_morning is not None:
            self._unsub_morning()
        self._unsub_morning = async_track_point_in_utc_time(
            self._hass,
            self._async_morning_due,
            next_day_start(dt_util.utcnow(), dt_util.get_default_time_zone(), self._day_starts_at),
        )

    @property
    def _day_starts_at(self) -> time:
        return self._routine.settings.day_starts_at

    @callback
    def _async_morning_due(self, _now: datetime) -> None:
        self._unsub_morning = None
        self._hass.async_create_task(self._async_morning(), eager_start=True)

    async def _async_morning(self) -> None:
        """Sleep mode turned on for an evening whose day has ended goes off."""
        evening = self._state.get("sleep_mode_evening")
        if evening is None:
            return
        today = intake_day(dt_util.utcnow(), dt_util.get_default_time_zone(), self._day_starts_at)
        if date.fromisoformat(evening) < today:
            await self._async_sleep_mode_off()
        else:
            self._arm_morning()

    async def _async_sleep_mode_off(self) -> None:
        switch = self._options.get(CONF_SLEEP_MODE_SWITCH)
        if self._state.pop("sleep_mode_evening", None) is None or not switch:
            return
        self._save()
        await self._async_switch(switch, SERVICE_TURN_OFF)

    async def _async_switch(self, entity_id: str, service: str) -> None:
        await self._async_call("switch", service, {ATTR_ENTITY_ID: entity_id})

    # ---------------------------------------------------------------- helpers

    async def _async_call(self, domain: str, service: str, data: dict[str, Any]) -> None:
        """A call with a context of our own, so its state change is known as ours."""
        context = Context()
        self._ours.append(context.id)
        try:
            await self._hass.services.async_call(
                domain, service, data, blocking=True, context=context
            )
        except HomeAssistantError as err:
            LOGGER.warning(
                "Wind-down lighting: %s.%s failed for %s: %s", domain, service, data, err
            )

    def _save(self) -> None:
        self._hass.async_create_task(self._store.async_save(dict(self._state)), eager_start=True)
