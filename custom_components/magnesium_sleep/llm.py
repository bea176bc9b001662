"""LLM tools: the voice intents, for conversation agents that use the Assist API.

Home Assistant 2026.10 offers no integration's intents to LLMs by itself; this platform
wraps each of ours in `llm.IntentTool` (parameters from the handler's slot schema), so a
tool call runs the very handler the built-in agent runs. Names carry the domain prefix
and `integration=`; annotations follow core's (`intent/llm.py`, `todo/llm.py`).
"""

from __future__ import annotations

from typing import Final

from homeassistant.components.llm import LLMTools
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.llm import LLM_API_ASSIST, IntentTool, LLMContext, ToolAnnotations

from .const import DOMAIN
from .intent import (
    INTENT_LAST_NIGHT,
    INTENT_LOG_DOSE,
    INTENT_START_WIND_DOWN,
    INTENT_TODAY,
)
from .profiles import loaded_profiles

_READ_ONLY: Final = ToolAnnotations(
    read_only=True, destructive=False, idempotent=True, open_world=False
)
TOOLS: Final[dict[str, tuple[str, ToolAnnotations]]] = {
    # Each call adds a dose and takes nothing away; a repeated call adds another.
    INTENT_LOG_DOSE: ("Log magnesium dose", ToolAnnotations(destructive=False, open_world=False)),
    INTENT_TODAY: ("Get today's magnesium", _READ_ONLY),
    INTENT_LAST_NIGHT: ("Get last night's sleep", _READ_ONLY),
    # Starting it again while it runs changes nothing; it acts on the house (lights).
    INTENT_START_WIND_DOWN: ("Start wind-down", ToolAnnotations(idempotent=True, open_world=False)),
}


@callback
def async_get_tools(hass: HomeAssistant, llm_context: LLMContext, api_id: str) -> LLMTools | None:
    """Our intents as tools, while a profile is set up."""
    if api_id != LLM_API_ASSIST or not loaded_profiles(hass):
        return None
    return LLMTools(
        tools=[
            IntentTool(
                f"{DOMAIN}__{handler.intent_type}",
                handler,
                title=TOOLS[handler.intent_type][0],
                integration=DOMAIN,
                annotations=TOOLS[handler.intent_type][1],
            )
            for handler in intent.async_get(hass)
            if handler.intent_type in TOOLS
        ]
    )
