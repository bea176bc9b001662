"""Actions: thin wrappers that find the profile and call its runtime."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import probatio

from .const import (
    ATTR_CONFIG_ENTRY_ID,
    DOMAIN,
    SERVICE_END_WIND_DOWN,
    SERVICE_EXPORT,
    SERVICE_GET_DOSES,
    SERVICE_GET_EFFECT,
    SERVICE_GET_NIGHTS,
    SERVICE_LOG_DOSE,
    SERVICE_LOG_SLEEP,
    SERVICE_REFILL,
    SERVICE_REMOVE_DOSE,
    SERVICE_START_EXPERIMENT,
    SERVICE_START_WIND_DOWN,
    SERVICE_STOP_EXPERIMENT,
    SERVICE_TAG_NIGHT,
)
from .domain.experiment import DEFAULT_BLOCK_DAYS, DEFAULT_WASHOUT_NIGHTS, DEFAULT_WEEKS
from .domain.instants import DateOutOfRange, check_date
from .domain.sleep.signals import ManualEntry
from .domain.sleep.window import span_of
from .insights import parse_outcome
from .payloads import dose_payload, night_payload
from .profiles import async_profile_for
from .runtime import MagnesiumSleepRuntime

GET_DOSES_DEFAULT_SPAN = timedelta(days=30)
GET_NIGHTS_DEFAULT_NIGHTS = 30


def _number(value: Any) -> float:
    """A float (not a bool), for the domain to judge.

    Not probatio.Coerce(float): once compiled it lets a huge int's OverflowError out,
    which Home Assistant answers with a 500.
    """
    if isinstance(value, bool):
        raise probatio.Invalid("expected a number")
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError) as err:
        raise probatio.Invalid("expected a number") from err


def _whole_number(value: Any) -> int:
    """An int (truncated, as Coerce(int) does), for the domain to judge; see _number."""
    try:
        return int(_number(value))
    except (ValueError, OverflowError) as err:  # NaN, infinity
        raise probatio.Invalid("expected a whole number") from err


LOG_DOSE_SCHEMA = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        # Ranges, units and forms are checked by the domain, which explains what is wrong.
        probatio.Optional("amount"): _number,
        probatio.Optional("unit", default="mg"): cv.string,
        probatio.Optional("servings"): _number,
        probatio.Optional("form"): cv.string,
        probatio.Optional("taken_at"): cv.datetime,
        probatio.Optional("note"): probatio.All(cv.string, probatio.Length(max=500)),
    }
)
REMOVE_DOSE_SCHEMA = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Optional("dose_id"): cv.string,
    }
)
LOG_SLEEP_SCHEMA = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Optional("night"): cv.date,
        probatio.Required("bedtime"): cv.datetime,
        probatio.Required("wake_time"): cv.datetime,
        # Ranges are the domain's to check, with a translated explanation.
        probatio.Optional("latency"): _number,
        probatio.Optional("awakenings"): _whole_number,
        probatio.Optional("rating"): _whole_number,
    }
)
GET_DOSES_SCHEMA = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Optional("start"): cv.datetime,
        probatio.Optional("end"): cv.datetime,
    }
)
PROFILE_ONLY_SCHEMA = probatio.Schema({probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string})
GET_NIGHTS_SCHEMA = PROFILE_ONLY_SCHEMA.extend(
    {probatio.Optional("start"): cv.date, probatio.Optional("end"): cv.date}
)
TAG_NIGHT_SCHEMA = PROFILE_ONLY_SCHEMA.extend(
    {
        probatio.Optional("night"): cv.date,
        # Known tags are the domain's to check, with a translated explanation.
        probatio.Required("tags"): probatio.All(cv.ensure_list, [cv.string]),
        probatio.Optional("note"): probatio.All(cv.string, probatio.Length(max=500)),
        probatio.Optional("remove", default=False): cv.boolean,
    }
)
GET_EFFECT_SCHEMA = GET_NIGHTS_SCHEMA.extend(
    {
        probatio.Optional("outcome"): cv.string,
        probatio.Optional("exclude_tagged", default=True): cv.boolean,
    }
)
START_EXPERIMENT_SCHEMA = PROFILE_ONLY_SCHEMA.extend(
    {
        # Ranges are the domain's to check, with a translated explanation.
        probatio.Optional("weeks", default=DEFAULT_WEEKS): _whole_number,
        probatio.Optional("block_days", default=DEFAULT_BLOCK_DAYS): _whole_number,
        probatio.Optional("washout_nights", default=DEFAULT_WASHOUT_NIGHTS): _whole_number,
        probatio.Optional("seed"): _whole_number,
        probatio.Optional("outcome"): cv.string,
    }
)


def runtime_for(call: ServiceCall) -> MagnesiumSleepRuntime:
    """The profile an action is for: named, the caller's own, or the only one."""
    return async_profile_for(
        call.hass, user_id=call.context.user_id, entry_id=call.data.get(ATTR_CONFIG_ENTRY_ID)
    ).runtime_data


def _in_range[T: date](field: str, value: T) -> T:
    """The value, unless its date is one the integration cannot compute with."""
    try:
        check_date(field, value)
    except DateOutOfRange as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=err.reason,
            translation_placeholders=err.placeholders,
        ) from err
    return value


def _as_utc(call: ServiceCall, field: str) -> datetime | None:
    """A time field in UTC; times without a zone are Home Assistant's local time."""
    value: datetime | None = call.data.get(field)
    return None if value is None else dt_util.as_utc(_in_range(field, value))


async def _async_log_dose(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    change = await runtime.doses.async_log(
        amount=call.data.get("amount"),
        unit=call.data["unit"],
        servings=call.data.get("servings"),
        form=call.data.get("form"),
        taken_at=_as_utc(call, "taken_at"),
        note=call.data.get("note"),
        source="action",
        context=call.context,
    )
    return runtime.dose_change_payload(change)


async def _async_remove_dose(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    change = await runtime.doses.async_remove(call.data.get("dose_id"), context=call.context)
    return runtime.dose_change_payload(change)


async def _async_get_doses(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    end = _as_utc(call, "end") or dt_util.utcnow()
    start = _as_utc(call, "start") or end - GET_DOSES_DEFAULT_SPAN
    if start >= end:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="start_after_end")
    # `end` is inclusive: a dose logged at this very moment is part of "up to now".
    doses = runtime.doses.log.between(start, end + timedelta(microseconds=1))
    result: dict[str, Any] = {
        ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "doses": [dose_payload(dose) for dose in doses],
        "total_mg": float(sum(dose.elemental_mg for dose in doses)),
    }
    return result


async def _async_log_sleep(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    tracker = runtime.sleep
    bedtime = dt_util.as_utc(_in_range("bedtime", call.data["bedtime"]))
    wake_time = dt_util.as_utc(_in_range("wake_time", call.data["wake_time"]))
    night = call.data.get("night") or span_of(
        bedtime, tracker.assembler.tz, tracker.assembler.window
    )
    logged = await tracker.async_log_sleep(
        ManualEntry(
            night=_in_range("night", night),
            bedtime=bedtime,
            wake_time=wake_time,
            received_at=dt_util.utcnow(),
            latency=call.data.get("latency"),
            awakenings=call.data.get("awakenings"),
            rating=call.data.get("rating"),
        )
    )
    return {
        ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id,
        **night_payload(logged, tracker.score(logged)),
    }


PROFILE_ONLY_SCHEMA = probatio.Schema({probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string})


async def _async_start_wind_down(call: ServiceCall) -> None:
    await runtime_for(call).bedtime.async_start_wind_down(call.context)


async def _async_end_wind_down(call: ServiceCall) -> None:
    await runtime_for(call).bedtime.async_end_wind_down(call.context)


REFILL_SCHEMA = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        # The range is the domain's to check, with a translated explanation.
        probatio.Required("servings"): _number,
    }
)


async def _async_refill(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    await runtime.supply.async_refill(call.data["servings"], call.context)
    return {ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id, **runtime.supply.payload()}


def _date_range(call: ServiceCall, runtime: MagnesiumSleepRuntime) -> tuple[date, date]:
    """`start` and `end` nights, by default the last 30 nights up to last night."""
    given_end, given_start = call.data.get("end"), call.data.get("start")
    end: date = (
        _in_range("end", given_end) if given_end else runtime.insights.tonight() - timedelta(days=1)
    )
    start: date = (
        _in_range("start", given_start)
        if given_start
        else end - timedelta(days=GET_NIGHTS_DEFAULT_NIGHTS - 1)
    )
    if start > end:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="start_after_end")
    return start, end


async def _async_get_nights(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    start, end = _date_range(call, runtime)
    result: dict[str, Any] = {
        ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "nights": runtime.insights.history(start, end),
    }
    return result


async def _async_tag_night(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    insights = runtime.insights
    night = await insights.async_tag(
        _in_range("night", night)
        if (night := call.data.get("night"))
        else insights.tonight() - timedelta(days=1),
        call.data["tags"],
        note=call.data.get("note"),
        remove=call.data["remove"],
    )
    return {ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id, **night}


async def _async_get_effect(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    insights = runtime.insights
    outcome = parse_outcome(call.data.get("outcome"), insights.outcome)
    start, end = call.data.get("start"), call.data.get("end")
    if start is not None and end is not None and start > end:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="start_after_end")
    await insights.async_wait_indexed()
    result = insights.effect(outcome, start, end, exclude_tagged=call.data["exclude_tagged"])
    return {ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id, **insights.effect_payload(result)}


async def _async_start_experiment(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    insights = runtime.insights
    plan = await insights.async_start_experiment(
        weeks=call.data["weeks"],
        block_days=call.data["block_days"],
        washout_nights=call.data["washout_nights"],
        seed=call.data.get("seed"),
        outcome=parse_outcome(call.data.get("outcome"), insights.outcome),
    )
    return {ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id, **plan}


async def _async_stop_experiment(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    report = await runtime.insights.async_end_experiment(stopped_early=True)
    return {ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id, **report}


async def _async_export(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    insights = runtime.insights
    result: dict[str, Any] = {
        ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id,
        "profile": runtime.profile.name,
        "exported_at": dt_util.utcnow().isoformat(),
        "dose_night_mg": insights.threshold_mg,
        "doses": [dose_payload(dose) for dose in runtime.doses.log],
        "nights": insights.all_nights(),
        "experiments": [experiment.to_dict() for experiment in insights.experiments],
    }
    return result


_INSIGHT_ACTIONS: tuple[tuple[str, Any, probatio.Schema, SupportsResponse], ...] = (
    (SERVICE_GET_NIGHTS, _async_get_nights, GET_NIGHTS_SCHEMA, SupportsResponse.ONLY),
    (SERVICE_TAG_NIGHT, _async_tag_night, TAG_NIGHT_SCHEMA, SupportsResponse.OPTIONAL),
    (SERVICE_GET_EFFECT, _async_get_effect, GET_EFFECT_SCHEMA, SupportsResponse.ONLY),
    (
        SERVICE_START_EXPERIMENT,
        _async_start_experiment,
        START_EXPERIMENT_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (
        SERVICE_STOP_EXPERIMENT,
        _async_stop_experiment,
        PROFILE_ONLY_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (SERVICE_EXPORT, _async_export, PROFILE_ONLY_SCHEMA, SupportsResponse.ONLY),
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions once, whatever the number of profiles."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_LOG_DOSE,
        _async_log_dose,
        schema=LOG_DOSE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_REMOVE_DOSE,
        _async_remove_dose,
        schema=REMOVE_DOSE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_LOG_SLEEP,
        _async_log_sleep,
        schema=LOG_SLEEP_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_DOSES,
        _async_get_doses,
        schema=GET_DOSES_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_START_WIND_DOWN, _async_start_wind_down, schema=PROFILE_ONLY_SCHEMA
    )
    hass.services.async_register(
        DOMAIN, SERVICE_END_WIND_DOWN, _async_end_wind_down, schema=PROFILE_ONLY_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_REFILL,
        _async_refill,
        schema=REFILL_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    for name, handler, schema, supports_response in _INSIGHT_ACTIONS:
        hass.services.async_register(
            DOMAIN, name, handler, schema=schema, supports_response=supports_response
        )
