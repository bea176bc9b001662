"""Selectors and schemas the config flow and the options flow share, and their checks."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from homeassistant.const import CONF_NAME
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
    CONF_DOSE_NIGHT_MG,
    CONF_EFFECT_OUTCOME,
    CONF_ENABLE_DISABLED,
    CONF_NIGHT_ENDS,
    CONF_NIGHT_STARTS,
    CONF_PERSON,
    CONF_PRODUCT_AMOUNT_MG,
    CONF_PRODUCT_BASIS,
    CONF_PRODUCT_FORM,
    CONF_REGION,
    CONF_SEX,
    CONF_TARGET_MG,
    CONF_WEBHOOK_LOCAL_ONLY,
)
from .domain.doses import MAX_SINGLE_DOSE_MG
from .domain.effect import Outcome
from .domain.intake import AgeBand, Region, Sex, default_target_mg
from .domain.profile import AmountBasis, Product
from .domain.units import Form
from .state_adapter import ROLE_DOMAINS, Role


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

INSIGHTS_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_DOSE_NIGHT_MG): _mg(1, 2000, 1),
        probatio.Required(CONF_EFFECT_OUTCOME): _select(
            [outcome.value for outcome in Outcome], "effect_outcome"
        ),
    }
)


def supplement_errors(user_input: Mapping[str, Any]) -> dict[str, str]:
    """Refuse a serving no one could take in one go."""
    product = Product(
        form=Form(user_input[CONF_PRODUCT_FORM]),
        amount_mg=Decimal(str(user_input[CONF_PRODUCT_AMOUNT_MG])),
        basis=AmountBasis(user_input[CONF_PRODUCT_BASIS]),
    )
    if product.elemental_mg_per_serving > MAX_SINGLE_DOSE_MG:
        return {CONF_PRODUCT_AMOUNT_MG: "serving_implausible"}
    return {}


def target_placeholders(options: Mapping[str, Any]) -> dict[str, str]:
    """The intake table's target for the age, sex and region in `options`."""
    region, band, sex = (
        Region(options[CONF_REGION]),
        AgeBand(options[CONF_AGE_BAND]),
        Sex(options[CONF_SEX]),
    )
    return {"default_target_mg": str(default_target_mg(region, band, sex))}
