"""Logbook entries for doses, in the house's language.

Each entry links to the profile's *Magnesium today* sensor, whose name the logbook shows
first: "Magnesium today went up by 141 mg: a dose of glycinate". A describer runs
synchronously, so it reads translations Home Assistant has cached;
`async_load_logbook_texts` loads them when the integration sets up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.components.logbook import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.const import Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.translation import (
    async_get_cached_translations,
    async_get_translations,
)

from .const import DOMAIN, EVENT_DOSE_LOGGED, EVENT_DOSE_REMOVED

_FALLBACK_LANGUAGE: Final = "en"
_TEXT_CATEGORIES: Final = ("exceptions", "selector")
_MESSAGE_KEYS: Final = {
    EVENT_DOSE_LOGGED: "logbook_dose_logged",
    EVENT_DOSE_REMOVED: "logbook_dose_removed",
}


async def async_load_logbook_texts(hass: HomeAssistant) -> None:
    """Cache the texts the describers use, in the house's language and in English."""
    for language in {hass.config.language, _FALLBACK_LANGUAGE}:
        for category in _TEXT_CATEGORIES:
            await async_get_translations(hass, language, category, [DOMAIN])


def _text(hass: HomeAssistant, category: str, key: str) -> str | None:
    for language in (hass.config.language, _FALLBACK_LANGUAGE):
        texts = async_get_cached_translations(hass, language, category, DOMAIN)
        if text := texts.get(f"component.{DOMAIN}.{category}.{key}"):
            return text
    return None


def _message(hass: HomeAssistant, event_type: str, data: Mapping[str, Any]) -> str:
    form = _text(hass, "selector", f"product_form.options.{data['form']}") or data["form"]
    template = _text(hass, "exceptions", f"{_MESSAGE_KEYS[event_type]}.message")
    placeholders = {"elemental_mg": f"{data['elemental_mg']:.0f}", "form": form.lower()}
    if template is None:  # translations not loaded: still say what happened
        return f"{placeholders['elemental_mg']} mg ({placeholders['form']})"
    return template.format(**placeholders)


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe dose events for the logbook."""

    @callback
    def describe(event: Event) -> dict[str, str]:
        entry = {
            LOGBOOK_ENTRY_NAME: event.data["profile"],
            LOGBOOK_ENTRY_MESSAGE: _message(hass, str(event.event_type), event.data),
            LOGBOOK_ENTRY_ICON: "mdi:pill"
            if event.event_type == EVENT_DOSE_LOGGED
            else "mdi:pill-off",
        }
        entity_id = er.async_get(hass).async_get_entity_id(
            Platform.SENSOR, DOMAIN, f"{event.data['config_entry_id']}_magnesium_today"
        )
        if entity_id is not None:
            entry[LOGBOOK_ENTRY_ENTITY_ID] = entity_id
        return entry

    for event_type in _MESSAGE_KEYS:
        async_describe_event(DOMAIN, event_type, describe)
