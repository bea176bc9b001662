"""Prepare the dev Home Assistant's state in config/ before its first start (idempotent).

Does what onboarding would, with Home Assistant's own code in a throwaway instance
(the way ``hass --script auth`` works), without starting any integration:

- the owner user (admin), with a login for the ``homeassistant`` auth provider;
- a person linked to that user (as onboarding creates one);
- the onboarding store with every step done, so the UI goes straight to the login page;
- the HTTP server settings (127.0.0.1:8123) as confirmed ("stable") config. Since 2026.x,
  ``http:`` YAML is only migrated once into a *pending* config that Home Assistant reverts
  after five minutes unless someone confirms it in the UI, so the dev config has no ``http:``.

Run with the venv's python: ``python scripts/dev/prepare_config.py CONFIG_DIR USER PASSWORD [PORT]``
(PORT defaults to 8123; the browser tests run their own instance on another port).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
import sys

from homeassistant import runner
from homeassistant.auth import auth_manager_from_config
from homeassistant.auth.const import GROUP_ID_ADMIN
from homeassistant.auth.providers import homeassistant as hass_auth
from homeassistant.components import onboarding, person
from homeassistant.components.http.config import HTTPConfigStore
from homeassistant.components.onboarding.const import STEPS
from homeassistant.config_entries import ConfigEntries
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import collection, device_registry as dr, entity_registry as er
from homeassistant.helpers.storage import Store

DISPLAY_NAME = "Dev"
DEFAULT_PORT = 8123


async def prepare(config_dir: Path, username: str, password: str, port: int = DEFAULT_PORT) -> None:
    """Create the owner, their person and finish onboarding, where not done yet."""
    hass = HomeAssistant(str(config_dir))
    hass.config_entries = ConfigEntries(hass, {})
    await hass.config_entries.async_initialize()
    dr.async_setup(hass)
    await asyncio.gather(dr.async_load(hass), er.async_load(hass))
    hass.auth = await auth_manager_from_config(hass, [{"type": "homeassistant"}], [])
    provider = hass.auth.auth_providers[0]
    assert isinstance(provider, hass_auth.HassAuthProvider)
    await provider.async_initialize()
    assert provider.data is not None

    # 1. the owner and their login
    credentials = await provider.async_get_or_create_credentials({"username": username})
    user = (
        None if credentials.is_new else await hass.auth.async_get_user_by_credentials(credentials)
    )
    if user is None:
        if any(u["username"] == username for u in provider.data.users):
            await provider.async_change_password(username, password)
        else:
            await provider.async_add_auth(username, password)
        user = await hass.auth.async_create_user(DISPLAY_NAME, group_ids=[GROUP_ID_ADMIN])
        await hass.auth.async_link_user(user, credentials)
        print(f"prepare: created user {username!r} (owner: {user.is_owner})", file=sys.stderr)
    else:
        print(f"prepare: user {username!r} exists", file=sys.stderr)

    # 2. a person for the user (what onboarding's user step does)
    persons = person.PersonStorageCollection(
        person.PersonStore(hass, person.STORAGE_VERSION, person.STORAGE_KEY),
        collection.IDManager(),
        collection.YamlCollection(logging.getLogger(__name__), collection.IDManager()),
    )
    await persons.async_load()
    if not any(item.get("user_id") == user.id for item in persons.async_items()):
        await persons.async_create_item({"name": DISPLAY_NAME, "user_id": user.id})
        print(f"prepare: created person {DISPLAY_NAME!r}", file=sys.stderr)

    # 3. onboarding: every step done
    store: Store[dict[str, list[str]]] = Store(
        hass, onboarding.STORAGE_VERSION, onboarding.STORAGE_KEY, private=True
    )
    data = await store.async_load() or {"done": []}
    if set(data["done"]) != set(STEPS):
        await store.async_save({"done": list(STEPS)})
        print("prepare: onboarding marked done", file=sys.stderr)

    # 4. HTTP server: loopback only, confirmed (migrated as pending, then promoted)
    http_config = {"server_host": ["127.0.0.1"], "server_port": port}
    http = HTTPConfigStore(hass)
    await http.async_load()
    if not all(http.stable.get(key) == value for key, value in http_config.items()):
        await http.async_migrate_yaml(http_config)  # type: ignore[arg-type]
        await http.async_promote_pending()
        print(f"prepare: HTTP server set to {http_config}", file=sys.stderr)

    # A stop flushes the delayed saves (auth, person), but only of a running instance.
    logging.getLogger("homeassistant.core").setLevel(logging.WARNING)
    hass.set_state(CoreState.running)
    await hass.async_stop()


def main() -> None:
    """Parse the arguments and run."""
    config_dir, username, password = sys.argv[1:4]
    port = int(sys.argv[4]) if len(sys.argv) > 4 else DEFAULT_PORT
    asyncio.run(
        prepare(Path(config_dir).resolve(), username, password, port),
        loop_factory=runner.create_event_loop,
    )


if __name__ == "__main__":
    main()
