"""The per-profile composition: the dose and sleep trackers, insights, statistics, one publisher.

Every change is published once with its payload (`publisher.py`); the bus events for
automations follow the publisher here, entities follow it in `entity.py`. The day
boundary is one timer for both trackers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .bedtime import BedtimeRoutine
from .const import (
    CONF_AGE_BAND,
    CONF_DAY_STARTS_AT,
    CONF_PERSON,
    CONF_PRODUCT_AMOUNT_MG,
    CONF_PRODUCT_BASIS,
    CONF_PRODUCT_FORM,
    CONF_REGION,
    CONF_SEX,
    CONF_TARGET_MG,
    EVENT_DOSE_LOGGED,
    EVENT_DOSE_REMOVED,
    EVENT_NIGHT_UPDATED,
)
from .dimmer import WindDownDimmer
from .domain.clock import next_day_start
from .domain.intake import AgeBand, Region, Sex
from .domain.profile import AmountBasis, Product, Profile
from .domain.units import Form
from .dose_tracker import DOSES_CHANGED, DoseAction, DoseChange, DoseTracker
from .insights import Insights
from .payloads import day_payload, dose_payload, night_payload, profile_payload
from .publisher import Publisher
from .reminders import DoseReminderNotifier
from .sleep_tracker import SLEEP_CHANGED, SleepChange, SleepTracker
from .statistics import NightlyStatistics
from .supply import SupplyTracker

type MagnesiumSleepConfigEntry = ConfigEntry[MagnesiumSleepRuntime]

_DOSE_EVENTS = {DoseAction.LOGGED: EVENT_DOSE_LOGGED, DoseAction.REMOVED: EVENT_DOSE_REMOVED}


def profile_from_entry(data: Mapping[str, Any], options: Mapping[str, Any]) -> Profile:
    """Build the domain profile from a config entry's data and options."""
    return Profile(
        name=data[CONF_NAME],
        age_band=AgeBand(options[CONF_AGE_BAND]),
        sex=Sex(options[CONF_SEX]),
        region=Region(options[CONF_REGION]),
        target_mg=int(options[CONF_TARGET_MG]),
        product=Product(
            form=Form(options[CONF_PRODUCT_FORM]),
            amount_mg=Decimal(str(options[CONF_PRODUCT_AMOUNT_MG])),
            basis=AmountBasis(options[CONF_PRODUCT_BASIS]),
        ),
        day_starts_at=time.fromisoformat(options[CONF_DAY_STARTS_AT]),
    )


class MagnesiumSleepRuntime:
    """Everything one profile needs at run time."""

    def __init__(self, hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> None:
        """Compose the trackers; `async_setup` loads their histories."""
        self.hass = hass
        self.entry = entry
        self.publisher = Publisher()
        profile = profile_from_entry(entry.data, entry.options)
        self.doses = DoseTracker(hass, entry.entry_id, profile, self.publisher)
        self.sleep = SleepTracker(hass, entry.entry_id, profile.name, entry.options, self.publisher)
        self.bedtime = BedtimeRoutine(
            hass,
            entry,
            publisher=self.publisher,
            doses=self.doses,
            sleep=self.sleep,
            owner=lambda: self.owner,
        )
        self.reminders = DoseReminderNotifier(
            hass, entry, publisher=self.publisher, doses=self.doses
        )
        self.supply = SupplyTracker(
            hass, entry, publisher=self.publisher, doses=self.doses, owner=lambda: self.owner
        )
        self.dimmer = WindDownDimmer(hass, entry, publisher=self.publisher, routine=self.bedtime)
        self.insights = Insights(hass, entry, self.publisher, self.doses, self.sleep)
        self.statistics = NightlyStatistics(hass, entry, self.publisher, self.doses, self.insights)
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._unsub_day_change: CALLBACK_TYPE | None = None

    @property
    def profile(self) -> Profile:
        """The person's profile, with the current target."""
        return self.doses.profile

    @property
    def owner(self) -> dict[str, Any]:
        """Whose profile this is, as every payload names it."""
        return profile_payload(self.entry.entry_id, self.profile, self.entry.data.get(CONF_PERSON))

    async def async_setup(self) -> None:
        """Load the histories, then announce changes and follow the day boundary."""
        await self.doses.async_setup()
        await self.sleep.async_setup()
        self._unsubscribe += [
            self.publisher.subscribe(DOSES_CHANGED, self._async_fire_dose_event),
            self.publisher.subscribe(SLEEP_CHANGED, self._async_fire_night_events),
        ]
        await self.insights.async_setup()
        # After insights: its night values are current when statistics hear of a change.
        await self.statistics.async_setup()
        self._schedule_day_change()
        await self.bedtime.async_setup()
        await self.reminders.async_setup()
        await self.supply.async_setup()
        await self.dimmer.async_setup()

    async def async_shutdown(self) -> None:
        """Stop timers and listeners, and write what is pending."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        if self._unsub_day_change is not None:
            self._unsub_day_change()
            self._unsub_day_change = None
        await self.statistics.async_shutdown()
        await self.insights.async_shutdown()
        await self.dimmer.async_shutdown()
        await self.supply.async_shutdown()
        await self.reminders.async_shutdown()
        await self.bedtime.async_shutdown()
        await self.sleep.async_shutdown()
        await self.doses.async_shutdown()

    @callback
    def async_set_target(self, target_mg: int) -> None:
        """Change the daily target (from the number entity) without a reload."""
        self.hass.config_entries.async_update_entry(
            self.entry, options={**self.entry.options, CONF_TARGET_MG: target_mg}
        )
        self.doses.async_set_target(target_mg)

    def dose_change_payload(self, change: DoseChange) -> dict[str, Any]:
        """A logged or removed dose with its day, as responses and events carry it."""
        return {**self.owner, **dose_payload(change.dose), **day_payload(change.day)}

    @callback
    def _async_fire_dose_event(self, change: DoseChange | None) -> None:
        if change is not None:
            self.hass.bus.async_fire(
                _DOSE_EVENTS[change.action],
                self.dose_change_payload(change),
                context=change.context,
            )

    @callback
    def _async_fire_night_events(self, change: SleepChange) -> None:
        for night in change.nights:
            self.hass.bus.async_fire(
                EVENT_NIGHT_UPDATED,
                {**self.owner, **night_payload(night, self.sleep.score(night))},
            )

    def _schedule_day_change(self) -> None:
        profile = self.profile
        when = next_day_start(
            dt_util.utcnow(), dt_util.get_default_time_zone(), profile.day_starts_at
        )
        self._unsub_day_change = async_track_point_in_utc_time(
            self.hass, self._async_day_changed, when
        )

    @callback
    def _async_day_changed(self, _now: datetime) -> None:
        self.doses.async_new_day()
        self.sleep.async_refresh()
        self._schedule_day_change()
