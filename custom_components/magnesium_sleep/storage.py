"""Durable dose history, partitioned by month so a write costs the same after ten years.

Layout in .storage/: `magnesium_sleep.<entry_id>.doses` lists the partitions, and
`magnesium_sleep.<entry_id>.doses.<YYYY-MM>` holds the doses taken that month (UTC).
Logging a dose rewrites one month's file only. `async_save` returns once the file is
replaced on disk, so an acknowledged dose survives a crash of the process.
"""

from __future__ import annotations

import asyncio
from typing import Any, override

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util.file import WriteError

from .const import DOMAIN
from .domain.doses import Dose

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1

type StoredDose = dict[str, Any]


class DoseWriteError(HomeAssistantError):
    """A dose could not be written to disk."""


class _HistoryStore(Store[dict[str, Any]]):
    """A Store that fails loudly: a dose we could not write must not be acknowledged."""

    def __init__(self, hass: HomeAssistant, key: str) -> None:
        super().__init__(hass, STORAGE_VERSION, key, minor_version=STORAGE_MINOR_VERSION)

    @override
    def _write_prepared_data(self, mode: str, json_data: str | bytes) -> None:
        # Store logs and swallows WriteError; re-raise it as an error it lets through.
        try:
            super()._write_prepared_data(mode, json_data)
        except WriteError as err:
            raise DoseWriteError(translation_domain=DOMAIN, translation_key="write_failed") from err

    @override
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        # Version 1.1 is the first; later minor versions add their steps here.
        return old_data


def partition_of(dose: Dose) -> str:
    """The month a dose is filed under."""
    return dose.taken_at.strftime("%Y-%m")


class DoseHistory:
    """Reads and writes one profile's doses."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Prepare the stores; nothing is read until `async_load`."""
        self._hass = hass
        self._key = f"{DOMAIN}.{entry_id}.doses"
        self._index = _HistoryStore(hass, self._key)
        self._stores: dict[str, _HistoryStore] = {}
        self._partitions: dict[str, list[StoredDose]] = {}

    def _store(self, partition: str) -> _HistoryStore:
        if (store := self._stores.get(partition)) is None:
            store = self._stores[partition] = _HistoryStore(self._hass, f"{self._key}.{partition}")
        return store

    async def async_load(self) -> list[Dose]:
        """Read every partition; used once at setup."""
        index = await self._index.async_load() or {"partitions": []}
        names: list[str] = index["partitions"]
        loaded = await asyncio.gather(*(self._store(name).async_load() for name in names))
        doses: list[Dose] = []
        for name, data in zip(names, loaded, strict=True):
            stored = data["doses"] if data else []
            self._partitions[name] = stored
            doses.extend(Dose.from_dict(item) for item in stored)
        return doses

    async def async_add(self, dose: Dose) -> None:
        """Write a new dose; on failure nothing is kept and DoseWriteError is raised."""
        name = partition_of(dose)
        if name not in self._partitions:
            # The index names the partition before it exists, so a crash in between
            # leaves an empty partition, never an orphaned one.
            self._partitions[name] = []
            try:
                await self._async_save_index()
            except DoseWriteError:
                del self._partitions[name]
                raise
        stored = self._partitions[name]
        item = dose.to_dict()
        stored.append(item)
        try:
            await self._async_save_partition(name)
        except DoseWriteError:
            stored.remove(item)
            raise

    async def async_remove(self, dose: Dose) -> None:
        """Delete a dose from its partition; on failure it stays."""
        name = partition_of(dose)
        stored = self._partitions[name]
        position = next(i for i, item in enumerate(stored) if item["dose_id"] == dose.dose_id)
        removed = stored.pop(position)
        try:
            await self._async_save_partition(name)
        except DoseWriteError:
            stored.insert(position, removed)
            raise

    async def async_remove_all(self) -> None:
        """Delete every file of this profile (the profile itself was deleted)."""
        await self.async_load()
        await asyncio.gather(*(store.async_remove() for store in self._stores.values()))
        await self._index.async_remove()

    async def _async_save_index(self) -> None:
        await self._index.async_save({"partitions": sorted(self._partitions)})

    async def _async_save_partition(self, name: str) -> None:
        await self._store(name).async_save({"doses": self._partitions[name]})
