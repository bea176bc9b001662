"""The card in a real Home Assistant and headless Chromium: what it shows, "took it", undo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
import json
from pathlib import Path
import re
import time
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect, sync_playwright
import pytest

from .conftest import HomeAssistantServer, dump, wait_for

DASHBOARD = "magnesium-card"
CARD = "magnesium-sleep-card"


def seed_history(home_assistant: HomeAssistantServer, today: date) -> None:
    """Eight earlier nights with magnesium every other evening, and an experiment from tonight."""
    entry = {"config_entry_id": home_assistant.entry_id}
    for back in range(10, 2, -1):
        night = today - timedelta(days=back)
        dosed = back % 2 == 0
        home_assistant.service(
            "log_sleep",
            {
                **entry,
                "night": night.isoformat(),
                "bedtime": f"{night}T21:{30 + back:02d}:00+00:00",
                "wake_time": f"{night + timedelta(days=1)}T05:45:00+00:00",
                "latency": 12 if dosed else 20 + back % 3,
                "awakenings": 1 if dosed else 2,
            },
        )
        if dosed:
            home_assistant.service(
                "log_dose", {**entry, "servings": 2, "taken_at": f"{night}T20:30:00+00:00"}
            )
    home_assistant.service("start_experiment", {**entry, "weeks": 2, "seed": 7})


@pytest.fixture(scope="module")
def dashboard(home_assistant: HomeAssistantServer) -> dict[str, str]:
    """A dashboard with the card, made through the websocket API; the profile's entity ids.

    The profile gets a history first, so every part of the card has something to show.
    """
    [registry] = home_assistant.ws({"type": "config/entity_registry/list"})
    entities = {
        f"{entry['entity_id'].split('.')[0]}.{entry['translation_key']}": entry["entity_id"]
        for entry in registry
        if entry["config_entry_id"] == home_assistant.entry_id
    }
    today = home_assistant.state(entities["sensor.magnesium_today"])["attributes"]["day"]
    seed_history(home_assistant, date.fromisoformat(today))
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
        **{"viewport": {"width": 1024, "height": 900}, "locale": "en-US", **options}
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


def test_card_shows_trend_effect_and_experiment(
    browser: Browser,
    home_assistant: HomeAssistantServer,
    dashboard: dict[str, str],
    artefacts: Path,
) -> None:
    """The trend is get_nights' nights, the effect the sensor's, the plan tonight's."""
    errors: list[str] = []
    # Tall enough for the whole card: the screenshot then has no toolbar over it.
    page = open_dashboard(browser, home_assistant, errors, viewport={"width": 1024, "height": 1600})
    page.goto(f"{home_assistant.url}/{DASHBOARD}/0")
    card = page.locator(CARD)
    card_visible(page, errors)

    today = home_assistant.state(dashboard["sensor.magnesium_today"])
    last = date.fromisoformat(today["attributes"]["day"])
    first = last - timedelta(days=13)  # the default 14 nights
    nights = home_assistant.service(
        "get_nights",
        {"config_entry_id": home_assistant.entry_id, "start": str(first), "end": str(last)},
    )["nights"]
    dosed = {night["night"]: night for night in nights if night["magnesium_mg"]}
    assert len(dosed) == 4, dump(nights)
    tonight_bar = float(today["state"]) > 0 and str(last) not in dosed
    expect(card.locator(".bar-mg")).to_have_count(len(dosed) + tonight_bar)
    # One line point (or lone dot) per scored night, none for the gaps.
    line = card.locator(".line-score").get_attribute("d") or ""
    assert len(re.findall("[ML]", line)) == sum(night["score"] is not None for night in nights)
    # Tapping a night shows its own values.
    night = dosed[min(dosed)]
    card.locator(".slot").nth((date.fromisoformat(night["night"]) - first).days).click()
    expect(card.locator(".selected-night")).to_contain_text(
        f"{round(night['magnesium_mg'])} mg, score {round(night['score'])}"
    )
    expect(card.locator(".bar-mg.selected")).to_have_count(1)

    # The effect: the server's sentence, said again by the card from the same translations.
    effect = home_assistant.state(dashboard["sensor.magnesium_effect"])
    attributes = effect["attributes"]
    assert attributes["ci_low"] is not None, dump(effect)
    expect(card.locator(".effect-sentence")).to_have_text(attributes["summary"])
    expect(card.locator(".stars")).to_have_attribute(
        "aria-label", re.compile(f"^{attributes['stars']} of 5 stars")
    )
    expect(card.locator(".interval-text")).to_have_text(
        f"95 % interval {attributes['ci_low']:+.1f} to {attributes['ci_high']:+.1f}"
    )
    card.locator(".effect summary").click()
    expect(card.locator(".effect details")).to_contain_text("Published evidence")

    plan = home_assistant.state(dashboard["sensor.tonight_plan"])
    expect(card.locator(".experiment .plan")).to_have_text(
        {"take": "Tonight: take your magnesium", "skip": "Tonight: no magnesium"}[plan["state"]]
    )
    expect(card.locator(".experiment")).to_contain_text("Night 1 of 14")
    screenshot(page, artefacts, "card_insights")
    assert errors == [], errors


def test_card_editor_shows_the_defaults_and_saves_a_choice(
    browser: Browser, home_assistant: HomeAssistantServer, dashboard: dict[str, str]
) -> None:
    """Every part is ticked while `show` is unset; unticking one hides it and lists the rest."""
    errors: list[str] = []
    page = open_dashboard(browser, home_assistant, errors)
    page.goto(f"{home_assistant.url}/{DASHBOARD}/0?edit=1")
    page.locator("hui-card-options").first.get_by_role("button", name="Edit").click()
    editor = page.locator(f"{CARD}-editor")
    boxes = editor.get_by_role("checkbox")
    expect(boxes).to_have_count(7)
    assert all(boxes.nth(index).is_checked() for index in range(7))
    expect(editor.get_by_role("spinbutton")).to_have_value("14")

    preview = page.locator(f"hui-dialog-edit-card {CARD}")
    expect(preview.locator(".trend")).to_have_count(1)
    # The checkbox's own check icon takes the pointer: click through it.
    editor.get_by_role("checkbox", name="Trend").click(force=True)
    expect(preview.locator(".trend")).to_have_count(0)
    page.get_by_role("button", name="Show code editor").click()
    yaml = page.locator("hui-dialog-edit-card ha-code-editor")
    expect(yaml).to_have_count(1)
    shown = yaml.evaluate("editor => editor.value")
    parts = [line.removeprefix("  - ") for line in shown.splitlines() if line.startswith("  - ")]
    assert parts == ["tonight", "took_it", "last_night", "effect", "experiment", "wind_down"]
    assert "days:" not in shown, shown  # the default stays out of the config
    assert errors == [], errors
