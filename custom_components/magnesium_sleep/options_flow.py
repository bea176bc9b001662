"""Options flow: a profile's settings, one menu entry per subject."""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.network import NoURLAvailableError
from yarl import URL

from .const import (
    CONF_ENABLE_DISABLED,
    CONF_SLEEP_SOURCES,
    CONF_VOICE_SENTENCES,
    CONF_WEBHOOK_ID,
    CONF_WEBHOOK_LOCAL_ONLY,
    CONF_WEBHOOK_URL,
)
from .schemas import (
    APPLE_HEALTH_SCHEMA,
    PROFILE_OPTIONS_SCHEMA,
    VOICE_SCHEMA,
    sleep_sources_from_input,
    sleep_sources_schema,
    sleep_sources_suggestions,
    supplement_errors,
    target_placeholders,
)
from .sleep_sources import candidate_facts, enable_disabled
from .state_adapter import detect_sources


class MagnesiumSleepOptionsFlow(OptionsFlowWithReload):
    """Edit a profile's settings; sleep sources and bedtime get their own steps."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose what to edit."""
        return self.async_show_menu(
            step_id="init", menu_options=["profile", "sleep_sources", "apple_health", "voice"]
        )

    async def async_step_sleep_sources(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick an entity per role; detected candidates are pre-selected."""
        options = self.config_entry.options
        if user_input is not None:
            picked, settings = sleep_sources_from_input(user_input)
            if user_input.get(CONF_ENABLE_DISABLED, True):
                enable_disabled(self.hass, picked.values())
            return self.async_create_entry(data={**options, **settings, CONF_SLEEP_SOURCES: picked})
        configured = options.get(CONF_SLEEP_SOURCES)
        sources: dict[str, str] = (
            dict(configured)
            if configured is not None
            else {
                role.value: facts.entity_id
                for role, facts in detect_sources(candidate_facts(self.hass)).items()
            }
        )
        return self.async_show_form(
            step_id="sleep_sources",
            data_schema=self.add_suggested_values_to_schema(
                sleep_sources_schema(sources), sleep_sources_suggestions(sources, options)
            ),
        )

    async def async_step_apple_health(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the Health Auto Export webhook and whether it answers outside the home."""
        options = self.config_entry.options
        if user_input is not None:
            return self.async_create_entry(
                data={**options, CONF_WEBHOOK_LOCAL_ONLY: user_input[CONF_WEBHOOK_LOCAL_ONLY]}
            )
        webhook_id = self.config_entry.data[CONF_WEBHOOK_ID]
        try:
            url = webhook.async_generate_url(self.hass, webhook_id)
        except NoURLAvailableError:
            url = webhook.async_generate_path(webhook_id)
        # A phone cannot reach this machine's loopback address: say what to set instead.
        host = URL(url).host
        reachable = host is not None and not _is_loopback(host)
        return self.async_show_form(
            step_id="apple_health" if reachable else "apple_health_unreachable",
            data_schema=self.add_suggested_values_to_schema(
                APPLE_HEALTH_SCHEMA,
                {
                    CONF_WEBHOOK_URL: url,
                    CONF_WEBHOOK_LOCAL_ONLY: options.get(CONF_WEBHOOK_LOCAL_ONLY, True),
                },
            ),
        )

    # The same step, shown with a note when the URL is only reachable from this machine.
    async_step_apple_health_unreachable = async_step_apple_health

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

    async def async_step_voice(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Whether the built-in assistant's sentences are installed (see voice_sentences)."""
        options = self.config_entry.options
        if user_input is not None:
            return self.async_create_entry(data={**options, **user_input})
        return self.async_show_form(
            step_id="voice",
            data_schema=self.add_suggested_values_to_schema(
                VOICE_SCHEMA, {CONF_VOICE_SENTENCES: options.get(CONF_VOICE_SENTENCES, True)}
            ),
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
