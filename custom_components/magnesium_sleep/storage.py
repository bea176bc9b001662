"""Durable histories: a journal line for each change, folded into one file per month.

Layout in .storage/ for one profile and one kind of record (a `HistoryKind`):
- `magnesium_sleep.<entry_id>.<kind>.<partition>` holds one partition's records (a month,
  "YYYY-MM"), in Home Assistant's Store envelope. The files on disk are the list of
  partitions: a lost or damaged list cannot hide a month, nor get one overwritten.
- `magnesium_sleep.<entry_id>.<kind>.journal` holds the changes not yet folded in, one JSON
  line each.
- `magnesium_sleep.<entry_id>.<kind>` lists the partitions written. Loading does not rely on
  it: it is kept for older versions of this integration, which read only what it lists,
  and to notice a partition file that disappeared.
- `<file>.set_aside.<UTC time>` is an unchanged copy of a file that held something this
  version cannot read, made before the file is rewritten; deleted only with the profile.

A durable change appends one line to the journal and returns once it is on the disk
(fsync), so it survives a crash of the process and a power cut, and costs the same after
ten years. The journal is folded into the partition files a little later (and on load,
unload and shutdown), then deleted. Files are replaced atomically and fsynced, so a power
cut leaves the old or the new file.

Loading never refuses a profile over what the files hold: a file or record it cannot read
is set aside, the rest loads, and one repair issue per profile says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
import os
from pathlib import Path
import re
import tempfile
from typing import Any, Final

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.json import json_bytes
from homeassistant.helpers.storage import STORAGE_DIR
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.json import json_loads

from .const import DOMAIN, LOGGER

STORAGE_VERSION: Final = 1
"""Major version of the partition files; a file with a higher one is set aside."""
STORAGE_MINOR_VERSION: Final = 1
FOLD_DELAY: Final = 30
"""Seconds after a change before the journal is folded into the partition files."""

RECORD_ERRORS: Final = (ValueError, KeyError, TypeError)
"""What a parse callback raises for a record it rejects (any other error is a bug)."""

_PARTITION: Final = re.compile(r"[0-9A-Za-z_-]+")
_JOURNAL: Final = "journal"
_SET_ASIDE: Final = "set_aside"
_MISSING: HassKey[dict[str, set[str]]] = HassKey(f"{DOMAIN}_history_missing")

type StoredRecord = dict[str, Any]


class HistoryKind(StrEnum):
    """What a history holds; part of its file names."""

    DOSES = "doses"
    NIGHTS = "nights"
    REMOVED_IMPORTS = "removed_imports"
    SEEN = "seen"
    TAGS = "tags"
    EXPERIMENTS = "experiments"


class HistoryWriteError(HomeAssistantError):
    """A record could not be written to disk."""


def _write_error(err: Exception) -> HistoryWriteError:
    error = HistoryWriteError(translation_domain=DOMAIN, translation_key="write_failed")
    error.__cause__ = err
    return error


def history_issue_id(entry_id: str) -> str:
    """The repair issue raised when part of a profile's history was set aside."""
    return f"history_set_aside_{entry_id}"


def _is_partition(name: object) -> bool:
    return isinstance(name, str) and name != _JOURNAL and _PARTITION.fullmatch(name) is not None


def _envelope(key: str, data: dict[str, Any]) -> bytes:
    """A file in Home Assistant's Store format, so Store and older versions read it."""
    return json_bytes(
        {
            "version": STORAGE_VERSION,
            "minor_version": STORAGE_MINOR_VERSION,
            "key": key,
            "data": data,
        }
    )


def _unwrap(raw: bytes, field: str) -> Any:
    """`data[field]` of a file in the Store envelope; None if unreadable or too new."""
    try:
        envelope: Any = json_loads(raw)
        if envelope["version"] != STORAGE_VERSION:
            return None
        return envelope["data"][field]
    except RECORD_ERRORS:
        return None


# ---------------------------------------------------------------- the disk (executor)


def _fsync_directory(directory: Path) -> None:
    """Make a new, renamed or deleted name in `directory` survive a power cut."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data`; after a power cut it holds the old or the new bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temp).replace(path)
    finally:
        Path(temp).unlink(missing_ok=True)  # only left when something failed
    _fsync_directory(path.parent)


def _copy_aside(path: Path, data: bytes, stamp: str) -> None:
    """Keep `data`, what `path` held when it was loaded, in a new file next to it."""
    copy = path.with_name(f"{path.name}.{_SET_ASIDE}.{stamp}")
    number = 1
    while copy.exists():
        number += 1
        copy = path.with_name(f"{path.name}.{_SET_ASIDE}.{stamp}-{number}")
    _write_atomic(copy, data)


def _read_optional(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@dataclass(frozen=True, slots=True)
class _Disk:
    """What one history's files held when it was loaded, read and decoded in the executor."""

    raw: dict[str, bytes]  # partition -> its file's content
    records: dict[str, Any]  # partition -> its records (None: unreadable, or too new)
    listed: list[str] | None  # the index's partitions (None: unreadable)
    journal: bytes


def _read(directory: Path, key: str) -> _Disk:
    raw = {
        name: path.read_bytes()
        for path in directory.glob(f"{key}.*")
        if _is_partition(name := path.name.removeprefix(f"{key}."))
    }
    index = _read_optional(directory / key)
    listed = [] if index is None else _unwrap(index, "partitions")
    return _Disk(
        raw=raw,
        records={name: _unwrap(content, "records") for name, content in raw.items()},
        listed=sorted(filter(_is_partition, listed)) if isinstance(listed, list) else None,
        journal=_read_optional(directory / f"{key}.{_JOURNAL}") or b"",
    )


def _set_aside_copies(directory: Path, prefix: str) -> list[str]:
    return sorted(path.name for path in directory.glob(f"{prefix}*.{_SET_ASIDE}.*"))


def _remove_files(directory: Path, key: str) -> None:
    for path in [directory / key, *directory.glob(f"{key}.*")]:
        path.unlink(missing_ok=True)


class _Journal:
    """An append-only file of JSON lines; every method runs in the executor."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def append(self, line: bytes) -> None:
        """Write one line and fsync it; on failure the file is left as it was."""
        opened = self._fd is None
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        fd = self._fd
        size = os.fstat(fd).st_size
        # A crash mid-write leaves a torn line without its newline: glued to it, this line
        # would be unreadable too.
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line
        try:
            unwritten = memoryview(line)
            while unwritten:
                unwritten = unwritten[os.write(fd, unwritten) :]
            os.fsync(fd)
            if opened:  # the journal may be new: its name must survive a power cut too
                _fsync_directory(self.path.parent)
        except OSError:
            with suppress(OSError):
                os.ftruncate(fd, size)
            self.close()
            raise

    def clear(self) -> None:
        """Delete the journal (its content is in the partition files now)."""
        self.close()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# ------------------------------------------------------------------------- history


class PartitionedHistory:
    """One profile's records of one kind, by partition (month) and ID."""

    def __init__(self, hass: HomeAssistant, entry_id: str, kind: HistoryKind) -> None:
        """Prepare; nothing is read until `async_load`."""
        self._hass = hass
        self._entry_id = entry_id
        self._key = f"{DOMAIN}.{entry_id}.{kind}"
        self._dir = Path(hass.config.path(STORAGE_DIR))
        self._partitions: dict[str, dict[str, StoredRecord]] = {}
        self._listed: list[str] | None = []  # what the index file lists (None: unknown)
        self._loaded = False
        self._journal = _Journal(self._dir / f"{self._key}.{_JOURNAL}")
        self._unfolded: set[str] = set()  # partitions changed since the last fold
        # File name -> the content it was loaded with: copied before it is rewritten.
        self._set_aside: dict[str, bytes] = {}
        self._stamp = ""
        # Appends and folds take turns, so a fold never empties a line it did not fold.
        self._lock = asyncio.Lock()
        self._unsub_fold: CALLBACK_TYPE | None = None
        self._unsub_final: CALLBACK_TYPE | None = None

    def _file(self, partition: str) -> str:
        return f"{self._key}.{partition}"

    async def async_load[T](self, parse: Callable[[StoredRecord], T]) -> list[T]:
        """Read every partition, replay the journal and parse each record; once, at setup.

        `parse` gets each stored record and raises one of RECORD_ERRORS to reject it.
        What cannot be read is set aside (copied, never deleted) and reported in the
        profile's repair issue; the rest is returned, by partition. Reading errors of
        the disk itself raise ConfigEntryNotReady: rewriting a month that could not be
        read would destroy it.
        """
        try:
            disk = await self._hass.async_add_executor_job(_read, self._dir, self._key)
        except OSError as err:
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN,
                translation_key="read_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        self._stamp = dt_util.utcnow().strftime("%Y%m%dT%H%M%SZ")
        # Years of records are parsed off the event loop; until they are, a change is
        # refused (`_check`), so nothing else touches the partitions meanwhile.
        loaded, rejected, journaled = await self._hass.async_add_executor_job(
            self._apply_disk, disk, parse
        )
        self._loaded = True
        if disk.listed is None:
            LOGGER.warning("%s is unreadable; the months are read from their files", self._key)
        self._listed = disk.listed  # None: rewritten with the next fold
        # A month the journal writes to may have no file yet (the fold was still to come).
        missing = sorted(set(disk.listed or ()) - set(disk.raw) - {name for name, _ in journaled})
        self._unsub_final = self._hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_FINAL_WRITE, self._async_final
        )
        problems = bool(self._set_aside or missing)
        if problems:
            LOGGER.warning(
                "Part of %s could not be read and is set aside: %s record(s); unchanged"
                " copies of %s are kept as <name>.%s.%s. Gone: %s",
                self._key,
                rejected,
                ", ".join(sorted(self._set_aside)) or "no file",
                _SET_ASIDE,
                self._stamp,
                ", ".join(self._file(name) for name in missing) or "nothing",
            )
        # Copies what is set aside, and cleans a torn journal line up at once.
        await self._async_fold_or_log()
        if problems:
            await self._async_report(missing)
        return loaded

    def _apply_disk[T](
        self, disk: _Disk, parse: Callable[[StoredRecord], T]
    ) -> tuple[list[T], int, set[tuple[str, str]]]:
        """Take what the files held and parse it (executor): records, rejected, journaled."""
        for name, stored in disk.records.items():
            if isinstance(stored, dict):
                self._partitions[name] = stored
            else:  # set aside: the month starts empty
                self._partitions[name] = {}
                self._set_aside[self._file(name)] = disk.raw[name]
                self._unfolded.add(name)
        journal_name = f"{self._key}.{_JOURNAL}"
        journaled, intact = self._replay(disk.journal)
        if not intact:
            self._set_aside[journal_name] = disk.journal
        loaded: list[T] = []
        rejected = 0
        for name in sorted(self._partitions):
            records = self._partitions[name]
            for record_id, record in list(records.items()):
                try:
                    loaded.append(parse(record))
                except RECORD_ERRORS as err:
                    LOGGER.debug("Setting aside %s %s of %s: %r", name, record_id, self._key, err)
                    rejected += 1
                    del records[record_id]
                    if (name, record_id) in journaled:
                        self._set_aside[journal_name] = disk.journal
                    else:
                        self._set_aside[self._file(name)] = disk.raw[name]
                        self._unfolded.add(name)
        return loaded, rejected, journaled

    def _replay(self, raw: bytes) -> tuple[set[tuple[str, str]], bool]:
        """Apply the journal: the (partition, ID) pairs it changed, and whether it was intact.

        A torn last line (a crash mid-write) was never acknowledged and is skipped; any
        other unreadable line makes the journal one to set aside.
        """
        lines = raw.split(b"\n")
        changed: set[tuple[str, str]] = set()
        intact = True
        for number, line in enumerate(lines, 1):
            if not line:
                continue
            if (change := _change(line)) is None:
                LOGGER.warning("Skipping unreadable line %s of %s", number, self._journal.path)
                intact = intact and number == len(lines)
                continue
            partition, record_id, record = change
            stored = self._partitions.setdefault(partition, {})
            if record is None:
                stored.pop(record_id, None)
            else:
                stored[record_id] = record
            self._unfolded.add(partition)
            changed.add((partition, record_id))
        return changed, intact

    def _check(self, partition: str) -> None:
        if not self._loaded:  # a fold would overwrite months it never read
            raise RuntimeError(f"{self._key} is changed before it was loaded")
        if not _is_partition(partition):
            raise ValueError(f"not a partition name: {partition!r}")

    async def async_put(self, partition: str, record_id: str, record: StoredRecord) -> None:
        """Add or replace a record and wait until the journal has it on disk.

        On failure nothing changes and HistoryWriteError is raised.
        """
        self._check(partition)
        await self._async_append({"p": partition, "id": record_id, "record": record})
        self._partitions.setdefault(partition, {})[record_id] = record
        self._unfolded.add(partition)
        self._schedule_fold()

    async def async_delete(self, partition: str, record_id: str) -> None:
        """Delete a record and wait until the journal has it; on failure it stays."""
        self._check(partition)
        await self._async_append({"p": partition, "id": record_id})
        self._partitions[partition].pop(record_id, None)
        self._unfolded.add(partition)
        self._schedule_fold()

    async def async_put_batched(self, partition: str, record_id: str, record: StoredRecord) -> None:
        """Add or replace a record that reaches the disk with the next fold.

        For values their sources send again anyway (sensor states): no write now.
        """
        self.put_batched(partition, record_id, record)

    @callback
    def put_batched(self, partition: str, record_id: str, record: StoredRecord) -> None:
        """`async_put_batched` from a callback: it waits for nothing, so it needs no task."""
        self._check(partition)
        self._partitions.setdefault(partition, {})[record_id] = record
        self._unfolded.add(partition)
        self._schedule_fold()

    async def _async_append(self, change: dict[str, Any]) -> None:
        line = json_bytes(change) + b"\n"
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
        await self._async_fold_or_log()

    async def _async_fold_or_log(self) -> None:
        try:
            await self.async_fold()
        except HistoryWriteError:
            LOGGER.exception("Could not fold %s; its journal is kept", self._key)

    async def async_fold(self) -> None:
        """Write changed partitions and the index, then delete the journal.

        Files set aside are copied first; until that succeeds nothing is rewritten.
        """
        async with self._lock:
            names = sorted(self._partitions)
            if not self._unfolded and not self._set_aside and names == self._listed:
                return
            # Serialized here, in the event loop, where the records change.
            files = {
                self._file(name): _envelope(self._file(name), {"records": self._partitions[name]})
                for name in self._unfolded
            }
            if names != self._listed:
                files[self._key] = _envelope(self._key, {"partitions": names})
            folded, self._unfolded = self._unfolded, set()
            set_aside = dict(self._set_aside)
            try:
                await self._hass.async_add_executor_job(self._write, set_aside, files)
            except OSError as err:
                self._unfolded |= folded
                raise _write_error(err) from err
            for name in set_aside:
                del self._set_aside[name]
            self._listed = names

    def _write(self, set_aside: dict[str, bytes], files: dict[str, bytes]) -> None:
        for name, data in set_aside.items():
            _copy_aside(self._dir / name, data, self._stamp)
        for name, data in files.items():
            _write_atomic(self._dir / name, data)
        self._journal.clear()

    async def _async_report(self, missing: list[str]) -> None:
        """Raise or update the profile's one repair issue about its history."""
        gone = self._hass.data.setdefault(_MISSING, {}).setdefault(self._entry_id, set())
        gone.update(self._file(name) for name in missing)
        copies = await self._hass.async_add_executor_job(
            _set_aside_copies, self._dir, f"{DOMAIN}.{self._entry_id}."
        )
        entry = self._hass.config_entries.async_get_entry(self._entry_id)
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            history_issue_id(self._entry_id),
            is_fixable=False,
            is_persistent=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key="history_set_aside",
            translation_placeholders={
                "profile": entry.title if entry else self._entry_id,
                "copies": ", ".join(copies) or "-",
                "missing": ", ".join(sorted(gone)) or "-",
            },
        )

    async def async_close(self) -> None:
        """Fold what is pending and stop (the profile is unloading)."""
        for unsubscribe in (self._unsub_fold, self._unsub_final):
            if unsubscribe is not None:
                unsubscribe()
        self._unsub_fold = self._unsub_final = None
        await self.async_fold()
        await self._hass.async_add_executor_job(self._journal.close)

    async def _async_final(self, _event: Event) -> None:
        # Home Assistant is stopping: fold now, nothing is written later than this.
        self._unsub_final = None
        if self._unsub_fold is not None:
            self._unsub_fold()
            self._unsub_fold = None
        await self._async_fold_or_log()


def _change(line: bytes) -> tuple[str, str, StoredRecord | None] | None:
    """A journal line as (partition, ID, record or None to delete); None if unreadable."""
    try:
        change: Any = json_loads(line)
    except ValueError:
        return None
    if not isinstance(change, dict) or not _is_partition(change.get("p")):
        return None
    record_id, record = change.get("id"), change.get("record")
    if not isinstance(record_id, str) or ("record" in change and not isinstance(record, dict)):
        return None
    return change["p"], record_id, record


async def async_remove_history(hass: HomeAssistant, entry_id: str) -> None:
    """Delete every history file of a deleted profile, set-aside copies included."""
    directory = Path(hass.config.path(STORAGE_DIR))
    for kind in HistoryKind:
        await hass.async_add_executor_job(_remove_files, directory, f"{DOMAIN}.{entry_id}.{kind}")
    hass.data.get(_MISSING, {}).pop(entry_id, None)
    ir.async_delete_issue(hass, DOMAIN, history_issue_id(entry_id))
