"""Switch: the wind-down lighting (gradual dimming or Adaptive Lighting's sleep mode)."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .dimmer import LIGHTING_CHANGED
from .entity import MagnesiumSleepEntity
from .runtime import MagnesiumSleepConfigEntry

PARALLEL_UPDATES = 0

WIND_DOWN_LIGHTING = SwitchEntityDescription(
    key="wind_down_lighting",
    translation_key="wind_down_lighting",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MagnesiumSleepConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's wind-down lighting switch."""
    async_add_entities([WindDownLightingSwitch(entry.runtime_data, WIND_DOWN_LIGHTING)])


class WindDownLightingSwitch(MagnesiumSleepEntity, SwitchEntity):
    """Whether the lights follow the wind-down; kept in the profile's options."""

    channel = LIGHTING_CHANGED

    @property
    @override
    def is_on(self) -> bool:
        """Whether the feature is on."""
        return self.runtime.dimmer.enabled

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Dim during the wind-down from now on (a running one too)."""
        await self.runtime.dimmer.async_set_enabled(True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop touching the lights."""
        await self.runtime.dimmer.async_set_enabled(False)
