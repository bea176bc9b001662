"""An acknowledged dose survives `kill -9` of Home Assistant.

The `hass` fixture keeps storage in memory, so this runs a real Home Assistant in child
processes (tests/durability_child.py) on a temporary config directory: one creates a
profile through the config flow, logs doses and is killed with SIGKILL right after the
last acknowledgement (no graceful stop, so no final write); another loads the directory
again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
import os
from pathlib import Path
import select
import signal
import subprocess
import sys
import time

import pytest

CHILD = Path(__file__).with_name("durability_child.py")
INTEGRATION = Path(__file__).parents[1] / "custom_components" / "magnesium_sleep"
DOSES = 5
PHASE_TIMEOUT = 60.0  # seconds per child; a run takes a few


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No `hass` fixture here: Home Assistant runs in the child processes."""


class ChildFailedError(AssertionError):
    """A child process did not do its part."""


@contextmanager
def _child(config_dir: Path, log_file: Path, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """Start the child; whatever happens, it is dead and reaped afterwards."""
    with (
        log_file.open("ab") as stderr,
        subprocess.Popen(  # noqa: S603 - our interpreter, our script
            [sys.executable, str(CHILD), str(config_dir), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            bufsize=0,
        ) as child,
    ):
        try:
            yield child
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=PHASE_TIMEOUT)


def _read_lines(
    child: subprocess.Popen[bytes], done: Callable[[list[str]], bool], log_file: Path
) -> list[str]:
    """Lines from the child's stdout until `done(lines)`; fails on exit or timeout."""
    assert child.stdout is not None
    fd = child.stdout.fileno()
    deadline = time.monotonic() + PHASE_TIMEOUT
    lines: list[str] = []
    pending = b""
    while not done(lines):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ChildFailedError(f"child timed out after {lines}:\n{_tail(log_file)}")
        if not select.select([fd], [], [], remaining)[0]:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            raise ChildFailedError(f"child exited after {lines}:\n{_tail(log_file)}")
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for raw in complete:
            lines.append(raw.decode())
            if done(lines):
                break
    return lines


def _tail(log_file: Path) -> str:
    return "\n".join(log_file.read_text(errors="replace").splitlines()[-40:])


def _log_and_kill(config_dir: Path, log_file: Path, count: int) -> list[str]:
    """Log `count` doses in a child, SIGKILL it the moment the last one is acknowledged."""
    with _child(config_dir, log_file, "log", str(count)) as child:
        lines = _read_lines(
            child, lambda lines: sum(x.startswith("dose ") for x in lines) == count, log_file
        )
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=PHASE_TIMEOUT) == -signal.SIGKILL
    acknowledged = [line.removeprefix("dose ") for line in lines if line.startswith("dose ")]
    assert len(set(acknowledged)) == count
    return acknowledged


def _stored(config_dir: Path, log_file: Path) -> set[str]:
    """The doses a new process on the directory loads."""
    with _child(config_dir, log_file, "check") as child:
        lines = _read_lines(child, lambda lines: "end" in lines, log_file)
        assert child.wait(timeout=PHASE_TIMEOUT) == 0, _tail(log_file)
    return {line.removeprefix("have ") for line in lines if line.startswith("have ")}


def _config_dir(tmp_path: Path) -> Path:
    config_dir = tmp_path / "config"
    (config_dir / "custom_components").mkdir(parents=True)
    (config_dir / "custom_components" / "magnesium_sleep").symlink_to(INTEGRATION)
    return config_dir


def test_acknowledged_doses_survive_sigkill(tmp_path: Path) -> None:
    config_dir, log_file = _config_dir(tmp_path), tmp_path / "children.log"
    acknowledged = _log_and_kill(config_dir, log_file, DOSES)
    stored = _stored(config_dir, log_file)
    missing = [dose_id for dose_id in acknowledged if dose_id not in stored]
    assert not missing, f"acknowledged but lost after SIGKILL: {missing}"


def test_a_dose_after_a_torn_journal_line_survives_sigkill(tmp_path: Path) -> None:
    """Two doses, SIGKILL, the journal cut mid-line (a power cut), a dose, SIGKILL."""
    config_dir, log_file = _config_dir(tmp_path), tmp_path / "children.log"
    first, _torn = _log_and_kill(config_dir, log_file, 2)
    (journal,) = (config_dir / ".storage").glob("magnesium_sleep.*.doses.journal")
    content = journal.read_bytes()
    journal.write_bytes(content[: len(content) - 20])

    (after,) = _log_and_kill(config_dir, log_file, 1)
    assert _stored(config_dir, log_file) == {first, after}
