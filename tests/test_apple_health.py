"""Apple Health end to end: Health Auto Export posting to the profile's real webhook.

Requests go through Home Assistant's HTTP server and webhook component. Home Assistant
runs behind a reverse proxy on 127.0.0.1 here (`use_x_forwarded_for`), so a request can
come from a LAN or an internet address through the real `X-Forwarded-For` handling,
which is what `local_only` looks at.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import copy
from http import HTTPStatus
import json
from typing import Any

from aiohttp import ClientResponse
from homeassistant.components.webhook import async_generate_path
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.magnesium_sleep import apple_health
from custom_components.magnesium_sleep.const import DOMAIN
from custom_components.magnesium_sleep.storage import HistoryWriteError, PartitionedHistory

from .conftest import PROFILE_OPTIONS, Client, HeldWrite, durable, state, states

# Sunday 22 November 2026, 09:00 in Amsterdam (CET, +01:00): Anna is up.
MORNING = "2026-11-22 08:00:00+00:00"
# Saturday 21 November 2026, 23:00 in Amsterdam: the evening's doses are taken.
EVENING = "2026-11-21 22:00:00+00:00"
NIGHT = "2026-11-21"

LAN = "192.168.1.20"
INTERNET = "203.0.113.9"

DURATION = "sensor.anna_sleep_duration"
LATENCY = "sensor.anna_time_to_fall_asleep"
AWAKE = "sensor.anna_time_awake"
EFFICIENCY = "sensor.anna_sleep_efficiency"
BEDTIME = "sensor.anna_bedtime"
WAKE = "sensor.anna_wake_time"
SCORE = "sensor.anna_sleep_score"
TODAY = "sensor.anna_magnesium_today"
LAST_DOSE = "sensor.anna_last_dose"

# What Health Auto Export sends with "Aggregate sleep data" on: one entry per session,
# decimal hours, 24-hour and 12-hour timestamps (U+202F before "am", as iOS writes it).
NIGHT_ENTRY: dict[str, Any] = {
    "date": "2026-11-22 00:00:00 +0100",
    "totalSleep": 7.25,
    "asleep": 0,
    "core": 4.0,
    "deep": 1.25,
    "rem": 2.0,
    "awake": 0.5,
    "inBed": 8.5,
    "sleepStart": "2026-11-21 11:05:00 pm +0100",
    "sleepEnd": "2026-11-22 6:50:00\u202fam +0100",
    "inBedStart": "2026-11-21 22:40:00 +0100",
    "inBedEnd": "2026-11-22 7:10:00 am +0100",
    "source": "Anna's Apple Watch|Anna's iPhone",
}
AGGREGATED: dict[str, Any] = {
    "data": {
        "metrics": [
            {
                "name": "step_count",
                "units": "count",
                "data": [{"qty": 8500, "date": "2026-11-21 14:30:00 +0100"}],
            },
            {
                "name": "sleep_analysis",
                "units": "hr",
                "data": [
                    NIGHT_ENTRY,
                    # A fragment of the same session from an earlier export: the longest wins.
                    {
                        **NIGHT_ENTRY,
                        "totalSleep": 3.5,
                        "core": 2.0,
                        "deep": 0.5,
                        "rem": 1.0,
                        "awake": 0.2,
                        "inBed": 0,
                        "sleepStart": "2026-11-22 3:05:00 am +0100",
                        "inBedStart": "",
                        "inBedEnd": "",
                    },
                    # An afternoon nap the day before: not a night.
                    {
                        "date": "2026-11-21 00:00:00 +0100",
                        "totalSleep": 0.75,
                        "asleep": 0.75,
                        "sleepStart": "2026-11-21 2:10:00 pm +0100",
                        "sleepEnd": "2026-11-21 2:55:00 pm +0100",
                        "source": "Anna's Apple Watch",
                    },
                ],
            },
        ]
    }
}


def _sample(start: str, end: str, value: str, source: str = "Anna's Apple Watch") -> dict[str, Any]:
    return {"startDate": start, "endDate": end, "qty": 0, "value": value, "source": source}


# The same night without aggregation: one sample per stage.
UNAGGREGATED: dict[str, Any] = {
    "data": {
        "metrics": [
            {
                "name": "sleep_analysis",
                "units": "hr",
                "data": [
                    _sample(
                        "2026-11-21 22:40:00 +0100",
                        "2026-11-22 07:10:00 +0100",
                        "In Bed",
                        "Anna's iPhone",
                    ),
                    _sample("2026-11-21 11:05:00 pm +0100", "2026-11-22 12:30:00 am +0100", "Core"),
                    _sample("2026-11-22 00:30:00 +0100", "2026-11-22 01:30:00 +0100", "Deep"),
                    _sample("2026-11-22 01:30:00 +0100", "2026-11-22 02:40:00 +0100", "Core"),
                    _sample("2026-11-22 02:40:00 +0100", "2026-11-22 02:52:00 +0100", "Awake"),
                    _sample("2026-11-22 02:52:00 +0100", "2026-11-22 04:00:00 +0100", "REM"),
                    _sample("2026-11-22 04:00:00 +0100", "2026-11-22 06:00:00 +0100", "Core"),
                    _sample("2026-11-22 06:00:00 +0100", "2026-11-22 06:02:00 +0100", "Awake"),
                    _sample(
                        "2026-11-22 6:02:00\u202fAM +0100",
                        "2026-11-22 6:50:00\u202fAM +0100",
                        "Core",
                    ),
                ],
            }
        ]
    }
}

TAKEN = {
    "displayText": "Magnesium glycinate 400 mg",
    "nickname": "Evening magnesium",
    "scheduledDate": "2026-11-21 9:30:00 pm +0100",
    "form": "Capsule",
    "status": "Taken",
    "dosage": "400 mg",
}
MEDICATIONS: dict[str, Any] = {
    "data": {
        "metrics": [],
        "medications": [
            TAKEN,
            dict(TAKEN),  # sent twice in one export: one dose
            {**TAKEN, "scheduledDate": "2026-11-20 9:30:00 pm +0100", "status": "Skipped"},
            {**TAKEN, "scheduledDate": "2026-11-21 10:00:00 pm +0100", "status": "Snoozed"},
            {
                "displayText": "Ibuprofen",
                "scheduledDate": "2026-11-21 08:00:00 +0100",
                "status": "Taken",
                "dosage": "400 mg",
            },
            # A plain number is a count of the profile's servings (2 x 500 mg glycinate).
            {
                "displayText": "Magnesium",
                "scheduledDate": "2026-11-21 22:45:00 +0100",
                "date": "2026-11-21 22:50:00 +0100",
                "status": "Taken",
                "dosage": 2,
            },
        ],
    }
}
ELEMENTAL_400_MG_GLYCINATE = 56.385  # 2 x 500 mg glycinate is 140.961 mg (test_doses)
ELEMENTAL_2_SERVINGS = 140.961


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
async def reverse_proxy(hass: HomeAssistant) -> None:
    """Home Assistant behind a proxy on this host, so X-Forwarded-For sets the remote."""
    assert await async_setup_component(
        hass,
        "http",
        {"http": {"use_x_forwarded_for": True, "trusted_proxies": ["127.0.0.1", "::1"]}},
    )
    # Before the first client starts the server (its routes are fixed from then on).
    assert await async_setup_component(hass, "websocket_api", {})


@pytest.fixture
async def profile(
    hass: HomeAssistant, reverse_proxy: None, time_zone: str, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Anna's profile, set up after the HTTP server."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


async def post(
    client: Client,
    entry: MockConfigEntry,
    body: Any,
    *,
    remote: str = LAN,
    method: str = "POST",
) -> ClientResponse:
    """Send a body (JSON-encoded unless bytes) to the profile's webhook."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await client.request(
        method,
        async_generate_path(entry.data["webhook_id"]),
        data=data,
        headers={"X-Forwarded-For": remote, "Content-Type": "application/json"},
    )


async def post_json(
    client: Client, entry: MockConfigEntry, body: Any, **kwargs: Any
) -> dict[str, Any]:
    """Post and return the JSON answer of a 200."""
    response = await post(client, entry, body, **kwargs)
    assert response.status == HTTPStatus.OK, await response.text()
    answer = await response.json()
    assert isinstance(answer, dict)
    return answer


def files(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Everything durable of the profile, as a restart would read it."""
    return {kind: durable(hass, entry, kind) for kind in ("doses", "nights", "removed_imports")}


def night_file(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """The stored nights of November 2026."""
    return durable(hass, entry, "nights")["2026-11"]


def dose_records(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """The stored doses of November 2026."""
    return durable(hass, entry, "doses").get("2026-11", {})


# --------------------------------------------------------------------------- sleep


@pytest.mark.freeze_time(MORNING)
async def test_aggregated_sleep_export(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
) -> None:
    """One night from an aggregated export: sensors, provenance and a durable record."""
    events = async_capture_events(hass, f"{DOMAIN}_night_updated")
    answer = await post_json(client, profile, AGGREGATED)

    assert answer == {
        "nights_updated": [NIGHT],
        "doses_logged": 0,
        "doses_already_logged": 0,
        "doses_rejected": 0,
        "entries_skipped": 2,  # the shorter fragment and the nap
    }
    # On disk when the answer came: Health Auto Export may consider it delivered.
    stored = night_file(hass, profile)[NIGHT]
    assert stored["values"] == {
        "bedtime": "2026-11-21T21:40:00+00:00",  # 22:40 +01:00
        "sleep_onset": "2026-11-21T22:05:00+00:00",  # 11:05 pm
        "wake_time": "2026-11-22T05:50:00+00:00",  # 6:50 am (U+202F)
        "out_of_bed": "2026-11-22T06:10:00+00:00",  # 7:10 am
        "time_in_bed": 510.0,  # 8.5 h
        "total_sleep": 435.0,  # 7.25 h
        "latency": 25.0,  # 22:40 to 23:05
        "waso": 30.0,  # 0.5 h
        "efficiency": pytest.approx(85.294, abs=0.001),  # 435 / 510
        "light": 240.0,  # core 4 h
        "deep": 75.0,  # 1.25 h
        "rem": 120.0,  # 2 h
    }
    provenance = stored["provenance"]
    assert provenance["total_sleep"]["source"] == "apple_health"
    assert provenance["total_sleep"]["measured"] is True
    assert provenance["latency"]["measured"] is False
    assert provenance["latency"]["inputs"] == ["bedtime", "sleep_onset"]

    assert 60 * float(state(hass, DURATION)) == pytest.approx(435.0)  # kept in hours
    assert float(state(hass, LATENCY)) == 25.0
    assert float(state(hass, AWAKE)) == 30.0
    assert float(state(hass, EFFICIENCY)) == 85.3
    assert state(hass, BEDTIME) == "2026-11-21T21:40:00+00:00"
    assert state(hass, WAKE) == "2026-11-22T05:50:00+00:00"
    # Duration 35 (7.25 h > 7 h) + efficiency 25 x (85.29 - 65) / 25 = 20.29
    # + latency 15 x 35 / 45 = 11.67 + WASO 10 x 60 / 70 = 8.57, of 85 points.
    assert float(state(hass, SCORE)) == round(100 * (35 + 20.294 + 11.667 + 8.571) / 85, 1)
    duration = hass.states.get(DURATION)
    assert duration is not None
    assert duration.attributes["night"] == NIGHT
    assert duration.attributes["unit_of_measurement"] == "h"  # shown as "7h 15m"
    # Not an entity: a key the sensor's translations turn into "Apple Health".
    assert (duration.attributes["source"], duration.attributes["measured"]) == (
        "apple_health",
        True,
    )
    assert [event.data["night"] for event in events] == [NIGHT]

    # The same export again (Health Auto Export re-sends): nothing changes.
    before = files(hass, profile), states(hass)
    answer = await post_json(client, profile, AGGREGATED)
    assert answer["nights_updated"] == []
    assert (files(hass, profile), states(hass)) == before
    assert len(events) == 1


@pytest.mark.freeze_time(MORNING)
async def test_unaggregated_sleep_export(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
) -> None:
    """Samples per stage are assembled into the same night, marked as derived."""
    answer = await post_json(client, profile, UNAGGREGATED)
    assert answer["nights_updated"] == [NIGHT]
    stored = night_file(hass, profile)[NIGHT]
    assert stored["values"] == {
        "bedtime": "2026-11-21T21:40:00+00:00",
        "sleep_onset": "2026-11-21T22:05:00+00:00",
        "wake_time": "2026-11-22T05:50:00+00:00",
        "out_of_bed": "2026-11-22T06:10:00+00:00",
        "time_in_bed": 510.0,
        # Asleep 23:05-02:40, 02:52-06:00 and 06:02-06:50: 215 + 188 + 48 minutes.
        "total_sleep": 451.0,
        "latency": 25.0,
        "waso": 14.0,  # 12 + 2 minutes awake
        "awakenings": 1,  # only the 12 minutes count (more than 5)
        "efficiency": pytest.approx(451 / 510 * 100),
        "light": 323.0,  # 85 + 70 + 120 + 48
        "deep": 60.0,
        "rem": 68.0,
    }
    assert stored["provenance"]["total_sleep"]["measured"] is False
    assert 60 * float(state(hass, DURATION)) == pytest.approx(451.0)  # kept in hours
    assert float(state(hass, AWAKE)) == 14.0
    assert float(state(hass, EFFICIENCY)) == 88.4

    before = files(hass, profile), states(hass)
    answer = await post_json(client, profile, UNAGGREGATED)
    assert answer["nights_updated"] == []
    assert (files(hass, profile), states(hass)) == before

    # The aggregated export of the same night is measured: its values win.
    answer = await post_json(client, profile, AGGREGATED)
    assert answer["nights_updated"] == [NIGHT]
    assert 60 * float(state(hass, DURATION)) == pytest.approx(435.0)  # kept in hours
    assert night_file(hass, profile)[NIGHT]["provenance"]["total_sleep"]["measured"]


# --------------------------------------------------------------------------- medications


@pytest.mark.freeze_time(EVENING)
async def test_magnesium_intakes_become_doses(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
) -> None:
    """Taken magnesium is logged once; skipped, snoozed and other medicines are not."""
    events = async_capture_events(hass, f"{DOMAIN}_dose_logged")
    answer = await post_json(client, profile, MEDICATIONS)
    assert answer == {
        "nights_updated": [],
        "doses_logged": 2,
        "doses_already_logged": 0,
        "doses_rejected": 0,
        "entries_skipped": 3,  # skipped, snoozed, ibuprofen
    }

    assert [event.data["source"] for event in events] == ["apple_health", "apple_health"]
    first, second = (event.data for event in events)
    assert first["taken_at"] == "2026-11-21T20:30:00+00:00"  # 9:30 pm +01:00
    assert first["amount"] == 400
    assert first["unit"] == "mg"
    assert first["form"] == "glycinate"  # the profile's product
    assert first["servings"] is None
    assert first["elemental_mg"] == pytest.approx(ELEMENTAL_400_MG_GLYCINATE, abs=0.001)
    assert first["note"] == "Evening magnesium"
    assert first["profile"] == "Anna"
    # `date` (when it was logged) beats `scheduledDate`.
    assert second["taken_at"] == "2026-11-21T21:50:00+00:00"
    assert second["servings"] == 2
    assert second["elemental_mg"] == pytest.approx(ELEMENTAL_2_SERVINGS, abs=0.001)
    total = ELEMENTAL_400_MG_GLYCINATE + ELEMENTAL_2_SERVINGS
    assert second["day_total_mg"] == pytest.approx(total, abs=0.001)

    assert float(state(hass, TODAY)) == pytest.approx(total, abs=0.001)
    assert state(hass, LAST_DOSE) == "2026-11-21T21:50:00+00:00"
    records = dose_records(hass, profile)
    assert sorted(record["source"] for record in records.values()) == ["apple_health"] * 2
    assert sorted(record["external_id"] for record in records.values()) == [
        "apple_health:medication:magnesium glycinate 400 mg:2026-11-21T20:30:00+00:00",
        "apple_health:medication:magnesium:2026-11-21T21:50:00+00:00",
    ]

    # Re-sent: both are known, nothing is added.
    before = files(hass, profile), states(hass)
    answer = await post_json(client, profile, MEDICATIONS)
    assert answer["doses_logged"] == 0
    assert answer["doses_already_logged"] == 2
    assert (files(hass, profile), states(hass)) == before
    assert len(events) == 2

    # Re-sent from London: the phone writes the same moments with another offset.
    travelled = {
        "data": {"medications": [{**TAKEN, "scheduledDate": "2026-11-21 8:30:00 pm +0000"}]}
    }
    answer = await post_json(client, profile, travelled)
    assert (answer["doses_logged"], answer["doses_already_logged"]) == (0, 1)
    assert len(events) == 2

    # A person removes an imported dose: the next export does not bring it back,
    # not even after a restart.
    await hass.services.async_call(DOMAIN, "remove_dose", {}, blocking=True)
    assert await hass.config_entries.async_reload(profile.entry_id)
    await hass.async_block_till_done()
    answer = await post_json(client, profile, MEDICATIONS)
    assert (answer["doses_logged"], answer["doses_already_logged"]) == (0, 2)
    assert len(dose_records(hass, profile)) == 1


@pytest.mark.freeze_time(EVENING)
async def test_intakes_that_cannot_be_doses_are_counted(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An implausible, future or ancient intake is reported; the rest is still logged."""
    body = {
        "data": {
            "medications": [
                TAKEN,
                # 250 servings of 500 mg glycinate: a plain 250 was meant as mg.
                {**TAKEN, "dosage": 250, "scheduledDate": "2026-11-21 20:00:00 +0100"},
                {**TAKEN, "scheduledDate": "2026-11-22 9:30:00 pm +0100"},  # tomorrow
                {**TAKEN, "scheduledDate": "2001-11-21 9:30:00 pm +0100"},
            ]
        }
    }
    answer = await post_json(client, profile, body)
    assert (answer["doses_logged"], answer["doses_rejected"]) == (1, 3)
    assert len(dose_records(hass, profile)) == 1
    assert "Apple Health intake Evening magnesium not logged" in caplog.text

    # Rejected ones are not remembered: sent again, they are refused again.
    answer = await post_json(client, profile, body)
    assert (answer["doses_already_logged"], answer["doses_rejected"]) == (1, 3)


# --------------------------------------------------------------------------- refused bodies


def _bad_sleep_entry(**changes: Any) -> dict[str, Any]:
    """A full export (doses and a night) with one broken sleep entry at the end."""
    body = copy.deepcopy(MEDICATIONS)
    body["data"]["metrics"] = copy.deepcopy(AGGREGATED["data"]["metrics"])
    body["data"]["metrics"][1]["data"].append({**NIGHT_ENTRY, **changes})
    return body


def _with_sample(sample: dict[str, Any]) -> dict[str, Any]:
    """Doses and a night from samples, with one more sample at the end."""
    body = copy.deepcopy(MEDICATIONS)
    body["data"]["metrics"] = copy.deepcopy(UNAGGREGATED["data"]["metrics"])
    body["data"]["metrics"][0]["data"].append(sample)
    return body


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(b"", "invalid_json", id="empty"),
        pytest.param(b"{'data': {}}", "invalid_json", id="not_json"),
        pytest.param(b'{"data": {"metrics": [1e400]}}', "invalid_json", id="infinity"),
        pytest.param(b"\xff\xfe", "invalid_json", id="not_utf8"),
        pytest.param(b"[" * 2000 + b"]" * 2000, "invalid_json", id="too_deep"),
        pytest.param([MEDICATIONS], "not_an_object", id="array"),
        pytest.param({"metrics": []}, "missing_data", id="missing_data"),
        pytest.param(
            {"data": {"metrics": {"name": "sleep_analysis"}}},
            "metrics_not_a_list",
            id="metrics_not_a_list",
        ),
        pytest.param(
            {"data": {"metrics": [], "medications": {}}},
            "medications_not_a_list",
            id="medications_not_a_list",
        ),
        pytest.param(
            _bad_sleep_entry(sleepEnd="2026-11-22 31:50:00 +0100"), "bad_date", id="hour_31"
        ),
        pytest.param(
            _bad_sleep_entry(sleepStart="2026-11-21 23:05:00"), "bad_date", id="no_offset"
        ),
        pytest.param(_bad_sleep_entry(totalSleep="7.25"), "bad_number", id="number_as_text"),
        pytest.param(
            {"data": {"medications": [TAKEN, {**TAKEN, "date": "tonight"}]}},
            "bad_date",
            id="medication_date",
        ),
        pytest.param(
            _bad_sleep_entry(sleepEnd="9999-12-31 23:59:59 -0500"),
            "date_out_of_range",
            id="night_in_year_9999",
        ),
        pytest.param(
            _with_sample(_sample("0001-01-01 00:10:00 +1400", "0001-01-01 06:10:00 +1400", "Core")),
            "date_out_of_range",
            id="sample_in_year_1",
        ),
        pytest.param(
            {
                "data": {
                    "medications": [
                        TAKEN,
                        {**TAKEN, "scheduledDate": "9999-12-31 11:00:00 pm -1000"},
                    ]
                }
            },
            "date_out_of_range",
            id="medication_in_year_9999",
        ),
        pytest.param(
            _bad_sleep_entry(totalSleep=20, inBed=7.6),
            "sleep_longer_than_in_bed",
            id="more_sleep_than_time_in_bed",
        ),
    ],
)
@pytest.mark.freeze_time(EVENING)
async def test_malformed_body_changes_nothing(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
    body: Any,
    reason: str,
) -> None:
    """A body we cannot read whole is refused with its reason; nothing of it is kept."""
    await hass.services.async_call(
        DOMAIN, "log_dose", {"amount": 100, "form": "elemental"}, blocking=True
    )
    before = files(hass, profile), states(hass)
    events = async_capture_events(hass, f"{DOMAIN}_dose_logged")

    response = await post(client, profile, body)

    assert response.status == HTTPStatus.BAD_REQUEST
    answer = await response.json()
    assert answer["error"] == reason
    assert answer["message"]
    await hass.async_block_till_done()
    assert (files(hass, profile), states(hass)) == before
    assert events == []


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    """The body in pieces, sent with chunked transfer encoding (no Content-Length)."""
    for start in range(0, len(body), 1000):
        yield body[start : start + 1000]


@pytest.mark.parametrize("chunked", [False, True])
@pytest.mark.freeze_time(MORNING)
async def test_oversized_body_changes_nothing(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    chunked: bool,
) -> None:
    """A body over the limit gets 413, whether it says its length or not."""
    body = json.dumps(AGGREGATED).encode()
    monkeypatch.setattr(apple_health, "MAX_BODY_BYTES", len(body) - 1)
    before = files(hass, profile), states(hass)

    response = await client.post(
        async_generate_path(profile.data["webhook_id"]),
        data=_chunks(body) if chunked else body,
        headers={"X-Forwarded-For": LAN},
    )

    assert response.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert (await response.json())["error"] == "too_large"
    assert (files(hass, profile), states(hass)) == before

    # One byte less is fine.
    monkeypatch.setattr(apple_health, "MAX_BODY_BYTES", len(body))
    response = await client.post(
        async_generate_path(profile.data["webhook_id"]),
        data=_chunks(body) if chunked else body,
        headers={"X-Forwarded-For": LAN},
    )
    assert response.status == HTTPStatus.OK
    assert (await response.json())["nights_updated"] == [NIGHT]


@pytest.mark.parametrize("chunked", [False, True])
@pytest.mark.freeze_time(MORNING)
async def test_a_large_export_is_read_whole(
    hass: HomeAssistant, profile: MockConfigEntry, client: Client, chunked: bool
) -> None:
    """A month of other metrics (a few MB, arriving in many pieces) is read to the end."""
    body = copy.deepcopy(AGGREGATED)
    body["data"]["metrics"][0]["data"] = [
        {"qty": 100 + minute % 50, "date": f"2026-11-{1 + minute // 1440:02d} 00:00:00 +0100"}
        for minute in range(30 * 1440)
    ]
    raw = json.dumps(body).encode()
    assert len(raw) > 1024 * 1024

    response = await client.post(
        async_generate_path(profile.data["webhook_id"]),
        data=_chunks(raw) if chunked else raw,
        headers={"X-Forwarded-For": LAN},
    )

    assert response.status == HTTPStatus.OK, await response.text()
    assert (await response.json())["nights_updated"] == [NIGHT]
    assert 60 * float(state(hass, DURATION)) == pytest.approx(435.0)  # kept in hours


@pytest.mark.freeze_time(EVENING)
async def test_a_failed_write_asks_for_the_export_again(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A dose that could not be saved is a 500 (the app retries), not a silent 200."""
    put = PartitionedHistory.async_put
    calls = 0

    async def fail_second_dose(
        history: PartitionedHistory, partition: str, record_id: str, record: dict[str, Any]
    ) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise HistoryWriteError(translation_domain=DOMAIN, translation_key="write_failed")
        await put(history, partition, record_id, record)

    monkeypatch.setattr(PartitionedHistory, "async_put", fail_second_dose)
    response = await post(client, profile, MEDICATIONS)
    assert response.status == HTTPStatus.INTERNAL_SERVER_ERROR
    assert (await response.json())["error"] == "write_failed"
    assert len(dose_records(hass, profile)) == 1

    # The retry logs what is missing and nothing twice.
    monkeypatch.setattr(PartitionedHistory, "async_put", put)
    answer = await post_json(client, profile, MEDICATIONS)
    assert (answer["doses_logged"], answer["doses_already_logged"]) == (1, 1)
    assert len(dose_records(hass, profile)) == 2


@pytest.mark.parametrize(
    ("where", "status", "reason"),
    [
        pytest.param("parse_export", HTTPStatus.BAD_REQUEST, "not_understood", id="parsing"),
        pytest.param(
            "_async_log_intake", HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", id="logging"
        ),
    ],
)
@pytest.mark.freeze_time(EVENING)
async def test_an_unexpected_error_is_answered_with_its_reason(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
    hass_storage: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    where: str,
    status: HTTPStatus,
    reason: str,
) -> None:
    """A bug is not an empty 200 (what Home Assistant answers a handler's exception with)."""

    def bug(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(apple_health, where, bug)
    before = files(hass, profile), states(hass)

    response = await post(client, profile, MEDICATIONS)

    assert response.status == status
    answer = await response.json()
    assert answer["error"] == reason
    assert "Home Assistant log" in answer["message"]
    assert "RuntimeError: a bug" in caplog.text
    assert (files(hass, profile), states(hass)) == before


# --------------------------------------------------------------------------- at the same time


async def reloaded(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Reload the profile from disk; it must come back."""
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.freeze_time(EVENING)
async def test_the_same_export_twice_at_once_logs_each_intake_once(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
    hass_storage: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    held_write: HeldWrite,
) -> None:
    """Both requests ask "imported already?" while the other writes: one logs, one skips.

    Both used to pass the check, both doses were journaled, and the duplicate
    external id kept the profile from loading again.
    """
    parse, parsed = apple_health.parse_export, 0

    def parse_then_release_once_both_are_read(*args: Any, **kwargs: Any) -> Any:
        nonlocal parsed
        parsed += 1
        if parsed == 2:  # the second request goes on to its check before the write resumes
            held_write.release.set()
        return parse(*args, **kwargs)

    monkeypatch.setattr(apple_health, "parse_export", parse_then_release_once_both_are_read)
    held_write.hold_next()
    events = async_capture_events(hass, f"{DOMAIN}_dose_logged")

    first, second = await asyncio.gather(
        post(client, profile, MEDICATIONS), post(client, profile, MEDICATIONS)
    )

    answers = [await first.json(), await second.json()]
    assert [first.status, second.status] == [HTTPStatus.OK, HTTPStatus.OK], answers
    assert sorted((a["doses_logged"], a["doses_already_logged"]) for a in answers) == [
        (0, 2),
        (2, 0),
    ]
    assert len(events) == 2
    assert len(dose_records(hass, profile)) == 2
    await reloaded(hass, profile)
    assert len(profile.runtime_data.doses.log) == 2


@pytest.mark.freeze_time(MORNING)
async def test_a_night_changed_while_an_export_is_written_is_saved_as_changed(
    hass: HomeAssistant, profile: MockConfigEntry, client: Client, held_write: HeldWrite
) -> None:
    """A night logged by hand while an export writes two nights is not lost on restart.

    The export used to write the nights it had assembled before its first wait, so its
    copy of the second night, older than the one logged meanwhile, was written last.
    """
    two_nights = copy.deepcopy(AGGREGATED)
    two_nights["data"]["metrics"][1]["data"] = [
        {
            **NIGHT_ENTRY,
            "date": "2026-11-21 00:00:00 +0100",
            "sleepStart": "2026-11-20 23:05:00 +0100",
            "sleepEnd": "2026-11-21 06:50:00 +0100",
            "inBedStart": "2026-11-20 22:40:00 +0100",
            "inBedEnd": "2026-11-21 07:10:00 +0100",
        },
        NIGHT_ENTRY,
    ]
    manual = {"bedtime": "2026-11-21 23:10:00", "wake_time": "2026-11-22 07:05:00"}
    held_write.hold_next()

    export = hass.async_create_task(post_json(client, profile, two_nights))
    await held_write.writing.wait()  # the export has assembled both nights, writes the first
    # Runs eagerly up to its first wait: its own write, or its turn after the export.
    logged = hass.async_create_task(
        hass.services.async_call(DOMAIN, "log_sleep", manual, blocking=True)
    )
    held_write.release.set()
    answer, _ = await asyncio.gather(export, logged)

    assert answer["nights_updated"] == ["2026-11-20", NIGHT]
    nights = [night.to_dict() for night in profile.runtime_data.sleep.assembler.nights()]
    assert nights[1]["values"]["bedtime"] == "2026-11-21T22:10:00+00:00"  # typed in
    await reloaded(hass, profile)
    assert [night.to_dict() for night in profile.runtime_data.sleep.assembler.nights()] == nights


# --------------------------------------------------------------------------- the webhook


async def test_only_post_is_handled(
    hass: HomeAssistant, profile: MockConfigEntry, client: Client
) -> None:
    """GET and PUT are not allowed; HEAD answers so apps can check the URL exists."""
    for method, status in (("GET", 405), ("PUT", 405), ("HEAD", 200)):
        response = await post(client, profile, b"", method=method)
        assert response.status == status, method


async def _webhooks(hass_ws_client: WebSocketGenerator) -> dict[str, dict[str, Any]]:
    """Registered webhooks as Home Assistant lists them (webhook/list)."""
    ws = await hass_ws_client()
    await ws.send_json_auto_id({"type": "webhook/list"})
    message = await ws.receive_json()
    assert message["success"]
    return {hook["webhook_id"]: hook for hook in message["result"]}


@pytest.mark.freeze_time(MORNING)
async def test_local_only_by_default(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """From the internet the export is ignored (Home Assistant answers 200, nothing else)."""
    hook = (await _webhooks(hass_ws_client))[profile.data["webhook_id"]]
    assert hook == {
        "webhook_id": profile.data["webhook_id"],
        "domain": DOMAIN,
        "name": "Magnesium & Sleep: Anna",
        "local_only": True,
        "allowed_methods": ["POST"],
    }
    before = files(hass, profile), states(hass)

    response = await post(client, profile, AGGREGATED, remote=INTERNET)

    assert response.status == HTTPStatus.OK
    assert await response.read() == b""
    assert (files(hass, profile), states(hass)) == before

    answer = await post_json(client, profile, AGGREGATED, remote=LAN)
    assert answer["nights_updated"] == [NIGHT]


async def _apple_health_step(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert "apple_health" in result["menu_options"]
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "apple_health"}
    )


def _suggested(result: Any, key: str) -> Any:
    for field in result["data_schema"].schema:
        if field == key:
            return field.description and field.description.get("suggested_value")
    raise KeyError(key)


@pytest.mark.freeze_time(MORNING)
async def test_options_step_shows_the_url_and_opens_the_webhook(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The step shows the URL to paste into the app; turning local_only off reloads."""
    webhook_id = profile.data["webhook_id"]
    await hass.config.async_update(external_url="https://anna.example.com")
    runtime = profile.runtime_data

    result = await _apple_health_step(hass, profile)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "apple_health"
    # In a read-only field: copyable, and no link that would send a GET to the webhook.
    url_field = next(key for key in result["data_schema"].schema if key == "webhook_url")
    assert result["data_schema"].schema[url_field].config["read_only"] is True
    assert _suggested(result, "webhook_url") == (
        f"https://anna.example.com/api/webhook/{webhook_id}"
    )
    assert _suggested(result, "webhook_local_only") is True

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"webhook_url": "edited", "webhook_local_only": False}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert profile.options == {**PROFILE_OPTIONS, "webhook_local_only": False}
    assert profile.state is ConfigEntryState.LOADED
    assert profile.runtime_data is not runtime  # reloaded
    assert (await _webhooks(hass_ws_client))[webhook_id]["local_only"] is False

    answer = await post_json(client, profile, AGGREGATED, remote=INTERNET)
    assert answer["nights_updated"] == [NIGHT]

    # And back: the form remembers, and the internet is shut out again.
    result = await _apple_health_step(hass, profile)
    assert _suggested(result, "webhook_local_only") is False
    await hass.config_entries.options.async_configure(
        result["flow_id"], {"webhook_local_only": True}
    )
    await hass.async_block_till_done()
    assert (await _webhooks(hass_ws_client))[webhook_id]["local_only"] is True
    response = await post(client, profile, MEDICATIONS, remote=INTERNET)
    assert await response.read() == b""


async def test_options_step_without_a_url(hass: HomeAssistant, profile: MockConfigEntry) -> None:
    """Without any URL configured the path is shown, with a note on what a phone needs."""
    await hass.config.async_update(internal_url=None, external_url=None)
    hass.config.api = None
    result = await _apple_health_step(hass, profile)
    assert result["step_id"] == "apple_health_unreachable"
    assert _suggested(result, "webhook_url") == f"/api/webhook/{profile.data['webhook_id']}"


async def test_options_step_with_only_a_loopback_url(
    hass: HomeAssistant, profile: MockConfigEntry
) -> None:
    """127.0.0.1 is this machine to a phone: the step says so, and still saves."""
    await hass.config.async_update(internal_url="http://127.0.0.1:8123", external_url=None)
    result = await _apple_health_step(hass, profile)
    assert result["step_id"] == "apple_health_unreachable"
    assert _suggested(result, "webhook_url").startswith("http://127.0.0.1:8123/api/webhook/")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"webhook_local_only": True}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert profile.options == {**PROFILE_OPTIONS, "webhook_local_only": True}


@pytest.mark.freeze_time(MORNING)
async def test_unload_unregisters_and_reload_registers_again(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """An unloaded profile takes nothing in; loaded again, it answers on the same URL."""
    webhook_id = profile.data["webhook_id"]
    assert await hass.config_entries.async_unload(profile.entry_id)
    await hass.async_block_till_done()
    assert webhook_id not in await _webhooks(hass_ws_client)
    before = files(hass, profile)

    # Home Assistant answers 200 for unknown webhooks, so as not to tell they exist.
    response = await post(client, profile, AGGREGATED)
    assert response.status == HTTPStatus.OK
    assert await response.read() == b""
    assert files(hass, profile) == before

    assert await hass.config_entries.async_setup(profile.entry_id)
    await hass.async_block_till_done()
    answer = await post_json(client, profile, AGGREGATED)
    assert answer["nights_updated"] == [NIGHT]
    assert await hass.config_entries.async_reload(profile.entry_id)
    await hass.async_block_till_done()
    answer = await post_json(client, profile, AGGREGATED)
    assert answer["nights_updated"] == []  # stored nights came back with the reload


@pytest.mark.freeze_time(MORNING)
async def test_each_profile_has_its_own_webhook(
    hass: HomeAssistant,
    profile: MockConfigEntry,
    client: Client,
) -> None:
    """Bo's export goes to Bo's nights only."""
    bo = MockConfigEntry(
        domain=DOMAIN,
        title="Bo",
        data={CONF_NAME: "Bo", "webhook_id": "bo" * 32},
        options=dict(PROFILE_OPTIONS),
        version=1,
        minor_version=2,
    )
    bo.add_to_hass(hass)
    assert await hass.config_entries.async_setup(bo.entry_id)
    await hass.async_block_till_done()
    anna_before = files(hass, profile), states(hass)

    answer = await post_json(client, bo, AGGREGATED)

    assert answer["nights_updated"] == [NIGHT]
    assert 60 * float(state(hass, "sensor.bo_sleep_duration")) == pytest.approx(435.0)
    assert NIGHT in night_file(hass, bo)
    assert (files(hass, profile), states(hass)) == anna_before
