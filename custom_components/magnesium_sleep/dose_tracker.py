"""Doses: every way to log or remove one goes through the one method here.

Actions, the button, the Apple Health webhook and (later) voice and the card call
`async_log` / `async_remove`. Each validates in the domain, makes the change durable,
updates the in-memory log and publishes one `DoseChange`, which entities and the bus
event follow. Changes of one profile take turns, so a check ("was this import logged
already?", "which dose is the latest?") still holds when its write finishes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from enum import StrEnum
from fractions import Fraction
from typing import Any, Final

from homeassistant.components import persistent_notification
from homeassistant.core import Context, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
from homeassistant.util.ulid import ulid_now

from .const import DOMAIN
from .domain.clock import day_start, intake_day
from .domain.doses import DayStatus, Dose, DoseLog, DoseRejected, build_dose, day_status
from .domain.profile import Profile
from .domain.units import Unit
from .publisher import Channel, Publisher
from .storage import HistoryKind, PartitionedHistory, StoredRecord


class DoseAction(StrEnum):
    """What happened to the doses."""

    LOGGED = "logged"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class DoseChange:
    """A dose logged or removed, with its day's status and the context of the call.

    The context reaches the bus event, so the logbook names who logged it.
    """

    action: DoseAction
    dose: Dose
    day: DayStatus
    context: Context | None = None


@dataclass(frozen=True, slots=True)
class DoseSummary:
    """What the entities show about doses, computed once per change."""

    today: DayStatus
    day_started: datetime
    latest: Dose | None
    average_7_days_ug: Fraction
    average_days: int
    streak: int


DOSES_CHANGED: Final = Channel[DoseChange | None]("doses")
"""A dose was logged or removed, or (None) the totals changed without one: a new day
began or the target changed."""
TARGET_CHANGED: Final = Channel[int]("target")


def _month(dose: Dose) -> str:
    """The history partition a dose is filed under."""
    return dose.taken_at.strftime("%Y-%m")


def _unique_doses() -> Callable[[StoredRecord], Dose]:
    """Dose.from_dict that rejects a dose whose ID or import ID was loaded already.

    An earlier concurrency bug could store one import twice; DoseLog would refuse the
    whole history, the storage sets the later record aside instead.
    """
    dose_ids: set[str] = set()
    external_ids: set[str] = set()

    def parse(record: StoredRecord) -> Dose:
        dose = Dose.from_dict(record)
        if dose.dose_id in dose_ids or (
            dose.external_id is not None and dose.external_id in external_ids
        ):
            raise ValueError(f"a second dose {dose.dose_id} (import {dose.external_id})")
        dose_ids.add(dose.dose_id)
        if dose.external_id is not None:
            external_ids.add(dose.external_id)
        return dose

    return parse


def _external_id(record: StoredRecord) -> str:
    """The import ID a removed import's record holds (see `async_remove`)."""
    if not isinstance(external_id := record["external_id"], str):
        raise TypeError(f"not an import ID: {external_id!r}")
    return external_id


def _rejected(reason: str, placeholders: dict[str, str] | None = None) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=reason, translation_placeholders=placeholders
    )


class DoseTracker:
    """One profile's doses: history on disk, the log in memory, today's summary."""

    def __init__(
        self, hass: HomeAssistant, entry_id: str, profile: Profile, publisher: Publisher
    ) -> None:
        """Prepare; `async_setup` loads the history."""
        self._hass = hass
        self._entry_id = entry_id
        self._publisher = publisher
        self.profile = profile
        self._history = PartitionedHistory(hass, entry_id, HistoryKind.DOSES)
        # Imported doses a person removed, so the next re-sent export does not bring them back.
        self._removed_imports = PartitionedHistory(hass, entry_id, HistoryKind.REMOVED_IMPORTS)
        self._removed_external_ids: set[str] = set()
        self.log = DoseLog(self._tz, profile.day_starts_at)
        self._turn = asyncio.Lock()
        self.summary = self._summarize()

    @property
    def _tz(self) -> tzinfo:
        return dt_util.get_default_time_zone()

    async def async_setup(self) -> None:
        """Load the history."""
        stored = await self._history.async_load(_unique_doses())
        self._removed_external_ids = set(await self._removed_imports.async_load(_external_id))
        self.log = DoseLog(self._tz, self.profile.day_starts_at, stored)
        self.summary = self._summarize()

    async def async_shutdown(self) -> None:
        """Write what is pending."""
        await self._history.async_close()
        await self._removed_imports.async_close()

    async def async_log(
        self,
        *,
        amount: float | None = None,
        unit: str = Unit.MG,
        servings: float | None = None,
        form: str | None = None,
        taken_at: datetime | None = None,
        note: str | None = None,
        source: str,
        context: Context | None = None,
    ) -> DoseChange:
        """Validate, store durably, then publish a dose.

        Give `amount` (in `unit`, of `form`, default the product's) or `servings` of the
        profile's product. Bad input raises ServiceValidationError and changes nothing.
        """
        async with self._turn:
            dose = self._build(
                amount=amount,
                unit=unit,
                servings=servings,
                form=form,
                taken_at=taken_at,
                note=note,
                source=source,
                external_id=None,
            )
            await self._async_add(dose)
        return await self._async_logged(dose, context)

    async def async_import(
        self,
        *,
        external_id: str,
        amount: float | None,
        unit: str,
        servings: float | None,
        taken_at: datetime,
        note: str | None,
        source: str,
    ) -> DoseChange | None:
        """Log a dose another app recorded, once: None if it was imported before.

        An import a person removed stays removed when the export is sent again.
        """
        async with self._turn:
            # Checked in the same turn as the write: two concurrent exports of the same
            # intake cannot both find it new.
            if external_id in self._removed_external_ids or self.log.find_external(external_id):
                return None
            dose = self._build(
                amount=amount,
                unit=unit,
                servings=servings,
                form=None,
                taken_at=taken_at,
                note=note,
                source=source,
                external_id=external_id,
            )
            await self._async_add(dose)
        return await self._async_logged(dose, None)

    def _build(self, **entry: Any) -> Dose:
        try:
            return build_dose(self.profile, dose_id=ulid_now(), now=dt_util.utcnow(), **entry)
        except DoseRejected as err:
            raise _rejected(err.reason, dict(err.placeholders)) from err

    async def _async_add(self, dose: Dose) -> None:
        await self._history.async_put(_month(dose), dose.dose_id, dose.to_dict())
        self.log.add(dose)

    async def _async_logged(self, dose: Dose, context: Context | None) -> DoseChange:
        change = DoseChange(DoseAction.LOGGED, dose, self._status(self.log.day_of(dose)), context)
        crossed = change.day.total_ug - dose.elemental_ug <= change.day.upper_limit_mg * 1000
        if change.day.above_upper_limit and crossed:
            await self._async_tell_upper_limit(change.day)
        self._changed(change)
        return change

    async def async_remove(
        self, dose_id: str | None = None, context: Context | None = None
    ) -> DoseChange:
        """Remove a dose (default: the latest) from disk and memory."""
        async with self._turn:
            dose = self.log.latest() if dose_id is None else self.log.get(dose_id)
            if dose is None:
                raise _rejected(
                    "no_doses" if dose_id is None else "unknown_dose", {"dose_id": dose_id or ""}
                )
            if dose.external_id is not None:
                await self._removed_imports.async_put(
                    _month(dose), dose.external_id, {"external_id": dose.external_id}
                )
                self._removed_external_ids.add(dose.external_id)
            await self._history.async_delete(_month(dose), dose.dose_id)
            self.log.remove(dose.dose_id)
        change = DoseChange(DoseAction.REMOVED, dose, self._status(self.log.day_of(dose)), context)
        self._changed(change)
        return change

    @callback
    def async_set_target(self, target_mg: int) -> None:
        """Use a new daily target from now on."""
        self.profile = replace(self.profile, target_mg=target_mg)
        self._publisher.publish(TARGET_CHANGED, target_mg)
        self._changed(None)

    @callback
    def async_new_day(self) -> None:
        """Start counting today's doses from zero (the day boundary passed)."""
        self._changed(None)

    def _status(self, day: date) -> DayStatus:
        return day_status(self.log, self.profile, day)

    def _today(self) -> DayStatus:
        return self._status(intake_day(dt_util.utcnow(), self._tz, self.profile.day_starts_at))

    @callback
    def _changed(self, change: DoseChange | None) -> None:
        self.summary = self._summarize()
        self._publisher.publish(DOSES_CHANGED, change)

    def _summarize(self) -> DoseSummary:
        today = self._today()
        return DoseSummary(
            today=today,
            day_started=day_start(today.day, self._tz, self.profile.day_starts_at),
            latest=self.log.latest(),
            average_7_days_ug=self.log.average_ug_per_day(today.day, 7),
            average_days=self.log.days_averaged(today.day, 7),
            streak=self.log.streak(today.day),
        )

    async def _async_tell_upper_limit(self, status: DayStatus) -> None:
        """Explain, once per day, what crossing the supplemental upper limit means."""
        translations = await async_get_translations(
            self._hass, self._hass.config.language, "exceptions", [DOMAIN]
        )
        prefix = f"component.{DOMAIN}.exceptions.upper_limit_notice"
        placeholders = {
            "name": self.profile.name,
            "total_mg": f"{status.total_mg:.0f}",
            "upper_limit_mg": str(status.upper_limit_mg),
        }
        persistent_notification.async_create(
            self._hass,
            translations[f"{prefix}.message"].format(**placeholders),
            title=translations[f"{prefix}_title.message"].format(**placeholders),
            notification_id=f"{DOMAIN}_{self._entry_id}_upper_limit_{status.day}",
        )
