"""Every form a person sees has its words: labels, sections, options, and placeholders.

The flows are walked through Home Assistant's real flow managers, and each form is
checked against both languages, so a field added without its text fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import section
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.selector import SelectSelector, TimeSelector
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.magnesium_sleep.const import DOMAIN
from custom_components.magnesium_sleep.schemas import TimeOfDaySelector

TRANSLATIONS = Path(__file__).parent.parent / "custom_components/magnesium_sleep/translations"
LANGUAGES = ("en", "nl")


def _texts(language: str) -> dict[str, Any]:
    return json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))


def _check_form(kind: str, result: dict[str, Any]) -> None:
    """Labels for every field (in its section), selector options, and filled placeholders."""
    step_id = result["step_id"]
    for language in LANGUAGES:
        texts = _texts(language)
        step = texts[kind]["step"][step_id]
        given = set(result.get("description_placeholders") or {})
        for text in (step.get("title", ""), step.get("description", "")):
            assert set(re.findall(r"{(\w+)}", text)) <= given, (language, step_id, text)
        _check_fields(texts, result["data_schema"], step, f"{language}:{step_id}")


def _check_fields(texts: dict[str, Any], schema: probatio.Schema, step: dict[str, Any], where: str):
    for key, value in schema.schema.items():
        name = str(key)
        if isinstance(value, section):
            texts_of_section = step["sections"][name]
            assert texts_of_section["name"], (where, name)
            _check_fields(texts, value.schema, texts_of_section, f"{where}.{name}")
            continue
        assert step["data"].get(name), (where, name)
        if isinstance(value, SelectSelector) and (key_ := value.config.get("translation_key")):
            options = texts["selector"][key_]["options"]
            assert set(value.config["options"]) <= set(options), (where, name)


async def test_every_config_form_has_its_texts(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    _check_form("config", result)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Anna", "age_band": "31_50", "sex": "female", "region": "eu"}
    )
    _check_form("config", result)


@pytest.mark.parametrize("menu_choice", ["profile", "sleep_sources", "apple_health"])
async def test_every_options_form_has_its_texts(
    hass: HomeAssistant, init_integration: MockConfigEntry, menu_choice: str
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    for language in LANGUAGES:
        menu = _texts(language)["options"]["step"]["init"]["menu_options"]
        assert set(result["menu_options"]) <= set(menu)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": menu_choice}
    )
    _check_form("options", result)


async def test_times_are_asked_without_seconds(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The frontend reads `no_second` from the serialized form: hours and minutes only."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "profile"}
    )
    # Serialized the way the flow's REST and websocket views send it to the frontend.
    fields = probatio.to_field_list(result["data_schema"], custom_serializer=cv.custom_serializer)
    day_start = next(field for field in fields if field["name"] == "day_starts_at")
    assert day_start["selector"] == {"time": {"no_second": True}}
    # And the value the frontend then sends, without seconds, is taken.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**init_integration.options, "day_starts_at": "03:30"}
    )
    await hass.async_block_till_done()
    assert init_integration.options["day_starts_at"] == "03:30"
    assert init_integration.runtime_data.profile.day_starts_at.isoformat() == "03:30:00"


def test_core_time_selector_still_lacks_no_second() -> None:
    """Why TimeOfDaySelector exists; when core accepts `no_second`, use TimeSelector."""
    with pytest.raises(probatio.Invalid):
        TimeSelector({"no_second": True})  # type: ignore[typeddict-unknown-key]
    assert TimeOfDaySelector()("21:45") == "21:45"
    with pytest.raises(probatio.Invalid):
        TimeOfDaySelector()("25:00")
