"""Doses end to end: the real actions, entities, events, storage and day boundary."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.magnesium_sleep import logbook
from custom_components.magnesium_sleep.const import DOMAIN

from .conftest import HeldWrite, add_profile, durable, state, storage_file

TODAY = "sensor.anna_magnesium_today"
PROGRESS = "sensor.anna_target_progress"
LAST = "sensor.anna_last_dose"
AVERAGE = "sensor.anna_7_day_average"
STREAK = "sensor.anna_dose_streak"
TAKEN = "binary_sensor.anna_dose_taken_today"
ABOVE = "binary_sensor.anna_above_upper_limit"
BUTTON = "button.anna_log_one_serving"
TARGET = "number.anna_daily_target"


async def log(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Call log_dose and return its response."""
    response = await hass.services.async_call(
        DOMAIN, "log_dose", data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


def dose_files(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """The profile's doses as a restart would read them, by month."""
    return durable(hass, entry, "doses")


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")  # 22:15 in Amsterdam
async def test_two_capsules_of_glycinate(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The issue's story: 2 x 500 mg glycinate is 141 mg elemental, 141 of 320 mg today."""
    events = async_capture_events(hass, f"{DOMAIN}_dose_logged")
    response = await log(hass, servings=2)

    assert response["elemental_mg"] == pytest.approx(140.961)
    assert response["day_total_mg"] == pytest.approx(140.961)
    assert response["target_mg"] == 320
    assert response["upper_limit_mg"] == 350
    assert response["above_upper_limit"] is False
    assert response["form"] == "glycinate"
    assert response["day"] == "2026-11-21"
    assert response["taken_at"] == "2026-11-21T21:15:00+00:00"

    assert float(state(hass, TODAY)) == pytest.approx(140.961)
    assert state(hass, PROGRESS) == "44.1"
    assert state(hass, LAST) == "2026-11-21T21:15:00+00:00"
    assert state(hass, TAKEN) == "on"
    assert state(hass, ABOVE) == "off"
    assert state(hass, STREAK) == "1"
    # The first day of doses: its own total, not a seventh of it.
    assert float(state(hass, AVERAGE)) == pytest.approx(140.961, abs=0.001)
    assert hass.states.get(AVERAGE).attributes["days"] == 1
    last = hass.states.get(LAST)
    assert last is not None
    assert last.attributes["form"] == "glycinate"
    assert last.attributes["elemental_mg"] == pytest.approx(140.961)
    assert last.attributes["servings"] == 2

    # On disk before the action returned.
    assert list(dose_files(hass, init_integration)) == ["2026-11"]
    assert list(dose_files(hass, init_integration)["2026-11"]) == [response["dose_id"]]

    assert len(events) == 1
    assert events[0].data["profile"] == "Anna"
    assert events[0].data["elemental_mg"] == pytest.approx(140.961)
    assert events[0].data["day_total_mg"] == pytest.approx(140.961)


@pytest.mark.parametrize(
    ("data", "elemental"),
    [
        ({"amount": 10, "unit": "mmol"}, 243.05),
        ({"amount": 20, "unit": "mEq"}, 243.05),
        ({"amount": 0.5, "unit": "g", "form": "oxide"}, 301.521),
        ({"amount": 200, "form": "elemental"}, 200),
        ({"amount": 1000, "form": "citrate"}, 161.634),
        ({"amount": 2000, "form": "threonate"}, 165.062),
    ],
)
@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_units_and_forms(
    hass: HomeAssistant, init_integration: MockConfigEntry, data: dict[str, Any], elemental: float
) -> None:
    """Label amounts in every unit become elemental mg."""
    response = await log(hass, **data)
    assert response["elemental_mg"] == pytest.approx(elemental, abs=0.001)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"amount": 0}, "amount_not_positive"),
        ({"amount": -5}, "amount_not_positive"),
        ({"amount": float("nan")}, "amount_not_finite"),
        ({"amount": float("inf")}, "amount_not_finite"),
        ({"amount": 5000, "form": "elemental"}, "dose_implausible"),
        ({"amount": 10, "unit": "kg"}, "unknown_unit"),
        ({"amount": 10, "form": "unobtainium"}, "unknown_form"),
        ({"amount": 10, "servings": 1}, "amount_and_servings"),
        ({}, "amount_and_servings"),
        ({"amount": 100, "taken_at": "2026-11-21 23:00:00"}, "taken_at_future"),
        ({"amount": 100, "taken_at": "2001-01-01 22:00:00"}, "taken_at_too_old"),
        ({"amount": 100, "taken_at": "0001-01-01T00:00:00"}, "date_out_of_range"),
        ({"amount": 100, "taken_at": "0001-01-01T00:10:00+14:00"}, "date_out_of_range"),
        ({"amount": 100, "taken_at": "9999-12-31T23:59:59.999999+00:00"}, "date_out_of_range"),
        ({"amount": 100, "config_entry_id": "nope"}, "service_config_entry_not_found"),
    ],
)
@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_bad_input_is_refused_and_writes_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
    reason: str,
) -> None:
    """Each mistake gets its translated error; no file, state or event changes."""
    await log(hass, amount=100, form="elemental")
    before_files = dose_files(hass, init_integration)
    before_today = state(hass, TODAY)
    events = async_capture_events(hass, f"{DOMAIN}_dose_logged")

    with pytest.raises(ServiceValidationError) as err:
        await log(hass, **data)
    assert err.value.translation_key == reason

    assert dose_files(hass, init_integration) == before_files
    assert state(hass, TODAY) == before_today
    assert events == []


async def test_error_messages_are_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The user reads a sentence, with the placeholders filled in."""
    expected = r'^Unknown unit "kg"\. Use mg, g, mmol or mEq'
    with pytest.raises(ServiceValidationError, match=expected):
        await log(hass, amount=10, unit="kg")


async def test_an_unloaded_profile_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Logging for a profile that is not loaded says so."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await log(hass, amount=100, config_entry_id=init_integration.entry_id)
    assert err.value.translation_key == "service_config_entry_not_loaded"


async def test_day_boundary_and_reset(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A 00:30 dose counts to the evening before; at 04:00 the day resets."""
    freezer.move_to("2026-11-21 22:00:00+00:00")  # 23:00 local
    await log(hass, amount=100, form="elemental")
    freezer.move_to("2026-11-21 23:30:00+00:00")  # 00:30 local, next calendar day
    response = await log(hass, amount=50, form="elemental")
    assert response["day"] == "2026-11-21"
    assert response["day_total_mg"] == 150
    today = hass.states.get(TODAY)
    assert today is not None
    assert today.state == "150.0"
    assert today.attributes["last_reset"] == "2026-11-21T03:00:00+00:00"

    freezer.move_to("2026-11-22 03:00:01+00:00")  # 04:00:01 local
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    today = hass.states.get(TODAY)
    assert today is not None
    assert today.state == "0.0"
    assert today.attributes["last_reset"] == "2026-11-22T03:00:00+00:00"
    assert state(hass, TAKEN) == "off"
    # The streak is not broken until the day is over.
    assert state(hass, STREAK) == "1"

    freezer.move_to("2026-11-23 03:00:01+00:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state(hass, STREAK) == "0"
    # Three days since the first dose (150 mg, then none): 50 mg a day.
    assert float(state(hass, AVERAGE)) == pytest.approx(150 / 3, abs=0.001)


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_backdated_dose(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """A dose dated yesterday (local time) counts to yesterday, not today."""
    response = await log(hass, amount=100, form="elemental", taken_at="2026-11-20 22:00:00")
    assert response["day"] == "2026-11-20"
    assert response["taken_at"] == "2026-11-20T21:00:00+00:00"
    assert state(hass, TODAY) == "0.0"
    assert state(hass, STREAK) == "1"
    assert state(hass, LAST) == "2026-11-20T21:00:00+00:00"


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_history_survives_a_restart(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """After a reload from the Store, totals, last dose and streak are back."""
    await log(hass, amount=100, form="elemental", taken_at="2026-11-20 22:00:00")
    await log(hass, amount=100, form="elemental", taken_at="2026-10-20 22:00:00")
    last = await log(hass, servings=2)

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.LOADED
    assert len(init_integration.runtime_data.doses.log) == 3
    assert float(state(hass, TODAY)) == pytest.approx(140.961)
    assert state(hass, STREAK) == "2"
    last_state = hass.states.get(LAST)
    assert last_state is not None
    assert last_state.attributes["dose_id"] == last["dose_id"]
    # The reload folded the journal into the month Stores and their index.
    index = storage_file(hass, f"{DOMAIN}.{init_integration.entry_id}.doses")
    assert json.loads(index.read_bytes())["data"] == {"partitions": ["2026-10", "2026-11"]}
    assert sorted(dose_files(hass, init_integration)) == ["2026-10", "2026-11"]


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_remove_dose(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """remove_dose takes the latest by default, or one by ID, and says when there is none."""
    events = async_capture_events(hass, f"{DOMAIN}_dose_removed")
    first = await log(hass, amount=100, form="elemental", taken_at="2026-11-21 20:00:00")
    second = await log(hass, amount=50, form="elemental")

    removed = await hass.services.async_call(
        DOMAIN, "remove_dose", {}, blocking=True, return_response=True
    )
    assert removed is not None
    assert removed["dose_id"] == second["dose_id"]
    assert removed["day_total_mg"] == 100
    assert state(hass, TODAY) == "100.0"

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "remove_dose", {"dose_id": "x"}, blocking=True)
    assert err.value.translation_key == "unknown_dose"

    await hass.services.async_call(
        DOMAIN, "remove_dose", {"dose_id": first["dose_id"]}, blocking=True
    )
    assert state(hass, TODAY) == "0.0"
    assert state(hass, TAKEN) == "off"
    assert dose_files(hass, init_integration) == {"2026-11": {}}
    assert [event.data["dose_id"] for event in events] == [second["dose_id"], first["dose_id"]]

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "remove_dose", {}, blocking=True)
    assert err.value.translation_key == "no_doses"


async def reloaded(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Reload the profile from disk; it must come back."""
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def remove(hass: HomeAssistant, **data: Any) -> dict[str, Any] | ServiceValidationError:
    """Call remove_dose; its response, or the refusal."""
    try:
        response = await hass.services.async_call(
            DOMAIN, "remove_dose", data, blocking=True, return_response=True
        )
    except ServiceValidationError as err:
        return err
    assert isinstance(response, dict)
    return response


@pytest.mark.parametrize("by_id", [False, True])
async def test_removing_at_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    held_write: HeldWrite,
    by_id: bool,
) -> None:
    """Two removals at once never take the same dose: the second sees the first's result.

    Both used to pick the same dose before either had written, and the second crashed.
    """
    kept = await log(hass, amount=100, form="elemental", taken_at="2026-11-21 20:00:00")
    latest = await log(hass, amount=50, form="elemental")
    held_write.hold_next()  # the first removal's write
    events = async_capture_events(hass, f"{DOMAIN}_dose_removed")
    data = {"dose_id": latest["dose_id"]} if by_id else {}

    first = hass.async_create_task(remove(hass, **data))
    await held_write.writing.wait()
    second = hass.async_create_task(remove(hass, **data))  # runs up to its first wait
    held_write.release.set()
    first_result, second_result = await asyncio.gather(first, second)

    assert isinstance(first_result, dict)
    assert first_result["dose_id"] == latest["dose_id"]
    if by_id:
        assert isinstance(second_result, ServiceValidationError)
        assert second_result.translation_key == "unknown_dose"
        assert list(dose_files(hass, init_integration)["2026-11"]) == [kept["dose_id"]]
    else:
        assert isinstance(second_result, dict)
        assert second_result["dose_id"] == kept["dose_id"]
        assert second_result["day_total_mg"] == 0
        assert dose_files(hass, init_integration) == {"2026-11": {}}
    assert len(events) == 1 + (not by_id)
    await reloaded(hass, init_integration)
    assert state(hass, TODAY) == ("100.0" if by_id else "0.0")


async def test_buttons_and_actions_at_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """Presses, a log and a removal at the same time: each happens once, in turn."""
    press = {ATTR_ENTITY_ID: BUTTON}
    *_, removed = await asyncio.gather(
        hass.services.async_call("button", "press", press, blocking=True),
        hass.services.async_call("button", "press", press, blocking=True),
        log(hass, amount=100, form="elemental"),
        remove(hass),  # whichever is latest when its turn comes, if any
    )

    doses = init_integration.runtime_data.doses.log
    assert len(doses) == (3 if isinstance(removed, ServiceValidationError) else 2)
    assert sorted(dose_files(hass, init_integration)["2026-11"]) == sorted(
        dose.dose_id for dose in doses
    )
    total = float(state(hass, TODAY))
    assert total == pytest.approx(sum(float(dose.elemental_mg) for dose in doses))
    await reloaded(hass, init_integration)
    assert float(state(hass, TODAY)) == total


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_get_doses(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """get_doses returns the doses of a period, 30 days by default."""
    await log(hass, amount=100, form="elemental", taken_at="2026-09-01 22:00:00")
    inside = await log(hass, amount=100, form="elemental", taken_at="2026-11-20 22:00:00")
    now = await log(hass, servings=1)

    response = await hass.services.async_call(
        DOMAIN, "get_doses", {}, blocking=True, return_response=True
    )
    assert response is not None
    assert [dose["dose_id"] for dose in response["doses"]] == [
        inside["dose_id"],
        now["dose_id"],
    ]
    assert response["total_mg"] == pytest.approx(100 + 70.481)

    response = await hass.services.async_call(
        DOMAIN,
        "get_doses",
        {"start": "2026-08-01 00:00:00", "end": "2026-10-01 00:00:00"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert len(response["doses"]) == 1

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "get_doses",
            {"start": "2026-10-01 00:00:00", "end": "2026-08-01 00:00:00"},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "start_after_end"


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_above_upper_limit_tells_the_person_once(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Crossing 350 mg turns the problem sensor on and leaves one clear notification."""
    await log(hass, amount=300, form="elemental")
    assert state(hass, ABOVE) == "off"
    assert persistent_notification._async_get_or_create_notifications(hass) == {}

    response = await log(hass, amount=100, form="elemental")
    assert response["above_upper_limit"] is True
    assert state(hass, ABOVE) == "on"
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert len(notifications) == 1
    (notification,) = notifications.values()
    assert notification["title"] == "Anna is above the supplement upper limit today"
    assert "400 mg" in notification["message"]
    assert "350 mg upper limit" in notification["message"]
    assert "kidney disease" in notification["message"]
    assert "talk to your doctor" in notification["message"]

    await log(hass, amount=10, form="elemental")
    assert len(persistent_notification._async_get_or_create_notifications(hass)) == 1


async def test_profile_is_chosen_by_id_by_person_or_alone(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: Any
) -> None:
    """Without an ID: the caller's linked profile, or the only one; otherwise an error."""
    other = await add_profile(hass, "Bo", "person.bo")

    with pytest.raises(ServiceValidationError) as err:
        await log(hass, amount=100)
    assert err.value.translation_key == "service_found_multiple_config_entry_for_domain"

    hass.states.async_set("person.bo", "home", {"user_id": hass_admin_user.id})
    response = await hass.services.async_call(
        DOMAIN,
        "log_dose",
        {"amount": 100},
        blocking=True,
        return_response=True,
        context=Context(user_id=hass_admin_user.id),
    )
    assert response is not None
    assert response["config_entry_id"] == other.entry_id

    response = await log(hass, amount=100, config_entry_id=init_integration.entry_id)
    assert response["config_entry_id"] == init_integration.entry_id


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_button_logs_one_serving(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The button goes through the same path: one 500 mg glycinate capsule."""
    events = async_capture_events(hass, f"{DOMAIN}_dose_logged")
    await hass.services.async_call("button", "press", {ATTR_ENTITY_ID: BUTTON}, blocking=True)
    assert float(state(hass, TODAY)) == pytest.approx(70.481)
    assert events[0].data["source"] == "button"
    assert events[0].data["servings"] == 1


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_daily_target_number(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Setting the target updates progress and the entry's options, without a reload."""
    runtime = init_integration.runtime_data
    await log(hass, amount=100, form="elemental")
    assert state(hass, PROGRESS) == "31.2"  # 31.25, rounded half to even
    await hass.services.async_call(
        "number", "set_value", {ATTR_ENTITY_ID: TARGET, "value": 400}, blocking=True
    )
    assert state(hass, TARGET) == "400"
    assert state(hass, PROGRESS) == "25.0"
    assert init_integration.options["target_mg"] == 400
    assert init_integration.runtime_data is runtime


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_logbook_reads_well(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """The logbook platform says who took how much of what."""
    describers: dict[str, Any] = {}
    logbook.async_describe_events(
        hass, lambda domain, event_type, describe: describers.__setitem__(event_type, describe)
    )
    logged = async_capture_events(hass, f"{DOMAIN}_dose_logged")
    removed = async_capture_events(hass, f"{DOMAIN}_dose_removed")
    await log(hass, amount=10, unit="mmol")
    await hass.services.async_call(DOMAIN, "remove_dose", {}, blocking=True)
    assert describers[f"{DOMAIN}_dose_logged"](logged[0]) == {
        "name": "Anna",
        "message": "went up by 243 mg: a dose of glycinate (bisglycinate)",
        "icon": "mdi:pill",
        "entity_id": TODAY,
    }
    assert describers[f"{DOMAIN}_dose_removed"](removed[0]) == {
        "name": "Anna",
        "message": "went down by 243 mg: a dose of glycinate (bisglycinate) was removed",
        "icon": "mdi:pill-off",
        "entity_id": TODAY,
    }


@pytest.mark.freeze_time("2026-11-21 21:15:00+00:00")
async def test_logbook_speaks_the_house_language(hass: HomeAssistant, time_zone: str) -> None:
    """With Dutch as Home Assistant's language, the entry is Dutch too."""
    await hass.config.async_update(language="nl")
    entry = await add_profile(hass, "Bo", "person.bo")
    describers: dict[str, Any] = {}
    logbook.async_describe_events(
        hass, lambda domain, event_type, describe: describers.__setitem__(event_type, describe)
    )
    logged = async_capture_events(hass, f"{DOMAIN}_dose_logged")
    await log(hass, amount=10, unit="mmol", config_entry_id=entry.entry_id)
    described = describers[f"{DOMAIN}_dose_logged"](logged[0])
    assert described["message"] == "steeg met 243 mg: een dosis glycinaat (bisglycinaat)"
    assert described["entity_id"] == "sensor.bo_magnesium_vandaag"


async def test_removing_the_profile_deletes_its_history(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Deleting a profile leaves no dose files behind."""
    await log(hass, amount=100, form="elemental")
    assert dose_files(hass, init_integration)
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert dose_files(hass, init_integration) == {}
