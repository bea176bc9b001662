"""Base entity: one device per profile, pushed updates from the runtime."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription

from .const import DOMAIN
from .runtime import MagnesiumSleepRuntime, Topic


@dataclass(frozen=True, kw_only=True)
class MagnesiumSleepEntityDescription(EntityDescription):
    """What every description of ours adds: which changes the entity follows."""

    topic: Topic | None = Topic.DOSES


class MagnesiumSleepEntity(Entity):
    """An entity of one profile, updated when the runtime says so."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    # What the entity shows depends on; None: nothing (a button).
    topic: Topic | None = Topic.DOSES

    def __init__(self, runtime: MagnesiumSleepRuntime, description: EntityDescription) -> None:
        """Attach the entity to its profile's device."""
        self.runtime = runtime
        self.entity_description = description
        entry_id = runtime.entry.entry_id
        self._attr_unique_id = f"{entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, entry_id)})
        if isinstance(description, MagnesiumSleepEntityDescription):
            self.topic = description.topic

    async def async_added_to_hass(self) -> None:
        """Follow the runtime's changes."""
        await super().async_added_to_hass()
        if self.topic is None:
            return
        self.async_on_remove(self.runtime.async_add_listener(self.topic, self.async_write_ha_state))
