"""The dashboard card: served from the integration's folder and loaded on every dashboard."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

from homeassistant.components import frontend
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant

from .const import DOMAIN

CARD_DIR: Final = Path(__file__).parent / "frontend"
CARD_FILE: Final = "magnesium-sleep-card.js"
CARD_URL_BASE: Final = f"/{DOMAIN}_frontend"


def _card_version() -> str:
    """A short hash of the bundle: browsers keep the file 31 days, the URL changes with it."""
    return hashlib.sha256((CARD_DIR / CARD_FILE).read_bytes()).hexdigest()[:12]


async def async_register_card(hass: HomeAssistant) -> None:
    """Serve the card's folder and load the card on every dashboard (no resource to add)."""
    await hass.http.async_register_static_paths(
        [StaticPathConfig(CARD_URL_BASE, str(CARD_DIR), cache_headers=True)]
    )
    # Without the frontend (a headless setup) there are no dashboards to load it on.
    if "frontend" in hass.config.components:
        version = await hass.async_add_executor_job(_card_version)
        frontend.add_extra_js_url(hass, f"{CARD_URL_BASE}/{CARD_FILE}?v={version}")
