"""Selectors and schemas the config flow and the options flow share, and their checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

from homeassistant.const import CONF_NAME
from homeassistant.data_entry_flow import section
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
    TextSelectorConfig,
    TimeSelector,
    TimeSelectorConfig,
    make_selector_config_schema,
)
import probatio

from .const import (
    CONF_AGE_BAND,
    CONF_ASLEEP_THRESHOLD,
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
    CONF_NIGHT_ENDS,
    CONF_NIGHT_STARTS,
    CONF_NOTIFY_SERVICES,
    CONF_PERSON,
    CONF_PRODUCT_AMOUNT_MG,
    CONF_PRODUCT_BASIS,
    CONF_PRODUCT_FORM,
    CONF_REGION,
    CONF_RENOTIFY_MINUTES,
    CONF_SEX,
    CONF_SLEEP_MODE_SWITCH,
    CONF_SUPPLY_SERVINGS,
    CONF_TARGET_MG,
    CONF_VOICE_SENTENCES,
    CONF_WEBHOOK_LOCAL_ONLY,
    CONF_WEBHOOK_URL,
    CONF_WEEKEND_BEDTIME,
    CONF_WIND_DOWN_GRACE_MINUTES,
    CONF_WIND_DOWN_MINUTES,
)
from .domain.doses import MAX_SINGLE_DOSE_MG
from .domain.effect import Outcome
from .domain.intake import (
    AgeBand,
    Region,
    Sex,
    default_supplement_target_mg,
    recommended_intake_mg,
    upper_limit_mg,
)
from .domain.profile import AmountBasis, Product
from .domain.schedule import MAX_DOSE_REMINDER_MINUTES, MAX_GRACE_MINUTES, MAX_WIND_DOWN_MINUTES
from .domain.supply import MAX_PACK_SERVINGS
from .domain.units import Form
from .state_adapter import DEFAULT_ASLEEP_THRESHOLD, ROLE_DOMAINS, Role

DEFAULT_SERVING_MG: Final = 500
"""What one capsule of the default form (glycinate) usually says on the front of the pack."""
DEFAULT_NIGHT_STARTS: Final = "18:00:00"
DEFAULT_NIGHT_ENDS: Final = "12:00:00"


class TimeOfDaySelectorConfig(TimeSelectorConfig, total=False):
    """A time selector's config with the frontend's `no_second` flag."""

    no_second: bool


class TimeOfDaySelector(TimeSelector):
    """Hours and minutes, without seconds.

    Home Assistant 2026.10's frontend honours `no_second`, but the core time selector's
    config schema does not accept it yet (tests/test_config_flow.py checks both facts);
    this subclass only widens the config schema, the value is validated as a time.
    """

    CONFIG_SCHEMA = make_selector_config_schema({probatio.Optional("no_second"): bool})

    def __init__(self) -> None:
        """Hide the seconds."""
        super().__init__(TimeOfDaySelectorConfig(no_second=True))


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
        probatio.Required(CONF_PRODUCT_AMOUNT_MG, default=DEFAULT_SERVING_MG): _mg(1, 5000, 0.1),
        probatio.Required(CONF_PRODUCT_BASIS, default=AmountBasis.COMPOUND.value): _select(
            [basis.value for basis in AmountBasis], CONF_PRODUCT_BASIS
        ),
        probatio.Required(CONF_TARGET_MG): _mg(10, 2000, 5),
    }
)
# The sleep sources form, in the order people meet their data: sections of roles.
SOURCE_SECTIONS: Final[dict[str, tuple[Role, ...]]] = {
    "presence": (Role.IN_BED, Role.ASLEEP),
    "night": (
        Role.TOTAL_SLEEP,
        Role.TIME_IN_BED,
        Role.SLEEP_LATENCY,
        Role.TIME_AWAKE,
        Role.AWAKENINGS,
        Role.BEDTIME,
        Role.WAKE_TIME,
        Role.SLEEP_SCORE,
    ),
    "stages": (Role.DEEP, Role.LIGHT, Role.REM),
    "heart": (Role.HRV, Role.RESTING_HEART_RATE),
    "sleep_as_android": (Role.SLEEP_TRACKING, Role.SLEEP_PHASE),
}
# Sections shown open even when empty: what most people have.
_OPEN_SECTIONS: Final = frozenset({"presence", "night"})
SECTION_SETTINGS: Final[dict[str, tuple[str, ...]]] = {
    "presence": (CONF_ASLEEP_THRESHOLD,),
    "night_window": (CONF_NIGHT_STARTS, CONF_NIGHT_ENDS),
}
_SETTING_SELECTORS: Final[dict[str, Any]] = {
    CONF_ASLEEP_THRESHOLD: NumberSelector(
        NumberSelectorConfig(
            min=1, max=100, step=1, unit_of_measurement="%", mode=NumberSelectorMode.BOX
        )
    ),
    CONF_NIGHT_STARTS: TimeOfDaySelector(),
    CONF_NIGHT_ENDS: TimeOfDaySelector(),
}


def sleep_sources_schema(picked: Iterable[str]) -> probatio.Schema:
    """The sleep sources form; a section with a picked source, or a common one, is open."""
    picked = set(picked)
    fields: dict[Any, Any] = {}
    for name in [*SOURCE_SECTIONS, "night_window"]:
        roles = SOURCE_SECTIONS.get(name, ())
        schema = {
            probatio.Optional(role.value): EntitySelector(
                EntitySelectorConfig(domain=list(ROLE_DOMAINS[role]))
            )
            for role in roles
        } | {
            probatio.Required(setting): _SETTING_SELECTORS[setting]
            for setting in SECTION_SETTINGS.get(name, ())
        }
        collapsed = name not in _OPEN_SECTIONS and not picked & {role.value for role in roles}
        fields[probatio.Required(name)] = section(probatio.Schema(schema), {"collapsed": collapsed})
    fields[probatio.Optional(CONF_ENABLE_DISABLED, default=True)] = bool
    return probatio.Schema(fields)


def sleep_sources_suggestions(
    sources: Mapping[str, str], options: Mapping[str, Any]
) -> dict[str, Any]:
    """The form's suggested values, by section, from sources and the current settings."""
    settings = {
        CONF_ASLEEP_THRESHOLD: options.get(CONF_ASLEEP_THRESHOLD, DEFAULT_ASLEEP_THRESHOLD),
        CONF_NIGHT_STARTS: options.get(CONF_NIGHT_STARTS, DEFAULT_NIGHT_STARTS),
        CONF_NIGHT_ENDS: options.get(CONF_NIGHT_ENDS, DEFAULT_NIGHT_ENDS),
    }
    return {
        name: {
            **{
                role.value: sources[role]
                for role in SOURCE_SECTIONS.get(name, ())
                if role in sources
            },
            **{setting: settings[setting] for setting in SECTION_SETTINGS.get(name, ())},
        }
        for name in [*SOURCE_SECTIONS, "night_window"]
    }


def sleep_sources_from_input(
    user_input: Mapping[str, Any],
) -> tuple[dict[str, str], dict[str, Any]]:
    """The picked source per role and the settings, from the sectioned form's answer."""
    sources: dict[str, str] = {}
    settings: dict[str, Any] = {}
    for name, values in user_input.items():
        if not isinstance(values, Mapping):
            continue
        for key, value in values.items():
            if key in SECTION_SETTINGS.get(name, ()):
                settings[key] = value
            elif value:
                sources[key] = value
    return sources, settings


APPLE_HEALTH_SCHEMA = probatio.Schema(
    {
        # Shown in a read-only text field: copyable, and not a link that would GET it.
        probatio.Optional(CONF_WEBHOOK_URL): TextSelector(
            TextSelectorConfig(read_only=True, multiline=True)
        ),
        probatio.Required(CONF_WEBHOOK_LOCAL_ONLY): bool,
    }
)
VOICE_SCHEMA = probatio.Schema({probatio.Required(CONF_VOICE_SENTENCES): bool})
PROFILE_OPTIONS_SCHEMA = ABOUT_SCHEMA.extend(SUPPLEMENT_SCHEMA.schema).extend(
    {probatio.Required(CONF_DAY_STARTS_AT): TimeOfDaySelector()}
)


def _minutes(maximum: int) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=1, max=maximum, step=1, unit_of_measurement="min", mode=NumberSelectorMode.BOX
        )
    )


BEDTIME_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_BEDTIME): TimeOfDaySelector(),
        probatio.Optional(CONF_WEEKEND_BEDTIME): TimeOfDaySelector(),
        probatio.Required(CONF_WIND_DOWN_MINUTES): probatio.All(
            _minutes(MAX_WIND_DOWN_MINUTES), probatio.Coerce(int)
        ),
        probatio.Required(CONF_DOSE_REMINDER_MINUTES): probatio.All(
            _minutes(MAX_DOSE_REMINDER_MINUTES), probatio.Coerce(int)
        ),
        probatio.Required(CONF_WIND_DOWN_GRACE_MINUTES): probatio.All(
            _minutes(MAX_GRACE_MINUTES), probatio.Coerce(int)
        ),
    }
)


def reminders_schema(notify_services: list[str]) -> probatio.Schema:
    """Which notify services get the dose reminder, and when it is sent again."""
    return probatio.Schema(
        {
            probatio.Optional(CONF_NOTIFY_SERVICES): SelectSelector(
                SelectSelectorConfig(
                    options=notify_services,
                    multiple=True,
                    custom_value=True,
                    mode=SelectSelectorMode.DROPDOWN,
                )
            ),
            probatio.Required(CONF_RENOTIFY_MINUTES): probatio.All(
                NumberSelector(
                    NumberSelectorConfig(
                        min=0,
                        max=MAX_GRACE_MINUTES,
                        step=1,
                        unit_of_measurement="min",
                        mode=NumberSelectorMode.BOX,
                    )
                ),
                probatio.Coerce(int),
            ),
        }
    )


SUPPLY_SCHEMA = probatio.Schema(
    {
        probatio.Optional(CONF_SUPPLY_SERVINGS): NumberSelector(
            NumberSelectorConfig(
                min=0.5, max=MAX_PACK_SERVINGS, step=0.5, mode=NumberSelectorMode.BOX
            )
        ),
        probatio.Optional(CONF_LOW_SUPPLY_DAYS): probatio.All(
            NumberSelector(
                NumberSelectorConfig(
                    min=1, max=90, step=1, unit_of_measurement="d", mode=NumberSelectorMode.BOX
                )
            ),
            probatio.Coerce(int),
        ),
    }
)


DIMMING_SCHEMA = probatio.Schema(
    {
        probatio.Optional(CONF_DIMMING_LIGHTS): EntitySelector(
            EntitySelectorConfig(domain="light", multiple=True)
        ),
        probatio.Required(CONF_DIMMING_FLOOR_PERCENT): probatio.All(
            NumberSelector(
                NumberSelectorConfig(
                    min=1, max=100, step=1, unit_of_measurement="%", mode=NumberSelectorMode.SLIDER
                )
            ),
            probatio.Coerce(int),
        ),
        probatio.Required(CONF_DIMMING_WARM_KELVIN): probatio.All(
            NumberSelector(
                NumberSelectorConfig(
                    min=1500,
                    max=6500,
                    step=50,
                    unit_of_measurement="K",
                    mode=NumberSelectorMode.BOX,
                )
            ),
            probatio.Coerce(int),
        ),
        probatio.Optional(CONF_SLEEP_MODE_SWITCH): EntitySelector(
            EntitySelectorConfig(domain="switch")
        ),
    }
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


def _person(options: Mapping[str, Any]) -> tuple[Region, AgeBand, Sex]:
    return Region(options[CONF_REGION]), AgeBand(options[CONF_AGE_BAND]), Sex(options[CONF_SEX])


def target_placeholders(options: Mapping[str, Any]) -> dict[str, str]:
    """The intake recommendation (food and supplements) and the supplemental upper limit."""
    region, band, sex = _person(options)
    return {
        "recommended_intake_mg": str(recommended_intake_mg(region, band, sex)),
        "upper_limit_mg": str(upper_limit_mg(region, band)),
        "default_target_mg": str(default_supplement_target_mg(region, band, sex)),
    }


def default_target(options: Mapping[str, Any]) -> int:
    """The supplement target to suggest for the age, sex and region in `options`."""
    return default_supplement_target_mg(*_person(options))
