"""Benchmark magnesium_sleep on a real Home Assistant next to its peers (a measurement, not a test).

    scripts/bench [--calls N] [--warmup N] [--years N] [--peer-repo PATH]... [--cprofile N]

One run builds a real Home Assistant in a temporary config directory: real `.storage`
files, the recorder on SQLite in that directory, HA's detection of blocking calls in the
event loop on (as `hass` runs it), the HTTP server on a free loopback port (the webhook
dependency needs it), and the integration symlinked into `custom_components/`. Nothing is
installed or downloaded (`skip_pip`).

1. A first instance creates the "Decade" profile through the real config flow and picks
   its sleep sources through the real options flow (step `sleep_sources`): a summary
   source `sensor.bench_total_sleep` (duration, min) and an in-bed source
   `binary_sensor.bench_in_bed`; then it stops.
2. While no instance runs, ten years of Decade's history are written as the integration
   stores them: doses (3 a day, until yesterday) and nights (one a night, up to three
   nights ago; each assembled by the domain from an in-bed interval and a total sleep,
   so it carries what a stored night carries: values, provenance, transitions).
3. A second instance, with the recorder, writes the sources' states, sets the
   integration up (timed: Decade with all that history), creates an empty profile and
   sets up the peers. Then, in interleaved rounds so that disk or CPU noise hits every
   row alike, it times one call of each row:
     - `log_dose` on the empty profile, on Decade as the first dose of the day and as a
       later one (each undone afterwards with `remove_dose`, untimed);
     - a new value of Decade's summary source, and an in-bed toggle (a timed role), from
       `hass.states.async_set` until `hass.async_block_till_done()` returns; what counts
       is the event-loop CPU (the in-bed row takes part in the first 60 rounds only:
       every toggle adds a transition to the same night, the night before last);
     - each peer's "I took it" action, undone afterwards: calebgab/medication_tracker
       `mark_taken` (`reset_today`), magikh0e/ha-medication-reminder `mark_given`
       (`switch.turn_off`), each set up through its own config and options flows, and
       the helper chain people build without an integration: a script that adds 100 to
       an `input_number` and writes a `logbook.log` entry (the input_number set back);
     - for reference: `async_set` of an entity nobody follows plus
       `async_block_till_done`, and one small `Store.async_save`.
   Before the rounds, one call of each row is followed at once by a look at the disk:
   "on disk" says whether the call's data was there when the call returned (durable).
   A bare `hass.states.async_set` is timed for reference too.
4. A pass in asyncio debug mode counts loop steps slower than --slow-ms, and calls that
   used that much event-loop CPU. The verdict on each target closes the output.

`--peer-repo` (repeatable) takes a git directory (bare or not) or a work tree of a peer;
the peer is recognised by the integration it holds (`custom_components/<domain>`), which
is copied into the temporary config directory only.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
import cProfile
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
import importlib
import io
import itertools
import json
import logging
import os
from pathlib import Path
import platform
import pstats
import shutil
import socket
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from time import perf_counter_ns, thread_time_ns
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant import block_async_io, bootstrap, loader, runner
from homeassistant.components.recorder import get_instance
from homeassistant.config_entries import ConfigEntries, ConfigEntry, ConfigEntryState
from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, recorder as recorder_helper
from homeassistant.helpers.storage import Store
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.ulid import ulid_at_time

REPO = Path(__file__).resolve().parent.parent
DOMAIN = "magnesium_sleep"
TIME_ZONE = "Europe/Amsterdam"
CORE_CONFIG: dict[str, Any] = {
    "name": "bench",
    "latitude": 52.37,
    "longitude": 4.89,
    "elevation": 0,
    "unit_system": "metric",
    "time_zone": TIME_ZONE,
    "country": "NL",
    "currency": "EUR",
    "language": "en",
}
DOSES_PER_DAY = (time(8), time(13), time(21))

# The targets (the project's issue).
TARGET_LOG_DOSE_MS = 0.5  # durable log_dose, median
TARGET_PEER_FRACTION = 3  # ... and at most a third of the best durable peer's median
EQUAL_RELATIVE, EQUAL_ABSOLUTE_MS = 0.10, 0.05  # "equal cost": 10-year within this of empty
TARGET_SETUP_MS = 50.0  # setup of the 10-year profile, doses and nights
TARGET_SOURCE_CPU_MS = 0.1  # event-loop CPU of one sleep-source state change, median

# Decade's sleep sources (plain states, as a template or MQTT sensor without a unique id).
TOTAL_SLEEP_SOURCE = "sensor.bench_total_sleep"
TOTAL_SLEEP_ATTRIBUTES = {
    "device_class": "duration",
    "unit_of_measurement": "min",
    "state_class": "measurement",
    "friendly_name": "Bench total sleep",
}
IN_BED_SOURCE = "binary_sensor.bench_in_bed"
IN_BED_ATTRIBUTES = {"device_class": "occupancy", "friendly_name": "Bench in bed"}
UNFOLLOWED = "sensor.bench_unfollowed"
IN_BED_ROUNDS, IN_BED_WARMUP = 60, 10  # a restless night, not 300 toggles in one night

TRACKER, REMINDER = "medication_tracker", "medication_reminder"
PEER_DOMAINS = (TRACKER, REMINDER)
HELPER_SCRIPT = "log_magnesium"
HELPER_NUMBER = "input_number.magnesium_today"

_LOGGER = logging.getLogger("bench")

type Call = Callable[[], Awaitable[Any]]
type Undo = Callable[[Any], Awaitable[Any]]
type Probe = Callable[[Any], Awaitable[bool]]


@dataclass
class Scenario:
    """One row: a call to time, with untimed steps around it."""

    label: str
    call: Call
    kind: str = "ours"  # "ours", "peer" or "reference"
    before: Call | None = None  # untimed, each round, before the call
    undo: Undo | None = None  # untimed, gets the call's result
    on_disk: Probe | None = None  # right after one call: is its data on disk?
    storage: str = ""  # how the row's data reaches the disk, for the reader
    rounds: int | None = None  # takes part in the first `rounds` rounds only
    warmup: int | None = None  # untimed rounds of its own (default: the run's)
    durable: bool | None = None  # what `on_disk` found (None: not looked at)
    slow_steps: int = 0  # asyncio debug pass: slow loop steps during a call and its aftermath
    wall: list[int] = field(default_factory=list)  # ns
    loop_cpu: list[int] = field(default_factory=list)  # ns of event-loop-thread CPU

    def median(self) -> float:
        """Median wall time, ms."""
        return quantile(sorted(self.wall), 0.5)

    def cpu_median(self) -> float:
        """Median event-loop CPU, ms."""
        return quantile(sorted(self.loop_cpu), 0.5)


# ------------------------------------------------------------------ a real Home Assistant


async def start_hass(config_dir: Path, *, recorder: bool) -> HomeAssistant:
    """A Home Assistant on `config_dir`, built the way bootstrap does, with few integrations."""
    hass = HomeAssistant(str(config_dir))
    hass.config.skip_pip = True
    hass.config.skip_pip_packages = []
    loader.async_setup(hass)
    config: dict[str, Any] = {
        "homeassistant": CORE_CONFIG,
        # the webhook (a dependency) needs the HTTP server: loopback, a free port
        "http": {"server_host": ["127.0.0.1"], "server_port": free_local_port()},
    }
    if recorder:
        config["recorder"] = {"db_url": f"sqlite:///{config_dir / 'home-assistant_v2.db'}"}
    hass.config_entries = ConfigEntries(hass, config)
    await loader.async_get_custom_components(hass)
    if not await bootstrap.async_load_base_functionality(hass):
        raise RuntimeError("Home Assistant's registries did not load")
    await async_process_ha_core_config(hass, dict(CORE_CONFIG))
    if recorder:
        recorder_helper.async_initialize_recorder(hass)
    for domain in ("homeassistant", "persistent_notification", "http", *["recorder"] * recorder):
        if not await async_setup_component(hass, domain, config):
            raise RuntimeError(f"{domain} did not set up")
    await hass.async_start()
    if recorder:
        await get_instance(hass).async_db_ready
    return hass


def free_local_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def run_in_fresh_loop[T](main: Callable[[], Awaitable[T]]) -> T:
    """Run `main` in an event loop configured like Home Assistant's runner does it.

    Each instance gets its own loop: a stopped instance leaves its loop unusable.
    """
    loop = runner.create_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(main())
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        asyncio.set_event_loop(None)
        loop.close()


async def create_profile(hass: HomeAssistant, name: str) -> str:
    """Create a profile through the integration's config flow; return its entry id."""
    flow = hass.config_entries.flow
    result = await flow.async_init(DOMAIN, context={"source": "user"})
    result = await flow.async_configure(
        result["flow_id"], {"name": name, "age_band": "31_50", "sex": "female", "region": "us"}
    )
    result = await flow.async_configure(
        result["flow_id"],
        {
            "product_form": "glycinate",
            "product_amount_mg": 500,
            "product_basis": "compound",
            "target_mg": 320,
        },
    )
    if result["type"] is not FlowResultType.CREATE_ENTRY:
        raise RuntimeError(f"config flow did not create the profile: {result}")
    await hass.async_block_till_done()
    entry = result["result"]
    if entry.state is not ConfigEntryState.LOADED:
        raise RuntimeError(f"profile {name} is {entry.state}")
    return str(entry.entry_id)


async def pick_sleep_sources(hass: HomeAssistant, entry_id: str) -> None:
    """Pick the profile's sleep sources through the options flow (step `sleep_sources`)."""
    options = hass.config_entries.options
    result = await options.async_init(entry_id)
    result = await options.async_configure(result["flow_id"], {"next_step_id": "sleep_sources"})
    result = await options.async_configure(
        result["flow_id"],
        {
            "presence": {"in_bed": IN_BED_SOURCE, "asleep_threshold": 80},
            "night": {"total_sleep": TOTAL_SLEEP_SOURCE},
            "stages": {},
            "heart": {},
            "sleep_as_android": {},
            "night_window": {"night_starts": "18:00", "night_ends": "12:00"},
        },
    )
    if result["type"] is not FlowResultType.CREATE_ENTRY:
        raise RuntimeError(f"options flow did not save the sleep sources: {result}")
    await hass.async_block_till_done()


# ------------------------------------------------------------------ ten years of history


def sleep_domain() -> SimpleNamespace:
    """The sleep domain names the bench builds nights with: adapt here when they move."""
    package = f"custom_components.{DOMAIN}.domain.sleep"
    assembler = importlib.import_module(f"{package}.assembler")
    night = importlib.import_module(f"{package}.night")
    signals = importlib.import_module(f"{package}.signals")
    window = importlib.import_module(f"{package}.window")
    return SimpleNamespace(
        NightAssembler=assembler.NightAssembler,
        DEFAULT_WINDOW=window.DEFAULT_WINDOW,
        InBed=signals.InBed,
        Summary=signals.Summary,
        TOTAL_SLEEP=night.Field.TOTAL_SLEEP,
    )


def last_night(now: datetime) -> date:
    """The night a summary value arriving now is filed under (the domain's rule)."""
    key: date = sleep_domain().NightAssembler(ZoneInfo(TIME_ZONE)).infer_night(now)
    return key


def history_nights(keys: list[date]) -> Iterator[tuple[str, dict[str, Any]]]:
    """One stored night per key: an in-bed interval and a total sleep, assembled by the domain.

    Yields (night key ISO, Night.to_dict()); a fresh assembler per night keeps it linear.
    """
    domain = sleep_domain()
    tz = ZoneInfo(TIME_ZONE)
    for key in keys:
        jitter = timedelta(minutes=key.toordinal() * 37 % 60)
        bedtime = datetime.combine(key, time(22, 45), tz) + jitter
        out_of_bed = datetime.combine(key + timedelta(days=1), time(6, 50), tz) + jitter
        assembler = domain.NightAssembler(
            tz, domain.DEFAULT_WINDOW, source_priority=[IN_BED_SOURCE, TOTAL_SLEEP_SOURCE]
        )
        assembler.feed(domain.InBed(at=bedtime, in_bed=True, source=IN_BED_SOURCE))
        assembler.feed(domain.InBed(at=out_of_bed, in_bed=False, source=IN_BED_SOURCE))
        assembler.feed(
            domain.Summary(
                field=domain.TOTAL_SLEEP,
                value=float(400 + key.toordinal() % 60),
                source=TOTAL_SLEEP_SOURCE,
                received_at=out_of_bed + timedelta(minutes=30),
                night=key,
            )
        )
        night = assembler.night(key)
        if night is None:
            raise RuntimeError(f"the domain made no night of {key}")
        yield key.isoformat(), night.to_dict()


def write_partitions(
    config_dir: Path, key: str, partitions: dict[str, dict[str, dict[str, Any]]]
) -> None:
    """Write records as storage.py keeps them: a Store per month, and the index of months.

    `<key>.<YYYY-MM>` holds `{"records": {id: record}}`; `<key>` lists the months (an
    index the layout may drop for months found on disk; written anyway, harmless).
    """
    directory = config_dir / ".storage"

    def write(name: str, data: dict[str, Any]) -> None:
        document = {"version": 1, "minor_version": 1, "key": name, "data": data}
        (directory / name).write_text(json.dumps(document), encoding="utf-8")

    for partition, records in partitions.items():
        write(f"{key}.{partition}", {"records": records})
    write(key, {"partitions": sorted(partitions)})


def write_doses(config_dir: Path, entry_id: str, years: int) -> int:
    """Write `years` of doses, 3 a day until yesterday; the month of `taken_at` in UTC.

    Uses the integration's own `Dose` (loaded by the first instance). Must run while no
    instance runs: HA lists `.storage` once at start.
    """
    doses_module = importlib.import_module(f"custom_components.{DOMAIN}.domain.doses")
    units = importlib.import_module(f"custom_components.{DOMAIN}.domain.units")
    tz = ZoneInfo(TIME_ZONE)
    today = datetime.now(tz).date()
    partitions: dict[str, dict[str, dict[str, Any]]] = {}
    count = 0
    for back in range(years * 365, 0, -1):
        day = today - timedelta(days=back)
        for at in DOSES_PER_DAY:
            taken_at = datetime.combine(day, at, tz).astimezone(UTC)
            dose = doses_module.Dose(
                dose_id=ulid_at_time(taken_at.timestamp()),
                taken_at=taken_at,
                elemental_ug=100_000,
                amount=Decimal(100),
                unit=units.Unit.MG,
                form=units.Form.ELEMENTAL,
                servings=None,
                note=None,
                source="action",
            )
            month = partitions.setdefault(taken_at.strftime("%Y-%m"), {})
            month[dose.dose_id] = dose.to_dict()
            count += 1
    write_partitions(config_dir, f"{DOMAIN}.{entry_id}.doses", partitions)
    return count


def write_nights(config_dir: Path, entry_id: str, keys: list[date]) -> None:
    """Write one night per key, filed under the month of the night key (as sleep_tracker)."""
    partitions: dict[str, dict[str, dict[str, Any]]] = {}
    for night_iso, record in history_nights(keys):
        partitions.setdefault(night_iso[:7], {})[night_iso] = record
    write_partitions(config_dir, f"{DOMAIN}.{entry_id}.nights", partitions)


# ------------------------------------------------------------------ the peers


def peer_domain(repo: Path) -> str:
    """Which peer a work tree or git directory holds, by its `custom_components/<domain>`."""
    for domain in PEER_DOMAINS:
        if (repo / "custom_components" / domain).is_dir():
            return domain
    listing = subprocess.run(
        ["git", f"--git-dir={repo}", "ls-tree", "--name-only", "HEAD", "custom_components/"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for domain in PEER_DOMAINS:
        if f"custom_components/{domain}" in listing:
            return domain
    raise SystemExit(f"bench: {repo} holds none of custom_components/{{{','.join(PEER_DOMAINS)}}}")


def copy_peer(repo: Path, domain: str, config_dir: Path) -> None:
    """Copy a peer's integration from a work tree or a git directory into `config_dir`."""
    source = f"custom_components/{domain}"
    if (repo / source).is_dir():
        shutil.copytree(repo / source, config_dir / source)
        return
    archive = subprocess.run(
        ["git", f"--git-dir={repo}", "archive", "--format=tar", "HEAD", source],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(config_dir, filter="data")


def read_json(path: Path) -> Any:
    """A JSON file's content, None when it is not there (run in the executor)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


async def setup_tracker(hass: HomeAssistant) -> Scenario:
    """calebgab/medication_tracker through its config and options flows: `mark_taken`."""
    flow = hass.config_entries.flow
    result = await flow.async_init(TRACKER, context={"source": "user"})
    result = await flow.async_configure(result["flow_id"], {"title": "Bench"})
    if result["type"] is not FlowResultType.CREATE_ENTRY:
        raise RuntimeError(f"{TRACKER} config flow: {result}")
    entry = result["result"]
    options = hass.config_entries.options
    result = await options.async_init(entry.entry_id)
    result = await options.async_configure(result["flow_id"], {"action": "add"})
    result = await options.async_configure(
        result["flow_id"],
        {"name": "Magnesium", "dose": "100 mg", "med_type": "scheduled", "notes": ""},
    )
    result = await options.async_configure(result["flow_id"], {"times": "21:00", "days": ""})
    result = await options.async_configure(result["flow_id"], {"action": "done"})
    await hass.async_block_till_done()
    medication_id = entry.runtime_data.medications[0]["id"]
    store_file = Path(hass.config.path(".storage", f"medication_tracker_data_{entry.entry_id}"))

    async def mark_taken() -> None:
        await hass.services.async_call(
            TRACKER, "mark_taken", {"medication_id": medication_id}, blocking=True
        )

    async def reset_today(_result: Any) -> None:
        await hass.services.async_call(
            TRACKER, "reset_today", {"medication_id": medication_id}, blocking=True
        )

    async def on_disk(_result: Any) -> bool:
        stored = await hass.async_add_executor_job(read_json, store_file)
        entries = (stored or {}).get("data", {}).get("dose_log", {}).get(medication_id, [])
        recent = dt_util.utcnow() - timedelta(seconds=30)
        return any(
            (taken := dt_util.parse_datetime(e.get("taken_at") or "")) and taken >= recent
            for e in entries
        )

    return Scenario(
        f"peer {TRACKER}.mark_taken",
        mark_taken,
        kind="peer",
        undo=reset_today,
        on_disk=on_disk,
        storage="Store.async_save of the whole store (90 days of log) before it returns",
    )


async def setup_reminder(hass: HomeAssistant) -> Scenario:
    """magikh0e/ha-medication-reminder through its config and options flows: `mark_given`."""
    flow = hass.config_entries.flow
    result = await flow.async_init(REMINDER, context={"source": "user"})
    result = await flow.async_configure(
        result["flow_id"], {"patient": "Bench", "patient_type": "person", "notify": "notify"}
    )
    if result["type"] is not FlowResultType.CREATE_ENTRY:
        raise RuntimeError(f"{REMINDER} config flow: {result}")
    entry = result["result"]
    options = hass.config_entries.options
    result = await options.async_init(entry.entry_id)
    result = await options.async_configure(result["flow_id"], {"next_step_id": "doses"})
    result = await options.async_configure(result["flow_id"], {"next_step_id": "add_dose"})
    result = await options.async_configure(
        result["flow_id"], {"time": "21:00:00", "meds": "Magnesium", "schedule_type": "weekdays"}
    )
    if result["type"] is not FlowResultType.CREATE_ENTRY:
        raise RuntimeError(f"{REMINDER} options flow: {result}")
    await hass.async_block_till_done()  # its update listener reloads the entry
    switches = [
        e
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.domain == "switch"
    ]
    if len(switches) != 1:
        raise RuntimeError(f"{REMINDER}: expected one dose switch, got {switches}")
    switch = switches[0]
    store_file = Path(hass.config.path(".storage", f"{REMINDER}.{entry.entry_id}.doses"))

    async def mark_given() -> None:
        await hass.services.async_call(
            REMINDER, "mark_given", {}, target={"entity_id": switch.entity_id}, blocking=True
        )

    async def unmark(_result: Any) -> None:
        await hass.services.async_call(
            "switch", "turn_off", {}, target={"entity_id": switch.entity_id}, blocking=True
        )

    async def on_disk(_result: Any) -> bool:
        stored = await hass.async_add_executor_job(read_json, store_file)
        return (stored or {}).get("data", {}).get(switch.unique_id) is not None

    return Scenario(
        f"peer {REMINDER}.mark_given",
        mark_given,
        kind="peer",
        undo=unmark,
        on_disk=on_disk,
        storage="Store.async_save of the give-times before it returns",
    )


async def setup_helpers(hass: HomeAssistant, config_dir: Path) -> Scenario:
    """No integration: an input_number and a script that adds to it and writes the logbook."""
    config: dict[str, Any] = {
        "input_number": {
            "magnesium_today": {
                "name": "Magnesium today",
                "min": 0,
                "max": 5000,
                "step": 1,
                "mode": "box",
                "unit_of_measurement": "mg",
            }
        },
        "script": {
            HELPER_SCRIPT: {
                "alias": "Log magnesium",
                "sequence": [
                    {
                        "action": "input_number.set_value",
                        "target": {"entity_id": HELPER_NUMBER},
                        "data": {"value": f"{{{{ states('{HELPER_NUMBER}') | float(0) + 100 }}}}"},
                    },
                    {
                        "action": "logbook.log",
                        "data": {
                            "name": "Magnesium",
                            "message": "took 100 mg",
                            "entity_id": HELPER_NUMBER,
                        },
                    },
                ],
            }
        },
        "logbook": {},
    }
    for domain in ("input_number", "logbook", "script"):
        if not await async_setup_component(hass, domain, config):
            raise RuntimeError(f"{domain} did not set up")
    await hass.async_block_till_done()
    restore_file = config_dir / ".storage" / "core.restore_state"
    database = config_dir / "home-assistant_v2.db"

    async def run_script() -> None:
        await hass.services.async_call("script", HELPER_SCRIPT, {}, blocking=True)

    async def set_back(_result: Any) -> None:
        await hass.services.async_call(
            "input_number", "set_value", {"entity_id": HELPER_NUMBER, "value": 0}, blocking=True
        )

    def logbook_rows() -> int:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            (count,) = connection.execute(
                "SELECT COUNT(*) FROM events JOIN event_types USING (event_type_id)"
                " WHERE event_type = 'logbook_entry'"
            ).fetchone()
        return int(count)

    async def on_disk(_result: Any) -> bool:
        # Only right after the first call: its value and its logbook entry, anywhere on disk.
        value = hass.states.get(HELPER_NUMBER)
        restored = await hass.async_add_executor_job(read_json, restore_file)
        kept = any(
            item["state"]["entity_id"] == HELPER_NUMBER
            and value is not None
            and item["state"]["state"] == value.state
            for item in (restored or {}).get("data", [])
        )
        return kept and await hass.async_add_executor_job(logbook_rows) > 0

    return Scenario(
        "helpers: script (input_number + logbook.log)",
        run_script,
        kind="peer",
        undo=set_back,
        on_disk=on_disk,
        storage="input_number value: core.restore_state, every 15 min and at stop;"
        " logbook entry: the recorder's queue, committed every 5 s",
    )


# ------------------------------------------------------------------ measuring


async def one_call(
    hass: HomeAssistant,
    scenario: Scenario,
    *,
    timed: bool,
    look: bool = False,
    slow: Recorded | None = None,
) -> None:
    """One call of a row; the loop settles between steps (untimed).

    With `slow` (asyncio's records in debug mode), count the slow steps from the call
    until the loop has settled after it (a step is reported when it ends).
    """
    if scenario.before is not None:
        await scenario.before()
        await hass.async_block_till_done()
    slow_before = 0 if slow is None else len(slow.records)
    wall, cpu = perf_counter_ns(), thread_time_ns()
    result = await scenario.call()
    wall, cpu = perf_counter_ns() - wall, thread_time_ns() - cpu
    if look and scenario.on_disk is not None:
        scenario.durable = await scenario.on_disk(result)
    if timed:
        scenario.wall.append(wall)
        scenario.loop_cpu.append(cpu)
    await hass.async_block_till_done()
    if slow is not None:
        scenario.slow_steps += len(slow.records) - slow_before
    if scenario.undo is not None:
        await scenario.undo(result)
        await hass.async_block_till_done()


async def run_rounds(
    hass: HomeAssistant,
    scenarios: list[Scenario],
    rounds: int,
    warmup: int,
    slow: Recorded | None = None,
) -> None:
    """Time one call of each scenario per round, interleaved."""
    for round_number in range(warmup + rounds):
        for scenario in scenarios:
            if scenario.rounds is not None and round_number >= scenario.rounds:
                continue
            own_warmup = warmup if scenario.warmup is None else scenario.warmup
            await one_call(hass, scenario, timed=round_number >= own_warmup, slow=slow)


def time_state_writes(hass: HomeAssistant, calls: int) -> Scenario:
    """One `hass.states.async_set` with a new state each time."""
    scenario = Scenario(  # timed here, not called
        "hass.states.async_set (reference)", lambda: asyncio.sleep(0), kind="reference"
    )
    for i in range(calls):
        wall, cpu = perf_counter_ns(), thread_time_ns()
        hass.states.async_set("sensor.bench_reference", str(i), {"unit_of_measurement": "mg"})
        scenario.wall.append(perf_counter_ns() - wall)
        scenario.loop_cpu.append(thread_time_ns() - cpu)
    return scenario


def state_change(
    hass: HomeAssistant,
    entity_id: str,
    states: tuple[str, str],
    attributes: dict[str, Any],
    moments: Iterator[float] | None = None,
) -> Call:
    """A new state of an entity (alternating, so each is news), until the loop settles."""
    count = itertools.count(1)

    async def change() -> None:
        timestamp = None if moments is None else next(moments)
        hass.states.async_set(entity_id, states[next(count) % 2], attributes, timestamp=timestamp)
        await hass.async_block_till_done()

    return change


class Profile:
    """The actions of one magnesium_sleep profile, as an automation calls them."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Address the profile by its entry id."""
        self.hass = hass
        self.entry_id = entry_id
        self.base_dose: str | None = None

    async def log_dose(self) -> Any:
        """`log_dose` with its response."""
        return await self.hass.services.async_call(
            DOMAIN,
            "log_dose",
            {"config_entry_id": self.entry_id, "amount": 100, "form": "elemental"},
            blocking=True,
            return_response=True,
        )

    async def remove(self, dose_id: str) -> None:
        """`remove_dose`."""
        await self.hass.services.async_call(
            DOMAIN,
            "remove_dose",
            {"config_entry_id": self.entry_id, "dose_id": dose_id},
            blocking=True,
            return_response=True,
        )

    async def undo(self, response: Any) -> None:
        """Remove the timed dose, and the day's earlier one if `log_base` logged it."""
        await self.remove(response["dose_id"])
        if self.base_dose is not None:
            await self.remove(self.base_dose)
            self.base_dose = None

    async def log_base(self) -> None:
        """An earlier dose today, so the timed one is not the first of the day."""
        self.base_dose = (await self.log_dose())["dose_id"]

    async def on_disk(self, response: Any) -> bool:
        """Whether a file of this profile's doses (journal or month) holds the dose."""
        dose_id: str = response["dose_id"]
        storage = Path(self.hass.config.path(".storage"))
        prefix = f"{DOMAIN}.{self.entry_id}.doses"

        def look() -> bool:
            return any(dose_id in path.read_text("utf-8") for path in storage.glob(f"{prefix}*"))

        return await self.hass.async_add_executor_job(look)


def quantile(sorted_samples: list[int], q: float) -> float:
    """Nearest-rank quantile, in ms."""
    rank = max(1, round(q * len(sorted_samples)))
    return sorted_samples[rank - 1] / 1e6


class Recorded(logging.Handler):
    """Keeps warnings and errors so the run can summarise them."""

    def __init__(self) -> None:
        """Start empty."""
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)


# ------------------------------------------------------------------ the run


class Bench:
    """One benchmark run."""

    def __init__(self, args: argparse.Namespace, config_dir: Path) -> None:
        """Remember the options and where the instance lives."""
        self.args = args
        self.config_dir = config_dir
        self.peers = {peer_domain(repo): repo for repo in args.peer_repo}
        self.setup_rows: list[tuple[str, float]] = []
        self.setup_ms = 0.0
        self.scenarios: list[Scenario] = []
        self.rows: dict[str, Scenario] = {}
        self.notes: list[str] = []
        self.decade_id = ""
        self.history_doses = 0
        self.history_nights: list[date] = []
        self.in_bed_night = date.min
        self.hass: HomeAssistant | None = None

    def prepare(self) -> None:
        """Steps 1 and 2: create the profile, pick its sources, stop, write its history."""
        custom = self.config_dir / "custom_components"
        custom.mkdir(parents=True)
        (custom / DOMAIN).symlink_to(REPO / "custom_components" / DOMAIN)
        for domain, repo in self.peers.items():
            copy_peer(repo, domain, self.config_dir)

        async def first_instance() -> str:
            hass = await start_hass(self.config_dir, recorder=False)
            entry_id = await create_profile(hass, "Decade")
            await pick_sleep_sources(hass, entry_id)
            await hass.async_stop()
            return entry_id

        self.decade_id = run_in_fresh_loop(first_instance)
        self.history_doses = write_doses(self.config_dir, self.decade_id, self.args.years)
        # Nights up to three nights ago: last night gets the summary values, the night
        # before it the in-bed toggles (both still open for signals).
        latest = last_night(datetime.now(ZoneInfo(TIME_ZONE)))
        self.in_bed_night = latest - timedelta(days=1)
        self.history_nights = [
            latest - timedelta(days=back) for back in range(self.args.years * 365, 1, -1)
        ]
        write_nights(self.config_dir, self.decade_id, self.history_nights)

    async def measure(self) -> None:
        """Steps 3 and 4, in the second instance."""
        args = self.args
        block_async_io.enable()  # as bootstrap does: report blocking calls in the event loop
        hass = self.hass = await start_hass(self.config_dir, recorder=not args.no_recorder)
        try:
            in_bed_moments = self.write_source_states(hass)
            await self.measure_setup(hass)
            empty = Profile(hass, await create_profile(hass, "Empty"))
            decade = Profile(hass, self.decade_id)
            _LOGGER.info("log_dose response: %s", await empty.log_dose())
            years = f"{args.years}-year history"
            journal = "journal line appended and fsynced before it returns"
            rows = {
                "empty": Scenario(
                    "log_dose, empty history",
                    empty.log_dose,
                    undo=empty.undo,
                    on_disk=empty.on_disk,
                    storage=journal,
                ),
                "first": Scenario(
                    f"log_dose, {years}, 1st of day",
                    decade.log_dose,
                    undo=decade.undo,
                    on_disk=decade.on_disk,
                    storage=journal,
                ),
                "later": Scenario(
                    f"log_dose, {years}, later dose",
                    decade.log_dose,
                    before=decade.log_base,
                    undo=decade.undo,
                    on_disk=decade.on_disk,
                    storage=journal,
                ),
                "summary": Scenario(
                    f"source change, total sleep, {args.years}y nights",
                    state_change(hass, TOTAL_SLEEP_SOURCE, ("431", "432"), TOTAL_SLEEP_ATTRIBUTES),
                    storage="night written with the next fold (batched, by design)",
                ),
                "in_bed": Scenario(
                    f"source change, in bed, {args.years}y nights",
                    state_change(
                        hass, IN_BED_SOURCE, ("off", "on"), IN_BED_ATTRIBUTES, in_bed_moments
                    ),
                    rounds=IN_BED_ROUNDS,
                    warmup=min(args.warmup, IN_BED_WARMUP),
                    storage="night written with the next fold (batched, by design)",
                ),
            }
            for domain in self.peers:
                setup = setup_tracker if domain == TRACKER else setup_reminder
                rows[domain] = await setup(hass)
            if args.no_recorder:
                self.notes.append("helper chain left out: the logbook needs the recorder")
            else:
                rows["helpers"] = await setup_helpers(hass, self.config_dir)
            store: Store[dict[str, Any]] = Store(hass, 1, "bench.reference")

            async def save_small() -> None:
                await store.async_save({"n": 1})

            rows["baseline"] = Scenario(
                "async_set, unfollowed + block_till_done (ref)",
                state_change(hass, UNFOLLOWED, ("1", "2"), {"unit_of_measurement": "min"}),
                kind="reference",
            )
            rows["store"] = Scenario(
                "Store.async_save, small (reference)", save_small, kind="reference"
            )
            self.rows = rows
            self.scenarios = list(rows.values())
            for scenario in self.scenarios:  # one call each, then a look at the disk
                await one_call(hass, scenario, timed=False, look=True)
            await run_rounds(hass, self.scenarios, args.calls, args.warmup)
            self.scenarios.append(time_state_writes(hass, args.calls * 10))

            if args.cprofile:
                await self.profile(hass, [rows["empty"], rows["first"], rows["later"]])
                await self.profile(hass, [rows["summary"]])
            await self.check_loop(hass, [s for s in rows.values() if s.kind != "reference"])
            self.note_in_bed_night()
        finally:
            await hass.async_stop()

    def write_source_states(self, hass: HomeAssistant) -> Iterator[float]:
        """The sources' states before setup; the in-bed toggles' moments (a minute apart).

        The toggles are timed on the night before last, from 23:00, so they always
        shape a night in its window, whenever the bench runs.
        """
        hass.states.async_set(TOTAL_SLEEP_SOURCE, "430", TOTAL_SLEEP_ATTRIBUTES)
        start = datetime.combine(self.in_bed_night, time(23), ZoneInfo(TIME_ZONE))
        moments = (start + timedelta(minutes=i) for i in itertools.count())
        hass.states.async_set(
            IN_BED_SOURCE, "off", IN_BED_ATTRIBUTES, timestamp=next(moments).timestamp()
        )
        return (moment.timestamp() for moment in moments)

    def note_in_bed_night(self) -> None:
        """How many in-bed transitions the toggled night holds at the end."""
        night = self.decade().runtime_data.sleep.assembler.night(self.in_bed_night)
        count = 0 if night is None else len(night.transitions)
        self.notes.append(
            f"in-bed row: toggles on night {self.in_bed_night} from 23:00, a minute apart;"
            f" that night holds {count} transitions at the end; {IN_BED_ROUNDS} rounds,"
            f" {len(self.rows['in_bed'].wall)} of them timed"
        )

    def decade(self) -> ConfigEntry[Any]:
        """Decade's config entry, loaded."""
        assert self.hass is not None
        entry = self.hass.config_entries.async_get_entry(self.decade_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            raise RuntimeError("the 10-year profile did not load")
        return entry

    async def measure_setup(self, hass: HomeAssistant) -> None:
        """Set up the integration with the 10-year profile, timed; then reload it."""
        integration = await loader.async_get_integration(hass, DOMAIN)
        component = await integration.async_get_component()
        # imports are not the data's cost: load the modules before the clock starts
        platforms = component.PLATFORMS  # type: ignore[attr-defined]
        await integration.async_get_platforms([str(p) for p in platforms])
        start = perf_counter_ns()
        if not await async_setup_component(hass, DOMAIN, {}):
            raise RuntimeError("the integration did not set up")
        self.setup_ms = (perf_counter_ns() - start) / 1e6
        entry = self.decade()
        if (loaded := len(entry.runtime_data.doses.log)) != self.history_doses:
            raise RuntimeError(
                f"{loaded} of {self.history_doses} doses loaded:"
                " has the storage format changed? (update write_doses)"
            )
        nights = {night.night for night in entry.runtime_data.sleep.assembler.nights()}
        if missing := len(set(self.history_nights) - nights):
            raise RuntimeError(
                f"{missing} of {len(self.history_nights)} nights not loaded:"
                " has the storage format changed? (update write_nights / sleep_domain)"
            )
        self.setup_rows.append(
            (f"setup, profile: {loaded} doses, {len(nights)} nights", self.setup_ms)
        )
        start = perf_counter_ns()
        await hass.config_entries.async_reload(self.decade_id)
        self.setup_rows.append(
            ("  reload of it (unload + setup)", (perf_counter_ns() - start) / 1e6)
        )
        if self.args.cprofile:
            profiler = cProfile.Profile()
            profiler.enable()
            await hass.config_entries.async_reload(self.decade_id)
            profiler.disable()
            out = io.StringIO()
            out.write("cProfile of one reload of the 10-year profile (every thread)\n")
            stats = pstats.Stats(profiler, stream=out).strip_dirs()
            stats.sort_stats("cumulative").print_stats(self.args.cprofile)
            print(out.getvalue(), file=sys.stderr)

    async def profile(self, hass: HomeAssistant, scenarios: list[Scenario]) -> None:
        """cProfile 200 calls of our rows (stdlib only) and print the top costs."""
        profiler = cProfile.Profile()
        for _ in range(200):
            for scenario in scenarios:
                if scenario.before is not None:
                    await scenario.before()
                    await hass.async_block_till_done()
                profiler.enable()
                result = await scenario.call()
                profiler.disable()
                await hass.async_block_till_done()
                if scenario.undo is not None:
                    await scenario.undo(result)
                await hass.async_block_till_done()
        out = io.StringIO()
        labels = "; ".join(s.label for s in scenarios)
        out.write(
            f"cProfile of 200 x ({labels}); only during the calls, but it sees every"
            " thread since 3.12 (the executor's journal write, the recorder)\n"
        )
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("tottime").print_stats(self.args.cprofile)
        stats.sort_stats("cumulative").print_stats(self.args.cprofile)
        print(out.getvalue(), file=sys.stderr)

    async def check_loop(self, hass: HomeAssistant, scenarios: list[Scenario]) -> None:
        """Asyncio debug mode: loop steps slower than --slow-ms, and calls using that much CPU."""
        checks = [replace(s, warmup=0, wall=[], loop_cpu=[]) for s in scenarios]
        recorded = Recorded()
        asyncio_logger = logging.getLogger("asyncio")
        asyncio_logger.addHandler(recorded)
        asyncio_logger.propagate = False
        hass.loop.slow_callback_duration = self.args.slow_ms / 1000
        hass.loop.set_debug(True)
        try:
            await run_rounds(hass, checks, 100, 0, recorded)
        finally:
            hass.loop.set_debug(False)
            await asyncio.sleep(0)  # the step that switched debug off is still reported
            asyncio_logger.removeHandler(recorded)
            asyncio_logger.propagate = True
        slow = [r.getMessage() for r in recorded.records if "took" in r.getMessage()]
        cpu_bound = sum(ns > self.args.slow_ms * 1e6 for c in checks for ns in c.loop_cpu)
        calls = sum(len(c.wall) for c in checks)
        self.notes.append(
            f"asyncio debug pass ({calls} calls of {len(checks)} rows): {len(slow)} loop steps"
            f" took > {self.args.slow_ms} ms wall; {cpu_bound} calls used > {self.args.slow_ms}"
            " ms of loop-thread CPU (the rest of a step is waiting: I/O, or the GIL held by"
            " other threads such as the recorder's)"
        )
        self.notes.extend(
            f"  {check.label}: {check.slow_steps} slow steps in {len(check.wall)} calls;"
            f" loop CPU > {self.args.slow_ms} ms in"
            f" {sum(ns > self.args.slow_ms * 1e6 for ns in check.loop_cpu)}"
            for check in checks
            if check.slow_steps
        )
        self.notes.extend(
            f"  {message[:110]} ... {message[message.rfind(' took ') :]}"
            for message in slow[: self.args.show_slow]
        )

    def report(self, warnings: Recorded, filesystem: str) -> None:
        """Print the table and the verdicts."""
        print(
            f"Home Assistant {ha_version}, Python {platform.python_version()}, "
            f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
            f"config dir on {filesystem}; recorder "
            f"{'off' if self.args.no_recorder else 'on (SQLite)'}"
        )
        print(
            f"{'ms':<46} {'n':>4} {'median':>7} {'p90':>7} {'p99':>7} {'max':>7}"
            f" {'loop CPU':>8}  on disk"
        )
        for what, ms in self.setup_rows:
            print(f"{what:<46} {1:>4} {ms:>7.1f}")
        for scenario in self.scenarios:
            wall = sorted(scenario.wall)
            disk = {None: "-", True: "yes", False: "NO"}[scenario.durable]
            print(
                f"{scenario.label:<46} {len(wall):>4} {quantile(wall, 0.5):>7.3f}"
                f" {quantile(wall, 0.9):>7.3f} {quantile(wall, 0.99):>7.3f}"
                f" {wall[-1] / 1e6:>7.3f} {scenario.cpu_median():>8.3f}  {disk}"
            )
        print(
            "(loop CPU: median CPU time of the event-loop thread during the call; on disk:"
            " the call's data was on disk when it returned, looked at once)"
        )
        for storage, group in itertools.groupby(self.scenarios, key=lambda s: s.storage):
            if storage:
                labels = [s.label for s in group]
                name = labels[0] if len(labels) == 1 else f"{labels[0].split(',')[0]} rows"
                print(f"  {name}: {storage}")
        for note in self.notes:
            print(note)
        blocking = [r for r in warnings.records if r.name == "homeassistant.util.loop"]
        others = Counter(r.name for r in warnings.records if r not in blocking)
        print(f"blocking calls in the event loop reported by Home Assistant: {len(blocking)}")
        for record in blocking:
            print(f"  {record.getMessage()[:300]}")
        if others:
            print("other warnings: " + ", ".join(f"{n} x {name}" for name, n in others.items()))
        print(f"targets ({self.args.years} years of history):")
        for verdict in self.verdicts():
            print(f"  {verdict}")

    def verdicts(self) -> list[str]:
        """One line per target: met or MISSED, with the figures."""
        rows, years = self.rows, self.args.years

        def met(ok: bool) -> str:
            return "met" if ok else "MISSED"

        first, later, empty = rows["first"], rows["later"], rows["empty"]
        slower = max(first, later, key=Scenario.median)
        worst = slower.median()
        line = (
            f"log_dose {years}-year median {worst:.3f} ms ({slower.label.rsplit(', ', 1)[1]})"
            f" <= {TARGET_LOG_DOSE_MS}: {met(worst <= TARGET_LOG_DOSE_MS)}"
        )
        durable_peers = [s for s in rows.values() if s.kind == "peer" and s.durable]
        if durable_peers:
            best = min(durable_peers, key=Scenario.median)
            bound = best.median() / TARGET_PEER_FRACTION
            line += (
                f"; vs best durable peer ({best.label.removeprefix('peer ')}"
                f" {best.median():.3f} ms / {TARGET_PEER_FRACTION} = {bound:.3f}):"
                f" {met(worst <= bound)}"
            )
        else:
            line += "; vs best durable peer: no durable peer in this run (--peer-repo)"

        def same(what: str, ten_years: float, none: float) -> str:
            allowed = max(none * EQUAL_RELATIVE, EQUAL_ABSOLUTE_MS)
            return (
                f"{what} {ten_years:.3f} vs {none:.3f} ms ({ten_years - none:+.3f}, allowed"
                f" +{allowed:.3f}): {met(ten_years - none <= allowed)}"
            )

        equal = (
            f"equal cost with {years} years (1st of day vs empty history; allowed: the larger"
            f" of {EQUAL_RELATIVE:.0%} and {EQUAL_ABSOLUTE_MS} ms more): "
            + same("wall median", first.median(), empty.median())
            + "; "
            + same("loop CPU median", first.cpu_median(), empty.cpu_median())
            + f" (later dose: {later.median():.3f} ms, loop CPU {later.cpu_median():.3f})"
        )
        setup = (
            f"setup of the {years}-year profile (doses and nights) {self.setup_ms:.1f} ms"
            f" <= {TARGET_SETUP_MS:.0f}: "
            f"{met(self.setup_ms <= TARGET_SETUP_MS)}"
        )
        baseline = rows["baseline"].cpu_median()
        sources = [f"sleep-source state change, loop CPU median with {years} years of nights:"]
        for key in ("summary", "in_bed"):
            cpu = rows[key].cpu_median()
            sources.append(
                f"  {rows[key].label.split(', ')[1]} {cpu:.3f} ms (wall {rows[key].median():.3f})"
                f" <= {TARGET_SOURCE_CPU_MS}: {met(cpu <= TARGET_SOURCE_CPU_MS)}"
                f" ({cpu - baseline:+.3f} ms over an unfollowed entity's {baseline:.3f})"
            )
        return [line, equal, setup, *sources]


def filesystem_of(path: Path) -> str:
    """The file system type `path` lives on (from /proc/mounts), for the reader."""
    best, kind = "", "unknown"
    resolved = str(path.resolve())
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return kind
    for line in mounts:
        fields = line.split()
        if len(fields) > 2 and resolved.startswith(fields[1]) and len(fields[1]) > len(best):
            best, kind = fields[1], fields[2]
    return kind


def main() -> int:
    """Parse the options, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="timed calls per action")
    parser.add_argument("--warmup", type=int, default=30, help="untimed calls first")
    parser.add_argument("--years", type=int, default=10, help="history of the big profile")
    parser.add_argument(
        "--peer-repo",
        type=Path,
        action="append",
        default=[],
        help="git dir or work tree of a peer (repeatable): calebgab/medication_tracker,"
        " magikh0e/ha-medication-reminder(-hacs)",
    )
    parser.add_argument("--dir", type=Path, help="parent of the temporary config dir")
    parser.add_argument("--keep", action="store_true", help="keep the config dir")
    parser.add_argument("--slow-ms", type=float, default=5.0, help="asyncio debug threshold")
    parser.add_argument("--show-slow", type=int, default=0, help="slow loop steps to print")
    parser.add_argument("--no-recorder", action="store_true", help="for comparison only")
    parser.add_argument(
        "--cprofile",
        type=int,
        default=0,
        metavar="N",
        help="print the top N costs of our calls (log_dose rows, source change) by cProfile",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    # Every custom integration is announced with a warning; that is not news here.
    logging.getLogger("homeassistant.loader").setLevel(logging.ERROR)
    logging.getLogger("aiohttp_fast_zlib").setLevel(logging.ERROR)
    warnings = Recorded()
    logging.getLogger().addHandler(warnings)

    config_dir = Path(tempfile.mkdtemp(prefix="ms-bench-", dir=args.dir))
    try:
        bench = Bench(args, config_dir)
        bench.prepare()
        filesystem = filesystem_of(config_dir)
        run_in_fresh_loop(bench.measure)
        bench.report(warnings, filesystem)
    finally:
        # Blocking-call detection now watches this thread: file work goes to another one.
        with ThreadPoolExecutor(1) as pool:
            if args.keep:
                print(f"config dir kept: {config_dir}", file=sys.stderr)
            else:
                pool.submit(shutil.rmtree, config_dir, ignore_errors=True).result()
    return 0


if __name__ == "__main__":
    sys.exit(main())
