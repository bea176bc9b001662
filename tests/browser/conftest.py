"""A real Home Assistant with a profile, and Debian's Chromium, for the card's browser tests.

Run on their own (scripts/test does): the main suite's plugin blocks sockets and its
`hass` is no server. Here Home Assistant runs as `scripts/develop` runs it, in a temporary
config folder on a free loopback port, and the profile comes from the real config flow.

    .venv/bin/python -m pytest -p no:cacheprovider -p no:homeassistant -p no:socket \
        --confcutdir=tests/browser tests/browser
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import importlib.util
import json
import os
from pathlib import Path
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp
import pytest

ROOT = Path(__file__).parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium")
USER, PASSWORD = "card", "card-password"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With the main suite's plugin loaded (sockets blocked), say how to run these instead."""
    if config.pluginmanager.has_plugin("homeassistant"):
        reason = "needs a socket-enabled run: see tests/browser/conftest.py (scripts/test does it)"
        for item in items:
            item.add_marker(pytest.mark.skip(reason=reason))


def _load_create_profile() -> Any:
    """scripts/dev/create_profile.py: the dev instance's walk through the real config flow."""
    spec = importlib.util.spec_from_file_location(
        "create_profile", ROOT / "scripts" / "dev" / "create_profile.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


create_profile = _load_create_profile()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class HomeAssistantServer:
    """A running Home Assistant, logged in as its owner."""

    url: str
    client: Any  # create_profile.Client
    entry_id: str
    log: Path

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """A REST call with the owner's token."""
        return self.client.call(method, path, body)

    def state(self, entity_id: str) -> dict[str, Any]:
        """An entity's state object."""
        return dict(self.call("GET", f"/api/states/{entity_id}"))

    def service(self, service: str, data: dict[str, Any]) -> Any:
        """Call one of the integration's actions and return its response data."""
        result = self.call("POST", f"/api/services/magnesium_sleep/{service}?return_response", data)
        return result["service_response"]

    def ws(self, *messages: dict[str, Any]) -> list[Any]:
        """Send websocket commands one by one; the result of each.

        In a thread of its own: Playwright's sync API keeps an event loop in this one.
        """
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, self._ws(messages)).result()

    async def _ws(self, messages: tuple[dict[str, Any], ...]) -> list[Any]:
        results = []
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(self.url.replace("http", "ws") + "/api/websocket") as ws,
        ):
            assert (await ws.receive_json())["type"] == "auth_required"
            await ws.send_json({"type": "auth", "access_token": self.client.token})
            assert (await ws.receive_json())["type"] == "auth_ok"
            for number, message in enumerate(messages, start=1):
                await ws.send_json({"id": number, **message})
                reply = await ws.receive_json()
                assert reply["success"], reply
                results.append(reply["result"])
        return results

    def tokens(self) -> dict[str, Any]:
        """What the frontend keeps in localStorage (`hassTokens`) after its own login."""
        client = create_profile.Client(self.url)
        client_id = self.url + "/"
        flow = client.call(
            "POST",
            "/auth/login_flow",
            {"client_id": client_id, "handler": ["homeassistant", None], "redirect_uri": client_id},
        )
        result = client.call(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": client_id, "username": USER, "password": PASSWORD},
        )
        tokens = client.call(
            "POST",
            "/auth/token",
            {"grant_type": "authorization_code", "code": result["result"], "client_id": client_id},
            form=True,
        )
        return {**tokens, "hassUrl": self.url, "clientId": client_id, "expires": 2**41}


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """Where screenshots go (kept after the run; the paths are printed)."""
    folder = Path(os.environ.get("MS_ARTEFACTS") or tempfile.mkdtemp(prefix="magnesium-card-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def home_assistant() -> Iterator[HomeAssistantServer]:
    """Home Assistant with the integration and one profile, "Card", with last night logged."""
    with tempfile.TemporaryDirectory(prefix="magnesium-card-ha-") as config_dir:
        config = Path(config_dir)
        # The dev instance's configuration (scripts/develop): the same integrations and
        # demo sleep sources; only the port differs.
        for name in ("configuration.yaml", "demo_sleep_sources.yaml", "custom_templates"):
            source = ROOT / "config" / name
            copy = shutil.copytree if source.is_dir() else shutil.copy
            copy(source, config / name)
        (config / "custom_components").mkdir()
        (config / "custom_components" / "magnesium_sleep").symlink_to(
            ROOT / "custom_components" / "magnesium_sleep"
        )
        port = _free_port()
        subprocess.run(
            [
                PYTHON,
                ROOT / "scripts" / "dev" / "prepare_config.py",
                config,
                USER,
                PASSWORD,
                str(port),
            ],
            check=True,
        )
        log = config / "home-assistant.log"
        process = subprocess.Popen(
            [ROOT / ".venv" / "bin" / "hass", "-c", config, "--skip-pip", "--log-file", log],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            client = create_profile.Client(url)
            create_profile.wait_until_running(client, USER, PASSWORD)
            created = create_profile.walk(
                client,
                "/api/config/config_entries/flow",
                {"handler": "magnesium_sleep"},
            )
            server = HomeAssistantServer(url, client, created["result"]["entry_id"], log)
            now = datetime.now(UTC).replace(microsecond=0)
            server.service(
                "log_sleep",
                {
                    "config_entry_id": server.entry_id,
                    "bedtime": (now - timedelta(hours=9)).isoformat(),
                    "wake_time": (now - timedelta(hours=1, minutes=30)).isoformat(),
                    "latency": 12,
                    "awakenings": 1,
                },
            )
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
            if sys.exc_info()[0] is not None:
                print(log.read_text()[-5000:], file=sys.stderr)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium; in CI its absence fails the run instead of skipping it."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no Chromium at {CHROMIUM}: scripts/setup installs it on Debian")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


def wait_for(check: Any, timeout: float = 10) -> Any:
    """Poll until check() returns something truthy."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.2)
    return result


def dump(value: Any) -> str:
    """Compact JSON, for assertion messages."""
    return json.dumps(value, default=str)[:2000]
