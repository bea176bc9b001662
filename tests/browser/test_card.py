"""The card in a real Home Assistant and headless Chromium: what it shows, "took it", undo."""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import time
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect, sync_playwright
import pytest

from .conftest import HomeAssistantServer, dump, wait_for

DASHBOARD = "magnesium-card"
CARD = "magnesium-sleep-card"


@pytest.fixture(scope="module")
def dashboard(home_assistant: HomeAssistantServer) -> dict[str, str]:
    """A dashboard with the card, made through the websocket API; the profile's entity ids."""
    [registry] = home_assistant.ws({"type": "config/entity_registry/list"})
    entities = {
        f"{entry['entity_id'].split('.')[0]}.{entry['translation_key']}": entry["entity_id"]
        for entry in registry
        if entry["config_entry_id"] == home_assistant.entry_id
    }
    home_assistant.ws(
        {
            "type": "lovelace/dashboards/create",
            "url_path": DASHBOARD,
            "title": "Magnesium",
            "mode": "storage",
            "show_in_sidebar": True,
            "require_admin": False,
        },
        {
            "type": "lovelace/config/save",
            "url_path": DASHBOARD,
            "config": {
                "views": [
                    {
                        "title": "Sleep",
                        "cards": [
                            {"type": f"custom:{CARD}", "entity": entities["sensor.sleep_score"]}
                        ],
                    }
                ]
            },
        },
    )
    return entities


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    """Headless Debian Chromium (no browser download)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        yield browser
        browser.close()


def open_dashboard(
    browser: Browser, home_assistant: HomeAssistantServer, errors: list[str], **options: Any
) -> Page:
    """A fresh context (empty cache, first visit), logged in, on the card's dashboard."""
    context = browser.new_context(
        viewport={"width": 1024, "height": 900}, locale="en-US", **options
    )
    context.add_init_script(
        f"localStorage.setItem('hassTokens', {json.dumps(json.dumps(home_assistant.tokens()))});"
    )
    # A rejection with a plain object reads "Object" in the page error: log what it was.
    context.add_init_script(
        "addEventListener('unhandledrejection', (event) =>"
        " console.warn('unhandled rejection', JSON.stringify(event.reason)));"
    )
    page = context.new_page()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" or message.text.startswith("unhandled rejection"):
            errors.append(f"console: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error} {error.stack}"))
    return page


def card_visible(page: Page, errors: list[str]) -> None:
    """Wait for the card's numbers; on a timeout, say what the browser reported."""
    try:
        expect(page.locator(CARD).locator(".amount .mg")).to_be_visible(timeout=30_000)
    except AssertionError as err:
        raise AssertionError(f"the card did not render; browser errors: {errors}") from err


def screenshot(page: Page, artefacts: Path, name: str) -> None:
    path = artefacts / f"{name}.png"
    page.locator(CARD).screenshot(path=str(path))
    print(f"screenshot: {path}")


def doses(home_assistant: HomeAssistantServer) -> list[dict[str, Any]]:
    return list(
        home_assistant.service("get_doses", {"config_entry_id": home_assistant.entry_id})["doses"]
    )


def test_card_end_to_end(
    browser: Browser,
    home_assistant: HomeAssistantServer,
    dashboard: dict[str, str],
    artefacts: Path,
) -> None:
    """What the card shows equals the entities; took it logs a serving, undo removes it."""
    errors: list[str] = []
    page = open_dashboard(browser, home_assistant, errors)
    started = time.monotonic()
    page.goto(f"{home_assistant.url}/{DASHBOARD}/0")
    card = page.locator(CARD)
    card_visible(page, errors)
    print(f"first paint of the card: {time.monotonic() - started:.2f} s after navigation")

    today = home_assistant.state(dashboard["sensor.magnesium_today"])
    expect(card.locator(".amount .mg")).to_have_text(f"{round(float(today['state'])):,} mg")
    expect(card.locator(".target")).to_have_text(f"{today['attributes']['target_mg']:,} mg")
    score = home_assistant.state(dashboard["sensor.sleep_score"])
    assert score["state"] not in {"unknown", "unavailable"}, dump(score)
    expect(card.locator(".score")).to_have_text(str(round(float(score["state"]))))
    expect(card.locator(".components li")).not_to_have_count(0)
    screenshot(page, artefacts, "card_light")

    before = doses(home_assistant)
    card.locator(".took-it-button").click()
    expect(card.locator(".feedback")).to_contain_text("Logged 1 serving")
    after = wait_for(lambda: (now := doses(home_assistant)) and len(now) == len(before) + 1 and now)
    logged = after[-1]
    assert logged["servings"] == 1, dump(logged)
    total = home_assistant.state(dashboard["sensor.magnesium_today"])
    # Live: the card follows the new state without a reload.
    expect(card.locator(".amount .mg")).to_have_text(f"{round(float(total['state'])):,} mg")
    assert float(total["state"]) == pytest.approx(float(today["state"]) + logged["elemental_mg"])
    expect(card.locator(".feedback")).to_contain_text(f"{round(logged['elemental_mg']):,} mg")

    card.locator(".undo").click()
    expect(card.locator(".feedback")).to_have_text("Removed again")
    wait_for(lambda: len(doses(home_assistant)) == len(before))
    expect(card.locator(".amount .mg")).to_have_text(f"{round(float(today['state'])):,} mg")

    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(500)
    background = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--primary-background-color')"
    )
    screenshot(page, artefacts, "card_dark")

    page.set_viewport_size({"width": 360, "height": 800})
    page.wait_for_timeout(500)
    widths = page.evaluate(
        """() => {
          const root = document.documentElement;
          const card = [...document.querySelectorAll('*')].length && (function find(node) {
            if (node.tagName === 'MAGNESIUM-SLEEP-CARD') return node;
            for (const child of [...(node.shadowRoot?.children ?? []), ...node.children]) {
              const found = find(child); if (found) return found;
            }
            return null;
          })(document.body);
          const inner = card.shadowRoot.querySelector('ha-card');
          return {page: root.scrollWidth, viewport: root.clientWidth,
                  card: inner.scrollWidth, cardClient: inner.clientWidth};
        }"""
    )
    assert widths["page"] <= widths["viewport"], widths
    assert widths["card"] <= widths["cardClient"], widths
    screenshot(page, artefacts, "card_phone_dark")
    assert background.strip(), "the dark theme did not apply"
    assert errors == [], errors


def test_card_renders_on_cold_first_load(
    browser: Browser, home_assistant: HomeAssistantServer, dashboard: dict[str, str]
) -> None:
    """The card's module runs before Home Assistant's app has set up its element registry.

    The app's script is held back so the extra module surely loads first, in a fresh
    context (empty cache, first visit): the card must still render.
    """
    errors: list[str] = []
    page = open_dashboard(browser, home_assistant, errors)

    def hold_back(route: Route) -> None:
        time.sleep(1.5)
        route.continue_()

    page.route("**/frontend_latest/app.*.js", hold_back)
    page.goto(f"{home_assistant.url}/{DASHBOARD}/0")
    card_visible(page, errors)
    assert errors == [], errors
