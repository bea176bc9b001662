"""Apple Health through the Health Auto Export app: one webhook per profile.

Sleep analysis becomes signals for the night assembler and magnesium intakes become
doses, through the same engine methods as the actions. A malformed or oversized
body gets a 4xx with a reason and changes nothing; re-sending an export adds nothing.
"""

from __future__ import annotations

from enum import StrEnum
from http import HTTPStatus
from typing import Any

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util.json import json_loads

from .const import CONF_WEBHOOK_ID, CONF_WEBHOOK_LOCAL_ONLY, DOMAIN, LOGGER
from .domain.health_export import ExportRejected, MedicationIntake, parse_export
from .runtime import MagnesiumSleepConfigEntry, MagnesiumSleepRuntime
from .storage import HistoryWriteError

# A month of unaggregated samples is a few MB; more is not an export we understand.
MAX_BODY_BYTES = 8 * 1024 * 1024


class BodyTooLargeError(Exception):
    """The body is larger than MAX_BODY_BYTES."""


def _error(status: HTTPStatus, reason: str, message: str) -> web.Response:
    return web.json_response({"error": reason, "message": message}, status=status)


async def _async_read_json(request: web.Request) -> Any:
    """The body as JSON; BodyTooLargeError or ValueError when it is not usable."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise BodyTooLargeError
    # read(n) returns what has arrived so far (up to n), not n bytes: read to the end.
    body = bytearray()
    while chunk := await request.content.read(MAX_BODY_BYTES + 1 - len(body)):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise BodyTooLargeError
    return json_loads(body)


class Outcome(StrEnum):
    """What became of one intake: the keys of the answer's counts."""

    LOGGED = "doses_logged"
    DUPLICATE = "doses_already_logged"
    REJECTED = "doses_rejected"


async def _async_log_intake(runtime: MagnesiumSleepRuntime, intake: MedicationIntake) -> Outcome:
    """Log one intake as a dose, unless it is known or cannot be (no usable amount)."""
    # Without a unit ("1", "2") the dosage counts servings of the profile's product;
    # without any dosage it is one serving.
    with_unit = intake.amount is not None and intake.unit is not None
    servings = None if with_unit else float(intake.amount or 1)
    try:
        change = await runtime.doses.async_import(
            external_id=intake.external_id,
            amount=float(intake.amount) if with_unit and intake.amount else None,
            unit=intake.unit.value if intake.unit is not None else "mg",
            servings=servings,
            taken_at=intake.taken_at,
            note=intake.name,
            source="apple_health",
        )
    except ServiceValidationError as err:
        LOGGER.warning("Apple Health intake %s not logged: %s", intake.name, err)
        return Outcome.REJECTED
    return Outcome.DUPLICATE if change is None else Outcome.LOGGED


async def async_handle_export(runtime: MagnesiumSleepRuntime, request: web.Request) -> web.Response:
    """Take one Health Auto Export body for a profile.

    Every answer is JSON: Home Assistant's webhook answers an exception with an empty
    200, which the app would take as delivered.
    """
    try:
        return await _async_handle_export(runtime, request)
    except Exception:  # noqa: BLE001 - a bug must still not read as delivered
        LOGGER.exception("Apple Health export for %s failed", runtime.profile.name)
        return _error(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            "internal_error",
            "the export could not be taken in; the Home Assistant log says why",
        )


async def _async_handle_export(
    runtime: MagnesiumSleepRuntime, request: web.Request
) -> web.Response:
    try:
        payload = await _async_read_json(request)
    except BodyTooLargeError:
        return _error(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "too_large",
            f"the body is larger than {MAX_BODY_BYTES} bytes",
        )
    except ValueError as err:
        return _error(HTTPStatus.BAD_REQUEST, "invalid_json", str(err))
    try:
        batch = parse_export(
            payload, tz=runtime.sleep.assembler.tz, window=runtime.sleep.assembler.window
        )
    except ExportRejected as err:
        return _error(HTTPStatus.BAD_REQUEST, err.reason, str(err))
    except Exception:  # noqa: BLE001 - the parser's input is anything a client sends
        LOGGER.exception("Apple Health export for %s not understood", runtime.profile.name)
        return _error(
            HTTPStatus.BAD_REQUEST,
            "not_understood",
            "the export could not be read; the Home Assistant log says why",
        )

    counts = dict.fromkeys(Outcome, 0)
    try:
        nights = await runtime.sleep.async_feed(
            [exported.signal for exported in batch.signals], durable=True
        )
        for intake in batch.medications:
            counts[await _async_log_intake(runtime, intake)] += 1
    except HistoryWriteError as err:
        # The app sends the export again after a 5xx; what was saved before the failure
        # is not repeated.
        LOGGER.error("Apple Health export for %s not saved: %s", runtime.profile.name, err)
        return _error(HTTPStatus.INTERNAL_SERVER_ERROR, "write_failed", str(err))
    return web.json_response(
        {
            "nights_updated": [night.night.isoformat() for night in nights],
            **{outcome.value: count for outcome, count in counts.items()},
            "entries_skipped": batch.skipped,
        }
    )


@callback
def async_register_webhook(hass: HomeAssistant, entry: MagnesiumSleepConfigEntry) -> None:
    """Listen for this profile's exports until the entry unloads."""
    webhook_id: str = entry.data[CONF_WEBHOOK_ID]

    async def handle(hass: HomeAssistant, webhook_id: str, request: web.Request) -> web.Response:
        return await async_handle_export(entry.runtime_data, request)

    webhook.async_register(
        hass,
        DOMAIN,
        f"Magnesium & Sleep: {entry.title}",
        webhook_id,
        handle,
        local_only=entry.options.get(CONF_WEBHOOK_LOCAL_ONLY, True),
        allowed_methods=["POST"],
    )
    entry.async_on_unload(lambda: webhook.async_unregister(hass, webhook_id))
