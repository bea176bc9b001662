"""A profile whose stored history is damaged still loads, and loses nothing more.

Real files in a temporary config directory, the real actions and repair issues.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.magnesium_sleep.const import DOMAIN
from custom_components.magnesium_sleep.storage import history_issue_id

from .conftest import durable, storage_file

STAMP = "20261121T211500Z"  # the frozen clock (tests/conftest.py)


async def log(hass: HomeAssistant, taken_at: str, **data: Any) -> str:
    """Log 100 mg at `taken_at` (local time); the dose's ID."""
    response = await hass.services.async_call(
        DOMAIN,
        "log_dose",
        {"amount": 100, "form": "elemental", "taken_at": taken_at, **data},
        blocking=True,
        return_response=True,
    )
    assert isinstance(response, dict)
    return str(response["dose_id"])


async def dose_ids(hass: HomeAssistant) -> list[str]:
    """What get_doses returns since October."""
    response = await hass.services.async_call(
        DOMAIN, "get_doses", {"start": "2026-10-01 00:00:00"}, blocking=True, return_response=True
    )
    assert response is not None
    return [dose["dose_id"] for dose in response["doses"]]


def month_file(
    hass: HomeAssistant, entry: MockConfigEntry, month: str, kind: str = "doses"
) -> Path:
    """The file of one month of a profile's history."""
    return storage_file(hass, f"{DOMAIN}.{entry.entry_id}.{kind}.{month}")


def set_aside(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, bytes]:
    """The profile's set-aside copies, by name."""
    directory = storage_file(hass, "x").parent
    return {
        path.name: path.read_bytes()
        for path in directory.glob(f"{DOMAIN}.{entry.entry_id}.*.set_aside.*")
    }


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload the profile (its history is folded into the files), then set it up again."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def malformed_record(content: bytes, dose_id: str) -> bytes:
    """The month with one dose's elemental_ug made unreadable."""
    document = json.loads(content)
    document["data"]["records"][dose_id]["elemental_ug"] = "abc"
    return json.dumps(document).encode()


DAMAGE = {
    "a malformed record": malformed_record,
    "not JSON": lambda content, _: content[: len(content) // 2],
    "no records": lambda _, __: b'{"version":1,"minor_version":1,"key":"k","data":{}}',
    "a newer version": lambda content, _: content.replace(b'"version":1', b'"version":2', 1),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
async def test_a_damaged_month_is_set_aside_and_the_profile_loads(
    hass: HomeAssistant, init_integration: MockConfigEntry, damage: Any
) -> None:
    """Loaded, the good doses there, one repair issue, the bad file kept through changes."""
    october = await log(hass, "2026-10-25 20:00:00")
    good = await log(hass, "2026-11-20 20:00:00")
    bad = await log(hass, "2026-11-21 08:00:00")
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    november = month_file(hass, init_integration, "2026-11")
    damaged = damage(november.read_bytes(), bad)
    november.write_bytes(damaged)

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    expected = [october, good] if damage is malformed_record else [october]
    assert await dose_ids(hass) == expected
    copy = f"{DOMAIN}.{init_integration.entry_id}.doses.2026-11.set_aside.{STAMP}"
    assert set_aside(hass, init_integration) == {copy: damaged}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, history_issue_id(init_integration.entry_id))
    assert issue is not None
    assert issue.translation_key == "history_set_aside"
    assert issue.translation_placeholders == {"profile": "Anna", "copies": copy, "missing": "-"}

    # A new dose in that month, a restart: the copy is untouched, nothing is set aside again.
    new = await log(hass, "2026-11-21 20:00:00")
    await restart(hass, init_integration)
    assert init_integration.state is ConfigEntryState.LOADED
    assert await dose_ids(hass) == [*expected, new]
    assert set_aside(hass, init_integration) == {copy: damaged}

    # Deleting the profile deletes the copies and the issue with it.
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert not list(november.parent.glob(f"{DOMAIN}.{init_integration.entry_id}.*"))
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, history_issue_id(init_integration.entry_id))
        is None
    )


@pytest.mark.parametrize("index", [None, b"garbage"], ids=["deleted", "garbage"])
async def test_a_lost_index_hides_no_history_and_destroys_no_month(
    hass: HomeAssistant, init_integration: MockConfigEntry, index: bytes | None
) -> None:
    """Without a readable list of months, every month still loads and keeps its doses."""
    october = await log(hass, "2026-10-25 20:00:00")
    november = await log(hass, "2026-11-20 20:00:00")
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    index_file = storage_file(hass, f"{DOMAIN}.{init_integration.entry_id}.doses")
    if index is None:
        index_file.unlink()
    else:
        index_file.write_bytes(index)

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert await dose_ids(hass) == [october, november]
    later = await log(hass, "2026-11-21 20:00:00")
    await restart(hass, init_integration)
    assert await dose_ids(hass) == [october, november, later]
    assert set(durable(hass, init_integration, "doses")["2026-11"]) == {november, later}


async def test_a_duplicate_import_is_set_aside(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Two doses with one import ID (an earlier bug): the first stays, the profile loads."""
    first = await log(hass, "2026-11-20 20:00:00")
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    november = month_file(hass, init_integration, "2026-11")
    document = json.loads(november.read_bytes())
    records = document["data"]["records"]
    records[first]["external_id"] = "export-1"
    records["01KDUPLICATE000000000000000"] = {
        **records[first],
        "dose_id": "01KDUPLICATE000000000000000",
    }
    november.write_text(json.dumps(document))

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    assert await dose_ids(hass) == [first]
    assert list(set_aside(hass, init_integration).values()) == [json.dumps(document).encode()]
    assert list(durable(hass, init_integration, "doses")["2026-11"]) == [first]


async def test_a_damaged_night_file_is_set_aside(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Nights follow the same rule: the profile loads, the file is kept."""
    await hass.services.async_call(
        DOMAIN,
        "log_sleep",
        {"bedtime": "2026-11-20 23:00:00", "wake_time": "2026-11-21 07:00:00"},
        blocking=True,
        return_response=True,
    )
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    nights = month_file(hass, init_integration, "2026-11", "nights")
    assert nights.exists()
    nights.write_bytes(b"\x00" * 64)  # what a power cut can leave of a file

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    assert list(set_aside(hass, init_integration).values()) == [b"\x00" * 64]
    assert ir.async_get(hass).async_get_issue(DOMAIN, history_issue_id(init_integration.entry_id))


async def test_a_disk_error_retries_the_setup(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Reading fails (not bad content): the profile is retried, nothing is rewritten."""
    await log(hass, "2026-11-20 20:00:00")
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    october = month_file(hass, init_integration, "2026-10")
    october.symlink_to(october)  # reading it fails (too many levels of symbolic links)

    assert not await hass.config_entries.async_setup(init_integration.entry_id)
    assert init_integration.state is ConfigEntryState.SETUP_RETRY
    assert set_aside(hass, init_integration) == {}


async def test_a_bad_removed_import_is_set_aside(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A removed import without a readable ID is kept aside; the others still block re-imports."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    removed = month_file(hass, init_integration, "2026-11", "removed_imports")
    removed.parent.mkdir(parents=True, exist_ok=True)
    content = json.dumps(
        {
            "version": 1,
            "minor_version": 1,
            "key": removed.name,
            "data": {"records": {"5": {"external_id": 5}, "e": {"external_id": "export-2"}}},
        }
    ).encode()
    removed.write_bytes(content)

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    # The readable removal still holds: the same import sent again is not logged.
    again = await init_integration.runtime_data.doses.async_import(
        external_id="export-2",
        amount=None,
        unit="mg",
        servings=1,
        taken_at=dt_util.utcnow(),
        note=None,
        source="apple_health",
    )
    assert again is None
    assert list(set_aside(hass, init_integration).values()) == [content]
