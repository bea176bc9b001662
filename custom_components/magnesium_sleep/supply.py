"""Supply: the current pack, the servings left, days left, and the low-supply reminder.

The pack (servings at the refill and when) lives in the entry's options; what is left
is derived from the dose log (`domain.supply`), so nothing is written per dose. The
low-supply reminder goes out once per pack: the options remember which pack it was
for, so neither a restart nor the next dose repeats it. A refill starts a new pack.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .const import (
    CONF_LOW_SUPPLY_DAYS,
    CONF_LOW_SUPPLY_NOTIFIED,
    CONF_NOTIFY_SERVICES,
    CONF_SUPPLY_REFILLED_AT,
    CONF_SUPPLY_SERVINGS,
    DOMAIN,
    EVENT_LOW_SUPPLY,
)
from .domain.supply import (
    Pack,
    SupplyRejected,
    days_left,
    is_low,
    mean_daily_use,
    pack_servings,
    servings_left,
)
from .dose_tracker import DOSES_CHANGED, DoseChange, DoseTracker
from .publisher import Channel, Publisher
from .reminders import async_notify


@dataclass(frozen=True, slots=True)
class SupplySummary:
    """What the supply entities show; `pack` None: supply is not tracked."""

    pack: Pack | None = None
    servings_left: Decimal | None = None
    mean_daily_use: Fraction | None = None
    days_left: Fraction | None = None


SUPPLY_CHANGED: Final = Channel[SupplySummary]("supply")


def pack_from_options(options: Mapping[str, Any]) -> Pack | None:
    """The current pack in a profile's options; None when supply is not tracked."""
    servings, refilled_at = options.get(CONF_SUPPLY_SERVINGS), options.get(CONF_SUPPLY_REFILLED_AT)
    if servings is None or refilled_at is None:
        return None
    return Pack(Decimal(str(servings)), datetime.fromisoformat(refilled_at))


def pack_options(pack: Pack | None) -> dict[str, Any]:
    """A pack as options (None: supply not counted); a new pack may be reminded of again."""
    return {
        CONF_SUPPLY_SERVINGS: None if pack is None else float(pack.servings),
        CONF_SUPPLY_REFILLED_AT: None if pack is None else pack.refilled_at.isoformat(),
        CONF_LOW_SUPPLY_NOTIFIED: None,
    }


def refill_options(servings: float, now: datetime) -> dict[str, Any]:
    """The options of a new pack of `servings`, refilled `now` (bad counts are refused)."""
    try:
        count = pack_servings(servings)
    except SupplyRejected as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=err.reason,
            translation_placeholders={"servings": str(servings)},
        ) from err
    return pack_options(Pack(count, now))


class SupplyTracker:
    """One profile's supply: follows the doses, refills, reminds once per pack."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        *,
        publisher: Publisher,
        doses: DoseTracker,
        owner: Callable[[], dict[str, Any]],
    ) -> None:
        """Prepare; `async_setup` computes the summary and starts following doses."""
        self._hass = hass
        self._entry = entry
        self._publisher = publisher
        self._doses = doses
        self._owner = owner
        self._unsubscribe: CALLBACK_TYPE | None = None
        self.summary = SupplySummary()
        self.notification_id = f"{DOMAIN}_{entry.entry_id}_low_supply"

    async def async_setup(self) -> None:
        """Compute what is left; a reminder due while Home Assistant was down goes out now."""
        self._unsubscribe = self._publisher.subscribe(DOSES_CHANGED, self._async_doses_changed)
        self._update(None)

    async def async_shutdown(self) -> None:
        """Stop following the doses."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    async def async_refill(self, servings: float, context: Context | None = None) -> SupplySummary:
        """Start a new pack of `servings` now (an action or the options)."""
        changes = refill_options(servings, dt_util.utcnow())
        self._hass.config_entries.async_update_entry(
            self._entry, options={**self._entry.options, **changes}
        )
        persistent_notification.async_dismiss(self._hass, self.notification_id)
        self._update(context)
        return self.summary

    @callback
    def _async_doses_changed(self, change: DoseChange | None) -> None:
        self._update(change.context if change is not None else None)

    @callback
    def _update(self, context: Context | None) -> None:
        self.summary = self._summarize()
        self._publisher.publish(SUPPLY_CHANGED, self.summary)
        pack, options = self.summary.pack, self._entry.options
        if (
            pack is not None
            and is_low(self.summary.days_left, options.get(CONF_LOW_SUPPLY_DAYS))
            and options.get(CONF_LOW_SUPPLY_NOTIFIED) != pack.refilled_at.isoformat()
        ):
            # Marked before anything is sent: the next dose finds it done.
            self._hass.config_entries.async_update_entry(
                self._entry,
                options={**options, CONF_LOW_SUPPLY_NOTIFIED: pack.refilled_at.isoformat()},
            )
            self._hass.async_create_task(self._async_tell_low(context), eager_start=True)

    def _summarize(self) -> SupplySummary:
        pack = pack_from_options(self._entry.options)
        if pack is None:
            return SupplySummary()
        profile = self._doses.profile
        left = servings_left(pack, self._doses.log, profile.product)
        mean = mean_daily_use(
            self._doses.log,
            profile.product,
            dt_util.utcnow(),
            dt_util.get_default_time_zone(),
            profile.day_starts_at,
        )
        return SupplySummary(pack, left, mean, days_left(left, mean))

    def payload(self) -> dict[str, Any]:
        """The supply as events, responses and attributes carry it."""
        summary = self.summary
        return {
            "servings_left": _number(summary.servings_left),
            "days_left": _number(summary.days_left, 1),
            "mean_daily_servings": _number(summary.mean_daily_use, 2),
            "refilled_at": summary.pack.refilled_at.isoformat() if summary.pack else None,
            "pack_servings": _number(summary.pack.servings) if summary.pack else None,
        }

    async def _async_tell_low(self, context: Context | None) -> None:
        """The bus event, the chosen phones and a persistent notification (translated)."""
        payload = self.payload()
        self._hass.bus.async_fire(EVENT_LOW_SUPPLY, {**self._owner(), **payload}, context=context)
        texts = await async_get_translations(
            self._hass, self._hass.config.language, "exceptions", [DOMAIN]
        )
        placeholders = {
            "name": self._doses.profile.name,
            "servings_left": f"{payload['servings_left']:g}",
            "days_left": f"{payload['days_left']:.0f}",
        }

        def text(key: str) -> str:
            return texts[f"component.{DOMAIN}.exceptions.{key}.message"].format(**placeholders)

        title, message = text("low_supply_title"), text("low_supply_message")
        persistent_notification.async_create(
            self._hass, message, title=title, notification_id=self.notification_id
        )
        await async_notify(
            self._hass,
            list(self._entry.options.get(CONF_NOTIFY_SERVICES) or []),
            {"title": title, "message": message, "data": {"tag": self.notification_id}},
        )


def _number(value: Decimal | Fraction | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)
