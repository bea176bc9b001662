"""Calendar: coming evenings' planned wind-down, and the doses and nights of past ones.

Which entries an evening has is the domain's (`domain.calendar`); this entity words
them in the house's language. Its state follows the next (or running) wind-down; a
logged dose or a recorded night refreshes the calendar cards that show it.
"""

from __future__ import annotations

from datetime import datetime
from typing import override

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .bedtime import BEDTIME_CHANGED
from .const import DOMAIN
from .domain.calendar import (
    DOSE_SPAN,
    CalendarEntry,
    DoseEntry,
    NightEntry,
    WindDownEntry,
    calendar_entries,
    coming_evenings,
)
from .dose_tracker import DOSES_CHANGED
from .entity import MagnesiumSleepEntity
from .runtime import MagnesiumSleepConfigEntry
from .sleep_tracker import SLEEP_CHANGED

PARALLEL_UPDATES = 0

BEDTIME_CALENDAR = CalendarEntityDescription(
    key="bedtime_calendar", translation_key="bedtime_calendar"
)
_TEXT_CATEGORIES = ("exceptions", "selector")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MagnesiumSleepConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's bedtime calendar."""
    async_add_entities([BedtimeCalendar(entry.runtime_data, BEDTIME_CALENDAR)])


def _clock(moment: datetime) -> str:
    return dt_util.as_local(moment).strftime("%H:%M")


def _hours_minutes(minutes: float) -> dict[str, str]:
    hours, rest = divmod(round(minutes), 60)
    return {"hours": str(hours), "minutes": str(rest)}


class BedtimeCalendar(MagnesiumSleepEntity, CalendarEntity):
    """One profile's evenings: the plan ahead, the doses and nights behind."""

    channel = BEDTIME_CHANGED
    _texts: dict[str, str]

    @override
    async def async_added_to_hass(self) -> None:
        """Load the texts before the first state; refresh cards on doses and nights."""
        await self._async_load_texts()
        await super().async_added_to_hass()
        for channel in (DOSES_CHANGED, SLEEP_CHANGED):
            self.async_on_remove(
                self.runtime.publisher.subscribe(channel, self._async_entries_changed)
            )

    @callback
    def _async_entries_changed(self, _payload: object) -> None:
        self.async_update_event_listeners()

    async def _async_load_texts(self) -> None:
        """The house's language now (it can change while running)."""
        self._texts = {}
        for category in _TEXT_CATEGORIES:
            self._texts.update(
                await async_get_translations(
                    self.hass, self.hass.config.language, category, [DOMAIN]
                )
            )

    def _text(self, key: str, **placeholders: str) -> str:
        return self._texts[f"component.{DOMAIN}.exceptions.{key}.message"].format(**placeholders)

    @property
    @override
    def event(self) -> CalendarEvent | None:
        """The running or next planned wind-down."""
        runtime = self.runtime
        plans = coming_evenings(dt_util.utcnow(), runtime.bedtime.settings, runtime.bedtime.tz)
        return self._calendar_event(WindDownEntry(plans[0]))

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """The entries overlapping the range, worded."""
        await self._async_load_texts()
        runtime = self.runtime
        entries = calendar_entries(
            start_date,
            end_date,
            now=dt_util.utcnow(),
            settings=runtime.bedtime.settings,
            tz=runtime.bedtime.tz,
            doses=runtime.doses.log.between(start_date - DOSE_SPAN, end_date),
            nights=runtime.sleep.assembler.nights(),
        )
        return [self._calendar_event(entry) for entry in entries]

    def _calendar_event(self, entry: CalendarEntry) -> CalendarEvent:
        summary, description = self._words(entry)
        return CalendarEvent(
            start=dt_util.as_local(entry.start),
            end=dt_util.as_local(entry.end),
            summary=summary,
            description=description,
            uid=entry.uid,
        )

    def _words(self, entry: CalendarEntry) -> tuple[str, str | None]:
        """An entry's summary and description."""
        match entry:
            case WindDownEntry(plan=plan):
                return (
                    self._text("calendar_wind_down", bedtime=_clock(plan.bedtime)),
                    self._text(
                        "calendar_wind_down_description", dose_reminder=_clock(plan.dose_reminder)
                    ),
                )
            case DoseEntry(dose=dose):
                form = self._texts.get(
                    f"component.{DOMAIN}.selector.product_form.options.{dose.form.value}",
                    dose.form.value,
                )
                summary = self._text(
                    "calendar_dose", elemental_mg=f"{dose.elemental_mg:.0f}", form=form.lower()
                )
                return summary, dose.note
            case NightEntry(night=night):
                score = self.runtime.sleep.score(night)
                if score is not None and night.total_sleep is not None:
                    summary = self._text(
                        "calendar_night",
                        score=f"{score.total:.0f}",
                        **_hours_minutes(night.total_sleep),
                    )
                else:
                    in_bed = (entry.end - entry.start).total_seconds() / 60
                    summary = self._text("calendar_night_unscored", **_hours_minutes(in_bed))
                return summary, None
