"""Config flow: one entry per person profile."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, override

from homeassistant.components import webhook
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TimeSelector,
)
import probatio

from .const import (
    CONF_AGE_BAND,
    CONF_ASLEEP_THRESHOLD,
    CONF_DAY_STARTS_AT,
    CONF_ENABLE_DISABLED,
    CONF_NIGHT_ENDS,
    CONF_NIGHT_STARTS,
    CONF_PERSON,
    CONF_PRODUCT_AMOUNT_MG,
    CONF_PRODUCT_BASIS,
    CONF_PRODUCT_FORM,
    CONF_REGION,
    CONF_SEX,
    CONF_SLEEP_SOURCES,
    CONF_TARGET_MG,
    CONF_WEBHOOK_ID,
    CONF_WEBHOOK_LOCAL_ONLY,
    DOMAIN,
    IOM_COUNTRIES,
)
from .domain.clock import DEFAULT_DAY_STARTS_AT
from .domain.doses import MAX_SINGLE_DOSE_MG
from .domain.intake import AgeBand, Region, Sex, default_target_mg
from .domain.profile import AmountBasis, Product
from .domain.units import Form
from .sleep_tracker import entity_facts
from .state_adapter import ROLE_DOMAINS, EntityFacts, Role, detect_sources


def _select(options: list[str], key: str) -> SelectSelector:
    return SelectSelector(
        SelectSelectorConfig(
            options=options, translation_key=key, mode=SelectSelectorMode.DROPDOWN, sort=False
        )
    )


def _mg(minimum: float, maximum: float, step: float) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=minimum,
            max=maximum,
            step=step,
            unit_of_measurement="mg",
            mode=NumberSelectorMode.BOX,
        )
    )


IDENTITY_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_NAME): TextSelector(),
        probatio.Optional(CONF_PERSON): EntitySelector(EntitySelectorConfig(domain="person")),
    }
)
ABOUT_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_AGE_BAND): _select([band.value for band in AgeBand], CONF_AGE_BAND),
        probatio.Required(CONF_SEX): _select([sex.value for sex in Sex], CONF_SEX),
        probatio.Required(CONF_REGION): _select([region.value for region in Region], CONF_REGION),
    }
)
SUPPLEMENT_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_PRODUCT_FORM): _select(
            [form.value for form in Form], CONF_PRODUCT_FORM
        ),
        probatio.Required(CONF_PRODUCT_AMOUNT_MG): _mg(1, 5000, 0.1),
        probatio.Required(CONF_PRODUCT_BASIS, default=AmountBasis.COMPOUND.value): _select(
            [basis.value for basis in AmountBasis], CONF_PRODUCT_BASIS
        ),
        probatio.Required(CONF_TARGET_MG): _mg(10, 2000, 5),
    }
)
SOURCE_DOMAINS = ("binary_sensor", "event", "sensor")
SLEEP_SETTINGS_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_ASLEEP_THRESHOLD): NumberSelector(
            NumberSelectorConfig(
                min=1, max=100, step=1, unit_of_measurement="%", mode=NumberSelectorMode.BOX
            )
        ),
        probatio.Required(CONF_NIGHT_STARTS): TimeSelector(),
        probatio.Required(CONF_NIGHT_ENDS): TimeSelector(),
    }
)
SLEEP_SOURCES_SCHEMA = probatio.Schema(
    {
        probatio.Optional(role.value): EntitySelector(
            EntitySelectorConfig(domain=list(ROLE_DOMAINS[role]))
        )
        for role in Role
    }
).extend(
    {**SLEEP_SETTINGS_SCHEMA.schema, probatio.Optional(CONF_ENABLE_DISABLED, default=True): bool}
)
APPLE_HEALTH_SCHEMA = probatio.Schema({probatio.Required(CONF_WEBHOOK_LOCAL_ONLY): bool})
PROFILE_OPTIONS_SCHEMA = ABOUT_SCHEMA.extend(SUPPLEMENT_SCHEMA.schema).extend(
    {probatio.Required(CONF_DAY_STARTS_AT): TimeSelector()}
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


def _supplement_errors(user_input: Mapping[str, Any]) -> dict[str, str]:
    """Refuse a serving no one could take in one go."""
    product = Product(
        form=Form(user_input[CONF_PRODUCT_FORM]),
        amount_mg=Decimal(str(user_input[CONF_PRODUCT_AMOUNT_MG])),
        basis=AmountBasis(user_input[CONF_PRODUCT_BASIS]),
    )
    if product.elemental_mg_per_serving > MAX_SINGLE_DOSE_MG:
        return {CONF_PRODUCT_AMOUNT_MG: "serving_implausible"}
    return {}


def _identity_data(user_input: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {CONF_NAME: user_input[CONF_NAME].strip()}

    if person := user_input.get(CONF_PERSON):
        data[CONF_PERSON] = person
    return data


def _placeholders(options: Mapping[str, Any]) -> dict[str, str]:
    region, band, sex = (
        Region(options[CONF_REGION]),
        AgeBand(options[CONF_AGE_BAND]),
        Sex(options[CONF_SEX]),
    )
    return {"default_target_mg": str(default_target_mg(region, band, sex))}


class MagnesiumSleepConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create a person profile: who it is, then what they take."""

    VERSION = 1
    MINOR_VERSION = 2

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
            errors = _supplement_errors(user_input)
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
            placeholders = _placeholders(self._about)
            user_input = {
                CONF_PRODUCT_FORM: Form.GLYCINATE.value,
                CONF_TARGET_MG: int(placeholders["default_target_mg"]),
            }
        return self.async_show_form(
            step_id="product",
            data_schema=self.add_suggested_values_to_schema(SUPPLEMENT_SCHEMA, user_input),
            errors=errors,
            description_placeholders=_placeholders(self._about),
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


class MagnesiumSleepOptionsFlow(OptionsFlowWithReload):
    """Edit a profile's settings; sleep sources and bedtime get their own steps."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose what to edit."""
        return self.async_show_menu(
            step_id="init", menu_options=["profile", "sleep_sources", "apple_health"]
        )

    async def async_step_sleep_sources(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick an entity per role; detected candidates are pre-selected."""
        options = self.config_entry.options
        if user_input is not None:
            sources = {role.value: user_input[role] for role in Role if user_input.get(role)}
            if user_input.get(CONF_ENABLE_DISABLED, True):
                _enable(self.hass, sources.values())
            settings = {str(key): user_input[key] for key in SLEEP_SETTINGS_SCHEMA.schema}
            return self.async_create_entry(
                data={**options, **settings, CONF_SLEEP_SOURCES: sources}
            )
        detected = detect_sources(_candidate_facts(self.hass))
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
            errors = _supplement_errors(user_input)
            if not errors:
                return self.async_create_entry(data={**self.config_entry.options, **user_input})
        return self.async_show_form(
            step_id="profile",
            data_schema=self.add_suggested_values_to_schema(
                PROFILE_OPTIONS_SCHEMA, user_input or self.config_entry.options
            ),
            errors=errors,
            description_placeholders=_placeholders(user_input or self.config_entry.options),
        )


def _candidate_facts(hass: HomeAssistant) -> list[EntityFacts]:
    """Every sensor, binary sensor and event entity but ours, registered (even disabled) or not."""
    registry = er.async_get(hass)
    ours = {entry.entity_id for entry in registry.entities.values() if entry.platform == DOMAIN}
    entity_ids = {
        entry.entity_id for entry in registry.entities.values() if entry.domain in SOURCE_DOMAINS
    } | set(hass.states.async_entity_ids(SOURCE_DOMAINS))
    # Our own sleep entities are results, not sources.
    return [entity_facts(hass, entity_id) for entity_id in sorted(entity_ids - ours)]


def _enable(hass: HomeAssistant, entity_ids: Iterable[str]) -> None:
    """Enable picked entities their integration disabled by default (Withings does)."""
    registry = er.async_get(hass)
    for entity_id in entity_ids:
        entry = registry.async_get(entity_id)
        if entry is not None and entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION:
            registry.async_update_entity(entity_id, disabled_by=None)
