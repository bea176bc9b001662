"""LLM agents: the voice intents as tools of the Assist API, called as an agent would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import llm
from homeassistant.setup import async_setup_component
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.magnesium_sleep.const import DOMAIN

LOG_DOSE = "magnesium_sleep__MagnesiumSleepLogDose"
TODAY = "magnesium_sleep__MagnesiumSleepGetToday"
LAST_NIGHT = "magnesium_sleep__MagnesiumSleepGetLastNight"
WIND_DOWN = "magnesium_sleep__MagnesiumSleepStartWindDown"


@pytest.fixture
async def assist_api(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_admin_user: MockUser
) -> llm.APIInstance:
    """The Assist API as an LLM agent gets it, for the admin user speaking in Dutch."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    return await llm.async_get_api(hass, llm.LLM_API_ASSIST, _context(hass_admin_user))


def _context(user: MockUser) -> llm.LLMContext:
    return llm.LLMContext(
        platform="test",
        context=Context(user_id=user.id),
        language="nl",
        assistant="conversation",
        device_id=None,
    )


def _openapi(tool: llm.Tool, api: llm.APIInstance) -> dict[str, Any]:
    """The parameters as an agent sends them to its model (core's Ollama does this)."""
    schema: dict[str, Any] = probatio.to_openapi(
        tool.parameters, custom_serializer=api.custom_serializer, openapi_version="3.1.0"
    )
    return schema


async def test_the_intents_are_tools_with_descriptions_and_parameters(
    hass: HomeAssistant, assist_api: llm.APIInstance, hass_admin_user: MockUser
) -> None:
    """Prefixed names, integration, annotations and parameters."""
    tools = {tool.name: tool for tool in assist_api.tools if tool.integration == DOMAIN}
    assert sorted(tools) == [LAST_NIGHT, TODAY, LOG_DOSE, WIND_DOWN]

    log_dose = tools[LOG_DOSE]
    assert log_dose.description is not None
    assert log_dose.description.startswith("Logs a magnesium supplement dose")
    assert log_dose.annotations == llm.ToolAnnotations(destructive=False, open_world=False)
    assert tools[TODAY].annotations.read_only
    assert tools[LAST_NIGHT].annotations.read_only
    parameters = _openapi(log_dose, assist_api)
    properties = parameters["properties"]
    assert sorted(properties) == ["amount", "form", "person", "servings", "unit"]
    assert properties["amount"]["type"] == "number"
    assert properties["unit"]["enum"] == ["mg", "g", "mmol", "mEq"]
    assert "citrate" in properties["form"]["enum"]
    assert "usual product" in properties["servings"]["description"]
    assert parameters.get("required", []) == []
    assert sorted(_openapi(tools[TODAY], assist_api)["properties"]) == ["person"]
    assert tools[WIND_DOWN].annotations == llm.ToolAnnotations(idempotent=True, open_world=False)


async def test_a_tool_call_logs_a_dose_and_answers(
    hass: HomeAssistant, assist_api: llm.APIInstance, init_integration: MockConfigEntry
) -> None:
    """The agent's call runs the voice handler: logged, answered in Dutch, with data."""
    result = await assist_api.async_call_tool(
        llm.ToolInput(LOG_DOSE, {"amount": 400, "unit": "mg", "form": "citrate"})
    )
    [dose] = init_integration.runtime_data.doses.log
    assert dose.elemental_mg == Decimal("64.653")
    assert dose.source == "voice"
    assert result.data["response_type"] == "action_done"
    assert result.data["speech"]["plain"]["speech"] == (
        "64,7 milligram magnesium genoteerd. 64,7 van 320 vandaag."
    )
    assert result.data["speech_slots"]["day_total_mg"] == pytest.approx(64.653)

    result = await assist_api.async_call_tool(llm.ToolInput(TODAY, {"person": " "}))
    assert result.data["response_type"] == "query_answer"
    assert result.data["speech_slots"]["target_mg"] == 320


async def test_a_refused_tool_call_says_why_and_logs_nothing(
    hass: HomeAssistant, assist_api: llm.APIInstance, init_integration: MockConfigEntry
) -> None:
    """Minus five and an unknown unit are errors the model can read; nothing is logged."""
    result = await assist_api.async_call_tool(llm.ToolInput(LOG_DOSE, {"amount": -5}))
    assert result.data["response_type"] == "error"
    assert result.data["speech"]["plain"]["speech"] == (
        "Ik kan geen min 5 milligram noteren: de hoeveelheid moet meer dan nul zijn."
    )
    result = await assist_api.async_call_tool(
        llm.ToolInput(LOG_DOSE, {"amount": 5, "unit": "spoons"})
    )
    assert result.data["speech"]["plain"]["speech"] == (
        "Ik heb de hoeveelheid, eenheid of vorm niet begrepen."
    )
    assert list(init_integration.runtime_data.doses.log) == []


async def test_no_tools_without_a_profile(
    hass: HomeAssistant,
    assist_api: llm.APIInstance,
    init_integration: MockConfigEntry,
    hass_admin_user: MockUser,
) -> None:
    """An unloaded profile offers nothing to the model."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, _context(hass_admin_user))
    assert [tool for tool in api.tools if tool.integration == DOMAIN] == []
