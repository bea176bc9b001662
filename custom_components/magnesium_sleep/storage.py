"""Durable histories: a journal for each write, folded into monthly Stores.

Layout in .storage/ for one profile and one kind of record ("doses", "nights", ...):
- `magnesium_sleep.<entry_id>.<kind>` (a Store) lists the months;
- `magnesium_sleep.<entry_id>.<kind>.<YYYY-MM>` (a Store each) holds that month's records;
- `magnesium_sleep.<entry_id>.<kind>.journal` holds the changes not yet folded in, one
  JSON line each.

A durable change appends one line to the journal and returns once the operating system
has it, so it survives a crash of the process and costs the same after ten years. The
journal is folded into the month Stores a little later (and on unload and shutdown),
then emptied. Loading replays what the journal still holds; a torn last line (a crash
mid-write) was never acknowledged and is skipped.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any, Final, override

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import STORAGE_DIR, Store
from homeassistant.util.file import WriteError

from .const import DOMAIN, LOGGER

STORAGE_VERSION: Final = 1
STORAGE_MINOR_VERSION: Final = 1
FOLD_DELAY: Final = 30
"""Seconds after a change before the journal is folded into the month Stores."""

type StoredRecord = dict[str, Any]


class HistoryWriteError(HomeAssistantError):
    """A record could not be written to disk."""


def _write_error(err: Exception) -> HistoryWriteError:
    error = HistoryWriteError(translation_domain=DOMAIN, translation_key="write_failed")
    error.__cause__ = err
    return error


class _HistoryStore(Store[dict[str, Any]]):
    """A Store that fails loudly: a fold that did not reach the disk must keep the journal."""

    def __init__(self, hass: HomeAssistant, key: str) -> None:
        super().__init__(hass, STORAGE_VERSION, key, minor_version=STORAGE_MINOR_VERSION)

    @override
    def _write_prepared_data(self, mode: str, json_data: str | bytes) -> None:
        # Store logs and swallows WriteError; re-raise it as an error it lets through.
        try:
            super()._write_prepared_data(mode, json_data)
        except WriteError as err:
            raise _write_error(err) from err

    @override
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        # Version 1.1 is the first; later minor versions add their steps here.
        return old_data


class _Journal:
    """An append-only file of JSON lines; every method runs in the executor."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def append(self, line: bytes) -> None:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        written = os.write(self._fd, line)
        if written != len(line):
            raise OSError(f"short write to {self.path}: {written} of {len(line)} bytes")

    def read(self) -> list[bytes]:
        try:
            return self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return []

    def clear(self) -> None:
        """Empty the journal (its content is in the Stores now)."""
        self.close()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class PartitionedHistory:
    """One profile's records of one kind, by month and ID."""

    def __init__(self, hass: HomeAssistant, entry_id: str, kind: str) -> None:
        """Prepare the stores; nothing is read until `async_load`."""
        self._hass = hass
        self._key = f"{DOMAIN}.{entry_id}.{kind}"
        self._index = _HistoryStore(hass, self._key)
        self._stores: dict[str, _HistoryStore] = {}
        self._partitions: dict[str, dict[str, StoredRecord]] = {}
        self._journal = _Journal(Path(hass.config.path(STORAGE_DIR, f"{self._key}.journal")))
        self._unfolded: set[str] = set()  # partitions changed since the last fold
        # Appends and folds take turns, so a fold never empties a line it did not fold.
        self._lock = asyncio.Lock()
        self._unsub_fold: CALLBACK_TYPE | None = None
        self._unsub_final: CALLBACK_TYPE | None = None

    def _store(self, partition: str) -> _HistoryStore:
        if (store := self._stores.get(partition)) is None:
            store = self._stores[partition] = _HistoryStore(self._hass, f"{self._key}.{partition}")
        return store

    async def async_load(self) -> list[StoredRecord]:
        """Read every partition and replay the journal; used once at setup."""
        index = await self._index.async_load() or {"partitions": []}
        names: list[str] = index["partitions"]
        loaded = await asyncio.gather(*(self._store(name).async_load() for name in names))
        for name, data in zip(names, loaded, strict=True):
            self._partitions[name] = data["records"] if data else {}
        self._replay(await self._hass.async_add_executor_job(self._journal.read))
        self._unsub_final = self._hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_FINAL_WRITE, self._async_final
        )
        return [
            record
            for name in sorted(self._partitions)
            for record in self._partitions[name].values()
        ]

    def _replay(self, lines: list[bytes]) -> None:
        for number, line in enumerate(lines, 1):
            try:
                change = json.loads(line)
                partition, record_id = change["p"], change["id"]
            except ValueError, KeyError, TypeError:
                # Only the last line can be torn by a crash; it was never acknowledged.
                LOGGER.warning("Skipping unreadable line %s of %s", number, self._journal.path)
                continue
            stored = self._partitions.setdefault(partition, {})
            if "record" in change:
                stored[record_id] = change["record"]
            else:
                stored.pop(record_id, None)
            self._unfolded.add(partition)

    async def async_put(self, partition: str, record_id: str, record: StoredRecord) -> None:
        """Add or replace a record and wait until the journal has it.

        On failure nothing changes and HistoryWriteError is raised.
        """
        await self._async_append({"p": partition, "id": record_id, "record": record})
        self._partitions.setdefault(partition, {})[record_id] = record
        self._unfolded.add(partition)
        self._schedule_fold()

    async def async_delete(self, partition: str, record_id: str) -> None:
        """Delete a record and wait until the journal has it; on failure it stays."""
        await self._async_append({"p": partition, "id": record_id})
        self._partitions[partition].pop(record_id, None)
        self._unfolded.add(partition)
        self._schedule_fold()

    async def async_put_batched(self, partition: str, record_id: str, record: StoredRecord) -> None:
        """Add or replace a record that reaches the disk with the next fold.

        For values their sources send again anyway (sensor states): no write now.
        """
        self._partitions.setdefault(partition, {})[record_id] = record
        self._unfolded.add(partition)
        self._schedule_fold()

    async def _async_append(self, change: dict[str, Any]) -> None:
        line = json.dumps(change, separators=(",", ":")).encode() + b"\n"
        async with self._lock:
            try:
                await self._hass.async_add_executor_job(self._journal.append, line)
            except OSError as err:
                raise _write_error(err) from err

    @callback
    def _schedule_fold(self) -> None:
        if self._unsub_fold is None:
            # Cancelled on shutdown: the final write folds everything anyway.
            self._unsub_fold = async_call_later(
                self._hass,
                FOLD_DELAY,
                HassJob(self._async_timed_fold, "fold history", cancel_on_shutdown=True),
            )

    async def _async_timed_fold(self, _now: Any) -> None:
        self._unsub_fold = None
        try:
            await self.async_fold()
        except HistoryWriteError:
            LOGGER.exception("Could not fold %s; its journal is kept", self._key)

    async def async_fold(self) -> None:
        """Write changed months and the index to their Stores, then empty the journal."""
        async with self._lock:
            if not self._unfolded:
                return
            names, self._unfolded = self._unfolded, set()
            try:
                await self._index.async_save({"partitions": sorted(self._partitions)})
                await asyncio.gather(
                    *(
                        self._store(name).async_save({"records": self._partitions[name]})
                        for name in names
                    )
                )
            except HistoryWriteError:
                self._unfolded |= names
                raise
            await self._hass.async_add_executor_job(self._journal.clear)

    async def async_close(self) -> None:
        """Fold what is pending and stop (the profile is unloading)."""
        for unsubscribe in (self._unsub_fold, self._unsub_final):
            if unsubscribe is not None:
                unsubscribe()
        self._unsub_fold = self._unsub_final = None
        await self.async_fold()
        await self._hass.async_add_executor_job(self._journal.close)

    async def _async_final(self, _event: Event) -> None:
        # Home Assistant is stopping: fold now, Stores write nothing later than this.
        self._unsub_final = None
        if self._unsub_fold is not None:
            self._unsub_fold()
            self._unsub_fold = None
        await self.async_fold()

    async def async_remove_all(self) -> None:
        """Delete every file of this kind (the profile itself was deleted)."""
        await self.async_load()
        await self.async_close()
        await asyncio.gather(*(store.async_remove() for store in self._stores.values()))
        await self._index.async_remove()
        await self._hass.async_add_executor_job(self._journal.clear)
