"""Create the demo magnesium_sleep profile through the integration's real config flow.

Logs in over REST like the frontend does (``/auth/login_flow`` -> ``/auth/token``), and
when no magnesium_sleep entry exists yet, starts the config flow
(``POST /api/config/config_entries/flow``) and answers each form it returns: for every
field of the step's ``data_schema`` it uses the value from ``PROFILE`` when the field's
selector accepts it, otherwise the form's suggested value or default, otherwise the first
option of a required select. So it keeps working when the lead adds or reorders steps.

Usage: ``python scripts/dev/create_profile.py URL USER PASSWORD`` (standard library only).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

DOMAIN = "magnesium_sleep"

# What the demo person answers, by field name, whichever step asks.
PROFILE: dict[str, Any] = {
    "name": "Dev",
    "person": "person.dev",
    "age_band": "31_50",
    "sex": "female",
    "product_form": "glycinate",
    "product_amount_mg": 500,
    "product_basis": "compound",
}
MAX_STEPS = 10
START_TIMEOUT_S = 300


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"create_profile: {message}", file=sys.stderr)


class Client:
    """The few REST calls needed, with a bearer token once logged in."""

    def __init__(self, base_url: str) -> None:
        """Talk to the Home Assistant at base_url."""
        self.base = base_url.rstrip("/")
        self.client_id = self.base + "/"
        self.token: str | None = None

    def call(self, method: str, path: str, body: Any = None, *, form: bool = False) -> Any:
        """Send a request and decode the JSON answer."""
        headers = {}
        data = None
        if form:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as err:
            raise SystemExit(
                f"create_profile: {method} {path} -> {err.code}: {err.read().decode()[:500]}"
            ) from None

    def login(self, username: str, password: str) -> None:
        """Run the login flow of the homeassistant auth provider and keep the access token."""
        flow = self.call(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
        )
        result = self.call(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": self.client_id, "username": username, "password": password},
        )
        if result.get("type") != "create_entry":
            raise SystemExit(f"create_profile: login failed: {result.get('errors') or result}")
        token = self.call(
            "POST",
            "/auth/token",
            {
                "grant_type": "authorization_code",
                "code": result["result"],
                "client_id": self.client_id,
            },
            form=True,
        )
        self.token = token["access_token"]


def accepts(selector: dict[str, Any], value: Any) -> bool:
    """Whether a serialized selector would take value (the checks that matter here)."""
    if "select" in selector:
        options = [o["value"] if isinstance(o, dict) else o for o in selector["select"]["options"]]
        return value in options
    if "number" in selector:
        config = selector["number"]
        return isinstance(value, int | float) and (
            config.get("min", value) <= value <= config.get("max", value)
        )
    return True


def answer(field: dict[str, Any]) -> tuple[bool, Any]:
    """The value to send for one serialized schema field, or (False, None) to leave it out."""
    name, selector = field["name"], field.get("selector", {})
    if name in PROFILE and accepts(selector, PROFILE[name]):
        return True, PROFILE[name]
    suggested = (field.get("description") or {}).get("suggested_value")
    if suggested is not None:
        return True, suggested
    if "default" in field:
        return True, field["default"]
    if field.get("required") and "select" in selector:
        first = selector["select"]["options"][0]
        return True, first["value"] if isinstance(first, dict) else first
    if field.get("required"):
        raise SystemExit(f"create_profile: no value for required field {name!r}: {field}")
    return False, None


def answers(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The values to send for a serialized schema; a section's fields go in its own dict."""
    data: dict[str, Any] = {}
    for field in fields:
        if field.get("type") == "expandable":
            data[field["name"]] = answers(field["schema"])
            continue
        send, value = answer(field)
        if send:
            data[field["name"]] = value
    return data


def wait_until_running(client: Client, username: str, password: str) -> None:
    """Wait for the HTTP server, log in, then wait until Home Assistant has started."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(client.base + "/auth/providers", timeout=5):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"create_profile: {client.base} did not answer") from None
            time.sleep(1)
    client.login(username, password)
    while (state := client.call("GET", "/api/config").get("state")) != "RUNNING":
        if time.monotonic() > deadline:
            raise SystemExit(f"create_profile: Home Assistant stays {state!r}")
        time.sleep(1)
    log(f"Home Assistant is running at {client.base}")


def walk(client: Client, flows: str, first: dict[str, Any], menu_choice: str = "") -> Any:
    """Answer a flow's forms (and pick `menu_choice` at a menu) until it finishes."""
    result = client.call("POST", flows, first)
    for _ in range(MAX_STEPS):
        kind = result.get("type")
        if kind == "create_entry":
            return result
        if kind == "menu":
            data: dict[str, Any] = {"next_step_id": menu_choice}
        elif kind == "form":
            if result.get("errors"):
                raise SystemExit(
                    f"create_profile: step {result['step_id']!r} refused: {result['errors']}"
                )
            data = answers(result.get("data_schema") or [])
        else:
            raise SystemExit(f"create_profile: the flow ended with {kind}: {result}")
        log(f"step {result['step_id']!r}: {json.dumps(data)}")
        result = client.call("POST", f"{flows}/{result['flow_id']}", data)
    raise SystemExit(f"create_profile: the flow did not finish in {MAX_STEPS} steps")


def main() -> None:
    """Log in, create the profile unless one exists, and let it find the demo sleep sources."""
    base_url, username, password = sys.argv[1:4]
    client = Client(base_url)
    wait_until_running(client, username, password)

    entries = client.call("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
    if entries:
        log(f"a {DOMAIN} entry exists already: {entries[0]['title']!r} ({entries[0]['state']})")
        return

    created = walk(client, "/api/config/config_entries/flow", {"handler": DOMAIN})
    entry_id = created["result"]["entry_id"]
    log(f"created entry {created['title']!r} ({created['result']['state']})")
    # The sleep sources step pre-selects what it detects: accept its suggestions.
    walk(
        client,
        "/api/config/config_entries/options/flow",
        {"handler": entry_id},
        menu_choice="sleep_sources",
    )
    log("sleep sources set to the detected demo entities")


if __name__ == "__main__":
    main()
