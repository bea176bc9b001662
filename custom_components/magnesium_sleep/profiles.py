"""Which profile a request is for: one rule for actions, voice commands and LLM tools.

In order: the profile named (by config entry ID, or by the profile's or its person's
name), the profile whose person is the calling user, or the only profile. Otherwise
Home Assistant's own error for an action without a config entry says what is wrong.
"""

from __future__ import annotations

from homeassistant.components.person import ATTR_USER_ID
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import service

from .const import CONF_PERSON, DOMAIN
from .runtime import MagnesiumSleepConfigEntry


@callback
def loaded_profiles(hass: HomeAssistant) -> list[MagnesiumSleepConfigEntry]:
    """The profiles that are set up, by name."""
    entries: list[MagnesiumSleepConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    return sorted(entries, key=lambda entry: entry.data[CONF_NAME].casefold())


@callback
def _person_name(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> str | None:
    person = entry.data.get(CONF_PERSON)
    state = hass.states.get(person) if person else None
    return None if state is None else state.name


@callback
def _linked(hass: HomeAssistant, user_id: str | None) -> MagnesiumSleepConfigEntry | None:
    """The loaded profile whose person is the calling user, if any."""
    if user_id is None:
        return None
    for entry in loaded_profiles(hass):
        person = entry.data.get(CONF_PERSON)
        state = hass.states.get(person) if person else None
        if state is not None and state.attributes.get(ATTR_USER_ID) == user_id:
            return entry
    return None


@callback
def _named(hass: HomeAssistant, name: str) -> MagnesiumSleepConfigEntry:
    """The loaded profile called `name`, or whose person is (any case)."""
    wanted = name.strip().casefold()
    for entry in loaded_profiles(hass):
        names = {entry.data[CONF_NAME], entry.title, _person_name(hass, entry)}
        if wanted in {known.strip().casefold() for known in names if known}:
            return entry
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="unknown_profile",
        translation_placeholders={
            "name": name,
            "profiles": ", ".join(entry.data[CONF_NAME] for entry in loaded_profiles(hass)),
        },
    )


@callback
def async_profile_for(
    hass: HomeAssistant,
    *,
    user_id: str | None,
    entry_id: str | None = None,
    name: str | None = None,
) -> MagnesiumSleepConfigEntry:
    """The profile a request is for; ServiceValidationError when that is unclear."""
    if entry_id is None and name is not None:
        return _named(hass, name)
    entry = _linked(hass, user_id) if entry_id is None else None
    if entry is None:
        entry = service.async_get_config_entry(hass, DOMAIN, entry_id)
    return entry
