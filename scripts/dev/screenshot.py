"""Screenshots of the dev Home Assistant (scripts/develop) in headless Chromium.

    .venv/bin/python scripts/dev/screenshot.py OUT_DIR PATH [PATH ...]
        [--lang en|nl] [--width 1280] [--height 900] [--theme dark] [--wait-ms 2500]

Logs in as the dev user through Home Assistant's own auth API, hands the tokens to the
frontend the way it keeps them (localStorage `hassTokens`), and saves one PNG per path.
Uses Debian's chromium (`/usr/bin/chromium`): no browser is downloaded. Needs the
`playwright` package (requirements_test.txt).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import re
import urllib.parse
import urllib.request

from playwright.sync_api import sync_playwright

URL = "http://127.0.0.1:8123"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium")


def _post(path: str, data: dict[str, str] | None = None, body: dict[str, object] | None = None):
    if body is not None:
        payload, kind = json.dumps(body).encode(), "application/json"
    else:
        payload, kind = (
            urllib.parse.urlencode(data or {}).encode(),
            "application/x-www-form-urlencoded",
        )
    request = urllib.request.Request(URL + path, payload, {"Content-Type": kind})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def login(user: str, password: str) -> dict[str, object]:
    """Tokens for the dev user, as the frontend's own login does it."""
    client_id = URL + "/"
    flow = _post(
        "/auth/login_flow",
        body={
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": client_id,
        },
    )
    result = _post(
        f"/auth/login_flow/{flow['flow_id']}",
        body={"client_id": client_id, "username": user, "password": password},
    )
    tokens = _post(
        "/auth/token",
        {"grant_type": "authorization_code", "code": result["result"], "client_id": client_id},
    )
    return {**tokens, "hassUrl": URL, "clientId": client_id, "expires": 2**41}


def main() -> None:
    """Parse the options and take the screenshots."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--theme", default="light")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait-ms", type=int, default=2500)
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--user", default=os.environ.get("MS_DEV_USER", "dev"))
    parser.add_argument("--password", default=os.environ.get("MS_DEV_PASSWORD", "dev-password"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tokens = login(args.user, args.password)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(
            viewport={"width": args.width, "height": args.height},
            color_scheme="dark" if args.theme == "dark" else "light",
            locale=args.lang,
        )
        page.add_init_script(
            f"localStorage.setItem('hassTokens', {json.dumps(json.dumps(tokens))});"
            f"localStorage.setItem('selectedLanguage', {json.dumps(json.dumps(args.lang))});"
        )
        for path in args.paths:
            page.goto(URL + path)
            page.wait_for_timeout(args.wait_ms)
            name = re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_") or "home"
            target = args.out / f"{name}_{args.lang}_{args.theme}.png"
            page.screenshot(path=str(target), full_page=args.full_page)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
