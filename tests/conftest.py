"""Fixtures for Magnesium & Sleep tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
import json
import logging
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.magnesium_sleep.const import (
    CONF_AGE_BAND,
    CONF_DAY_STARTS_AT,
    CONF_PRODUCT_AMOUNT_MG,
    CONF_PRODUCT_BASIS,
    CONF_PRODUCT_FORM,
    CONF_REGION,
    CONF_SEX,
    CONF_TARGET_MG,
    DOMAIN,
)
from custom_components.magnesium_sleep.insights import Insights
from custom_components.magnesium_sleep.storage import PartitionedHistory

type Client = TestClient[web.Request, web.Application]
type ClientFactory = Callable[[], Awaitable[Client]]

# The test plugin logs every SQL statement of the recorder; from its thread these lines
# reach the terminal past pytest's capture, burying the test output.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

DEFAULT_NOW = "2026-11-21 21:15:00+00:00"
"""Every test runs on a frozen clock, at this instant unless it says otherwise.

A test that forgets to freeze the clock would otherwise set up timers from the machine's
date and pass only on the day it was written.
"""

PROFILE_OPTIONS: dict[str, Any] = {
    CONF_AGE_BAND: "31_50",
    CONF_SEX: "female",
    CONF_REGION: "us",
    CONF_TARGET_MG: 320,
    CONF_PRODUCT_FORM: "glycinate",
    CONF_PRODUCT_AMOUNT_MG: 500,
    CONF_PRODUCT_BASIS: "compound",
    CONF_DAY_STARTS_AT: "04:00:00",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Freeze the clock before any fixture runs, in every test of Home Assistant.

    Domain tests need no freezing: the domain never reads the clock (it is passed in).
    """
    for item in items:
        uses_hass = "hass" in getattr(item, "fixturenames", ())
        if uses_hass and item.get_closest_marker("freeze_time") is None:
            item.add_marker(pytest.mark.freeze_time(DEFAULT_NOW))


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load the integration from custom_components/."""


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A fresh config directory per test: history journals are real files."""
    return hass_tmp_config_dir


def storage_file(hass: HomeAssistant, name: str) -> Path:
    """A file in the test's real `.storage` directory."""
    return Path(hass.config.path(".storage", name))


def durable(hass: HomeAssistant, entry: MockConfigEntry, kind: str) -> dict[str, dict[str, Any]]:
    """What a restart would read of a profile's records, by month: the files plus the journal."""
    key = f"{DOMAIN}.{entry.entry_id}.{kind}"
    months = {
        month: json.loads(path.read_bytes())["data"]["records"]
        for path in storage_file(hass, key).parent.glob(f"{key}.*")
        if "." not in (month := path.name.removeprefix(f"{key}.")) and month != "journal"
    }
    journal = storage_file(hass, f"{key}.journal")
    for line in journal.read_bytes().splitlines() if journal.exists() else []:
        change = json.loads(line)
        records = months.setdefault(change["p"], {})
        if "record" in change:
            records[change["id"]] = change["record"]
        else:
            records.pop(change["id"], None)
    return months


@pytest.fixture
def quiet_access_log() -> Iterator[None]:
    """aiohttp's access log cannot format a frozen clock (tm_gmtoff is None)."""
    access_log = logging.getLogger("aiohttp.access")
    level = access_log.level
    access_log.setLevel(logging.WARNING)
    yield
    access_log.setLevel(level)


@pytest.fixture
async def client(hass_client_no_auth: ClientFactory, quiet_access_log: None) -> Client:
    """An HTTP client without authentication, as webhooks are called."""
    return await hass_client_no_auth()


class HeldWrite:
    """After `hold_next`, the next durable write (of any history) waits for `release`.

    So a test can start a second call while the first is writing, and see what it does
    then, however fast the disk is.
    """

    def __init__(self) -> None:
        """Nothing is held yet."""
        self.writing = asyncio.Event()
        self.release = asyncio.Event()
        self._armed = False

    def hold_next(self) -> None:
        """Hold the next write until `release` is set."""
        self._armed = True

    async def wait_if_held(self) -> None:
        """Wait for `release` if this is the write to hold."""
        if self._armed:
            self._armed = False
            self.writing.set()
            await self.release.wait()


@pytest.fixture
def held_write(monkeypatch: pytest.MonkeyPatch) -> HeldWrite:
    """Hold a journal line (a put or a delete) until the test says so."""
    held = HeldWrite()
    put, delete = PartitionedHistory.async_put, PartitionedHistory.async_delete

    async def held_put(history: PartitionedHistory, *args: Any) -> None:
        await held.wait_if_held()
        await put(history, *args)

    async def held_delete(history: PartitionedHistory, *args: Any) -> None:
        await held.wait_if_held()
        await delete(history, *args)

    monkeypatch.setattr(PartitionedHistory, "async_put", held_put)
    monkeypatch.setattr(PartitionedHistory, "async_delete", held_delete)
    return held


@pytest.fixture
def held_indexing(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Hold the scoring of the nights after setup until the test sets the event."""
    release = asyncio.Event()
    index = Insights._async_index

    async def held_index(insights: Insights) -> None:
        await release.wait()
        await index(insights)

    monkeypatch.setattr(Insights, "_async_index", held_index)
    return release


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialize states and registry entries the Home Assistant way."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
async def time_zone(hass: HomeAssistant) -> str:
    """Run in Europe/Amsterdam unless a test says otherwise."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    return "Europe/Amsterdam"


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """A profile for Anna."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Anna",
        entry_id="01KANNA0000000000000000000",
        data={CONF_NAME: "Anna"},
        options=dict(PROFILE_OPTIONS),
        version=1,
        minor_version=1,
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, time_zone: str, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set up Anna's profile."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


def state(hass: HomeAssistant, entity_id: str) -> str:
    """The state of an entity that must exist."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current.state


def states(hass: HomeAssistant) -> dict[str, tuple[str, dict[str, Any]]]:
    """State and attributes of Anna's entities."""
    return {
        current.entity_id: (current.state, dict(current.attributes))
        for current in hass.states.async_all()
        if current.entity_id.split(".", 1)[1].startswith("anna_")
    }


async def add_profile(hass: HomeAssistant, name: str, person: str) -> MockConfigEntry:
    """Set up another person's profile next to Anna's."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=name,
        data={CONF_NAME: name, "person": person},
        options=dict(PROFILE_OPTIONS),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry
