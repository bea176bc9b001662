"""What a journal append with fsync costs on this disk (a measurement, not a test).

    .venv/bin/python scripts/fsync_cost.py [DIRECTORY] [--appends N] [--runs N]

Times the integration's own journal append (write + fsync, as `log_dose` does it in the
executor) against a bare `os.write` of the same line, in DIRECTORY (default: the current
directory, so run it from the disk that holds Home Assistant's config). Each run appends
to a fresh file, as after every fold; the file is deleted afterwards.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
import json
import os
from pathlib import Path
import statistics
import sys
import tempfile
from time import perf_counter_ns

sys.path.insert(0, str(Path(__file__).parents[1]))

from custom_components.magnesium_sleep.storage import _Journal

LINE = (
    json.dumps(
        {
            "p": "2026-11",
            "id": "01KANNA0000000000000000000",
            "record": {
                "dose_id": "01KANNA0000000000000000000",
                "taken_at": "2026-11-21T21:15:00+00:00",
                "elemental_ug": 100000,
                "amount": "100",
                "unit": "mg",
                "form": "elemental",
                "servings": None,
                "note": None,
                "source": "action",
                "external_id": None,
            },
        },
        separators=(",", ":"),
    ).encode()
    + b"\n"
)


def _times(append: Callable[[bytes], object], count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = perf_counter_ns()
        append(LINE)
        times.append((perf_counter_ns() - start) / 1e6)
    return times


def _row(label: str, times: list[float]) -> str:
    times = sorted(times)
    n = len(times)
    under = sum(t < 1 for t in times) / n
    return (
        f"{label:22} n={n:5}  median {statistics.median(times):6.3f}  p10 {times[n // 10]:6.3f}"
        f"  p90 {times[9 * n // 10]:6.3f}  p99 {times[99 * n // 100]:6.3f}"
        f"  max {times[-1]:7.3f}  mean {statistics.mean(times):6.3f} ms; < 1 ms: {under:.0%}"
    )


def main() -> None:
    """Measure and print one row per kind of append."""
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=Path, nargs="?", default=Path())
    parser.add_argument("--appends", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    plain: list[float] = []
    synced: list[float] = []
    with tempfile.TemporaryDirectory(dir=args.directory) as directory:
        for run in range(args.runs):
            path = Path(directory, f"plain{run}")
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            plain += _times(partial(os.write, fd), args.appends)
            os.close(fd)
            journal = _Journal(Path(directory, f"journal{run}"))
            synced += _times(journal.append, args.appends)
            journal.clear()
    print(_row("os.write only", plain))
    print(_row("journal append + fsync", synced))


if __name__ == "__main__":
    main()
