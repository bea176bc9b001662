"""The journal, its folding into month files, and what loading does with bad files.

Everything runs on the real files of a temporary config directory. A "crash" is a fresh
`PartitionedHistory` reading the files while the first one never folded or closed.
"""

from __future__ import annotations

from collections.abc import Callable
import json
import os
from pathlib import Path
import resource
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.magnesium_sleep import storage
from custom_components.magnesium_sleep.const import DOMAIN
from custom_components.magnesium_sleep.storage import (
    FOLD_DELAY,
    HistoryKind,
    HistoryWriteError,
    PartitionedHistory,
    async_remove_history,
    history_issue_id,
)

KEY = f"{DOMAIN}.entry.doses"
STAMP = "20261121T211500Z"  # the frozen clock (tests/conftest.py)
ISSUE = history_issue_id("entry")


def path(hass: HomeAssistant, suffix: str = "") -> Path:
    """A file of the test history, e.g. path(hass, ".2026-11")."""
    return Path(hass.config.path(".storage", f"{KEY}{suffix}"))


def journal(hass: HomeAssistant) -> Path:
    """The journal file of the test history."""
    return path(hass, ".journal")


def records(hass: HomeAssistant, month: str) -> dict[str, Any]:
    """What the month's file holds."""
    data: dict[str, Any] = json.loads(path(hass, f".{month}").read_bytes())["data"]
    return data["records"]


def write_month(hass: HomeAssistant, month: str, content: dict[str, Any]) -> None:
    """A month file as Home Assistant's Store (and this integration before) wrote it."""
    envelope = {"version": 1, "minor_version": 1, "key": f"{KEY}.{month}", "data": content}
    write(hass, f".{month}", json.dumps(envelope, indent=2).encode())


def write(hass: HomeAssistant, suffix: str, content: bytes) -> None:
    """Put `content` in a file of the test history."""
    path(hass).parent.mkdir(parents=True, exist_ok=True)
    path(hass, suffix).write_bytes(content)


def accept(record: dict[str, Any]) -> dict[str, Any]:
    """A parse callback that takes a record unless it says it is bad."""
    if "bad" in record:
        raise ValueError("a bad record")
    return record


async def loaded(
    hass: HomeAssistant, parse: Callable[[dict[str, Any]], Any] = accept
) -> tuple[PartitionedHistory, list[Any]]:
    """A history as a restart would load it."""
    history = PartitionedHistory(hass, "entry", HistoryKind.DOSES)
    return history, await history.async_load(parse)


async def crash_view(hass: HomeAssistant) -> list[Any]:
    """What a restart right now would load."""
    history, found = await loaded(hass)
    await history.async_close()
    return found


def copies(hass: HomeAssistant) -> dict[str, bytes]:
    """The set-aside copies of the test history, by name."""
    return {
        file.name.removeprefix(KEY): file.read_bytes()
        for file in path(hass).parent.glob(f"{KEY}*.set_aside.*")
    }


# ------------------------------------------------------------------ journal and fold


async def test_changes_are_journaled_then_folded(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A put is one journal line at once; the fold writes the month and deletes it."""
    history, found = await loaded(hass)
    assert found == []
    await history.async_put("2026-11", "a", {"id": "a"})
    await history.async_put("2026-11", "b", {"id": "b"})
    await history.async_delete("2026-11", "a")
    assert len(journal(hass).read_bytes().splitlines()) == 3
    assert not path(hass, ".2026-11").exists()

    freezer.tick(FOLD_DELAY + 1)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert records(hass, "2026-11") == {"b": {"id": "b"}}
    assert json.loads(path(hass).read_bytes())["data"] == {"partitions": ["2026-11"]}
    assert not journal(hass).exists()
    await history.async_close()
    assert await crash_view(hass) == [{"id": "b"}]


async def test_a_crash_before_the_fold_loses_nothing(hass: HomeAssistant) -> None:
    """What the journal holds is what a restart reads, and that restart folds it."""
    history, _ = await loaded(hass)
    await history.async_put("2026-10", "a", {"id": "a"})
    await history.async_put("2026-11", "b", {"id": "b"})
    await history.async_put("2026-11", "c", {"id": "c"})
    await history.async_delete("2026-11", "c")
    assert not path(hass, ".2026-11").exists()

    assert await crash_view(hass) == [{"id": "a"}, {"id": "b"}]
    assert records(hass, "2026-11") == {"b": {"id": "b"}}
    assert not journal(hass).exists()


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
    assert await crash_view(hass) == [{"id": "a"}, {"id": "b"}]
    assert "Skipping unreadable line 2" in caplog.text
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE) is None
    assert copies(hass) == {}


async def test_a_torn_line_does_not_swallow_the_next_change(hass: HomeAssistant) -> None:
    """A change appended after a torn line starts on a line of its own."""
    history, _ = await loaded(hass)
    await history.async_put("2026-11", "a", {"id": "a"})
    with journal(hass).open("ab") as file:
        file.write(b'{"p":"2026-11","id":"torn","rec')
    await history.async_put("2026-11", "b", {"id": "b"})  # acknowledged

    assert await crash_view(hass) == [{"id": "a"}, {"id": "b"}]


async def test_a_power_cut_mid_line_then_a_crash_loses_no_acknowledged_change(
    hass: HomeAssistant,
) -> None:
    """The reported case: a journal cut mid-line, a restart, a change, a crash."""
    first, _ = await loaded(hass)
    await first.async_put("2026-11", "a", {"id": "a"})
    await first.async_put("2026-11", "b", {"id": "b"})
    content = journal(hass).read_bytes()
    journal(hass).write_bytes(content[: len(content) - 10])  # cut inside b's line

    second, found = await loaded(hass)
    assert found == [{"id": "a"}]
    await second.async_put("2026-11", "c", {"id": "c"})  # acknowledged, then a crash
    assert await crash_view(hass) == [{"id": "a"}, {"id": "c"}]


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
    assert [record["id"] for record in await crash_view(hass)] == ["a"]


async def test_a_line_cut_short_by_a_full_disk_is_taken_back(hass: HomeAssistant) -> None:
    """A line the disk took only part of is removed again, so the next one is whole."""
    history, _ = await loaded(hass)
    await history.async_put("2026-11", "a", {"id": "a"})
    before = journal(hass).read_bytes()
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    # Files may grow by 10 more bytes: the write stops halfway, the next one fails (EFBIG).
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 10, limits[1]))
    try:
        with pytest.raises(HistoryWriteError):
            await history.async_put("2026-11", "b", {"id": "b"})
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
    assert journal(hass).read_bytes() == before
    await history.async_put("2026-11", "c", {"id": "c"})
    assert await crash_view(hass) == [{"id": "a"}, {"id": "c"}]


async def test_nothing_is_changed_before_it_was_loaded(hass: HomeAssistant) -> None:
    """A fold of a history that never read its months would overwrite them."""
    write_month(hass, "2026-11", {"records": {"a": {"id": "a"}}})
    history = PartitionedHistory(hass, "entry", HistoryKind.DOSES)
    with pytest.raises(RuntimeError, match="before it was loaded"):
        await history.async_put_batched("2026-11", "b", {"id": "b"})
    await history.async_close()
    assert records(hass, "2026-11") == {"a": {"id": "a"}}


async def test_a_partition_name_must_make_a_file_name(hass: HomeAssistant) -> None:
    """A name the loader would not read back as a partition is refused up front."""
    history, _ = await loaded(hass)
    for name in ("2026.11", "journal", ""):
        with pytest.raises(ValueError, match="not a partition name"):
            await history.async_put(name, "a", {"id": "a"})
    await history.async_close()


async def test_a_failed_fold_keeps_the_journal(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A fold that cannot write raises, keeps the journal, and the next fold catches up."""
    history, _ = await loaded(hass)
    await history.async_put("2026-11", "a", {"id": "a"})
    write_atomic = storage._write_atomic

    def fail(target: Path, data: bytes) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(storage, "_write_atomic", fail)
    with pytest.raises(HistoryWriteError):
        await history.async_fold()
    assert journal(hass).exists()

    # The fold after loading fails too: the history still loads, from the journal.
    assert (await loaded(hass))[1] == [{"id": "a"}]
    assert "Could not fold" in caplog.text

    monkeypatch.setattr(storage, "_write_atomic", write_atomic)
    await history.async_close()
    assert records(hass, "2026-11") == {"a": {"id": "a"}}
    assert not journal(hass).exists()


async def test_the_final_write_folds(hass: HomeAssistant) -> None:
    """Stopping Home Assistant folds the journal without waiting for the timer."""
    history, _ = await loaded(hass)
    await history.async_put_batched("2026-11", "a", {"id": "a"})
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert records(hass, "2026-11") == {"a": {"id": "a"}}
    await history.async_close()


async def test_changes_are_on_the_disk_before_they_are_acknowledged(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal line, a written file and its directory entry are all fsynced.

    What the README promises about power cuts rests on this.
    """
    synced: list[str] = []
    fsync = os.fsync

    def record_fsync(fd: int) -> None:
        synced.append(str(Path(f"/proc/self/fd/{fd}").readlink()))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", record_fsync)
    history, _ = await loaded(hass)
    await history.async_put("2026-11", "a", {"id": "a"})
    assert str(journal(hass)) in synced
    synced.clear()
    await history.async_close()
    month = str(path(hass, ".2026-11"))
    assert any(name.startswith(f"{month}.") and name.endswith(".tmp") for name in synced)
    assert str(path(hass).parent) in synced


# ------------------------------------------------------------- files of other versions


async def test_files_of_earlier_versions_load(hass: HomeAssistant) -> None:
    """Month files and index exactly as version 0.1 wrote them (through Store)."""
    write_month(hass, "2026-10", {"records": {"a": {"id": "a"}}})
    write_month(hass, "2026-11", {"records": {"b": {"id": "b"}}})
    index = {"version": 1, "minor_version": 1, "key": KEY, "data": {"partitions": []}}
    index["data"] = {"partitions": ["2026-10", "2026-11"]}
    write(hass, "", json.dumps(index, indent=2).encode())
    write(hass, ".journal", b'{"p":"2026-11","id":"c","record":{"id":"c"}}\n')
    assert await crash_view(hass) == [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    assert copies(hass) == {}


async def test_home_assistant_store_reads_our_files(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """Month files and index stay in Store's format: older versions read them with Store.

    Store is mocked in tests; its real version checks run on the data of our real files.
    """
    history, _ = await loaded(hass)
    await history.async_put("2026-11", "a", {"id": "a"})
    await history.async_close()
    for suffix, expected in (
        (".2026-11", {"records": {"a": {"id": "a"}}}),
        ("", {"partitions": ["2026-11"]}),
    ):
        hass_storage[f"{KEY}{suffix}"] = json.loads(path(hass, suffix).read_bytes())
        assert await Store(hass, 1, f"{KEY}{suffix}").async_load() == expected


# ------------------------------------------------------------- the list of months


@pytest.mark.parametrize("index", [None, b"", b"garbage", b'{"version":1,"data":{}}'])
async def test_the_months_are_the_files_not_the_index(
    hass: HomeAssistant, index: bytes | None
) -> None:
    """A lost or broken index hides no month, and gets no month overwritten."""
    write_month(hass, "2026-10", {"records": {"a": {"id": "a"}}})
    write_month(hass, "2026-11", {"records": {"b": {"id": "b"}}})
    if index is not None:
        write(hass, "", index)
    history, found = await loaded(hass)
    assert found == [{"id": "a"}, {"id": "b"}]
    await history.async_put("2026-11", "c", {"id": "c"})
    await history.async_close()
    assert records(hass, "2026-11") == {"b": {"id": "b"}, "c": {"id": "c"}}
    assert records(hass, "2026-10") == {"a": {"id": "a"}}
    assert json.loads(path(hass).read_bytes())["data"] == {"partitions": ["2026-10", "2026-11"]}


async def test_a_month_file_that_disappeared_is_reported(hass: HomeAssistant) -> None:
    """The index listed it and the folder lacks it: the repair issue says so, once."""
    write_month(hass, "2026-11", {"records": {"b": {"id": "b"}}})
    index = {"version": 1, "minor_version": 1, "key": KEY}
    index["data"] = {"partitions": ["2026-09", "2026-10", "2026-11"]}
    write(hass, "", json.dumps(index).encode())
    # 2026-10 only has journal lines: written by a version that saved the index first.
    write(hass, ".journal", b'{"p":"2026-10","id":"a","record":{"id":"a"}}\n')

    assert await crash_view(hass) == [{"id": "a"}, {"id": "b"}]
    issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE)
    assert issue is not None
    assert issue.translation_key == "history_set_aside"
    assert issue.translation_placeholders == {
        "profile": "entry",
        "copies": "-",
        "missing": f"{KEY}.2026-09",
    }
    # The index no longer lists it.
    assert json.loads(path(hass).read_bytes())["data"] == {"partitions": ["2026-10", "2026-11"]}


# -------------------------------------------------------------------- set aside


BAD_FILES = {
    "not JSON": b"{\x00\x00\x00",
    "empty": b"",
    "no records": json.dumps({"version": 1, "minor_version": 1, "key": "k", "data": {}}).encode(),
    "records not a dict": json.dumps({"version": 1, "data": {"records": []}}).encode(),
    "a list": b"[]",
    "a newer version": json.dumps({"version": 2, "data": {"records": {"x": {}}}}).encode(),
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
async def test_an_unreadable_month_is_set_aside(hass: HomeAssistant, content: bytes) -> None:
    """The other months load; the bad file is copied before anything rewrites it."""
    write_month(hass, "2026-10", {"records": {"a": {"id": "a"}}})
    write(hass, ".2026-11", content)
    history, found = await loaded(hass)
    assert found == [{"id": "a"}]
    assert copies(hass) == {f".2026-11.set_aside.{STAMP}": content}
    assert records(hass, "2026-11") == {}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE)
    assert issue is not None
    assert issue.is_persistent
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["copies"] == f"{KEY}.2026-11.set_aside.{STAMP}"

    # A change to that month later leaves the copy alone.
    await history.async_put("2026-11", "b", {"id": "b"})
    await history.async_close()
    assert records(hass, "2026-11") == {"b": {"id": "b"}}
    assert copies(hass) == {f".2026-11.set_aside.{STAMP}": content}
    assert await crash_view(hass) == [{"id": "a"}, {"id": "b"}]
    assert len(copies(hass)) == 1  # set aside once, not on every start


async def test_rejected_records_are_set_aside(hass: HomeAssistant) -> None:
    """Records the parser rejects leave the month; the original file is kept as it was."""
    write_month(
        hass,
        "2026-11",
        {"records": {"a": {"id": "a"}, "b": {"bad": 1}, "c": "not a record", "d": {"id": "d"}}},
    )
    original = path(hass, ".2026-11").read_bytes()

    def parse(record: dict[str, Any]) -> str:
        return str(accept(record)["id"])

    history, found = await loaded(hass, parse)
    assert found == ["a", "d"]
    assert copies(hass) == {f".2026-11.set_aside.{STAMP}": original}
    assert records(hass, "2026-11") == {"a": {"id": "a"}, "d": {"id": "d"}}
    await history.async_close()


async def test_a_damaged_journal_is_set_aside(hass: HomeAssistant) -> None:
    """Unreadable lines (not a torn last one) and rejected records: the journal is copied."""
    content = (
        b'{"p":"2026-11","id":"a","record":{"id":"a"}}\n'
        b"\x00\x00\x00\x00\n"
        b'{"p":"2026-11","id":"b","record":{"bad":1}}\n'
        b'{"p":"2026-11","id":"c","record":"not a record"}\n'
        b'{"p":"2026.11","id":"d","record":{"id":"d"}}\n'
        b'{"p":"2026-11","id":"e","record":{"id":"e"}}\n'
    )
    write(hass, ".journal", content)
    assert await crash_view(hass) == [{"id": "a"}, {"id": "e"}]
    assert copies(hass) == {f".journal.set_aside.{STAMP}": content}
    assert not journal(hass).exists()


async def test_a_rejected_record_from_the_journal_sets_the_journal_aside(
    hass: HomeAssistant,
) -> None:
    """The month file did not hold it, so the copy kept is the journal's."""
    write_month(hass, "2026-11", {"records": {"a": {"id": "a"}}})
    write(hass, ".journal", b'{"p":"2026-11","id":"b","record":{"bad":1}}\n')
    assert await crash_view(hass) == [{"id": "a"}]
    assert list(copies(hass)) == [f".journal.set_aside.{STAMP}"]
    assert records(hass, "2026-11") == {"a": {"id": "a"}}


async def test_nothing_is_rewritten_before_its_copy_is_on_disk(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the copy cannot be written, the bad file stays as it is, and so does the journal."""
    write(hass, ".2026-11", b"garbage")
    write(hass, ".journal", b'{"p":"2026-11","id":"a","record":{"id":"a"}}\n')
    write_atomic = storage._write_atomic

    def fail_copies(target: Path, data: bytes) -> None:
        if ".set_aside." in target.name:
            raise OSError("disk full")
        write_atomic(target, data)

    monkeypatch.setattr(storage, "_write_atomic", fail_copies)
    history, found = await loaded(hass)
    assert found == [{"id": "a"}]
    assert path(hass, ".2026-11").read_bytes() == b"garbage"
    assert journal(hass).exists()

    monkeypatch.setattr(storage, "_write_atomic", write_atomic)
    await history.async_close()
    assert copies(hass) == {f".2026-11.set_aside.{STAMP}": b"garbage"}
    assert records(hass, "2026-11") == {"a": {"id": "a"}}


async def test_copies_made_at_the_same_time_get_their_own_names(hass: HomeAssistant) -> None:
    """Two bad loads within a second do not overwrite the first copy."""
    write(hass, ".2026-11", b"first")
    await crash_view(hass)
    write(hass, ".2026-11", b"second")
    await crash_view(hass)
    assert copies(hass) == {
        f".2026-11.set_aside.{STAMP}": b"first",
        f".2026-11.set_aside.{STAMP}-2": b"second",
    }


async def test_a_disk_that_cannot_be_read_retries_later(hass: HomeAssistant) -> None:
    """An I/O error is not bad content: nothing is set aside or rewritten."""
    path(hass).parent.mkdir(parents=True)
    path(hass, ".2026-11").symlink_to(path(hass, ".2026-11"))  # reading it fails (ELOOP)
    with pytest.raises(ConfigEntryNotReady):
        await loaded(hass)
    assert path(hass, ".2026-11").is_symlink()
    assert copies(hass) == {}


# ---------------------------------------------------------------------- removal


async def test_remove_deletes_every_file_of_the_profile(hass: HomeAssistant) -> None:
    """A deleted profile leaves no file of its history, set-aside copies included."""
    history, _ = await loaded(hass)
    await history.async_put("2026-11", "a", {"id": "a"})
    await history.async_close()
    write(hass, ".2026-10", b"garbage")
    await crash_view(hass)
    nights = PartitionedHistory(hass, "entry", HistoryKind.NIGHTS)
    await nights.async_load(accept)
    await nights.async_put("2026-11", "n", {"id": "n"})
    await nights.async_close()
    assert copies(hass)
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE) is not None

    await async_remove_history(hass, "entry")
    assert not list(path(hass).parent.glob(f"{DOMAIN}.entry*"))
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE) is None
