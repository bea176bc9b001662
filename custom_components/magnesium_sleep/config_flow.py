"""Config flow: one entry per person profile."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, override

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
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
    CONF_DAY_STARTS_AT,
    CONF_PERSON,
    CONF_PRODUCT_AMOUNT_MG,
    CONF_PRODUCT_BASIS,
    CONF_PRODUCT_FORM,
    CONF_REGION,
    CONF_SEX,
    CONF_TARGET_MG,
    DOMAIN,
    IOM_COUNTRIES,
)
from .domain.doses import MAX_SINGLE_DOSE_MG
from .domain.intake import AgeBand, Region, Sex, default_target_mg
from .domain.profile import DEFAULT_DAY_STARTS_AT, AmountBasis, Product
from .domain.units import Form


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
    MINOR_VERSION = 1

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
                    title=self._identity[CONF_NAME], data=self._identity, options=options
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
                return self.async_update_reload_and_abort(entry, title=data[CONF_NAME], data=data)
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
        return self.async_show_menu(step_id="init", menu_options=["profile"])

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
