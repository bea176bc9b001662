"""Logbook lines for doses: "took 141 mg magnesium (glycinate)"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_DOSE_LOGGED, EVENT_DOSE_REMOVED


def _amount(data: Mapping[str, Any]) -> str:
    return f"{data['elemental_mg']:.0f} mg magnesium ({data['form']})"


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe dose events for the logbook."""

    @callback
    def describe_logged(event: Event) -> dict[str, str]:
        return {
            LOGBOOK_ENTRY_NAME: event.data["profile"],
            LOGBOOK_ENTRY_MESSAGE: f"took {_amount(event.data)}",
        }

    @callback
    def describe_removed(event: Event) -> dict[str, str]:
        return {
            LOGBOOK_ENTRY_NAME: event.data["profile"],
            LOGBOOK_ENTRY_MESSAGE: f"removed a dose of {_amount(event.data)}",
        }

    async_describe_event(DOMAIN, EVENT_DOSE_LOGGED, describe_logged)
    async_describe_event(DOMAIN, EVENT_DOSE_REMOVED, describe_removed)
