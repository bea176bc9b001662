"""Apple Health through the Health Auto Export app: one webhook per profile.

Sleep analysis becomes signals for the night assembler and magnesium intakes become
doses, through the same engine methods as the actions. A malformed or oversized
body gets a 4xx with a reason and changes nothing; re-sending an export adds nothing.
"""

from __future__ import annotations

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


async def _async_import_intake(
    runtime: MagnesiumSleepRuntime, intake: MedicationIntake
) -> bool | None:
    """Log one intake as a dose.

    True if logged, None if it was imported before, False when it cannot be (no usable
    amount).
    """
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
        return False
    return None if change is None else True


async def async_handle_export(runtime: MagnesiumSleepRuntime, request: web.Request) -> web.Response:
    """Take one Health Auto Export body for a profile."""
    try:
        payload = await _async_read_json(request)
        batch = parse_export(
            payload, tz=runtime.sleep.assembler.tz, window=runtime.sleep.assembler.window
        )
    except BodyTooLargeError:
        return _error(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "too_large",
            f"the body is larger than {MAX_BODY_BYTES} bytes",
        )
    except ValueError as err:  # ExportRejected, or JSON that does not parse
        reason = err.reason if isinstance(err, ExportRejected) else "invalid_json"
        return _error(HTTPStatus.BAD_REQUEST, reason, str(err))

    try:
        nights = await runtime.sleep.async_feed(
            [exported.signal for exported in batch.signals], durable=True
        )
        logged = duplicates = rejected = 0
        for intake in batch.medications:
            match await _async_import_intake(runtime, intake):
                case None:
                    duplicates += 1
                case True:
                    logged += 1
                case False:
                    rejected += 1
    except HistoryWriteError as err:
        # Home Assistant's webhook answers an exception with 200, and the app would not
        # send the export again. What was saved before the failure is not repeated.
        LOGGER.error("Apple Health export for %s not saved: %s", runtime.profile.name, err)
        return _error(HTTPStatus.INTERNAL_SERVER_ERROR, "write_failed", str(err))
    return web.json_response(
        {
            "nights_updated": [night.night.isoformat() for night in nights],
            "doses_logged": logged,
            "doses_already_logged": duplicates,
            "doses_rejected": rejected,
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
