"""The signals sources feed a night with, and the rules for a night entered by hand.

Four kinds: in-bed and asleep transitions (`InBed`, `Asleep`, or Sleep as Android
`SleepEvent`s mapped onto them by `sleep_event_transitions`, see `SleepEvent` for
the table), vendor values (`Summary`), and the `log_sleep` action (`ManualEntry`).

A manual night must be plausible (`validate_manual`): rating 1 to 5, no negative
amounts, wake after bedtime, at most `MAX_NIGHT_HOURS`, the bedtime inside that
night's window, nothing in the future, latency and WASO shorter than the night.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
import math
from typing import Final

from ..clock import minutes_between, to_utc
from .night import Channel, Field, Stage, Transition, Value
from .window import DEFAULT_WINDOW, NightWindow, night_of

MAX_NIGHT_HOURS: Final = 20.0
"""A manual night longer than this is rejected."""


class SleepRejected(ValueError):  # noqa: N818 - name is the public API
    """A manual night that cannot be stored; `reason` is a translation key."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        """Keep the translation key next to a readable message."""
        super().__init__(message or reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class InBed:
    """An in-bed sensor changed (occupancy binary sensor, bed presence)."""

    at: datetime
    in_bed: bool
    source: str


@dataclass(frozen=True, slots=True)
class Asleep:
    """An asleep/awake change, optionally with the stage the sleeper entered."""

    at: datetime
    asleep: bool
    source: str
    stage: Stage | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """A value a source reports for a night (already converted: minutes, %, UTC times).

    `night` None means "infer it" (see `NightAssembler.infer_night`); time-valued
    fields are placed by their own value instead. `cumulative` marks a
    `total_increasing` sensor, whose drop to zero is its daily reset, not data.
    `scale` is the vendor score's unit ("points", "score", ...).
    """

    field: Field
    value: Value
    source: str
    received_at: datetime
    night: date | None = None
    measured: bool = True
    scale: str | None = None
    cumulative: bool = False


@dataclass(frozen=True, slots=True)
class SleepEvent:
    """A Sleep as Android event (`sleep_tracking` or `sleep_phase` event type).

    started → in bed; stopped → out of bed and awake; paused → awake; resumed →
    nothing (the next phase tells); awake → awake; not_awake → asleep (stage
    unknown); light_sleep / deep_sleep / rem → asleep in that stage. Raw app names
    (`sleep_tracking_started`) are accepted too; anything else is ignored.
    """

    at: datetime
    kind: str
    source: str


@dataclass(frozen=True, slots=True)
class ManualEntry:
    """A night logged by hand (`log_sleep`); see `validate_manual` for the rules.

    A later entry for the same night replaces bedtime, wake time, time in bed and
    total sleep; optional fields left out keep what an earlier entry gave.
    Time in bed counts as bedtime to wake time and total sleep as that minus latency
    and WASO (measured=False), so a vendor's measured total still wins.
    """

    night: date
    bedtime: datetime
    wake_time: datetime
    received_at: datetime
    latency: float | None = None
    awakenings: int | None = None
    rating: int | None = None
    waso: float | None = None


type Signal = InBed | Asleep | Summary | SleepEvent | ManualEntry

_SLEEP_EVENT_MAP: Final[dict[str, tuple[tuple[Channel, bool, Stage | None], ...]]] = {
    "started": ((Channel.IN_BED, True, None),),
    "stopped": ((Channel.IN_BED, False, None), (Channel.ASLEEP, False, None)),
    "paused": ((Channel.ASLEEP, False, None),),
    "awake": ((Channel.ASLEEP, False, None),),
    "not_awake": ((Channel.ASLEEP, True, None),),
    "light_sleep": ((Channel.ASLEEP, True, Stage.LIGHT),),
    "deep_sleep": ((Channel.ASLEEP, True, Stage.DEEP),),
    "rem": ((Channel.ASLEEP, True, Stage.REM),),
}


def sleep_event_transitions(event: SleepEvent) -> tuple[Transition, ...]:
    """The transitions a Sleep as Android event stands for (empty when it says nothing)."""
    kind = event.kind.strip().casefold()
    kind = kind.removeprefix("sleep_tracking_")
    mapped = _SLEEP_EVENT_MAP.get(kind, ())
    return tuple(
        Transition(event.at, channel, on, event.source, stage) for channel, on, stage in mapped
    )


MAX_AWAKENINGS: Final = 100
"""More awakenings than this in one night is a typo, not a night."""


def validate_manual(entry: ManualEntry, tz: tzinfo, window: NightWindow = DEFAULT_WINDOW) -> None:
    """Raise SleepRejected (reason = translation key) unless the entry is plausible.

    Reasons: rating_out_of_range, negative_value, wake_before_bedtime,
    night_too_long (> 20 h), bedtime_not_in_night, night_in_future (the evening
    lies after the day `received_at` falls on, or the wake time after
    `received_at`), and those of `check_in_bed` with bedtime to wake as time in bed.
    """
    bedtime = to_utc(entry.bedtime, "bedtime")
    wake = to_utc(entry.wake_time, "wake_time")
    now = to_utc(entry.received_at, "received_at")
    if entry.rating is not None and (
        isinstance(entry.rating, bool) or entry.rating not in range(1, 6)
    ):
        raise SleepRejected("rating_out_of_range", "rating must be 1 to 5")
    for amount in (entry.latency, entry.waso, entry.awakenings):
        if amount is not None and (not math.isfinite(amount) or amount < 0):
            raise SleepRejected("negative_value", "latency, WASO and awakenings must be >= 0")
    if entry.awakenings is not None and entry.awakenings > MAX_AWAKENINGS:
        raise SleepRejected("awakenings_implausible", f"more than {MAX_AWAKENINGS} awakenings")
    if wake <= bedtime:
        raise SleepRejected("wake_before_bedtime", "wake time must be after bedtime")
    duration = minutes_between(bedtime, wake)
    if duration > MAX_NIGHT_HOURS * 60:
        raise SleepRejected(
            "night_too_long", f"a night cannot be longer than {MAX_NIGHT_HOURS:g} h"
        )
    if night_of(bedtime, tz, window) != entry.night:
        raise SleepRejected("bedtime_not_in_night", "bedtime is not in that night's window")
    if entry.night > now.astimezone(tz).date() or wake > now:
        raise SleepRejected("night_in_future", "that night has not happened yet")
    check_in_bed(duration, latency=entry.latency or 0.0, waso=entry.waso or 0.0)


def check_in_bed(
    time_in_bed: float, *, latency: float = 0.0, waso: float = 0.0, asleep: float = 0.0
) -> None:
    """Raise SleepRejected unless what happened in bed fits in the time in bed (minutes).

    Reasons: latency_too_long, waso_too_long (latency + WASO), sleep_longer_than_in_bed
    (latency + WASO + time asleep).
    """
    if latency > time_in_bed:
        raise SleepRejected("latency_too_long", "latency is longer than the night")
    if latency + waso > time_in_bed:
        raise SleepRejected("waso_too_long", "latency and WASO are longer than the night")
    if latency + waso + asleep > time_in_bed:
        raise SleepRejected("sleep_longer_than_in_bed", "time asleep is longer than time in bed")
