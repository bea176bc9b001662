"""Benchmark magnesium_sleep's `log_dose` on a real Home Assistant (a measurement, not a test).

    scripts/bench [--calls N] [--warmup N] [--years N] [--peer-repo PATH] [--cprofile N]

One run builds a real Home Assistant in a temporary config directory: real `.storage`
files, the recorder on SQLite in that directory, HA's detection of blocking calls in the
event loop on (as `hass` runs it), the HTTP server on a free loopback port (the webhook
dependency needs it), and the integration symlinked into `custom_components/`. Nothing is
installed or downloaded (`skip_pip`).

1. A first instance creates the "Decade" profile through the real config flow and stops.
2. Ten years of doses (3 a day, until yesterday) are written into Decade's month
   partitions in the store format, while no instance runs.
3. A second instance, with the recorder, sets the profile up (timed) and creates an empty
   profile through the config flow. Then, in interleaved rounds so that disk or CPU noise
   hits every row alike, it times one call of each:
     - `log_dose` on the empty profile;
     - `log_dose` on Decade as the first dose of the day, and as a later one;
     - with `--peer-repo`, the peer's `mark_taken` (set up through its own config flow);
     - one small `Store.async_save`, for reference;
   each undone afterwards, untimed (`remove_dose`, the peer's `reset_today`), so the
   history keeps its size instead of piling 500 doses onto one day. A bare
   `hass.states.async_set` is timed for reference too.
4. A pass in asyncio debug mode counts loop steps slower than --slow-ms, and calls that
   used that much event-loop CPU.

`--peer-repo` takes a git directory (bare or not) or a work tree of
calebgab/medication_tracker; its `custom_components/medication_tracker` is copied into the
temporary config directory only.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
import cProfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
import importlib
import io
import json
import logging
import os
from pathlib import Path
import platform
import pstats
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
from time import perf_counter_ns, thread_time_ns
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant import block_async_io, bootstrap, loader, runner
from homeassistant.components.recorder import get_instance
from homeassistant.config_entries import ConfigEntries, ConfigEntryState
from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, recorder as recorder_helper
from homeassistant.helpers.storage import Store
from homeassistant.setup import async_setup_component
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
TARGET_MEDIAN_MS = 0.6
PEER_DOMAIN = "medication_tracker"

_LOGGER = logging.getLogger("bench")

type Call = Callable[[], Awaitable[Any]]


@dataclass
class Scenario:
    """One row: a call to time, with untimed steps around it."""

    label: str
    call: Call
    before: Call | None = None  # untimed, each round, before the call
    undo: Callable[[Any], Awaitable[Any]] | None = None  # untimed, gets the call's result
    wall: list[int] = field(default_factory=list)  # ns
    loop_cpu: list[int] = field(default_factory=list)  # ns of event-loop-thread CPU


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


# ------------------------------------------------------------------ ten years of doses


def write_history(config_dir: Path, entry_id: str, years: int) -> int:
    """Write `years` of doses, 3 a day until yesterday, as the integration stores them.

    Layout (see storage.py): `magnesium_sleep.<entry_id>.doses` lists the month
    partitions, `...doses.<YYYY-MM>` holds `{"records": {dose_id: Dose.to_dict()}}`, the
    month of `taken_at` in UTC. Uses the integration's own `Dose` (loaded by the first
    instance). Must run while no instance runs: HA lists `.storage` once at start.
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
    key = f"{DOMAIN}.{entry_id}.doses"
    directory = config_dir / ".storage"

    def write(name: str, data: dict[str, Any]) -> None:
        document = {"version": 1, "minor_version": 1, "key": name, "data": data}
        (directory / name).write_text(json.dumps(document), encoding="utf-8")

    for partition, records in partitions.items():
        write(f"{key}.{partition}", {"records": records})
    write(key, {"partitions": sorted(partitions)})
    return count


# ------------------------------------------------------------------ the peer


def copy_peer(peer_repo: Path, config_dir: Path) -> None:
    """Copy the peer's integration from a work tree or a git directory into `config_dir`."""
    source = f"custom_components/{PEER_DOMAIN}"
    if (peer_repo / source).is_dir():
        shutil.copytree(peer_repo / source, config_dir / source)
        return
    archive = subprocess.run(
        ["git", f"--git-dir={peer_repo}", "archive", "--format=tar", "HEAD", source],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(config_dir, filter="data")


async def setup_peer(hass: HomeAssistant) -> tuple[Call, Callable[[Any], Awaitable[Any]]]:
    """Set the peer up through its config and options flows; return its call and undo."""
    flow = hass.config_entries.flow
    result = await flow.async_init(PEER_DOMAIN, context={"source": "user"})
    result = await flow.async_configure(result["flow_id"], {"title": "Bench"})
    if result["type"] is not FlowResultType.CREATE_ENTRY:
        raise RuntimeError(f"peer config flow: {result}")
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
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    _LOGGER.info("peer %s: %d entities", PEER_DOMAIN, len(entities))

    async def mark_taken() -> None:
        await hass.services.async_call(
            PEER_DOMAIN, "mark_taken", {"medication_id": medication_id}, blocking=True
        )

    async def reset_today(_result: Any) -> None:
        await hass.services.async_call(
            PEER_DOMAIN, "reset_today", {"medication_id": medication_id}, blocking=True
        )

    return mark_taken, reset_today


# ------------------------------------------------------------------ measuring


async def run_rounds(
    hass: HomeAssistant, scenarios: list[Scenario], rounds: int, warmup: int
) -> None:
    """Time one call of each scenario per round; the loop settles between steps (untimed)."""
    for round_number in range(warmup + rounds):
        for scenario in scenarios:
            if scenario.before is not None:
                await scenario.before()
                await hass.async_block_till_done()
            wall, cpu = perf_counter_ns(), thread_time_ns()
            result = await scenario.call()
            wall, cpu = perf_counter_ns() - wall, thread_time_ns() - cpu
            if round_number >= warmup:
                scenario.wall.append(wall)
                scenario.loop_cpu.append(cpu)
            await hass.async_block_till_done()
            if scenario.undo is not None:
                await scenario.undo(result)
                await hass.async_block_till_done()


def time_state_writes(hass: HomeAssistant, calls: int) -> Scenario:
    """One `hass.states.async_set` with a new state each time."""
    scenario = Scenario("hass.states.async_set (reference)", asyncio.sleep)  # timed inline
    for i in range(calls):
        wall, cpu = perf_counter_ns(), thread_time_ns()
        hass.states.async_set("sensor.bench_reference", str(i), {"unit_of_measurement": "mg"})
        scenario.wall.append(perf_counter_ns() - wall)
        scenario.loop_cpu.append(thread_time_ns() - cpu)
    return scenario


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
        self.setup_rows: list[tuple[str, float]] = []
        self.scenarios: list[Scenario] = []
        self.notes: list[str] = []
        self.decade_id = ""
        self.history_doses = 0

    def prepare(self) -> None:
        """Steps 1 and 2: create the profile, stop, write its years of doses."""
        custom = self.config_dir / "custom_components"
        custom.mkdir(parents=True)
        (custom / DOMAIN).symlink_to(REPO / "custom_components" / DOMAIN)
        if self.args.peer_repo is not None:
            copy_peer(self.args.peer_repo, self.config_dir)

        async def first_instance() -> str:
            hass = await start_hass(self.config_dir, recorder=False)
            entry_id = await create_profile(hass, "Decade")
            await hass.async_stop()
            return entry_id

        self.decade_id = run_in_fresh_loop(first_instance)
        self.history_doses = write_history(self.config_dir, self.decade_id, self.args.years)

    async def measure(self) -> None:
        """Steps 3 and 4, in the second instance."""
        args = self.args
        block_async_io.enable()  # as bootstrap does: report blocking calls in the event loop
        hass = await start_hass(self.config_dir, recorder=not args.no_recorder)
        try:
            await self.measure_setup(hass)
            empty = Profile(hass, await create_profile(hass, "Empty"))
            decade = Profile(hass, self.decade_id)
            _LOGGER.info("log_dose response: %s", await empty.log_dose())
            store: Store[dict[str, Any]] = Store(hass, 1, "bench.reference")

            async def save_small() -> None:
                await store.async_save({"n": 1})

            years = f"{args.years}-year history"
            self.scenarios = [
                Scenario("log_dose, empty history", empty.log_dose, undo=empty.undo),
                Scenario(f"log_dose, {years}, 1st of day", decade.log_dose, undo=decade.undo),
                Scenario(
                    f"log_dose, {years}, later dose",
                    decade.log_dose,
                    before=decade.log_base,
                    undo=decade.undo,
                ),
            ]
            if args.peer_repo is not None:
                mark_taken, reset_today = await setup_peer(hass)
                self.scenarios.append(
                    Scenario(f"peer {PEER_DOMAIN}.mark_taken", mark_taken, undo=reset_today)
                )
            self.scenarios.append(Scenario("Store.async_save, small (reference)", save_small))
            await run_rounds(hass, self.scenarios, args.calls, args.warmup)
            self.scenarios.append(time_state_writes(hass, args.calls * 10))

            if args.cprofile:
                await self.profile(hass, self.scenarios[1])
            await self.check_loop(hass, self.scenarios[:-2])
        finally:
            await hass.async_stop()

    async def measure_setup(self, hass: HomeAssistant) -> None:
        """Set up the integration with the 10-year profile, timed; then reload it."""
        integration = await loader.async_get_integration(hass, DOMAIN)
        component = await integration.async_get_component()
        # imports are not the data's cost: load the modules before the clock starts
        await integration.async_get_platforms([str(p) for p in component.PLATFORMS])
        start = perf_counter_ns()
        if not await async_setup_component(hass, DOMAIN, {}):
            raise RuntimeError("the integration did not set up")
        setup_ms = (perf_counter_ns() - start) / 1e6
        entry = hass.config_entries.async_get_entry(self.decade_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            raise RuntimeError("the 10-year profile did not load")
        if (loaded := len(entry.runtime_data.doses.log)) != self.history_doses:
            raise RuntimeError(
                f"{loaded} of {self.history_doses} doses loaded:"
                " has the storage format changed? (update write_history)"
            )
        self.setup_rows.append((f"setup, profile with {loaded} doses", setup_ms))
        start = perf_counter_ns()
        await hass.config_entries.async_reload(self.decade_id)
        self.setup_rows.append(
            ("  reload of it (unload + setup)", (perf_counter_ns() - start) / 1e6)
        )

    async def profile(self, hass: HomeAssistant, scenario: Scenario) -> None:
        """cProfile 200 calls of one scenario (stdlib only) and print the top costs."""
        profiler = cProfile.Profile()
        for _ in range(200):
            if scenario.before is not None:
                await scenario.before()
            profiler.enable()
            result = await scenario.call()
            profiler.disable()
            await hass.async_block_till_done()
            if scenario.undo is not None:
                await scenario.undo(result)
            await hass.async_block_till_done()
        out = io.StringIO()
        out.write(f"cProfile of 200 x {scenario.label} (it sees every thread since 3.12)\n")
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("tottime").print_stats(self.args.cprofile)
        stats.sort_stats("cumulative").print_stats(self.args.cprofile)
        print(out.getvalue(), file=sys.stderr)

    async def check_loop(self, hass: HomeAssistant, scenarios: list[Scenario]) -> None:
        """Asyncio debug mode: loop steps slower than --slow-ms, and calls using that much CPU."""
        checks = [Scenario(s.label, s.call, s.before, s.undo) for s in scenarios]
        recorded = Recorded()
        asyncio_logger = logging.getLogger("asyncio")
        asyncio_logger.addHandler(recorded)
        asyncio_logger.propagate = False
        hass.loop.slow_callback_duration = self.args.slow_ms / 1000
        hass.loop.set_debug(True)
        try:
            await run_rounds(hass, checks, 100, 0)
        finally:
            hass.loop.set_debug(False)
            asyncio_logger.removeHandler(recorded)
            asyncio_logger.propagate = True
        slow = [r.getMessage() for r in recorded.records if "took" in r.getMessage()]
        cpu_bound = sum(ns > self.args.slow_ms * 1e6 for c in checks for ns in c.loop_cpu)
        self.notes.append(
            f"asyncio debug pass ({len(checks)} x 100 calls): {len(slow)} loop steps took"
            f" > {self.args.slow_ms} ms wall; {cpu_bound} calls used > {self.args.slow_ms} ms"
            " of loop-thread CPU (the rest of a step is waiting: I/O, or the GIL held by"
            " other threads such as the recorder's)"
        )
        self.notes.extend(f"  {message[:160]}" for message in slow[: self.args.show_slow])

    def report(self, warnings: Recorded, filesystem: str) -> None:
        """Print the table and the verdict."""
        print(
            f"Home Assistant {ha_version}, Python {platform.python_version()}, "
            f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
            f"config dir on {filesystem}; recorder "
            f"{'off' if self.args.no_recorder else 'on (SQLite)'}"
        )
        print(f"{'ms':<42} {'n':>5} {'median':>7} {'p90':>7} {'p99':>7} {'max':>7} {'loop CPU':>8}")
        for what, ms in self.setup_rows:
            print(f"{what:<42} {1:>5} {ms:>7.1f}")
        for scenario in self.scenarios:
            wall, cpu = sorted(scenario.wall), sorted(scenario.loop_cpu)
            print(
                f"{scenario.label:<42} {len(wall):>5} {quantile(wall, 0.5):>7.3f}"
                f" {quantile(wall, 0.9):>7.3f} {quantile(wall, 0.99):>7.3f}"
                f" {wall[-1] / 1e6:>7.3f} {quantile(cpu, 0.5):>8.3f}"
            )
        print("(loop CPU: median CPU time of the event-loop thread during the call)")
        worst = max(quantile(sorted(s.wall), 0.5) for s in self.scenarios[1:3])
        verdict = "met" if worst <= TARGET_MEDIAN_MS else "MISSED"
        print(
            f"target median <= {TARGET_MEDIAN_MS} ms per durable log_dose with "
            f"{self.args.years} years of history: {verdict} ({worst:.3f} ms, slower row)"
        )
        for note in self.notes:
            print(note)
        blocking = [r for r in warnings.records if r.name == "homeassistant.util.loop"]
        others = Counter(r.name for r in warnings.records if r not in blocking)
        print(f"blocking calls in the event loop reported by Home Assistant: {len(blocking)}")
        for record in blocking:
            print(f"  {record.getMessage()[:300]}")
        if others:
            print("other warnings: " + ", ".join(f"{n} x {name}" for name, n in others.items()))


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
    parser.add_argument("--calls", type=int, default=500, help="timed calls per action")
    parser.add_argument("--warmup", type=int, default=50, help="untimed calls first")
    parser.add_argument("--years", type=int, default=10, help="history of the big profile")
    parser.add_argument(
        "--peer-repo", type=Path, help="git dir or work tree of calebgab/medication_tracker"
    )
    parser.add_argument("--dir", type=Path, help="parent of the temporary config dir")
    parser.add_argument("--keep", action="store_true", help="keep the config dir")
    parser.add_argument("--slow-ms", type=float, default=5.0, help="asyncio debug threshold")
    parser.add_argument("--show-slow", type=int, default=3, help="slow loop steps to print")
    parser.add_argument("--no-recorder", action="store_true", help="for comparison only")
    parser.add_argument(
        "--cprofile", type=int, default=0, metavar="N", help="print the top N costs (cProfile)"
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
