"""Time: the profile's bedtime and weekend bedtime, kept in the entry's options."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import override

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .bedtime import BEDTIME_CHANGED
from .const import CONF_BEDTIME, CONF_WEEKEND_BEDTIME
from .domain.schedule import BedtimeSettings
from .entity import MagnesiumSleepEntity
from .runtime import MagnesiumSleepConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class BedtimeTimeDescription(TimeEntityDescription):
    """A time setting: its option key."""

    option: str


TIMES: tuple[BedtimeTimeDescription, ...] = (
    BedtimeTimeDescription(
        key="bedtime",
        translation_key="bedtime",
        entity_category=EntityCategory.CONFIG,
        option=CONF_BEDTIME,
    ),
    BedtimeTimeDescription(
        key="weekend_bedtime",
        translation_key="weekend_bedtime",
        entity_category=EntityCategory.CONFIG,
        option=CONF_WEEKEND_BEDTIME,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: MagnesiumSleepConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the profile's bedtimes."""
    async_add_entities(BedtimeTime(entry.runtime_data, description) for description in TIMES)


def _shown(settings: BedtimeSettings, option: str) -> time | None:
    return settings.bedtime if option == CONF_BEDTIME else settings.weekend_bedtime


class BedtimeTime(MagnesiumSleepEntity, TimeEntity):
    """A bedtime; unknown for an unset weekend bedtime (then the bedtime applies)."""

    entity_description: BedtimeTimeDescription
    channel = BEDTIME_CHANGED

    @property
    @override
    def native_value(self) -> time | None:
        """The time as set."""
        return _shown(self.runtime.bedtime.settings, self.entity_description.option)

    @override
    async def async_set_value(self, value: time) -> None:
        """Keep the new time (whole minutes) and re-plan the evenings."""
        minute = value.replace(second=0, microsecond=0, tzinfo=None)
        await self.runtime.bedtime.async_update_settings(
            {self.entity_description.option: minute.isoformat()}
        )
