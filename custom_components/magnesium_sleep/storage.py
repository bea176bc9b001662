"""Durable histories, partitioned by month so a write costs the same after ten years.

Layout in .storage/: `magnesium_sleep.<entry_id>.<kind>` lists the partitions, and
`magnesium_sleep.<entry_id>.<kind>.<YYYY-MM>` holds that month's records by ID.
Changing a record rewrites one month's file only. An awaited write returns once the
file is replaced on disk, so an acknowledged record survives a crash of the process.
"""

from __future__ import annotations

import asyncio
from typing import Any, override

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util.file import WriteError

from .const import DOMAIN

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1
# Records fed by sensors are saved this long after the last change, in one write.
BATCHED_SAVE_DELAY = 10

type StoredRecord = dict[str, Any]


class HistoryWriteError(HomeAssistantError):
    """A record could not be written to disk."""


class _HistoryStore(Store[dict[str, Any]]):
    """A Store that fails loudly: a record we could not write must not be acknowledged."""

    def __init__(self, hass: HomeAssistant, key: str) -> None:
        super().__init__(hass, STORAGE_VERSION, key, minor_version=STORAGE_MINOR_VERSION)

    @override
    def _write_prepared_data(self, mode: str, json_data: str | bytes) -> None:
        # Store logs and swallows WriteError; re-raise it as an error it lets through.
        try:
            super()._write_prepared_data(mode, json_data)
        except WriteError as err:
            raise HistoryWriteError(
                translation_domain=DOMAIN, translation_key="write_failed"
            ) from err

    @override
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        # Version 1.1 is the first; later minor versions add their steps here.
        return old_data


class PartitionedHistory:
    """One profile's records of one kind ("doses", "nights"), by month and ID."""

    def __init__(self, hass: HomeAssistant, entry_id: str, kind: str) -> None:
        """Prepare the stores; nothing is read until `async_load`."""
        self._hass = hass
        self._key = f"{DOMAIN}.{entry_id}.{kind}"
        self._index = _HistoryStore(hass, self._key)
        self._stores: dict[str, _HistoryStore] = {}
        self._partitions: dict[str, dict[str, StoredRecord]] = {}
        self._pending: set[str] = set()

    def _store(self, partition: str) -> _HistoryStore:
        if (store := self._stores.get(partition)) is None:
            store = self._stores[partition] = _HistoryStore(self._hass, f"{self._key}.{partition}")
        return store

    async def async_load(self) -> list[StoredRecord]:
        """Read every partition, oldest month first; used once at setup."""
        index = await self._index.async_load() or {"partitions": []}
        names: list[str] = index["partitions"]
        loaded = await asyncio.gather(*(self._store(name).async_load() for name in names))
        records: list[StoredRecord] = []
        for name, data in zip(names, loaded, strict=True):
            stored: dict[str, StoredRecord] = data["records"] if data else {}
            self._partitions[name] = stored
            records.extend(stored.values())
        return records

    async def async_put(self, partition: str, record_id: str, record: StoredRecord) -> None:
        """Add or replace a record and wait until it is on disk.

        On failure the previous content is kept and HistoryWriteError is raised.
        """
        await self._async_ensure_partition(partition)
        stored = self._partitions[partition]
        previous = stored.get(record_id)
        stored[record_id] = record
        try:
            await self._store(partition).async_save({"records": stored})
        except HistoryWriteError:
            if previous is None:
                del stored[record_id]
            else:
                stored[record_id] = previous
            raise

    async def async_delete(self, partition: str, record_id: str) -> None:
        """Delete a record and wait until it is gone from disk; on failure it stays."""
        stored = self._partitions[partition]
        previous = stored.pop(record_id)
        try:
            await self._store(partition).async_save({"records": stored})
        except HistoryWriteError:
            stored[record_id] = previous
            raise

    async def async_put_batched(self, partition: str, record_id: str, record: StoredRecord) -> None:
        """Add or replace a record and write it within BATCHED_SAVE_DELAY seconds.

        For values re-sent by their sources anyway (sensor states): one write for
        a burst of changes. Home Assistant writes pending data when it stops.
        """
        await self._async_ensure_partition(partition)
        stored = self._partitions[partition]
        stored[record_id] = record
        self._pending.add(partition)
        self._store(partition).async_delay_save(lambda: {"records": stored}, BATCHED_SAVE_DELAY)

    async def async_flush(self) -> None:
        """Write batched changes now (the profile is unloading)."""
        pending, self._pending = self._pending, set()
        await asyncio.gather(
            *(self._store(name).async_save({"records": self._partitions[name]}) for name in pending)
        )

    async def async_remove_all(self) -> None:
        """Delete every file of this kind (the profile itself was deleted)."""
        await self.async_load()
        await asyncio.gather(*(store.async_remove() for store in self._stores.values()))
        await self._index.async_remove()

    async def _async_ensure_partition(self, partition: str) -> None:
        if partition in self._partitions:
            return
        # The index names the partition before it exists, so a crash in between
        # leaves an empty partition, never an orphaned one.
        self._partitions[partition] = {}
        try:
            await self._index.async_save({"partitions": sorted(self._partitions)})
        except HistoryWriteError:
            del self._partitions[partition]
            raise
