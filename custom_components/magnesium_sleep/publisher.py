"""One profile's publisher: what changed, told to whoever follows it, with the change itself.

Entities, events and (later) statistics subscribe to a channel; the trackers publish on
it once per change. A channel names the type of its payload, so a subscriber knows what
it gets without reaching into the tracker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.core import CALLBACK_TYPE, callback


@dataclass(frozen=True, slots=True)
class Channel[PayloadT]:
    """A kind of change; its payload type is `PayloadT`."""

    name: str


class Publisher:
    """Subscribers per channel, called in the order they subscribed."""

    def __init__(self) -> None:
        """Start with no subscribers."""
        self._subscribers: dict[str, list[Callable[[Any], None]]] = {}

    @callback
    def subscribe[PayloadT](
        self, channel: Channel[PayloadT], listener: Callable[[PayloadT], None]
    ) -> CALLBACK_TYPE:
        """Call `listener` with each payload published on `channel`; returns the undo."""
        listeners = self._subscribers.setdefault(channel.name, [])
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    @callback
    def publish[PayloadT](self, channel: Channel[PayloadT], payload: PayloadT) -> None:
        """Tell every subscriber of `channel`."""
        for listener in list(self._subscribers.get(channel.name, ())):
            listener(payload)
