"""The per-profile engine: owns the domain state and tells entities when it changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import time
from decimal import Decimal
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .const import (
    CONF_AGE_BAND,
    CONF_DAY_STARTS_AT,
    CONF_PRODUCT_AMOUNT_MG,
    CONF_PRODUCT_BASIS,
    CONF_PRODUCT_FORM,
    CONF_REGION,
    CONF_SEX,
    CONF_TARGET_MG,
)
from .domain.intake import AgeBand, Region, Sex
from .domain.profile import AmountBasis, Product, Profile
from .domain.units import Form

type MagnesiumSleepConfigEntry = ConfigEntry[MagnesiumSleepRuntime]


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
        """Build the runtime from the entry; nothing is loaded yet."""
        self.hass = hass
        self.entry = entry
        self.profile = profile_from_entry(entry.data, entry.options)
        self._listeners: list[Callable[[], None]] = []

    @callback
    def async_add_listener(self, update: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `update` whenever the profile's state changes."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @callback
    def _notify(self) -> None:
        for update in list(self._listeners):
            update()
