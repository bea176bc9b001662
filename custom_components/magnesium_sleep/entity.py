"""Base entity: one device per profile, written when the change it follows is published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, override

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription

from .const import DOMAIN
from .dose_tracker import DOSES_CHANGED
from .publisher import Channel
from .runtime import MagnesiumSleepRuntime


@dataclass(frozen=True, kw_only=True)
class MagnesiumSleepEntityDescription(EntityDescription):
    """What every description of ours adds: the channel whose changes the entity shows."""

    channel: Channel[Any] | None = DOSES_CHANGED


class MagnesiumSleepEntity(Entity):
    """An entity of one profile, written when its channel publishes."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    # What the entity shows depends on; None: nothing (a button).
    channel: Channel[Any] | None = DOSES_CHANGED
    _shown: tuple[Any, ...] | None = None

    def __init__(self, runtime: MagnesiumSleepRuntime, description: EntityDescription) -> None:
        """Attach the entity to its profile's device."""
        self.runtime = runtime
        self.entity_description = description
        entry_id = runtime.entry.entry_id
        self._attr_unique_id = f"{entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, entry_id)})
        if isinstance(description, MagnesiumSleepEntityDescription):
            self.channel = description.channel

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the profile's changes."""
        await super().async_added_to_hass()
        if self.channel is not None:
            self.async_on_remove(
                self.runtime.publisher.subscribe(self.channel, self._async_changed)
            )

    def _shown_now(self) -> tuple[Any, ...]:
        """What the entity would show; platforms may name cheaper inputs that decide it."""
        return (self.available, self.state, self.state_attributes, self.extra_state_attributes)

    @callback
    def _async_changed(self, _payload: object) -> None:
        # Most changes touch a few of a profile's entities; a state write (and the
        # recorder row behind it) costs far more than working out what would be shown.
        shown = self._shown_now()
        if shown != self._shown:
            self._shown = shown
            self.async_write_ha_state()
