"""The dose reminder on phones: real notify services in Home Assistant record each call."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall, callback
import pytest

from custom_components.magnesium_sleep.const import DOMAIN

from .conftest import state
from .test_bedtime import AMS, Timeline, load, walk

ENTRY_ID = "01KANNA0000000000000000000"
TAG = f"magnesium_sleep_dose_{ENTRY_ID}"
TAKEN = f"MAGNESIUM_SLEEP_TAKEN_{ENTRY_ID}"
SKIP = f"MAGNESIUM_SLEEP_SKIP_{ENTRY_ID}"
PHONES = ["mobile_app_annas_phone", "mobile_app_tablet"]


@pytest.fixture
def sent(hass: HomeAssistant) -> list[tuple[str, dict[str, Any]]]:
    """Two companion apps' notify services; every call they get, in order."""
    calls: list[tuple[str, dict[str, Any]]] = []

    @callback
    def handle(call: ServiceCall) -> None:
        calls.append((call.service, dict(call.data)))

    for phone in PHONES:
        hass.services.async_register("notify", phone, handle)
    return calls


def kinds(calls: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    """(service, "remind" or "clear") for each call, and take them."""
    taken = [
        (service, "clear" if data["message"] == "clear_notification" else "remind")
        for service, data in calls
    ]
    calls.clear()
    return taken


@pytest.mark.freeze_time("2026-11-21 20:30:00+00:00")  # 21:30
async def test_taken_logs_a_serving_and_clears_every_phone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sent: list[tuple[str, dict[str, Any]]],
) -> None:
    await load(hass, notify_services=PHONES, renotify_minutes=15)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 0, tzinfo=AMS))
    _phone, data = sent[0]
    assert data == {
        "title": "Magnesium for Anna",
        "message": "Bedtime is at 23:00 and no magnesium is logged for tonight yet.",
        "data": {
            "tag": TAG,
            "actions": [{"action": TAKEN, "title": "Taken"}, {"action": SKIP, "title": "Skip"}],
        },
    }
    assert kinds(sent) == [(PHONES[0], "remind"), (PHONES[1], "remind")]

    hass.bus.async_fire("mobile_app_notification_action", {"action": TAKEN, "tag": TAG})
    await hass.async_block_till_done()
    assert state(hass, "binary_sensor.anna_dose_taken_today") == "on"
    doses = await hass.services.async_call(
        DOMAIN, "get_doses", {}, blocking=True, return_response=True
    )
    assert [(d["servings"], d["source"]) for d in doses["doses"]] == [(1.0, "notification")]
    assert sent[0] == (PHONES[0], {"message": "clear_notification", "data": {"tag": TAG}})
    assert kinds(sent) == [(PHONES[0], "clear"), (PHONES[1], "clear")]
    await walk(hass, freezer, datetime(2026, 11, 21, 23, 30, tzinfo=AMS), step=300)
    assert sent == []  # answered: not sent again


@pytest.mark.freeze_time("2026-11-21 20:30:00+00:00")
async def test_unanswered_it_comes_once_more_and_a_dose_logged_elsewhere_clears_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sent: list[tuple[str, dict[str, Any]]],
) -> None:
    entry = await load(hass, notify_services=PHONES[:1], renotify_minutes=15)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 5, tzinfo=AMS))
    assert kinds(sent) == [(PHONES[0], "remind")]
    # A restart between the reminder and the second one loses nothing.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert sent == []
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 30, tzinfo=AMS))
    assert kinds(sent) == [(PHONES[0], "remind")]  # at 22:15, once
    await hass.services.async_call(DOMAIN, "log_dose", {"servings": 2}, blocking=True)
    await hass.async_block_till_done()
    assert kinds(sent) == [(PHONES[0], "clear")]


@pytest.mark.freeze_time("2026-11-21 20:30:00+00:00")
async def test_skip_clears_without_a_dose(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sent: list[tuple[str, dict[str, Any]]],
) -> None:
    await load(hass, notify_services=PHONES, renotify_minutes=15)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 1, tzinfo=AMS))
    kinds(sent)
    hass.bus.async_fire("mobile_app_notification_action", {"action": SKIP, "tag": TAG})
    await hass.async_block_till_done()
    assert kinds(sent) == [(PHONES[0], "clear"), (PHONES[1], "clear")]
    assert state(hass, "binary_sensor.anna_dose_taken_today") == "off"
    await walk(hass, freezer, datetime(2026, 11, 21, 23, 0, tzinfo=AMS), step=300)
    assert sent == []


@pytest.mark.freeze_time("2026-11-21 20:30:00+00:00")
async def test_a_vanished_phone_is_passed_over_and_zero_sends_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sent: list[tuple[str, dict[str, Any]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    await load(hass, notify_services=["mobile_app_gone", PHONES[0]], renotify_minutes=0)
    timeline = Timeline(hass, AMS)
    await walk(hass, freezer, datetime(2026, 11, 21, 22, 1, tzinfo=AMS))
    assert kinds(sent) == [(PHONES[0], "remind")]  # the vanished one is logged and passed
    assert "notify.mobile_app_gone" in caplog.text
    await walk(hass, freezer, datetime(2026, 11, 21, 23, 0, tzinfo=AMS), step=300)
    assert sent == []  # 0: only once
    assert ("11-21 22:00", "dose_reminder") in timeline.take()


@pytest.mark.freeze_time("2026-11-21 20:30:00+00:00")
async def test_reminder_suppressed_when_taken(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sent: list[tuple[str, dict[str, Any]]],
) -> None:
    await load(hass, notify_services=PHONES)
    await hass.services.async_call(DOMAIN, "log_dose", {"servings": 1}, blocking=True)
    await walk(hass, freezer, datetime(2026, 11, 21, 23, 0, tzinfo=AMS), step=300)
    assert sent == []


async def test_options_step_lists_companion_apps_first(
    hass: HomeAssistant, sent: list[tuple[str, dict[str, Any]]]
) -> None:
    hass.services.async_register("notify", "email", callback(lambda call: None))
    entry = await load(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "reminders"}
    )
    schema = result["data_schema"].schema
    selector = next(value for key, value in schema.items() if str(key) == "notify_services")
    assert selector.config["options"] == [*PHONES, "email"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"notify_services": PHONES[:1], "renotify_minutes": 10}
    )
    await hass.async_block_till_done()
    assert entry.options["notify_services"] == PHONES[:1]
    assert entry.options["renotify_minutes"] == 10


@pytest.mark.freeze_time("2026-11-21 20:30:00+00:00")
async def test_taken_the_next_morning_still_clears(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sent: list[tuple[str, dict[str, Any]]],
) -> None:
    """The serving counts to the new day (it is taken now), and the reminder is done."""
    await load(hass, notify_services=PHONES[:1], renotify_minutes=0)
    await walk(hass, freezer, datetime(2026, 11, 22, 7, 0, tzinfo=AMS), step=600)
    assert kinds(sent) == [(PHONES[0], "remind")]
    hass.bus.async_fire("mobile_app_notification_action", {"action": TAKEN, "tag": TAG})
    await hass.async_block_till_done()
    assert kinds(sent) == [(PHONES[0], "clear")]
    assert hass.states.get("sensor.anna_magnesium_today").attributes["day"] == "2026-11-22"
