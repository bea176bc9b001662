"""Bad input from outside, through Home Assistant's REST API: a 400 and nothing stored."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.magnesium_sleep.const import DOMAIN

from .conftest import Client, ClientFactory, durable

OUT_OF_RANGE = "is outside the years 1900 to 2999 that this integration accepts"


@pytest.fixture
async def api(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientFactory,
    quiet_access_log: None,
) -> Client:
    """A client of the REST API, logged in as an administrator."""
    assert await async_setup_component(hass, "api", {})
    return await hass_client()


def stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    """The profile's doses and nights as a restart would read them."""
    return {kind: durable(hass_storage, entry, kind) for kind in ("doses", "nights")}


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        pytest.param("log_dose", {"amount": 100, "taken_at": "0001-01-01T00:00:00"}, "taken_at"),
        pytest.param(
            "log_dose", {"amount": 100, "taken_at": "0001-01-01T00:10:00+14:00"}, "taken_at"
        ),
        pytest.param(
            "log_dose", {"amount": 100, "taken_at": "9999-12-31T23:59:59.999999+00:00"}, "taken_at"
        ),
        pytest.param("get_doses", {"end": "9999-12-31T23:59:59.999999+00:00"}, "end"),
        pytest.param("get_doses", {"end": "0001-01-02T00:00:00+00:00"}, "end"),
        pytest.param("get_doses", {"start": "0001-01-01T00:10:00+14:00"}, "start"),
        pytest.param(
            "log_sleep",
            {"bedtime": "0001-01-01T00:10:00+14:00", "wake_time": "0001-01-01T07:00:00+14:00"},
            "bedtime",
        ),
        pytest.param(
            "log_sleep",
            {"bedtime": "2026-11-21T23:00:00", "wake_time": "9999-12-31T23:59:59.999999+00:00"},
            "wake_time",
        ),
    ],
)
async def test_extreme_dates_are_a_400(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    api: Client,
    hass_storage: dict[str, Any],
    action: str,
    data: dict[str, Any],
    field: str,
) -> None:
    """Years 1 and 9999 used to overflow (a 500); now the message names the field."""
    await hass.services.async_call(
        DOMAIN, "log_dose", {"amount": 100, "form": "elemental"}, blocking=True
    )
    before = stored(hass_storage, init_integration)

    response = await api.post(f"/api/services/{DOMAIN}/{action}?return_response", json=data)

    assert response.status == HTTPStatus.BAD_REQUEST, await response.text()
    message = (await response.json())["message"]
    assert message.startswith(f"The date of {field} (")
    assert OUT_OF_RANGE in message
    assert stored(hass_storage, init_integration) == before
