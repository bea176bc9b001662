"""The shipped blueprints, imported into a real Home Assistant and run through an evening."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
import shutil
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.setup import async_setup_component
import pytest

from .conftest import state
from .test_bedtime import load, walk

AMS = ZoneInfo("Europe/Amsterdam")
SHIPPED = Path(__file__).parents[1] / "blueprints/automation/magnesium_sleep"
SUNDAY_EVENING = "2026-11-22 20:00:00+00:00"  # 21:00 in Amsterdam; bedtime 23:00


def install_blueprints(config_dir: str) -> None:
    """Put the blueprints where an import puts them."""
    target = Path(config_dir) / "blueprints/automation/magnesium_sleep"
    target.mkdir(parents=True, exist_ok=True)
    for blueprint in SHIPPED.glob("*.yaml"):
        shutil.copy(blueprint, target / blueprint.name)


async def template_lights(hass: HomeAssistant) -> None:
    """Two lights whose level is an input_number: one on, one off."""
    await async_setup_component(
        hass,
        "input_number",
        {
            "input_number": {
                name: {"min": 0, "max": 255, "initial": initial}
                for name, initial in (("reading_level", 255), ("hall_level", 0))
            }
        },
    )

    def light(name: str) -> dict[str, object]:
        level = f"input_number.{name}_level"
        return {
            "name": name.title(),
            "state": f"{{{{ states('{level}') | int > 0 }}}}",
            "level": f"{{{{ states('{level}') | int }}}}",
            "turn_on": {
                "action": "input_number.set_value",
                "target": {"entity_id": level},
                "data": {"value": 255},
            },
            "turn_off": {
                "action": "input_number.set_value",
                "target": {"entity_id": level},
                "data": {"value": 0},
            },
            "set_level": {
                "action": "input_number.set_value",
                "target": {"entity_id": level},
                "data": {"value": "{{ brightness }}"},
            },
        }

    await async_setup_component(
        hass, "template", {"template": [{"light": [light("reading"), light("hall")]}]}
    )
    await hass.async_block_till_done()


@pytest.mark.freeze_time(SUNDAY_EVENING)
async def test_wind_down_lights_dims_the_lights_that_are_on(
    hass: HomeAssistant, hass_config_dir: str, freezer: FrozenDateTimeFactory
) -> None:
    """At 22:15 the reading light goes to 20 %; the hall light stays off."""
    install_blueprints(hass_config_dir)
    await load(hass)
    await template_lights(hass)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {
                    "path": "magnesium_sleep/wind_down_lights.yaml",
                    "input": {
                        "wind_down": "binary_sensor.anna_wind_down",
                        "lights": ["light.reading", "light.hall"],
                        "brightness": 20,
                        "transition": 0,
                    },
                }
            }
        },
    )
    await walk(hass, freezer, datetime(2026, 11, 22, 22, 14, tzinfo=AMS))
    assert state(hass, "input_number.reading_level") == "255.0"

    await walk(hass, freezer, datetime(2026, 11, 22, 22, 16, tzinfo=AMS))
    assert state(hass, "binary_sensor.anna_wind_down") == "on"
    assert state(hass, "input_number.reading_level") == "51.0"  # 20 % of 255
    assert state(hass, "input_number.hall_level") == "0.0"
    assert state(hass, "light.hall") == "off"


def reminder_automation(notify_action: str) -> dict[str, object]:
    return {
        "use_blueprint": {
            "path": "magnesium_sleep/dose_reminder.yaml",
            "input": {"routine": "event.anna_bedtime_routine", "notify_action": notify_action},
        }
    }


@pytest.mark.freeze_time(SUNDAY_EVENING)
async def test_dose_reminder_notifies_in_home_assistant_by_default(
    hass: HomeAssistant, hass_config_dir: str, freezer: FrozenDateTimeFactory
) -> None:
    """At 22:00, nothing logged: a notification; the wind-down event after it adds none."""
    install_blueprints(hass_config_dir)
    await load(hass)
    assert await async_setup_component(hass, "persistent_notification", {})
    assert await async_setup_component(hass, "automation", {"automation": reminder_automation("")})
    await walk(hass, freezer, datetime(2026, 11, 22, 21, 59, tzinfo=AMS))
    assert persistent_notification._async_get_or_create_notifications(hass) == {}

    await walk(hass, freezer, datetime(2026, 11, 22, 22, 20, tzinfo=AMS))
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert list(notifications) == ["magnesium_sleep_dose_reminder_blueprint"]
    notification = notifications["magnesium_sleep_dose_reminder_blueprint"]
    assert notification["title"] == "Magnesium (23:00)"
    assert "nothing is logged" in notification["message"]


@pytest.mark.freeze_time(SUNDAY_EVENING)
async def test_dose_reminder_calls_the_chosen_notify_action(
    hass: HomeAssistant, hass_config_dir: str, freezer: FrozenDateTimeFactory
) -> None:
    """A notify action given as input gets the reminder, once."""
    install_blueprints(hass_config_dir)
    await load(hass)
    calls: list[ServiceCall] = []

    @callback
    def phone(call: ServiceCall) -> None:
        calls.append(call)

    hass.services.async_register("notify", "annas_phone", phone)
    assert await async_setup_component(
        hass, "automation", {"automation": reminder_automation("notify.annas_phone")}
    )
    await walk(hass, freezer, datetime(2026, 11, 22, 22, 20, tzinfo=AMS))
    assert [call.data["title"] for call in calls] == ["Magnesium (23:00)"]
    assert persistent_notification._async_get_or_create_notifications(hass) == {}
