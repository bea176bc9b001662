"""The dashboard card: served by the integration and loaded on every dashboard."""

from __future__ import annotations

import hashlib
from pathlib import Path

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

BUNDLE = (
    Path(__file__).parents[1]
    / "custom_components"
    / "magnesium_sleep"
    / "frontend"
    / "magnesium-sleep-card.js"
)
URL = "/magnesium_sleep_frontend/magnesium-sleep-card.js"


async def test_card_served_and_loaded_on_dashboards(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, mock_config_entry: MockConfigEntry
) -> None:
    """With the frontend, the card is on every dashboard under a URL that changes with it."""
    assert await async_setup_component(hass, "frontend", {})
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    version = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12]
    assert hass.data[DATA_EXTRA_MODULE_URL].urls == {f"{URL}?v={version}"}

    client = await hass_client()
    response = await client.get(f"{URL}?v={version}")
    assert response.status == 200
    assert response.content_type == "text/javascript"
    assert await response.read() == BUNDLE.read_bytes()
    # Cached long by browsers: the version in the URL is what makes them fetch a new one.
    assert "max-age" in response.headers["Cache-Control"]


async def test_card_served_without_frontend(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, init_integration: MockConfigEntry
) -> None:
    """A setup without dashboards still serves the file and needs no frontend."""
    assert "frontend" not in hass.config.components
    client = await hass_client()
    response = await client.get(URL)
    assert response.status == 200
    assert (await client.get("/magnesium_sleep_frontend/missing.js")).status == 404
