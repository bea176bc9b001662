"""Options flow: a profile's settings, one menu entry per subject."""

from __future__ import annotations

from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.network import NoURLAvailableError

from .const import (
    CONF_ASLEEP_THRESHOLD,
    CONF_DOSE_NIGHT_MG,
    CONF_EFFECT_OUTCOME,
    CONF_ENABLE_DISABLED,
    CONF_NIGHT_ENDS,
    CONF_NIGHT_STARTS,
    CONF_SLEEP_SOURCES,
    CONF_WEBHOOK_ID,
    CONF_WEBHOOK_LOCAL_ONLY,
    DEFAULT_DOSE_NIGHT_MG,
)
from .domain.effect import Outcome
from .schemas import (
    APPLE_HEALTH_SCHEMA,
    INSIGHTS_SCHEMA,
    PROFILE_OPTIONS_SCHEMA,
    SLEEP_SETTINGS_SCHEMA,
    SLEEP_SOURCES_SCHEMA,
    supplement_errors,
    target_placeholders,
)
from .sleep_sources import candidate_facts, enable_disabled
from .state_adapter import Role, detect_sources


class MagnesiumSleepOptionsFlow(OptionsFlowWithReload):
    """Edit a profile's settings; sleep sources and bedtime get their own steps."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose what to edit."""
        return self.async_show_menu(
            step_id="init", menu_options=["profile", "sleep_sources", "apple_health", "insights"]
        )

    async def async_step_sleep_sources(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick an entity per role; detected candidates are pre-selected."""
        options = self.config_entry.options
        if user_input is not None:
            sources = {role.value: user_input[role] for role in Role if user_input.get(role)}
            if user_input.get(CONF_ENABLE_DISABLED, True):
                enable_disabled(self.hass, sources.values())
            settings = {str(key): user_input[key] for key in SLEEP_SETTINGS_SCHEMA.schema}
            return self.async_create_entry(
                data={**options, **settings, CONF_SLEEP_SOURCES: sources}
            )
        detected = detect_sources(candidate_facts(self.hass))
        configured = options.get(CONF_SLEEP_SOURCES)
        suggested: dict[str, Any] = (
            dict(configured)
            if configured is not None
            else {role.value: facts.entity_id for role, facts in detected.items()}
        )
        suggested.setdefault(CONF_ASLEEP_THRESHOLD, options.get(CONF_ASLEEP_THRESHOLD, 80))
        suggested.setdefault(CONF_NIGHT_STARTS, options.get(CONF_NIGHT_STARTS, "18:00:00"))
        suggested.setdefault(CONF_NIGHT_ENDS, options.get(CONF_NIGHT_ENDS, "12:00:00"))
        disabled = sorted(f.entity_id for f in detected.values() if f.disabled)
        return self.async_show_form(
            step_id="sleep_sources",
            data_schema=self.add_suggested_values_to_schema(SLEEP_SOURCES_SCHEMA, suggested),
            description_placeholders={
                "detected": ", ".join(
                    f"{role.value}: {facts.entity_id}" for role, facts in detected.items()
                )
                or "-",
                "disabled": ", ".join(disabled) or "-",
            },
        )

    async def async_step_apple_health(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the Health Auto Export webhook and whether it answers outside the home."""
        options = self.config_entry.options
        if user_input is not None:
            return self.async_create_entry(data={**options, **user_input})
        webhook_id = self.config_entry.data[CONF_WEBHOOK_ID]
        try:
            url = webhook.async_generate_url(self.hass, webhook_id)
        except NoURLAvailableError:
            url = webhook.async_generate_path(webhook_id)
        return self.async_show_form(
            step_id="apple_health",
            data_schema=self.add_suggested_values_to_schema(
                APPLE_HEALTH_SCHEMA,
                {CONF_WEBHOOK_LOCAL_ONLY: options.get(CONF_WEBHOOK_LOCAL_ONLY, True)},
            ),
            description_placeholders={"webhook_url": url},
        )

    async def async_step_profile(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Age, sex, region, supplement, target and day boundary."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = supplement_errors(user_input)
            if not errors:
                return self.async_create_entry(data={**self.config_entry.options, **user_input})
        return self.async_show_form(
            step_id="profile",
            data_schema=self.add_suggested_values_to_schema(
                PROFILE_OPTIONS_SCHEMA, user_input or self.config_entry.options
            ),
            errors=errors,
            description_placeholders=target_placeholders(user_input or self.config_entry.options),
        )

    async def async_step_insights(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The dose-night threshold and the effect sensor's outcome."""
        options = self.config_entry.options
        if user_input is not None:
            return self.async_create_entry(data={**options, **user_input})
        return self.async_show_form(
            step_id="insights",
            data_schema=self.add_suggested_values_to_schema(
                INSIGHTS_SCHEMA,
                {
                    CONF_DOSE_NIGHT_MG: options.get(CONF_DOSE_NIGHT_MG, DEFAULT_DOSE_NIGHT_MG),
                    CONF_EFFECT_OUTCOME: options.get(CONF_EFFECT_OUTCOME, Outcome.SLEEP_SCORE),
                },
            ),
        )
