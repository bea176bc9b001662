"""Bad input from outside: answered with a reason (a 4xx), and nothing of it is stored.

The real actions and the real webhook, through Home Assistant, with chosen cases and
with whatever hypothesis makes up.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from http import HTTPStatus
import json
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.webhook import async_generate_path
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
from hypothesis import HealthCheck, example, given, settings, strategies as st
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.magnesium_sleep.const import CONF_WEBHOOK_ID, DOMAIN
from custom_components.magnesium_sleep.domain.doses import Dose
from custom_components.magnesium_sleep.domain.sleep.night import Night

from .conftest import Client, ClientFactory, durable

OUT_OF_RANGE = "is outside the years 1900 to 2999 that this integration accepts"


@pytest.fixture
async def api(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientFactory,
    quiet_access_log: None,
) -> Client:
    """A client of the REST API, logged in as an administrator."""
    assert await async_setup_component(hass, "api", {})
    return await hass_client()


def stored(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """The profile's doses and nights as a restart would read them."""
    return {kind: durable(hass, entry, kind) for kind in ("doses", "nights")}


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        pytest.param("log_dose", {"amount": 100, "taken_at": "0001-01-01T00:00:00"}, "taken_at"),
        pytest.param(
            "log_dose", {"amount": 100, "taken_at": "0001-01-01T00:10:00+14:00"}, "taken_at"
        ),
        pytest.param(
            "log_dose", {"amount": 100, "taken_at": "9999-12-31T23:59:59.999999+00:00"}, "taken_at"
        ),
        pytest.param("get_doses", {"end": "9999-12-31T23:59:59.999999+00:00"}, "end"),
        pytest.param("get_doses", {"end": "0001-01-02T00:00:00+00:00"}, "end"),
        pytest.param("get_doses", {"start": "0001-01-01T00:10:00+14:00"}, "start"),
        pytest.param(
            "log_sleep",
            {"bedtime": "0001-01-01T00:10:00+14:00", "wake_time": "0001-01-01T07:00:00+14:00"},
            "bedtime",
        ),
        pytest.param(
            "log_sleep",
            {"bedtime": "2026-11-21T23:00:00", "wake_time": "9999-12-31T23:59:59.999999+00:00"},
            "wake_time",
        ),
    ],
)
async def test_extreme_dates_are_a_400(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    api: Client,
    hass_storage: dict[str, Any],
    action: str,
    data: dict[str, Any],
    field: str,
) -> None:
    """Years 1 and 9999 used to overflow (a 500); now the message names the field."""
    await hass.services.async_call(
        DOMAIN, "log_dose", {"amount": 100, "form": "elemental"}, blocking=True
    )
    before = stored(hass, init_integration)

    response = await api.post(f"/api/services/{DOMAIN}/{action}?return_response", json=data)

    assert response.status == HTTPStatus.BAD_REQUEST, await response.text()
    message = (await response.json())["message"]
    assert message.startswith(f"The date of {field} (")
    assert OUT_OF_RANGE in message
    assert stored(hass, init_integration) == before


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("log_dose", {"amount": 10**400}),
        ("log_dose", {"servings": -(10**400)}),
        ("log_dose", {"amount": True}),
        (
            "log_sleep",
            {"bedtime": "2026-11-20 23:00", "wake_time": "2026-11-21 07:00", "latency": 10**400},
        ),
        (
            "log_sleep",
            {"bedtime": "2026-11-20 23:00", "wake_time": "2026-11-21 07:00", "awakenings": 10**400},
        ),
        (
            "log_sleep",
            {"bedtime": "2026-11-20 23:00", "wake_time": "2026-11-21 07:00", "rating": "inf"},
        ),
    ],
)
async def test_numbers_too_big_for_a_float_are_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    action: str,
    data: dict[str, Any],
) -> None:
    """Also once the schema is compiled (after 50 calls): probatio's compiled
    Coerce(float) let the OverflowError out, which Home Assistant answers with a 500."""
    before = stored(hass, init_integration)
    for _ in range(60):
        with pytest.raises(probatio.Invalid, match=r"expected a (whole )?number"):
            await hass.services.async_call(DOMAIN, action, data, blocking=True)
    assert stored(hass, init_integration) == before


# --------------------------------------------------------------------------- fuzzing
#
# Inputs are mostly plausible, so the checks after the schema's and the writes are
# reached, with up to two fields made wild (any date Python can hold, with any offset;
# huge, tiny, NaN or infinite numbers, numbers as text) or junk (wrong types, nesting),
# up to two left out, now and then a key nobody knows; and sometimes junk altogether.

ACTION_NOW = datetime(2026, 11, 21, 21, 15, tzinfo=UTC)  # conftest's DEFAULT_NOW
EXPORT_NOW = "2026-11-22 08:00:00+00:00"  # Sunday 09:00 in Amsterdam
HOME = ZoneInfo("Europe/Amsterdam")
CET = timezone(timedelta(hours=1))

_MINUTES_OF_OFFSET = st.integers(-(24 * 60 - 1), 24 * 60 - 1)
_ANY_TIME = st.one_of(
    st.datetimes(),  # naive: Home Assistant's local time
    st.builds(
        lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
        st.datetimes(),
        _MINUTES_OF_OFFSET,
    ),
)
_NUMBERS = st.one_of(
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.floats(),
    st.sampled_from([0, -1, 1e308, 5e-324]),
)
_TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["NaN", "inf", "-inf", "1e400", "", " "]),
    _NUMBERS.map(str),
)
_JUNK = st.recursive(
    st.one_of(st.none(), st.booleans(), _NUMBERS, _TEXT),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def _spoilt(
    plausible: st.SearchStrategy[dict[str, Any]], wild: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """A plausible dict with up to two fields wild or junk and up to two left out."""
    keys = [*wild, "unknown"]
    changes = st.lists(st.sampled_from(keys), max_size=2, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries(
            {key: st.one_of(wild.get(key, _JUNK), _JUNK) for key in chosen}
        )
    )
    return st.builds(
        lambda base, changed, dropped: {
            key: value for key, value in {**base, **changed}.items() if key not in dropped
        },
        plausible,
        changes,
        st.sets(st.sampled_from(keys), max_size=2),
    )


def _as_typed(moment: datetime) -> str:
    """How a person or an automation writes a time: local without a zone, or with one."""
    return moment.astimezone(HOME).replace(tzinfo=None).isoformat(sep=" ")


def _hae(moment: datetime) -> str:
    """Health Auto Export's format; four-digit years whatever strftime does."""
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("-", -minutes) if minutes < 0 else ("+", minutes)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} "
        f"{sign}{minutes // 60:02d}{minutes % 60:02d}"
    )


_RECENT = st.integers(0, 10 * 24 * 60).map(lambda minutes: ACTION_NOW - timedelta(minutes=minutes))
_WHEN = st.one_of(_RECENT.map(_as_typed), _RECENT.map(datetime.isoformat))
_WILD_WHEN = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00",
            "0001-01-01T00:10:00+14:00",
            "9999-12-31T23:59:59.999999+00:00",
            "9999-12-31T23:59:59.999999-14:00",
        ]
    ),
    _ANY_TIME.map(datetime.isoformat),
    _TEXT,
)
_WILD_NUMBER = st.one_of(_NUMBERS, _TEXT)


def _night_typed_in(days_back: int, bed_minutes: int, hours_in_bed: float) -> dict[str, Any]:
    bedtime = datetime(2026, 11, 20, 21, 0, tzinfo=HOME) - timedelta(days=days_back)
    bedtime += timedelta(minutes=bed_minutes)
    wake_time = bedtime + timedelta(hours=hours_in_bed)
    return {"bedtime": _as_typed(bedtime), "wake_time": _as_typed(wake_time)}


ACTIONS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "log_dose": _spoilt(
        st.one_of(
            st.fixed_dictionaries(
                {"amount": st.floats(1, 2500)},
                optional={
                    "unit": st.sampled_from(["mg", "g", "mmol", "mEq"]),
                    "form": st.sampled_from(["glycinate", "oxide", "elemental", "citrate"]),
                    "taken_at": _WHEN,
                    "note": st.text(max_size=30),
                },
            ),
            st.fixed_dictionaries(
                {"servings": st.floats(0.5, 6)},
                optional={"taken_at": _WHEN, "note": st.text(max_size=30)},
            ),
        ),
        {
            "amount": _WILD_NUMBER,
            "servings": _WILD_NUMBER,
            "unit": _TEXT,
            "form": _TEXT,
            "taken_at": _WILD_WHEN,
            "note": st.text(min_size=490, max_size=510),
            "config_entry_id": _TEXT,
        },
    ),
    "remove_dose": _spoilt(st.just({}), {"dose_id": _TEXT, "config_entry_id": _TEXT}),
    "get_doses": _spoilt(
        st.fixed_dictionaries({}, optional={"start": _WHEN, "end": _WHEN}),
        {"start": _WILD_WHEN, "end": _WILD_WHEN},
    ),
    "log_sleep": _spoilt(
        st.builds(
            lambda night, extra: {**night, **extra},
            st.builds(_night_typed_in, st.integers(0, 6), st.integers(0, 300), st.floats(3, 12)),
            st.fixed_dictionaries(
                {},
                optional={
                    "latency": st.integers(0, 90),
                    "awakenings": st.integers(0, 8),
                    "rating": st.integers(1, 5),
                },
            ),
        ),
        {
            "bedtime": _WILD_WHEN,
            "wake_time": _WILD_WHEN,
            "night": st.one_of(_ANY_TIME.map(lambda moment: moment.date().isoformat()), _TEXT),
            "latency": _WILD_NUMBER,
            "awakenings": _WILD_NUMBER,
            "rating": _WILD_NUMBER,
        },
    ),
}

_WILD_HAE = st.one_of(
    st.sampled_from(["0001-01-01 00:10:00 +1400", "9999-12-31 23:59:59 -1000"]),
    st.builds(
        lambda moment, minutes: _hae(moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))),
        st.datetimes(),
        _MINUTES_OF_OFFSET,
    ),
    _TEXT,
)


def _aggregated(
    days_back: int, bed_minutes: int, latency: int, asleep: int, awake: int, out: int
) -> dict[str, Any]:
    """One night as Health Auto Export aggregates it; minutes in, hours out."""
    in_bed = datetime(2026, 11, 21, 21, 0, tzinfo=CET) - timedelta(days=days_back)
    in_bed += timedelta(minutes=bed_minutes)
    sleep_start = in_bed + timedelta(minutes=latency)
    sleep_end = sleep_start + timedelta(minutes=asleep + awake)
    out_of_bed = sleep_end + timedelta(minutes=out)
    return {
        "date": _hae(out_of_bed.replace(hour=0, minute=0, second=0)),
        "totalSleep": asleep / 60,
        "core": asleep * 0.55 / 60,
        "deep": asleep * 0.2 / 60,
        "rem": asleep * 0.25 / 60,
        "asleep": 0,
        "awake": awake / 60,
        "inBed": (out_of_bed - in_bed).total_seconds() / 3600,
        "sleepStart": _hae(sleep_start),
        "sleepEnd": _hae(sleep_end),
        "inBedStart": _hae(in_bed),
        "inBedEnd": _hae(out_of_bed),
        "source": "Apple Watch",
    }


def _samples(days_back: int, stages: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """One night as samples: in bed throughout, then one stage after the other."""
    start = datetime(2026, 11, 21, 22, 30, tzinfo=CET) - timedelta(days=days_back)
    samples: list[dict[str, Any]] = []
    at = start
    for value, minutes in stages:
        samples.append(
            {
                "startDate": _hae(at),
                "endDate": _hae(at + timedelta(minutes=minutes)),
                "value": value,
            }
        )
        at += timedelta(minutes=minutes)
    return [{"startDate": _hae(start), "endDate": _hae(at), "value": "In Bed"}, *samples]


_NUMBER_KEYS = ("totalSleep", "asleep", "core", "deep", "rem", "awake", "inBed")
_TIME_KEYS = ("date", "sleepStart", "sleepEnd", "inBedStart", "inBedEnd")
_AGGREGATED = _spoilt(
    st.builds(
        _aggregated,
        st.integers(0, 6),
        st.integers(0, 240),
        st.integers(0, 60),
        st.integers(60, 600),
        st.integers(0, 90),
        st.integers(0, 60),
    ),
    {
        **dict.fromkeys(_NUMBER_KEYS, _WILD_NUMBER),
        **dict.fromkeys(_TIME_KEYS, _WILD_HAE),
        "source": _JUNK,
    },
)
_SAMPLES = st.builds(
    _samples,
    st.integers(0, 6),
    st.lists(
        st.tuples(st.sampled_from(["Core", "Deep", "REM", "Awake", "Asleep"]), st.integers(1, 150)),
        min_size=1,
        max_size=8,
    ),
).flatmap(
    lambda samples: st.tuples(
        *(
            _spoilt(st.just(sample), {"startDate": _WILD_HAE, "endDate": _WILD_HAE, "value": _TEXT})
            for sample in samples
        )
    ).map(list)
)
_MEDICATION = _spoilt(
    st.fixed_dictionaries(
        {
            "displayText": st.sampled_from(
                ["Magnesium glycinate 400 mg", "Magnésium", "Ibuprofen"]
            ),
            "status": st.just("Taken"),
            "date": st.integers(0, 3 * 24 * 60).map(
                lambda minutes: _hae(
                    datetime(2026, 11, 22, 9, 0, tzinfo=CET) - timedelta(minutes=minutes)
                )
            ),
            "dosage": st.sampled_from(["400 mg", "0,4 g", "10 mmol", 1, 2, "1 capsule"]),
        },
        optional={"nickname": st.sampled_from(["Evening magnesium", ""])},
    ),
    {
        "displayText": _TEXT,
        "nickname": _JUNK,
        "status": _TEXT,
        "date": _WILD_HAE,
        "scheduledDate": _WILD_HAE,
        "dosage": st.one_of(_WILD_NUMBER, st.just("9" * 400 + " mg")),
        "codings": _JUNK,
    },
)
_EXPORT = _spoilt(
    st.builds(
        lambda nights, samples, medications: {
            "metrics": [{"name": "sleep_analysis", "units": "hr", "data": nights + samples}],
            "medications": medications,
        },
        st.lists(_AGGREGATED, min_size=1, max_size=3),
        st.one_of(st.just([]), _SAMPLES),
        st.lists(_MEDICATION, min_size=1, max_size=3),
    ),
    {"metrics": _JUNK, "medications": _JUNK},
).map(lambda data: {"data": data})
_FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Hypothesis seeds the random numbers of every example alike: on a clock that stands
# still, two examples would make the same dose ID.
ONE_EXAMPLE = timedelta(milliseconds=1)


def everything(
    hass: HomeAssistant, entry: MockConfigEntry
) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """What is on disk and in memory; every record on disk must load."""
    on_disk = stored(hass, entry)
    for kind, restore in (("doses", Dose.from_dict), ("nights", Night.from_dict)):
        for records in on_disk[kind].values():
            for record in records.values():
                restore(record)
    runtime = entry.runtime_data
    nights = [night.to_dict() for night in runtime.sleep.assembler.nights()]
    return on_disk, list(runtime.doses.log), nights


@pytest.mark.parametrize("action", ACTIONS)
@_FUZZ
@given(data=st.data())
async def test_any_action_input_is_answered_or_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    action: str,
    data: st.DataObject,
) -> None:
    """Whatever the fields, an action answers or refuses with a reason, and a refusal
    changes nothing."""
    freezer.tick(ONE_EXAMPLE)
    if not init_integration.runtime_data.doses:  # something to find and remove
        await hass.services.async_call(DOMAIN, "log_dose", {"servings": 1}, blocking=True)
    fields = data.draw(ACTIONS[action], label="fields")
    before = everything(hass, init_integration)
    try:
        await hass.services.async_call(DOMAIN, action, fields, blocking=True, return_response=True)
    except ServiceValidationError, probatio.Invalid:
        assert everything(hass, init_integration) == before
    else:
        everything(hass, init_integration)


def _export(**data: Any) -> dict[str, Any]:
    return {"data": data}


_MAGNESIUM = {"displayText": "Magnesium", "status": "Taken"}


@pytest.mark.freeze_time(EXPORT_NOW)
@_FUZZ
@given(body=st.one_of(_EXPORT, _EXPORT, _EXPORT, _JUNK))  # three in four look like exports
# The bodies that overflowed; hypothesis may find them too, but not in a few dozen tries.
@example(_export(medications=[{**_MAGNESIUM, "date": "9999-12-31 23:59:59 -1000"}]))
@example(_export(medications=[{**_MAGNESIUM, "scheduledDate": "0001-01-01 00:10:00 +1400"}]))
@example(
    _export(
        metrics=[
            {
                "name": "sleep_analysis",
                "data": [
                    {
                        "startDate": "0001-01-01 00:10:00 +1400",
                        "endDate": "0001-01-01 06:00:00 +1400",
                        "value": "Core",
                    },
                    {
                        "totalSleep": 7,
                        "sleepStart": "9999-12-31 20:00:00 -1000",
                        "sleepEnd": "9999-12-31 23:59:59 -1000",
                    },
                ],
            }
        ]
    )
)
async def test_any_export_is_answered_or_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    client: Client,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    body: Any,
) -> None:
    """Whatever the body, the webhook answers 200 or a 4xx with a reason, never a 5xx,
    and a refused body changes nothing."""
    freezer.tick(ONE_EXAMPLE)
    before = everything(hass, init_integration)
    response = await client.post(
        async_generate_path(init_integration.data[CONF_WEBHOOK_ID]),
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    answer = await response.json()
    assert isinstance(answer, dict), response.status  # not the webhook component's empty 200
    if response.status == HTTPStatus.OK:
        assert "nights_updated" in answer
        everything(hass, init_integration)
        return
    assert HTTPStatus.BAD_REQUEST <= response.status < HTTPStatus.INTERNAL_SERVER_ERROR, answer
    assert answer["error"]
    assert answer["message"]
    assert everything(hass, init_integration) == before
