"""Config flow: one entry per person profile (who it is, then what they take)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback

from .const import (
    CONF_AGE_BAND,
    CONF_DAY_STARTS_AT,
    CONF_PERSON,
    CONF_PRODUCT_FORM,
    CONF_REGION,
    CONF_SEX,
    CONF_TARGET_MG,
    CONF_WEBHOOK_ID,
    DOMAIN,
    IOM_COUNTRIES,
)
from .domain.clock import DEFAULT_DAY_STARTS_AT
from .domain.intake import AgeBand, Region, Sex
from .domain.units import Form
from .options_flow import MagnesiumSleepOptionsFlow
from .schemas import (
    ABOUT_SCHEMA,
    IDENTITY_SCHEMA,
    SUPPLEMENT_SCHEMA,
    default_target,
    supplement_errors,
    target_placeholders,
)


def _identity_errors(
    hass: HomeAssistant, user_input: Mapping[str, Any], exclude: ConfigEntry | None = None
) -> dict[str, str]:
    """Refuse an empty name and a second profile with the same name or person."""
    name = user_input[CONF_NAME].strip()
    if not name:
        return {CONF_NAME: "name_required"}
    for entry in hass.config_entries.async_entries(DOMAIN):
        if exclude is not None and entry.entry_id == exclude.entry_id:
            continue
        if entry.data[CONF_NAME].casefold() == name.casefold():
            return {CONF_NAME: "name_in_use"}
        person = user_input.get(CONF_PERSON)
        if person and entry.data.get(CONF_PERSON) == person:
            return {CONF_PERSON: "person_in_use"}
    return {}


def _identity_data(user_input: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {CONF_NAME: user_input[CONF_NAME].strip()}

    if person := user_input.get(CONF_PERSON):
        data[CONF_PERSON] = person
    return data


class MagnesiumSleepConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create a person profile: who it is, then what they take."""

    VERSION = 1
    MINOR_VERSION = 3

    def __init__(self) -> None:
        """Start with nothing entered."""
        self._identity: dict[str, Any] = {}
        self._about: dict[str, Any] = {}

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: ConfigEntry) -> MagnesiumSleepOptionsFlow:
        """Edit the profile's settings."""
        return MagnesiumSleepOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask who the profile is for."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = _identity_errors(self.hass, user_input)
            if not errors:
                self._identity = _identity_data(user_input)
                self._about = {str(key): user_input[key] for key in ABOUT_SCHEMA.schema}
                return await self.async_step_product()
        else:
            country = self.hass.config.country
            user_input = {
                CONF_REGION: (Region.US if country in IOM_COUNTRIES else Region.EU).value,
                CONF_SEX: Sex.UNSPECIFIED.value,
                CONF_AGE_BAND: AgeBand.AGE_31_50.value,
            }
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                IDENTITY_SCHEMA.extend(ABOUT_SCHEMA.schema), user_input
            ),
            errors=errors,
        )

    async def async_step_product(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask what they take; the target defaults to the intake table."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = supplement_errors(user_input)
            if not errors:
                options = {
                    **self._about,
                    **user_input,
                    CONF_DAY_STARTS_AT: DEFAULT_DAY_STARTS_AT.isoformat(),
                }
                return self.async_create_entry(
                    title=self._identity[CONF_NAME],
                    data={**self._identity, CONF_WEBHOOK_ID: webhook.async_generate_id()},
                    options=options,
                )
        else:
            user_input = {
                CONF_PRODUCT_FORM: Form.GLYCINATE.value,
                CONF_TARGET_MG: default_target(self._about),
            }
        return self.async_show_form(
            step_id="product",
            data_schema=self.add_suggested_values_to_schema(SUPPLEMENT_SCHEMA, user_input),
            errors=errors,
            description_placeholders=target_placeholders(self._about),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the profile or link it to another person."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = _identity_errors(self.hass, user_input, exclude=entry)
            if not errors:
                data = _identity_data(user_input)
                return self.async_update_reload_and_abort(
                    entry,
                    title=data[CONF_NAME],
                    data={**data, CONF_WEBHOOK_ID: entry.data[CONF_WEBHOOK_ID]},
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                IDENTITY_SCHEMA, user_input or entry.data
            ),
            errors=errors,
        )
