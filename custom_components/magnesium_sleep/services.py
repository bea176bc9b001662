"""Actions: thin wrappers that find the profile and call its runtime."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.person import ATTR_USER_ID
from homeassistant.const import CONF_NAME
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, service
from homeassistant.util import dt as dt_util
import probatio

from .const import (
    ATTR_CONFIG_ENTRY_ID,
    CONF_PERSON,
    DOMAIN,
    SERVICE_GET_DOSES,
    SERVICE_LOG_DOSE,
    SERVICE_LOG_SLEEP,
    SERVICE_REMOVE_DOSE,
)
from .domain.instants import DateOutOfRange, check_date
from .domain.sleep import ManualEntry, span_of
from .runtime import MagnesiumSleepConfigEntry, MagnesiumSleepRuntime, dose_data
from .sleep_tracker import night_data

GET_DOSES_DEFAULT_SPAN = timedelta(days=30)


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


def _linked_entry(hass: HomeAssistant, user_id: str | None) -> MagnesiumSleepConfigEntry | None:
    """The loaded profile whose person is the calling user, if any."""
    if user_id is None:
        return None
    entries: list[MagnesiumSleepConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    for entry in entries:
        person = entry.data.get(CONF_PERSON)
        state = hass.states.get(person) if person else None
        if state is not None and state.attributes.get(ATTR_USER_ID) == user_id:
            return entry
    return None


def runtime_for(call: ServiceCall) -> MagnesiumSleepRuntime:
    """The profile an action is for: named, the caller's own, or the only one."""
    entry_id: str | None = call.data.get(ATTR_CONFIG_ENTRY_ID)
    entry: MagnesiumSleepConfigEntry | None = None
    if entry_id is None:
        entry = _linked_entry(call.hass, call.context.user_id)
    if entry is None:
        entry = service.async_get_config_entry(call.hass, DOMAIN, entry_id)
    return entry.runtime_data


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
    dose, status = await runtime.async_log_dose(
        amount=call.data.get("amount"),
        unit=call.data["unit"],
        servings=call.data.get("servings"),
        form=call.data.get("form"),
        taken_at=_as_utc(call, "taken_at"),
        note=call.data.get("note"),
        source="action",
        context=call.context,
    )
    return {
        ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id,
        CONF_NAME: runtime.profile.name,
        **dose_data(dose),
        "day": status.day.isoformat(),
        "day_total_mg": float(status.total_mg),
        "target_mg": status.target_mg,
        "target_progress": float(status.progress_percent),
        "upper_limit_mg": status.upper_limit_mg,
        "above_upper_limit": status.above_upper_limit,
    }


async def _async_remove_dose(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    dose, status = await runtime.async_remove_dose(call.data.get("dose_id"), context=call.context)
    return {
        **dose_data(dose),
        "day": status.day.isoformat(),
        "day_total_mg": float(status.total_mg),
    }


async def _async_get_doses(call: ServiceCall) -> ServiceResponse:
    runtime = runtime_for(call)
    end = _as_utc(call, "end") or dt_util.utcnow()
    start = _as_utc(call, "start") or end - GET_DOSES_DEFAULT_SPAN
    if start >= end:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="start_after_end")
    # `end` is inclusive: a dose logged at this very moment is part of "up to now".
    doses = runtime.doses.between(start, end + timedelta(microseconds=1))
    result: dict[str, Any] = {
        ATTR_CONFIG_ENTRY_ID: runtime.entry.entry_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "doses": [dose_data(dose) for dose in doses],
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
        **night_data(logged, tracker.score(logged)),
    }


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
