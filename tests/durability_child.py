"""Child process of test_durability: a real Home Assistant on a real config directory.

Not a test module. The pytest `hass` fixture keeps storage in memory, so the crash test
runs Home Assistant here, with `Store` writing real files, and kills this process:

    python durability_child.py CONFIG_DIR log N    create a profile with the config flow (unless
                                                   there is one), call log_dose N times, print
                                                   "dose <id>" after each, then wait to be killed
    python durability_child.py CONFIG_DIR check    print "have <id>" for each stored dose, "end"

The integration must be in CONFIG_DIR/custom_components. Nothing is installed (skip_pip)
and nothing reaches the network: the HTTP server (the webhook's dependency) listens on a
free loopback port.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import socket
import sys
from typing import Any

from homeassistant import bootstrap, loader, runner
from homeassistant.config_entries import ConfigEntries, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component

DOMAIN = "magnesium_sleep"
CORE_CONFIG: dict[str, Any] = {
    "name": "durability",
    "latitude": 52.37,
    "longitude": 4.89,
    "elevation": 0,
    "unit_system": "metric",
    "time_zone": "Europe/Amsterdam",
    "country": "NL",
    "currency": "EUR",
}


def free_local_port() -> int:
    """A port for the HTTP server the webhook dependency needs, on loopback only."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def say(line: str) -> None:
    """One line to the parent, right away."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def start(config_dir: Path) -> HomeAssistant:
    """Home Assistant with real storage, built the way bootstrap does, with few integrations."""
    hass = HomeAssistant(str(config_dir))
    hass.config.skip_pip = True
    hass.config.skip_pip_packages = []
    loader.async_setup(hass)
    config = {"http": {"server_host": ["127.0.0.1"], "server_port": free_local_port()}}
    hass.config_entries = ConfigEntries(hass, config)
    await loader.async_get_custom_components(hass)
    if not await bootstrap.async_load_base_functionality(hass):
        raise RuntimeError("registries did not load")
    await async_process_ha_core_config(hass, dict(CORE_CONFIG))
    for domain in ("homeassistant", "persistent_notification", "http", DOMAIN):
        if not await async_setup_component(hass, domain, config):
            raise RuntimeError(f"{domain} did not set up")
    await hass.async_start()
    return hass


async def create_profile(hass: HomeAssistant) -> None:
    """Create the profile through the real config flow, and wait until it is on disk.

    Home Assistant saves config entries a second after a change; a profile that is not
    on disk would make the check fail for a reason other than the doses.
    """
    flow = hass.config_entries.flow
    result = await flow.async_init(DOMAIN, context={"source": "user"})
    result = await flow.async_configure(
        result["flow_id"], {"name": "Anna", "age_band": "31_50", "sex": "female", "region": "us"}
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
        raise RuntimeError(f"the config flow did not create the profile: {result}")
    await hass.async_block_till_done()
    entry = result["result"]
    if entry.state is not ConfigEntryState.LOADED:
        raise RuntimeError(f"the profile is {entry.state}")
    entries_file = Path(hass.config.path(".storage", "core.config_entries"))

    def saved() -> bool:
        return entries_file.exists() and entry.entry_id in entries_file.read_text()

    async with asyncio.timeout(30):
        while not await hass.async_add_executor_job(saved):  # noqa: ASYNC110 - a file HA writes
            await asyncio.sleep(0.05)


async def log(hass: HomeAssistant, count: int) -> None:
    """Create the profile, log doses, acknowledge each on stdout, then idle until killed."""
    if not hass.config_entries.async_entries(DOMAIN):
        await create_profile(hass)
    for _ in range(count):
        response = await hass.services.async_call(
            DOMAIN,
            "log_dose",
            {"amount": 100, "form": "elemental"},
            blocking=True,
            return_response=True,
        )
        assert response is not None
        say(f"dose {response['dose_id']}")
    await asyncio.Event().wait()  # no graceful stop: the parent sends SIGKILL


async def check(hass: HomeAssistant) -> None:
    """Report every dose the profile loaded from disk."""
    entries = hass.config_entries.async_entries(DOMAIN)
    if len(entries) != 1 or entries[0].state is not ConfigEntryState.LOADED:
        raise RuntimeError(f"expected one loaded profile, got {entries}")
    for dose in entries[0].runtime_data.doses.log:
        say(f"have {dose.dose_id}")
    say("end")


async def main(config_dir: Path, mode: str, count: int) -> None:
    """Run one mode."""
    hass = await start(config_dir)
    if mode == "log":
        await log(hass, count)
    else:
        await check(hass)
    await hass.async_stop()


if __name__ == "__main__":
    _, directory, run_mode, *rest = sys.argv
    loop = runner.create_event_loop()
    loop.run_until_complete(main(Path(directory), run_mode, int(rest[0]) if rest else 0))
