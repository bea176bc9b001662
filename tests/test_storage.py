"""The journal and its folding into month Stores, on real files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.magnesium_sleep.const import DOMAIN
from custom_components.magnesium_sleep.storage import (
    FOLD_DELAY,
    HistoryWriteError,
    PartitionedHistory,
)

KEY = f"{DOMAIN}.entry.doses"


def journal(hass: HomeAssistant) -> Path:
    """The journal file of the test history."""
    return Path(hass.config.path(".storage", f"{KEY}.journal"))


async def loaded(hass: HomeAssistant) -> tuple[PartitionedHistory, list[dict[str, Any]]]:
    """A history as a restart would load it."""
    history = PartitionedHistory(hass, "entry", "doses")
    return history, await history.async_load()


async def test_changes_are_journaled_then_folded(
    hass: HomeAssistant, hass_storage: dict[str, Any], freezer: FrozenDateTimeFactory
) -> None:
    """A put is one journal line at once; the fold writes the month and empties it."""
    history, records = await loaded(hass)
    assert records == []
    await history.async_put("2026-11", "a", {"id": "a"})
    await history.async_put("2026-11", "b", {"id": "b"})
    await history.async_delete("2026-11", "a")
    assert len(journal(hass).read_bytes().splitlines()) == 3
    assert f"{KEY}.2026-11" not in hass_storage

    # What a crash now would leave is what a restart reads.
    _, records = await loaded(hass)
    assert records == [{"id": "b"}]

    freezer.tick(FOLD_DELAY + 1)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass_storage[f"{KEY}.2026-11"]["data"] == {"records": {"b": {"id": "b"}}}
    assert hass_storage[KEY]["data"] == {"partitions": ["2026-11"]}
    assert not journal(hass).exists()
    await history.async_close()


async def test_a_torn_last_line_is_skipped(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """A crash in the middle of a write leaves half a line: it was never acknowledged."""
    history, _ = await loaded(hass)
    await history.async_put("2026-11", "a", {"id": "a"})
    await history.async_close()  # folds and empties
    await history.async_put("2026-12", "b", {"id": "b"})
    with journal(hass).open("ab") as file:
        file.write(b'{"p":"2026-12","id":"c","rec')
    _, records = await loaded(hass)
    assert records == [{"id": "a"}, {"id": "b"}]
    assert "Skipping unreadable line 2" in caplog.text


async def test_a_failed_append_changes_nothing(hass: HomeAssistant) -> None:
    """When the journal cannot be written, the caller hears so and memory is unchanged."""
    history, _ = await loaded(hass)
    await history.async_put("2026-11", "a", {"id": "a"})
    await history.async_close()
    journal(hass).mkdir()  # a directory where the file should be: appends fail
    with pytest.raises(HistoryWriteError):
        await history.async_put("2026-11", "b", {"id": "b"})
    with pytest.raises(HistoryWriteError):
        await history.async_delete("2026-11", "a")
    journal(hass).rmdir()
    assert [record["id"] for record in (await loaded(hass))[1]] == ["a"]


async def test_the_final_write_folds(hass: HomeAssistant, hass_storage: dict[str, Any]) -> None:
    """Stopping Home Assistant folds the journal without waiting for the timer."""
    history, _ = await loaded(hass)
    await history.async_put_batched("2026-11", "a", {"id": "a"})
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert hass_storage[f"{KEY}.2026-11"]["data"] == {"records": {"a": {"id": "a"}}}
    await history.async_close()


async def test_remove_all_deletes_journal_and_stores(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A deleted profile leaves no file of its history."""
    history, _ = await loaded(hass)
    await history.async_put("2026-11", "a", {"id": "a"})
    await history.async_close()
    await history.async_put("2026-12", "b", {"id": "b"})
    await PartitionedHistory(hass, "entry", "doses").async_remove_all()
    assert not journal(hass).exists()
    assert not [key for key in hass_storage if key.startswith(KEY)]
    await history.async_close()
