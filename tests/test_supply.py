"""Supply in a real Home Assistant: a pack counting down, refills and the low-supply reminder."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.magnesium_sleep.const import DOMAIN

from .conftest import state
from .test_bedtime import load

DAYS_LEFT = "sensor.anna_supply_days_left"
SERVINGS_LEFT = "sensor.anna_servings_left"
PHONE = "mobile_app_annas_phone"
NOTIFICATION_ID = "magnesium_sleep_01KANNA0000000000000000000_low_supply"
# 141 mg elemental magnesium a serving, as a Supplement Facts panel says.
PRODUCT = {"product_basis": "elemental", "product_amount_mg": 141}


async def call(hass: HomeAssistant, action: str, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=action != "remove_dose"
    )


def supply(hass: HomeAssistant) -> tuple[str, str]:
    return state(hass, SERVINGS_LEFT), state(hass, DAYS_LEFT)


async def next_day(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(timedelta(days=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


@pytest.mark.freeze_time("2026-11-21 10:00:00+00:00")  # Saturday 11:00 in Amsterdam
async def test_supply_counts_down_then_a_refill(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await load(hass, **PRODUCT)
    assert supply(hass) == ("unavailable", "unavailable")  # not counted until a pack is set

    response = await call(hass, "refill", servings=10)
    assert response == {
        "config_entry_id": entry.entry_id,
        "servings_left": 10.0,
        "days_left": None,
        "mean_daily_servings": None,
        "refilled_at": "2026-11-21T10:00:00+00:00",
        "pack_servings": 10.0,
    }
    assert supply(hass) == ("10.0", "unknown")  # no use to go by yet

    await call(hass, "log_dose", servings=1)
    assert supply(hass) == ("9.0", "9.0")
    await call(hass, "log_dose", amount=150, form="elemental")  # one serving, to the half
    assert supply(hass) == ("8.0", "4.0")
    await call(hass, "remove_dose")  # gives its serving back
    assert supply(hass) == ("9.0", "9.0")

    await next_day(hass, freezer)
    assert supply(hass) == ("9.0", "18.0")  # 1 serving over 2 days
    await call(hass, "log_dose", servings=2)
    assert supply(hass) == ("7.0", "4.7")  # 3 servings over 2 days
    # A dose backdated to before the refill came from the previous pack.
    await call(hass, "log_dose", servings=1, taken_at="2026-11-21T09:00:00+00:00")
    assert state(hass, SERVINGS_LEFT) == "7.0"

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, SERVINGS_LEFT) == "7.0"  # derived from the dose log after a restart

    freezer.tick(timedelta(minutes=1))
    await call(hass, "refill", servings=30)
    assert supply(hass) == ("30.0", "15.0")  # 4 servings over 2 days
    attributes = hass.states.get(DAYS_LEFT).attributes  # type: ignore[union-attr]
    assert attributes["refilled_at"] == "2026-11-22T10:01:00+00:00"
    assert attributes["mean_daily_servings"] == 2.0


@pytest.mark.freeze_time("2026-11-21 10:00:00+00:00")
async def test_the_low_supply_reminder_goes_out_once_per_pack(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    sent: list[dict[str, Any]] = []
    low: list[dict[str, Any]] = []

    @callback
    def phone(call: ServiceCall) -> None:
        sent.append(dict(call.data))

    hass.services.async_register("notify", PHONE, phone)
    hass.bus.async_listen(f"{DOMAIN}_low_supply", lambda event: low.append(event.data))
    entry = await load(hass, notify_services=[PHONE], low_supply_days=3, **PRODUCT)
    await call(hass, "refill", servings=6)

    await call(hass, "log_dose", servings=1)  # 5 left at 1 a day: 5 days
    await hass.async_block_till_done()
    assert low == []
    await call(hass, "log_dose", servings=1)  # 4 left at 2 a day: 2 days
    await hass.async_block_till_done()
    assert low == [
        {
            "config_entry_id": entry.entry_id,
            "profile": "Anna",
            "person": None,
            "servings_left": 4.0,
            "days_left": 2.0,
            "mean_daily_servings": 2.0,
            "refilled_at": "2026-11-21T10:00:00+00:00",
            "pack_servings": 6.0,
        }
    ]
    message = (
        "4 servings left: about 2 days at the usual use. Refill, then tell Home Assistant"
        " with the refill action or in the supply settings."
    )
    assert sent == [
        {
            "title": "Magnesium for Anna is running low",
            "message": message,
            "data": {"tag": NOTIFICATION_ID},
        }
    ]
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert notifications[NOTIFICATION_ID]["message"] == message

    # Once per pack: neither the next dose nor a restart sends it again.
    await call(hass, "log_dose", servings=1)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert len(low) == len(sent) == 1

    await next_day(hass, freezer)
    await call(hass, "refill", servings=5)  # a new pack (3.3 days): the notification goes
    await hass.async_block_till_done()
    assert NOTIFICATION_ID not in persistent_notification._async_get_or_create_notifications(hass)
    await call(hass, "log_dose", servings=1)
    await hass.async_block_till_done()
    assert [(event["servings_left"], event["days_left"]) for event in low] == [
        (4.0, 2.0),
        (4.0, 2.0),  # the new pack runs low too
    ]


@pytest.mark.freeze_time("2026-11-21 10:00:00+00:00")
async def test_a_refill_out_of_range_is_refused_and_changes_nothing(hass: HomeAssistant) -> None:
    await load(hass, **PRODUCT)
    await call(hass, "refill", servings=10)
    for servings in (0, -3, 20000):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, "refill", servings=servings)
        assert err.value.translation_key == "refill_servings_invalid"
        assert str(err.value) == (
            f"A pack holds more than 0 and at most 10000 servings, not {float(servings)}"
        )
    assert state(hass, SERVINGS_LEFT) == "10.0"


@pytest.mark.freeze_time("2026-11-21 10:00:00+00:00")
async def test_the_supply_options_step(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """A changed count is a refill; the same count keeps the pack; emptied stops counting."""
    entry = await load(hass, **PRODUCT)

    async def step(user_input: dict[str, Any]) -> dict[str, Any]:
        result = await hass.config_entries.options.async_init(entry.entry_id)
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"next_step_id": "supply"}
        )
        assert result["type"] is FlowResultType.FORM
        shown = {
            str(key): key.description["suggested_value"]
            for key in result["data_schema"].schema
            if key.description and "suggested_value" in key.description
        }
        result = await hass.config_entries.options.async_configure(result["flow_id"], user_input)
        assert result["type"] is FlowResultType.CREATE_ENTRY
        await hass.async_block_till_done()
        return shown

    assert await step({"supply_servings": 30, "low_supply_days": 5}) == {}
    assert entry.state is ConfigEntryState.LOADED
    assert state(hass, SERVINGS_LEFT) == "30.0"
    await call(hass, "log_dose", servings=1)

    freezer.tick(timedelta(hours=1))
    shown = await step({"supply_servings": 29, "low_supply_days": 5})
    assert shown == {"supply_servings": 29.0, "low_supply_days": 5}
    assert entry.options["supply_refilled_at"] == "2026-11-21T10:00:00+00:00"  # the same pack

    await step({"supply_servings": 60})
    assert entry.options["supply_refilled_at"] == "2026-11-21T11:00:00+00:00"  # a refill
    assert entry.options["low_supply_days"] is None
    assert state(hass, SERVINGS_LEFT) == "60.0"

    await step({})
    assert state(hass, SERVINGS_LEFT) == "unavailable"
