"""Options flow: a profile's settings, one menu entry per subject."""

from __future__ import annotations

from datetime import time
from ipaddress import ip_address
from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.util import dt as dt_util
from yarl import URL

from .bedtime import bedtime_settings
from .const import (
    CONF_BEDTIME,
    CONF_DAY_STARTS_AT,
    CONF_DIMMING_FLOOR_PERCENT,
    CONF_DIMMING_LIGHTS,
    CONF_DIMMING_WARM_KELVIN,
    CONF_DOSE_NIGHT_MG,
    CONF_DOSE_REMINDER_MINUTES,
    CONF_EFFECT_OUTCOME,
    CONF_ENABLE_DISABLED,
    CONF_LOW_SUPPLY_DAYS,
    CONF_NOTIFY_SERVICES,
    CONF_RENOTIFY_MINUTES,
    CONF_SLEEP_MODE_SWITCH,
    CONF_SLEEP_SOURCES,
    CONF_SUPPLY_SERVINGS,
    CONF_VOICE_SENTENCES,
    CONF_WEBHOOK_ID,
    CONF_WEBHOOK_LOCAL_ONLY,
    CONF_WEBHOOK_URL,
    CONF_WEEKEND_BEDTIME,
    CONF_WIND_DOWN_GRACE_MINUTES,
    CONF_WIND_DOWN_MINUTES,
    DEFAULT_DOSE_NIGHT_MG,
)
from .domain.dimming import DEFAULT_FLOOR_PERCENT, DEFAULT_WARM_KELVIN
from .domain.effect import Outcome
from .reminders import DEFAULT_RENOTIFY_MINUTES
from .schemas import (
    APPLE_HEALTH_SCHEMA,
    BEDTIME_SCHEMA,
    DIMMING_SCHEMA,
    INSIGHTS_SCHEMA,
    PROFILE_OPTIONS_SCHEMA,
    SUPPLY_SCHEMA,
    VOICE_SCHEMA,
    reminders_schema,
    sleep_sources_from_input,
    sleep_sources_schema,
    sleep_sources_suggestions,
    supplement_errors,
    target_placeholders,
)
from .sleep_sources import candidate_facts, enable_disabled
from .state_adapter import detect_sources
from .supply import pack_options, refill_options


class MagnesiumSleepOptionsFlow(OptionsFlowWithReload):
    """Edit a profile's settings; sleep sources and bedtime get their own steps."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose what to edit."""
        return self.async_show_menu(
            step_id="init",
            menu_options=[
                "profile",
                "sleep_sources",
                "bedtime",
                "reminders",
                "supply",
                "dimming",
                "insights",
                "apple_health",
                "voice",
            ],
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

    async def async_step_bedtime(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Bedtime, weekend bedtime, wind-down, dose reminder and grace period."""
        options = self.config_entry.options
        if user_input is not None:
            # An emptied weekend bedtime is absent from the input: unset it.
            return self.async_create_entry(
                data={**options, CONF_WEEKEND_BEDTIME: None, **user_input}
            )
        settings = bedtime_settings(options, time.fromisoformat(options[CONF_DAY_STARTS_AT]))
        suggested: dict[str, Any] = {
            CONF_BEDTIME: settings.bedtime.strftime("%H:%M"),
            CONF_WIND_DOWN_MINUTES: settings.wind_down_minutes,
            CONF_DOSE_REMINDER_MINUTES: settings.dose_reminder_minutes,
            CONF_WIND_DOWN_GRACE_MINUTES: settings.grace_minutes,
        }
        if settings.weekend_bedtime is not None:
            suggested[CONF_WEEKEND_BEDTIME] = settings.weekend_bedtime.strftime("%H:%M")
        return self.async_show_form(
            step_id="bedtime",
            data_schema=self.add_suggested_values_to_schema(BEDTIME_SCHEMA, suggested),
        )

    async def async_step_reminders(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Phones (notify services) that get the actionable dose reminder."""
        options = self.config_entry.options
        if user_input is not None:
            return self.async_create_entry(data={**options, CONF_NOTIFY_SERVICES: [], **user_input})
        services = sorted(self.hass.services.async_services_for_domain("notify"))
        # Companion apps first: only they show the Taken and Skip buttons.
        services.sort(key=lambda name: not name.startswith("mobile_app_"))
        return self.async_show_form(
            step_id="reminders",
            data_schema=self.add_suggested_values_to_schema(
                reminders_schema(services),
                {
                    CONF_NOTIFY_SERVICES: options.get(CONF_NOTIFY_SERVICES, []),
                    CONF_RENOTIFY_MINUTES: options.get(
                        CONF_RENOTIFY_MINUTES, DEFAULT_RENOTIFY_MINUTES
                    ),
                },
            ),
        )

    async def async_step_supply(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Servings in the current pack (a changed count is a refill now) and the threshold."""
        options = self.config_entry.options
        left = (
            self.config_entry.runtime_data.supply.payload()["servings_left"]
            if self.config_entry.state is ConfigEntryState.LOADED
            else None
        )
        if user_input is not None:
            servings = user_input.get(CONF_SUPPLY_SERVINGS)
            changes: dict[str, Any] = {CONF_LOW_SUPPLY_DAYS: user_input.get(CONF_LOW_SUPPLY_DAYS)}
            if servings is None:  # emptied: supply is not counted any more
                changes |= pack_options(None)
            elif servings != left:
                changes |= refill_options(servings, dt_util.utcnow())
            return self.async_create_entry(data={**options, **changes})
        suggested = {
            CONF_SUPPLY_SERVINGS: left,
            CONF_LOW_SUPPLY_DAYS: options.get(CONF_LOW_SUPPLY_DAYS),
        }
        return self.async_show_form(
            step_id="supply",
            data_schema=self.add_suggested_values_to_schema(
                SUPPLY_SCHEMA, {key: value for key, value in suggested.items() if value is not None}
            ),
        )

    async def async_step_dimming(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Lights to dim, their floor and warm colour, or Adaptive Lighting's sleep mode."""
        options = self.config_entry.options
        if user_input is not None:
            # Emptied fields are absent from the input: clear them.
            cleared: dict[str, Any] = {CONF_DIMMING_LIGHTS: [], CONF_SLEEP_MODE_SWITCH: None}
            return self.async_create_entry(data={**options, **cleared, **user_input})
        suggested = {
            CONF_DIMMING_LIGHTS: options.get(CONF_DIMMING_LIGHTS, []),
            CONF_DIMMING_FLOOR_PERCENT: options.get(
                CONF_DIMMING_FLOOR_PERCENT, DEFAULT_FLOOR_PERCENT
            ),
            CONF_DIMMING_WARM_KELVIN: options.get(CONF_DIMMING_WARM_KELVIN, DEFAULT_WARM_KELVIN),
        }
        if switch := options.get(CONF_SLEEP_MODE_SWITCH):
            suggested[CONF_SLEEP_MODE_SWITCH] = switch
        return self.async_show_form(
            step_id="dimming",
            data_schema=self.add_suggested_values_to_schema(DIMMING_SCHEMA, suggested),
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


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
