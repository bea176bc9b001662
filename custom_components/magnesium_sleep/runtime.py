"""The per-profile engine: owns the domain state and tells entities when it changes.

Every way to log or remove a dose (action, button, voice, webhook) calls the one
method here, so validation, storage, events and entity updates happen once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, time, tzinfo
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import wraps
from typing import Any, Concatenate

from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
from homeassistant.util.ulid import ulid_now

from .const import (
    CONF_AGE_BAND,
    CONF_DAY_STARTS_AT,
    CONF_PRODUCT_AMOUNT_MG,
    CONF_PRODUCT_BASIS,
    CONF_PRODUCT_FORM,
    CONF_REGION,
    CONF_SEX,
    CONF_TARGET_MG,
    DOMAIN,
    EVENT_DOSE_LOGGED,
    EVENT_DOSE_REMOVED,
)
from .domain.doses import (
    DayStatus,
    Dose,
    DoseLog,
    DoseRejected,
    build_dose,
    day_start,
    day_status,
    intake_day,
    next_day_start,
)
from .domain.intake import AgeBand, Region, Sex
from .domain.profile import AmountBasis, Product, Profile
from .domain.units import Form, Unit
from .sleep_tracker import SleepTracker
from .storage import PartitionedHistory

type MagnesiumSleepConfigEntry = ConfigEntry[MagnesiumSleepRuntime]


class AlreadyImportedError(Exception):
    """A dose with this external id was imported before (and maybe removed since)."""


def _one_at_a_time[**P, R](
    method: Callable[Concatenate[MagnesiumSleepRuntime, P], Awaitable[R]],
) -> Callable[Concatenate[MagnesiumSleepRuntime, P], Awaitable[R]]:
    """Run a dose change alone: it checks the log, awaits the disk, then changes the log."""

    @wraps(method)
    async def alone(self: MagnesiumSleepRuntime, /, *args: P.args, **kwargs: P.kwargs) -> R:
        async with self._dose_lock:
            return await method(self, *args, **kwargs)

    return alone


class Topic(StrEnum):
    """What changed: entities follow one of these."""

    DOSES = "doses"
    SLEEP = "sleep"
    TARGET = "target"


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


@dataclass(frozen=True, slots=True)
class DoseSummary:
    """What the entities show about doses, computed once per change."""

    today: DayStatus
    day_started: datetime
    latest: Dose | None
    average_7_days_ug: Fraction
    streak: int


def _month(dose: Dose) -> str:
    """The history partition a dose is filed under."""
    return dose.taken_at.strftime("%Y-%m")


def dose_data(dose: Dose) -> dict[str, Any]:
    """A dose as JSON-safe data for events and responses (mg as numbers)."""
    return {
        "dose_id": dose.dose_id,
        "taken_at": dose.taken_at.isoformat(),
        "elemental_mg": float(dose.elemental_mg),
        "amount": float(dose.amount),
        "unit": dose.unit.value,
        "form": dose.form.value,
        "servings": None if dose.servings is None else float(dose.servings),
        "note": dose.note,
        "source": dose.source,
    }


class MagnesiumSleepRuntime:
    """Everything one profile needs at run time."""

    def __init__(self, hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> None:
        """Build the runtime from the entry; `async_setup` loads the history."""
        self.hass = hass
        self.entry = entry
        self.profile = profile_from_entry(entry.data, entry.options)
        self.history = PartitionedHistory(hass, entry.entry_id, "doses")
        # Imported doses a person removed, so the next re-sent export does not bring them back.
        self._removed_imports = PartitionedHistory(hass, entry.entry_id, "removed_imports")
        self._removed_external_ids: set[str] = set()
        self.doses = DoseLog(self._tz, self.profile.day_starts_at)
        self._dose_lock = asyncio.Lock()
        self._listeners: dict[Topic, list[Callable[[], None]]] = {topic: [] for topic in Topic}
        self.sleep = SleepTracker(
            hass, entry.entry_id, self.profile.name, entry.options, self._sleep_changed
        )
        self.summary = self._summarize()

    @property
    def _tz(self) -> tzinfo:
        return dt_util.get_default_time_zone()

    async def async_setup(self) -> None:
        """Load the dose history and keep the day boundary."""
        stored = await self.history.async_load()
        self._removed_external_ids = {
            record["external_id"] for record in await self._removed_imports.async_load()
        }
        self.doses = DoseLog(
            self._tz, self.profile.day_starts_at, (Dose.from_dict(record) for record in stored)
        )
        self.summary = self._summarize()
        await self.sleep.async_setup()
        self._schedule_day_change()

    async def async_shutdown(self) -> None:
        """Stop timers and listeners, and write what is pending."""
        self._cancel_day_change()
        await self.sleep.async_shutdown()
        await self.history.async_close()
        await self._removed_imports.async_close()

    # ------------------------------------------------------------------ doses

    @_one_at_a_time
    async def async_log_dose(
        self,
        *,
        amount: float | None = None,
        unit: str = Unit.MG,
        servings: float | None = None,
        form: str | None = None,
        taken_at: datetime | None = None,
        note: str | None = None,
        source: str = "action",
        external_id: str | None = None,
        context: Context | None = None,
    ) -> tuple[Dose, DayStatus]:
        """Validate, store durably, then announce a dose; returns it and its day.

        AlreadyImportedError when `external_id` is known (logged, or logged and removed).
        """
        if external_id is not None and self.knows_import(external_id):
            raise AlreadyImportedError(external_id)
        try:
            dose = build_dose(
                self.profile,
                dose_id=ulid_now(),
                now=dt_util.utcnow(),
                amount=amount,
                unit=unit,
                servings=servings,
                form=form,
                taken_at=taken_at,
                note=note,
                source=source,
                external_id=external_id,
            )
        except DoseRejected as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=err.reason,
                translation_placeholders=err.placeholders,
            ) from err
        await self.history.async_put(_month(dose), dose.dose_id, dose.to_dict())
        self.doses.add(dose)
        day = self.doses.day_of(dose)
        status = day_status(self.doses, self.profile, day)
        self._changed()
        if status.above_upper_limit and status.total_ug - dose.elemental_ug <= (
            status.upper_limit_mg * 1000
        ):
            await self._async_tell_upper_limit(status)
        self.hass.bus.async_fire(EVENT_DOSE_LOGGED, self._event_data(dose, status), context=context)
        return dose, status

    @_one_at_a_time
    async def async_remove_dose(
        self, dose_id: str | None = None, context: Context | None = None
    ) -> tuple[Dose, DayStatus]:
        """Remove a dose (default: the latest) from disk and memory."""
        dose = self.doses.latest() if dose_id is None else self.doses.get(dose_id)
        if dose is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_doses" if dose_id is None else "unknown_dose",
                translation_placeholders={"dose_id": dose_id or ""},
            )
        if dose.external_id is not None:
            await self._removed_imports.async_put(
                _month(dose), dose.external_id, {"external_id": dose.external_id}
            )
            self._removed_external_ids.add(dose.external_id)
        await self.history.async_delete(_month(dose), dose.dose_id)
        self.doses.remove(dose.dose_id)
        status = day_status(self.doses, self.profile, self.doses.day_of(dose))
        self._changed()
        self.hass.bus.async_fire(
            EVENT_DOSE_REMOVED, self._event_data(dose, status), context=context
        )
        return dose, status

    def knows_import(self, external_id: str) -> bool:
        """Whether an imported dose was logged before (or logged and then removed)."""
        return (
            external_id in self._removed_external_ids
            or self.doses.find_external(external_id) is not None
        )

    async def _async_tell_upper_limit(self, status: DayStatus) -> None:
        """Explain, once per day, what crossing the supplemental upper limit means."""
        translations = await async_get_translations(
            self.hass, self.hass.config.language, "exceptions", [DOMAIN]
        )
        prefix = f"component.{DOMAIN}.exceptions.upper_limit_notice"
        placeholders = {
            "name": self.profile.name,
            "total_mg": f"{status.total_mg:.0f}",
            "upper_limit_mg": str(status.upper_limit_mg),
        }
        persistent_notification.async_create(
            self.hass,
            translations[f"{prefix}.message"].format(**placeholders),
            title=translations[f"{prefix}_title.message"].format(**placeholders),
            notification_id=f"{DOMAIN}_{self.entry.entry_id}_upper_limit_{status.day}",
        )

    def _event_data(self, dose: Dose, status: DayStatus) -> dict[str, Any]:
        return {
            "config_entry_id": self.entry.entry_id,
            "profile": self.profile.name,
            **dose_data(dose),
            "day": status.day.isoformat(),
            "day_total_mg": float(status.total_mg),
            "target_mg": status.target_mg,
            "upper_limit_mg": status.upper_limit_mg,
            "above_upper_limit": status.above_upper_limit,
        }

    @callback
    def async_set_target(self, target_mg: int) -> None:
        """Change the daily target (from the number entity) without a reload."""
        self.profile = replace(self.profile, target_mg=target_mg)
        self.hass.config_entries.async_update_entry(
            self.entry, options={**self.entry.options, CONF_TARGET_MG: target_mg}
        )
        self._notify(Topic.TARGET)
        self._changed()

    # ------------------------------------------------------- state and updates

    @callback
    def async_add_listener(self, topic: Topic, update: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `update` whenever the state behind `topic` changes."""
        self._listeners[topic].append(update)
        return lambda: self._listeners[topic].remove(update)

    @callback
    def _notify(self, topic: Topic) -> None:
        for update in list(self._listeners[topic]):
            update()

    @callback
    def _changed(self) -> None:
        self.summary = self._summarize()
        self._notify(Topic.DOSES)

    @callback
    def _sleep_changed(self) -> None:
        self._notify(Topic.SLEEP)

    def _summarize(self) -> DoseSummary:
        now = dt_util.utcnow()
        starts_at = self.profile.day_starts_at
        today = intake_day(now, self._tz, starts_at)
        return DoseSummary(
            today=day_status(self.doses, self.profile, today),
            day_started=day_start(today, self._tz, starts_at),
            latest=self.doses.latest(),
            average_7_days_ug=self.doses.average_ug_per_day(today, 7),
            streak=self.doses.streak(today),
        )

    # -------------------------------------------------------- the day boundary

    _unsub_day_change: CALLBACK_TYPE | None = None

    def _schedule_day_change(self) -> None:
        when = next_day_start(dt_util.utcnow(), self._tz, self.profile.day_starts_at)
        self._unsub_day_change = async_track_point_in_utc_time(
            self.hass, self._async_day_changed, when
        )

    def _cancel_day_change(self) -> None:
        if self._unsub_day_change is not None:
            self._unsub_day_change()
            self._unsub_day_change = None

    @callback
    def _async_day_changed(self, _now: datetime) -> None:
        self._unsub_day_change = None
        self._changed()
        self.sleep.refresh()
        self._notify(Topic.SLEEP)
        self._schedule_day_change()
