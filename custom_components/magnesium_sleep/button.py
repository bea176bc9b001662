"""Button: log one serving of the profile's product."""

from __future__ import annotations

from typing import override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import MagnesiumSleepEntity
from .runtime import MagnesiumSleepConfigEntry

PARALLEL_UPDATES = 0

LOG_DEFAULT_DOSE = ButtonEntityDescription(
    key="log_default_dose", translation_key="log_default_dose"
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MagnesiumSleepConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's button."""
    async_add_entities([LogDefaultDoseButton(entry.runtime_data, LOG_DEFAULT_DOSE)])


class LogDefaultDoseButton(MagnesiumSleepEntity, ButtonEntity):
    """Logs one serving, as the log_dose action would."""

    channel = None

    @override
    async def async_press(self) -> None:
        """Log one serving now."""
        await self.runtime.doses.async_log(servings=1, source="button", context=self._context)
