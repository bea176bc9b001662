"""One nightly sleep record per evening, assembled from whatever a person's sources give.

Vocabulary (domain reference section 6):

- The **night key** is the local date of the evening the night starts on.
- The **night window** (default 18:00 to 12:00 local) is when a night's sleep may
  start. An in-bed or asleep interval that *starts* outside it is a nap and is
  ignored. The **span** of night N runs from N's window start to N+1's window start;
  the part after the window end is the night's *tail*, where the last intervals may
  still close (waking at 12:30 closes the night, a 14:00 nap starts nothing).
- Durations are float minutes, computed from aware datetimes converted to UTC,
  never by subtracting wall clocks (a 23:00 to 07:00 night is 7 h on the spring-forward
  night and 9 h on the fall-back night).

Sources feed four kinds of signals: in-bed and asleep transitions (`InBed`,
`Asleep`, or Sleep as Android `SleepEvent`s mapped onto them), vendor values
(`Summary`), and the `log_sleep` action (`ManualEntry`). `NightAssembler` keeps the
transitions of recent nights to derive bedtime, onset, wake, out of bed, total
sleep, WASO, awakenings and stages, and merges them with vendor values by one rule:

1. a manual value beats everything;
2. a measured value (a number the source gave as is) beats a derived one;
3. within a rank, a source earlier in `source_priority` wins, then the most recently
   received value;
4. a later value from the same source replaces its earlier value, an older one
   arriving late is ignored, an identical one changes nothing.

Missing fields that follow from others are then derived (time in bed, latency,
onset, total sleep from stages, efficiency) and flagged measured=False with the
fields they came from in `Provenance.inputs`.

Every night keeps a `Provenance` per field, round-trips through `to_dict` and
`from_dict`, and a new assembler built from stored nights gives the same nights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field as dc_field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from itertools import pairwise
import math
import statistics
from typing import Any, Final, assert_never
from zoneinfo import ZoneInfo

MANUAL: Final = "manual"
"""Source id of values a person entered (the `log_sleep` action)."""

AWAKENING_MIN_MINUTES: Final = 5.0
"""An awake gap must last longer than this to count as an awakening (NSF)."""

MAX_NIGHT_HOURS: Final = 20.0
"""A manual night longer than this is rejected."""

REGULARITY_NIGHTS: Final = 14
"""How many previous evenings the regularity median looks back over."""

REGULARITY_MIN_NIGHTS: Final = 3
"""Fewer previous nights with a midpoint than this give no regularity."""

SCHEMA_VERSION: Final = 1

_MINUTES_PER_DAY: Final = 1440.0
_MAX_DURATION_MINUTES: Final = 24 * 60.0


class Field(StrEnum):
    """The fields of a night; each value is also the `Night` attribute's name."""

    BEDTIME = "bedtime"
    SLEEP_ONSET = "sleep_onset"
    WAKE_TIME = "wake_time"
    OUT_OF_BED = "out_of_bed"
    TIME_IN_BED = "time_in_bed"
    TOTAL_SLEEP = "total_sleep"
    LATENCY = "latency"
    WASO = "waso"
    EFFICIENCY = "efficiency"
    AWAKENINGS = "awakenings"
    DEEP = "deep"
    LIGHT = "light"
    REM = "rem"
    HRV = "hrv"
    RESTING_HEART_RATE = "resting_heart_rate"
    VENDOR_SCORE = "vendor_score"
    RATING = "rating"


TIME_FIELDS: Final = frozenset(
    {Field.BEDTIME, Field.SLEEP_ONSET, Field.WAKE_TIME, Field.OUT_OF_BED}
)
"""Fields holding an aware UTC datetime."""

DURATION_FIELDS: Final = frozenset(
    {
        Field.TIME_IN_BED,
        Field.TOTAL_SLEEP,
        Field.LATENCY,
        Field.WASO,
        Field.DEEP,
        Field.LIGHT,
        Field.REM,
    }
)
"""Fields holding float minutes."""

INT_FIELDS: Final = frozenset({Field.AWAKENINGS, Field.RATING})
"""Fields holding an int."""


class Stage(StrEnum):
    """Sleep stages a tracker may report (Apple's "core" is light)."""

    LIGHT = "light"
    DEEP = "deep"
    REM = "rem"


_STAGE_FIELD: Final = {Stage.LIGHT: Field.LIGHT, Stage.DEEP: Field.DEEP, Stage.REM: Field.REM}


class Channel(StrEnum):
    """The two on/off timelines a night is derived from."""

    IN_BED = "in_bed"
    ASLEEP = "asleep"


type Value = datetime | float | int
"""A field's value: a UTC datetime, float minutes / percent / ms / bpm / score, or an int."""


class SleepRejected(ValueError):  # noqa: N818 - name is the public API
    """A manual night that cannot be stored; `reason` is a translation key."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        """Keep the translation key next to a readable message."""
        super().__init__(message or reason)
        self.reason = reason


# --------------------------------------------------------------------------- window


@dataclass(frozen=True, slots=True)
class NightWindow:
    """Local times between which a night's sleep may start (start inclusive, end exclusive).

    The default 18:00 to 12:00 crosses midnight. A window that does not cross
    midnight (e.g. 08:00 to 16:00 for someone on nights) belongs to its own date;
    start == end means every moment belongs to some night.
    """

    start: time = time(18, 0)
    end: time = time(12, 0)

    def __post_init__(self) -> None:
        """Reject aware times: the window is in the person's local clock."""
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("night window times must be naive local times")

    @property
    def crosses_midnight(self) -> bool:
        """Whether the window runs past midnight (the usual case)."""
        return self.start >= self.end

    def contains(self, clock: time) -> bool:
        """Whether a local clock time lies inside the window."""
        if self.start == self.end:
            return True
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end


DEFAULT_WINDOW: Final = NightWindow()
"""18:00 to 12:00 local."""


def _require_aware(moment: datetime, what: str = "datetime") -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return moment.astimezone(UTC)


def night_of(moment: datetime, tz: tzinfo, window: NightWindow = DEFAULT_WINDOW) -> date | None:
    """The night key of a moment inside the window (the evening's date), None outside."""
    local = _require_aware(moment, "moment").astimezone(tz)
    clock = local.time()
    if not window.contains(clock):
        return None
    if window.start < window.end or clock >= window.start:
        return local.date()
    return local.date() - timedelta(days=1)


def span_of(moment: datetime, tz: tzinfo, window: NightWindow = DEFAULT_WINDOW) -> date:
    """The night whose span (window start to the next window start) holds a moment."""
    local = _require_aware(moment, "moment").astimezone(tz)
    if local.time() >= window.start:
        return local.date()
    return local.date() - timedelta(days=1)


def window_bounds(
    key: date, tz: tzinfo, window: NightWindow = DEFAULT_WINDOW
) -> tuple[datetime, datetime]:
    """UTC start and end of night `key`'s window (DST-exact: local times converted)."""
    start = datetime.combine(key, window.start, tzinfo=tz)
    end_day = key + timedelta(days=1) if window.crosses_midnight else key
    end = datetime.combine(end_day, window.end, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def minutes_between(start: datetime, end: datetime) -> float:
    """Elapsed minutes between two aware datetimes (UTC arithmetic, DST-exact)."""
    return (_require_aware(end) - _require_aware(start)).total_seconds() / 60


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a field's value came from.

    `source` is an entity id, "apple_health", "manual", or for a value derived from
    other fields the sources of those fields joined by "+". `measured` is True when
    the source gave the number as is, False when this module computed it.
    `inputs` lists the fields a value was derived from (empty for source values and
    for values derived from in-bed/asleep transitions).
    """

    source: str
    measured: bool
    received_at: datetime
    inputs: tuple[Field, ...] = ()

    def __post_init__(self) -> None:
        """Store received_at in UTC."""
        object.__setattr__(self, "received_at", _require_aware(self.received_at, "received_at"))


@dataclass(frozen=True, slots=True)
class Transition:
    """One in-bed or asleep on/off change, as the assembler stores it."""

    at: datetime
    channel: Channel
    on: bool
    source: str
    stage: Stage | None = None

    def __post_init__(self) -> None:
        """Store the moment in UTC; only asleep=on transitions carry a stage."""
        object.__setattr__(self, "at", _require_aware(self.at, "transition time"))
        if self.stage is not None and not (self.on and self.channel is Channel.ASLEEP):
            object.__setattr__(self, "stage", None)

    def sort_key(self) -> tuple[datetime, bool, str, str, str]:
        """Time order; at one instant off sorts before on, so adjoining samples join."""
        return (self.at, self.on, self.stage or "", self.channel.value, self.source)


@dataclass(frozen=True)
class Night:
    """One night's record. Times are aware UTC datetimes, durations float minutes.

    Efficiency is a percentage (0-100), HRV in ms, resting heart rate in bpm, the
    vendor score on the vendor's own scale (`vendor_score_scale`, e.g. "points"),
    rating the person's 1-5. `transitions` holds the in-bed/asleep changes of a night
    still open for late signals (empty once the night is frozen), `timezone` the IANA
    key the night was assembled in (used for its clock midpoint).

    Not hashable (it holds a dict).
    """

    night: date
    bedtime: datetime | None = None
    sleep_onset: datetime | None = None
    wake_time: datetime | None = None
    out_of_bed: datetime | None = None
    time_in_bed: float | None = None
    total_sleep: float | None = None
    latency: float | None = None
    waso: float | None = None
    efficiency: float | None = None
    awakenings: int | None = None
    deep: float | None = None
    light: float | None = None
    rem: float | None = None
    hrv: float | None = None
    resting_heart_rate: float | None = None
    vendor_score: float | None = None
    vendor_score_scale: str | None = None
    rating: int | None = None
    provenance: Mapping[Field, Provenance] = dc_field(default_factory=dict)
    transitions: tuple[Transition, ...] = ()
    timezone: str | None = None

    def __post_init__(self) -> None:
        """Normalise times to UTC."""
        for fld in TIME_FIELDS:
            value = getattr(self, fld.value)
            if value is not None:
                object.__setattr__(self, fld.value, _require_aware(value, fld.value))

    def get(self, fld: Field) -> Value | None:
        """A field's value."""
        value: Value | None = getattr(self, fld.value)
        return value

    def values(self) -> dict[Field, Value]:
        """All known fields and their values."""
        return {fld: value for fld in Field if (value := self.get(fld)) is not None}

    @property
    def has_data(self) -> bool:
        """Whether any field is known."""
        return any(self.get(fld) is not None for fld in Field)

    @property
    def is_complete(self) -> bool:
        """Whether the night has ended (a wake time) or a vendor gave its total sleep."""
        return self.wake_time is not None or self.total_sleep is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict; `from_dict` restores an equal Night."""
        values: dict[str, Any] = {}
        for fld, value in self.values().items():
            values[fld.value] = value.isoformat() if isinstance(value, datetime) else value
        return {
            "version": SCHEMA_VERSION,
            "night": self.night.isoformat(),
            "timezone": self.timezone,
            "values": values,
            "vendor_score_scale": self.vendor_score_scale,
            "provenance": {
                fld.value: {
                    "source": prov.source,
                    "measured": prov.measured,
                    "received_at": prov.received_at.isoformat(),
                    "inputs": [inp.value for inp in prov.inputs],
                }
                for fld, prov in sorted(self.provenance.items())
            },
            "transitions": [
                [t.at.isoformat(), t.channel.value, t.on, t.source, t.stage]
                for t in self.transitions
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Night:
        """Restore a night written by `to_dict`; raises ValueError on a malformed dict."""
        try:
            if data.get("version", SCHEMA_VERSION) > SCHEMA_VERSION:
                raise ValueError("night stored by a newer version")
            kwargs: dict[str, Any] = {}
            for name, raw in dict(data.get("values", {})).items():
                fld = Field(name)
                kwargs[fld.value] = _value_from_json(fld, raw)
            provenance = {
                Field(name): Provenance(
                    source=str(raw["source"]),
                    measured=bool(raw["measured"]),
                    received_at=datetime.fromisoformat(raw["received_at"]),
                    inputs=tuple(Field(inp) for inp in raw.get("inputs", ())),
                )
                for name, raw in dict(data.get("provenance", {})).items()
            }
            transitions = tuple(
                Transition(
                    at=datetime.fromisoformat(at),
                    channel=Channel(channel),
                    on=bool(on),
                    source=str(source),
                    stage=None if stage is None else Stage(stage),
                )
                for at, channel, on, source, stage in data.get("transitions", ())
            )
            scale = data.get("vendor_score_scale")
            timezone = data.get("timezone")
            return cls(
                night=date.fromisoformat(data["night"]),
                vendor_score_scale=None if scale is None else str(scale),
                provenance=provenance,
                transitions=transitions,
                timezone=None if timezone is None else str(timezone),
                **kwargs,
            )
        except (KeyError, TypeError, AttributeError) as err:
            raise ValueError(f"malformed stored night: {err!r}") from err


def _value_from_json(fld: Field, raw: Any) -> Value:
    if fld in TIME_FIELDS:
        return datetime.fromisoformat(raw)
    if fld in INT_FIELDS:
        return int(raw)
    return float(raw)


# --------------------------------------------------------------------------- signals


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


def validate_manual(entry: ManualEntry, tz: tzinfo, window: NightWindow = DEFAULT_WINDOW) -> None:
    """Raise SleepRejected (reason = translation key) unless the entry is plausible.

    Reasons: rating_out_of_range, negative_value, wake_before_bedtime,
    night_too_long (> 20 h), bedtime_not_in_night, night_in_future (the evening
    lies after the day `received_at` falls on, or the wake time after
    `received_at`), and those of `check_in_bed` with bedtime to wake as time in bed.
    """
    bedtime = _require_aware(entry.bedtime, "bedtime")
    wake = _require_aware(entry.wake_time, "wake_time")
    now = _require_aware(entry.received_at, "received_at")
    if entry.rating is not None and (
        isinstance(entry.rating, bool) or entry.rating not in range(1, 6)
    ):
        raise SleepRejected("rating_out_of_range", "rating must be 1 to 5")
    for amount in (entry.latency, entry.waso, entry.awakenings):
        if amount is not None and (not math.isfinite(amount) or amount < 0):
            raise SleepRejected("negative_value", "latency, WASO and awakenings must be >= 0")
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


# --------------------------------------------------------------------------- midpoint


def _clock_minutes(moment: datetime, tz: tzinfo) -> float:
    local = moment.astimezone(tz)
    return local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 60e6


def _night_tz(night: Night) -> tzinfo:
    return ZoneInfo(night.timezone) if night.timezone else UTC


def sleep_midpoint(night: Night) -> float | None:
    """Local clock midpoint of sleep in minutes after midnight, [0, 1440).

    Onset to wake (bedtime / out of bed when those are missing), taken on the clock
    (halfway between the two clock readings), so a DST night is not "irregular":
    23:00 to 07:00 has its midpoint at 03:00 whether the night lasted 7, 8 or 9 h.
    """
    start = night.sleep_onset or night.bedtime
    end = night.wake_time or night.out_of_bed
    if start is None or end is None or end <= start:
        return None
    tz = _night_tz(night)
    onset = _clock_minutes(start, tz)
    span = (_clock_minutes(end, tz) - onset) % _MINUTES_PER_DAY
    return (onset + span / 2) % _MINUTES_PER_DAY


def clock_difference(a: float, b: float) -> float:
    """Shortest distance in minutes between two clock times (handles midnight wrap)."""
    diff = (a - b) % _MINUTES_PER_DAY
    return min(diff, _MINUTES_PER_DAY - diff)


def circular_median(clock_minutes: Sequence[float]) -> float | None:
    """Median of clock times: unwrapped around their circular mean, then the usual median."""
    if not clock_minutes:
        return None
    angles = [m / _MINUTES_PER_DAY * 2 * math.pi for m in clock_minutes]
    x = sum(math.cos(a) for a in angles)
    y = sum(math.sin(a) for a in angles)
    if math.hypot(x, y) < 1e-9:
        centre = clock_minutes[0]
    else:
        centre = (math.atan2(y, x) / (2 * math.pi) * _MINUTES_PER_DAY) % _MINUTES_PER_DAY
    unwrapped = [centre + ((m - centre + 720) % _MINUTES_PER_DAY) - 720 for m in clock_minutes]
    return statistics.median(unwrapped) % _MINUTES_PER_DAY


def regularity(night: Night, previous: Iterable[Night]) -> float | None:
    """Minutes between this night's midpoint and the median of the previous 14 evenings.

    Previous nights count when their key lies 1 to 14 days before this one and they
    have a midpoint; fewer than 3 such nights give None.
    """
    midpoint = sleep_midpoint(night)
    if midpoint is None:
        return None
    earliest = night.night - timedelta(days=REGULARITY_NIGHTS)
    earlier = [
        m
        for other in previous
        if earliest <= other.night < night.night and (m := sleep_midpoint(other)) is not None
    ]
    if len(earlier) < REGULARITY_MIN_NIGHTS:
        return None
    centre = circular_median(earlier)
    return None if centre is None else clock_difference(midpoint, centre)


# --------------------------------------------------------------------------- assembly


_TIER_MANUAL: Final = 4
_TIER_MEASURED: Final = 3
_TIER_MANUAL_DERIVED: Final = 2
_TIER_DERIVED: Final = 1


def _tier(source: str, measured: bool) -> int:
    if source == MANUAL:
        return _TIER_MANUAL if measured else _TIER_MANUAL_DERIVED
    return _TIER_MEASURED if measured else _TIER_DERIVED


@dataclass(frozen=True, slots=True)
class _Candidate:
    value: Value
    provenance: Provenance
    scale: str | None = None

    @property
    def tier(self) -> int:
        return _tier(self.provenance.source, self.provenance.measured)


@dataclass(slots=True)
class _Interval:
    start: datetime
    end: datetime | None
    stages: list[tuple[datetime, Stage | None]]


@dataclass(slots=True)
class _Derived:
    values: dict[Field, tuple[Value, str]]
    used: list[Transition]
    received_at: datetime | None
    start: datetime | None  # first in-bed/asleep start of the night (for "in progress")
    end: datetime | None  # first of wake / out of bed; None while an interval is open
    open: bool


def _walk(
    timeline: Sequence[Transition], key: date, tz: tzinfo, window: NightWindow
) -> tuple[list[_Interval], list[Transition]]:
    """Collapse one sorted (channel, source) timeline into the night's intervals.

    Off while off and on while on (same stage) change nothing. The first interval
    starting outside the window is a nap: it and everything after it in the span
    (the tail) are left out, and so are offs before the first on. The transitions
    kept (`Night.transitions`) include the redundant ones in between, because a
    transition arriving late can make them count again.
    """
    intervals: list[_Interval] = []
    used: list[Transition] = []
    current: _Interval | None = None
    for transition in timeline:
        if current is None:
            if not transition.on:
                if used:
                    used.append(transition)
                continue
            if night_of(transition.at, tz, window) != key:
                break
            current = _Interval(transition.at, None, [(transition.at, transition.stage)])
        elif transition.on:
            if transition.stage != current.stages[-1][1]:
                current.stages.append((transition.at, transition.stage))
        else:
            current.end = transition.at
            intervals.append(current)
            current = None
        used.append(transition)
    if current is not None:
        intervals.append(current)
    return intervals, used


def _clip(
    intervals: list[_Interval], lower: datetime | None, upper: datetime | None
) -> list[_Interval]:
    """Asleep implies in bed: keep asleep time inside the in-bed span when there is one."""
    clipped: list[_Interval] = []
    for interval in intervals:
        start = interval.start if lower is None else max(interval.start, lower)
        end = interval.end
        if upper is not None:
            end = upper if end is None else min(end, upper)
        if end is not None and end <= start:
            continue
        stages: list[tuple[datetime, Stage | None]] = []
        for at, stage in interval.stages:
            if end is not None and at >= end:
                break
            if at <= start:
                stages = [(start, stage)]
            else:
                stages.append((at, stage))
        clipped.append(_Interval(start, end, stages))
    return clipped


def _priority_rank(priority: Mapping[str, int], source: str) -> int:
    return priority.get(source, len(priority))


def _derive(
    transitions: Iterable[Transition],
    key: date,
    tz: tzinfo,
    window: NightWindow,
    priority: Mapping[str, int],
) -> _Derived:
    """Derive a night's fields from its in-bed and asleep transitions.

    Per channel one source is used: the first in `source_priority` among sources with
    a non-nap interval, else the alphabetically first. Mixing two bed sensors' on/off
    streams would invent intervals.
    """
    timelines: dict[tuple[Channel, str], list[Transition]] = {}
    for transition in transitions:
        timelines.setdefault((transition.channel, transition.source), []).append(transition)
    walked: dict[Channel, tuple[str, list[_Interval]]] = {}
    used: list[Transition] = []
    for (channel, source), timeline in sorted(
        timelines.items(), key=lambda item: (_priority_rank(priority, item[0][1]), item[0][1])
    ):
        timeline.sort(key=Transition.sort_key)
        intervals, used_here = _walk(timeline, key, tz, window)
        used.extend(used_here)
        if intervals and channel not in walked:
            walked[channel] = (source, intervals)

    values: dict[Field, tuple[Value, str]] = {}
    lower: datetime | None = None
    upper: datetime | None = None
    start: datetime | None = None
    end: datetime | None = None
    is_open = False
    if Channel.IN_BED in walked:
        source, in_bed = walked[Channel.IN_BED]
        lower = in_bed[0].start
        values[Field.BEDTIME] = (lower, source)
        upper = in_bed[-1].end
        start = lower
        if upper is None:
            is_open = True
        else:
            values[Field.OUT_OF_BED] = (upper, source)
            end = upper
    if Channel.ASLEEP in walked:
        source, raw = walked[Channel.ASLEEP]
        asleep = _clip(raw, lower, upper)
        if asleep:
            onset = asleep[0].start
            values[Field.SLEEP_ONSET] = (onset, source)
            start = onset if start is None else min(start, onset)
            last_end = asleep[-1].end
            if last_end is None:
                is_open = True
            else:
                _add_sleep_fields(values, asleep, last_end, source)
                end = last_end if end is None else min(end, last_end)
    used.sort(key=Transition.sort_key)
    return _Derived(
        values=values,
        used=used,
        received_at=max((t.at for t in used), default=None),
        start=start,
        end=None if is_open else end,
        open=is_open,
    )


def _add_sleep_fields(
    values: dict[Field, tuple[Value, str]],
    asleep: list[_Interval],
    wake: datetime,
    source: str,
) -> None:
    """Wake time, total sleep, WASO, awakenings and stage minutes of closed intervals."""
    total = 0.0
    stage_minutes: dict[Stage, float] = dict.fromkeys(Stage, 0.0)
    staged = False
    for interval in asleep:
        end = wake if interval.end is None else interval.end  # only the last one may be open
        total += minutes_between(interval.start, end)
        bounds = [at for at, _ in interval.stages[1:]] + [end]
        for (at, stage), until in zip(interval.stages, bounds, strict=True):
            if stage is not None:
                staged = True
                stage_minutes[stage] += minutes_between(at, until)
    gaps = [
        minutes_between(before.end, after.start)
        for before, after in pairwise(asleep)
        if before.end is not None
    ]
    values[Field.WAKE_TIME] = (wake, source)
    values[Field.TOTAL_SLEEP] = (total, source)
    values[Field.WASO] = (sum(gaps, 0.0), source)  # float minutes even without gaps
    values[Field.AWAKENINGS] = (sum(1 for gap in gaps if gap > AWAKENING_MIN_MINUTES), source)
    if staged:
        for stage, minutes in stage_minutes.items():
            values[_STAGE_FIELD[stage]] = (minutes, source)


def _derive_missing(chosen: dict[Field, tuple[Value, Provenance]]) -> None:
    """Fill fields that follow from others (measured=False, inputs recorded), in place."""

    def put(fld: Field, value: Value, inputs: tuple[Field, ...]) -> None:
        provs = [chosen[inp][1] for inp in inputs]
        chosen[fld] = (
            value,
            Provenance(
                source="+".join(sorted({p.source for p in provs})),
                measured=False,
                received_at=max(p.received_at for p in provs),
                inputs=inputs,
            ),
        )

    def dt(fld: Field) -> datetime | None:
        entry = chosen.get(fld)
        return entry[0] if entry is not None and isinstance(entry[0], datetime) else None

    def num(fld: Field) -> float | None:
        entry = chosen.get(fld)
        if entry is None or isinstance(entry[0], datetime):
            return None
        return float(entry[0])

    bedtime, out_of_bed = dt(Field.BEDTIME), dt(Field.OUT_OF_BED)
    if Field.TIME_IN_BED not in chosen and bedtime and out_of_bed and out_of_bed > bedtime:
        put(
            Field.TIME_IN_BED,
            minutes_between(bedtime, out_of_bed),
            (Field.BEDTIME, Field.OUT_OF_BED),
        )
    onset, latency = dt(Field.SLEEP_ONSET), num(Field.LATENCY)
    if latency is None and bedtime and onset:
        put(
            Field.LATENCY,
            max(0.0, minutes_between(bedtime, onset)),
            (Field.BEDTIME, Field.SLEEP_ONSET),
        )
    elif onset is None and bedtime and latency is not None:
        put(Field.SLEEP_ONSET, bedtime + timedelta(minutes=latency), (Field.BEDTIME, Field.LATENCY))
    stages = [num(Field.DEEP), num(Field.LIGHT), num(Field.REM)]
    if Field.TOTAL_SLEEP not in chosen and all(s is not None for s in stages):
        total = sum(s for s in stages if s is not None)
        if total > 0:
            put(Field.TOTAL_SLEEP, total, (Field.DEEP, Field.LIGHT, Field.REM))
    total_sleep, in_bed = num(Field.TOTAL_SLEEP), num(Field.TIME_IN_BED)
    if Field.EFFICIENCY not in chosen and total_sleep is not None and in_bed:
        efficiency = min(100.0, max(0.0, total_sleep / in_bed * 100))
        put(Field.EFFICIENCY, efficiency, (Field.TOTAL_SLEEP, Field.TIME_IN_BED))


def _normalise(fld: Field, value: object) -> Value | None:
    """A value in the field's type and plausible range, or None to ignore it."""
    if fld in TIME_FIELDS:
        if isinstance(value, datetime) and value.utcoffset() is not None:
            return value.astimezone(UTC)
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    number = float(value)
    if fld in DURATION_FIELDS:
        if not 0 <= number <= _MAX_DURATION_MINUTES:
            return None
        if number == 0 and fld in (Field.TOTAL_SLEEP, Field.TIME_IN_BED):
            return None  # zero sleep is an unsynced device, not a night
        return number
    if fld is Field.EFFICIENCY:
        return number if 0 <= number <= 100 else None
    if fld in INT_FIELDS:
        if not number.is_integer():
            return None
        whole = int(number)
        if fld is Field.RATING:
            return whole if 1 <= whole <= 5 else None
        return whole if whole >= 0 else None
    if fld is Field.VENDOR_SCORE:
        return number if number >= 0 else None
    return number if 0 < number < 1000 else None  # HRV ms, resting heart rate bpm


@dataclass(slots=True)
class _State:
    transitions: set[Transition] = dc_field(default_factory=set)
    candidates: dict[tuple[Field, str], _Candidate] = dc_field(default_factory=dict)
    cache: Night | None = None
    derived: _Derived | None = None
    stale: bool = True


class NightAssembler:
    """Assemble nights from signals; one instance per person.

    `source_priority` ranks sources (entity ids, "apple_health") within the same
    precedence rank. Transitions are kept for nights up to `keep_transitions_days`
    before the newest night; older nights are frozen: their derived values are kept,
    their transitions dropped, and transitions arriving for them later are ignored.
    Vendor values still merge into frozen nights.

    Storage: persist a night whenever `feed` returns its key. A restored assembler
    gives the same nights and continues them exactly when signals keep arriving in
    time order. Transitions that shaped no night yet (an out-of-bed change whose
    in-bed partner has not arrived, a nap) are in no stored night, so a partner
    arriving out of order after a restart finds nothing to pair with.
    """

    def __init__(
        self,
        tz: tzinfo,
        window: NightWindow = DEFAULT_WINDOW,
        nights: Iterable[Night] = (),
        *,
        source_priority: Sequence[str] = (),
        keep_transitions_days: int = 2,
    ) -> None:
        """Start from stored nights (as `nights()` returned them)."""
        self._tz = tz
        self._window = window
        self._priority = {
            source: rank for rank, source in enumerate(dict.fromkeys(source_priority))
        }
        self._keep = timedelta(days=keep_transitions_days)
        self._states: dict[date, _State] = {}
        self._last: dict[Channel, Transition] = {}
        self._newest: date | None = None
        for stored in nights:
            self._restore(stored)
        self._refresh_newest()
        self._freeze_old()

    # ------------------------------------------------------------------ public

    @property
    def tz(self) -> tzinfo:
        """The local time zone nights are keyed in."""
        return self._tz

    @property
    def window(self) -> NightWindow:
        """The night window."""
        return self._window

    def feed(self, signal: Signal) -> date | None:
        """Apply a signal; the night key whose record changed, None if nothing changed.

        ManualEntry raises SleepRejected when invalid; other signals with unusable
        values (wrong type, out of range, a cumulative reset) are ignored.
        """
        match signal:
            case InBed():
                transitions: tuple[Transition, ...] = (
                    Transition(signal.at, Channel.IN_BED, signal.in_bed, signal.source),
                )
                return self._add_transitions(transitions)
            case Asleep():
                transitions = (
                    Transition(
                        signal.at, Channel.ASLEEP, signal.asleep, signal.source, signal.stage
                    ),
                )
                return self._add_transitions(transitions)
            case SleepEvent():
                return self._add_transitions(sleep_event_transitions(signal))
            case Summary():
                return self._add_summary(signal)
            case ManualEntry():
                return self._add_manual(signal)
            case _:  # pragma: no cover - exhaustive
                assert_never(signal)

    def night(self, key: date) -> Night | None:
        """The night with that key, None when nothing is known of it."""
        state = self._states.get(key)
        if state is None:
            return None
        night = self._compute(key, state)
        return night if night.has_data else None

    def nights(self) -> tuple[Night, ...]:
        """All nights with data, oldest first."""
        return tuple(night for key in sorted(self._states) if (night := self.night(key)))

    def latest(self) -> Night | None:
        """The most recent night with any data (tonight's once someone is in bed)."""
        for key in sorted(self._states, reverse=True):
            if night := self.night(key):
                return night
        return None

    def last_complete(self, now: datetime | None = None) -> Night | None:
        """The most recent night that has ended (a wake time) or has a total sleep.

        Given `now`, two more rules apply. A night with an in-bed or asleep interval
        still open at `now` has not ended while `now` lies in its span: awake in bed
        at 02:30 is not the end of the night (after the span, a lost "out of bed"
        no longer hides it). And a night known only from an in-bed sensor (out of
        bed, nothing about sleep) has ended once its window is over, when no new
        in-bed interval can join it any more.
        """
        moment = None if now is None else _require_aware(now, "now")
        for key in sorted(self._states, reverse=True):
            if (night := self.night(key)) and self._has_ended(key, night, moment):
                return night
        return None

    def _has_ended(self, key: date, night: Night, now: datetime | None) -> bool:
        if now is None:
            return night.is_complete
        derived = self._states[key].derived
        if derived is not None and derived.open and span_of(now, self._tz, self._window) <= key:
            return False
        if night.is_complete:
            return True
        return night.out_of_bed is not None and now >= window_bounds(key, self._tz, self._window)[1]

    def remove(self, key: date) -> bool:
        """Forget a night entirely (e.g. a person deleting it); whether it existed."""
        existed = self.night(key) is not None
        self._states.pop(key, None)
        self._refresh_newest()
        return existed

    @property
    def in_bed_now(self) -> bool | None:
        """The most recent in-bed state any source reported, None before the first."""
        last = self._last.get(Channel.IN_BED)
        return None if last is None else last.on

    @property
    def asleep_now(self) -> bool | None:
        """The most recent asleep state any source reported, None before the first."""
        last = self._last.get(Channel.ASLEEP)
        return None if last is None else last.on

    def infer_night(self, received_at: datetime) -> date:
        """The night a summary received at that moment (without a night) describes.

        The night that ended most recently. Start from the latest night whose window
        has begun (the window holding the moment, or the one whose tail it is in):
        - if transitions show that night still in progress at the moment, the
          night before (a summary cannot describe a night not yet over);
        - else if that night has ended by then (a wake / out-of-bed time at or
          before the moment), that night;
        - else that night once the moment is past its window's midpoint (03:00 for
          the default window), the night before until then.
        With the default window and no transitions, a value arriving on 11 June at
        07:30, 14:00 or 20:00 (late webhook, SleepIQ's hourly poll of the previous
        night) or on 12 June at 01:00 (a restart) lands on night 10 June; from 03:00
        on 12 June, or once night 11 June is seen to end, on night 11 June.
        """
        moment = _require_aware(received_at, "received_at")
        key = span_of(moment, self._tz, self._window)
        previous = key - timedelta(days=1)
        state = self._states.get(key)
        if state is not None:
            self._compute(key, state)
            derived = state.derived
            if derived is not None and derived.start is not None and derived.start <= moment:
                if derived.end is None or derived.end > moment:
                    return previous
                return key
            night = self.night(key)
            if night is not None:
                ends = [t for t in (night.wake_time, night.out_of_bed) if t is not None]
                if ends and min(ends) <= moment:
                    return key
        start, end = window_bounds(key, self._tz, self._window)
        return key if moment >= start + (end - start) / 2 else previous

    # ------------------------------------------------------------------ feeding

    def _frozen(self, key: date) -> bool:
        return self._newest is not None and key < self._newest - self._keep

    def _note_latest(self, transitions: Iterable[Transition]) -> None:
        """Remember each channel's latest transition (on wins a tie) for in_bed_now/asleep_now."""
        for transition in transitions:
            last = self._last.get(transition.channel)
            if last is None or transition.sort_key()[:2] >= last.sort_key()[:2]:
                self._last[transition.channel] = transition

    def _add_transitions(self, transitions: tuple[Transition, ...]) -> date | None:
        if not transitions:
            return None
        self._note_latest(transitions)
        key = span_of(transitions[0].at, self._tz, self._window)
        if self._frozen(key):
            return None
        state = self._states.setdefault(key, _State())
        new = [t for t in transitions if t not in state.transitions]
        if not new:
            return None
        before = self.night(key)
        state.transitions.update(new)
        state.stale = True
        return self._changed(key, before)

    def _add_summary(self, summary: Summary) -> date | None:
        received = _require_aware(summary.received_at, "received_at")
        value = _normalise(summary.field, summary.value)
        if value is None or (summary.cumulative and value == 0):
            return None
        key = self._summary_night(summary, value, received)
        if key is None:
            return None
        candidate = _Candidate(
            value,
            Provenance(summary.source, summary.measured, received),
            summary.scale if summary.field is Field.VENDOR_SCORE else None,
        )
        return self._put_candidates(key, {summary.field: candidate})

    def _summary_night(self, summary: Summary, value: Value, received: datetime) -> date | None:
        if summary.night is not None:
            if summary.night > received.astimezone(self._tz).date():
                return None  # a night that has not begun cannot have a summary
            return summary.night
        if isinstance(value, datetime):
            if summary.field in (Field.BEDTIME, Field.SLEEP_ONSET):
                return night_of(value, self._tz, self._window)  # None: a nap
            return span_of(value, self._tz, self._window)
        return self.infer_night(received)

    def _add_manual(self, entry: ManualEntry) -> date | None:
        validate_manual(entry, self._tz, self._window)
        received = _require_aware(entry.received_at)
        state = self._states.get(entry.night)

        def existing(fld: Field) -> float:
            entry_value: float | None = getattr(entry, fld.value)
            if entry_value is not None:
                return float(entry_value)
            if state is not None and (old := state.candidates.get((fld, MANUAL))):
                return float(old.value) if not isinstance(old.value, datetime) else 0.0
            return 0.0

        measured = Provenance(MANUAL, True, received)
        derived = Provenance(MANUAL, False, received)
        in_bed = minutes_between(entry.bedtime, entry.wake_time)
        candidates = {
            Field.BEDTIME: _Candidate(entry.bedtime.astimezone(UTC), measured),
            Field.WAKE_TIME: _Candidate(entry.wake_time.astimezone(UTC), measured),
            Field.TIME_IN_BED: _Candidate(in_bed, derived),
            Field.TOTAL_SLEEP: _Candidate(
                max(0.0, in_bed - existing(Field.LATENCY) - existing(Field.WASO)), derived
            ),
        }
        optional: dict[Field, Value | None] = {
            Field.LATENCY: None if entry.latency is None else float(entry.latency),
            Field.WASO: None if entry.waso is None else float(entry.waso),
            Field.AWAKENINGS: entry.awakenings,
            Field.RATING: entry.rating,
        }
        for fld, value in optional.items():
            if value is not None:
                candidates[fld] = _Candidate(value, measured)
        return self._put_candidates(entry.night, candidates)

    def _put_candidates(self, key: date, candidates: Mapping[Field, _Candidate]) -> date | None:
        state = self._states.setdefault(key, _State())
        before = self.night(key)
        changed = False
        for fld, candidate in candidates.items():
            slot = (fld, candidate.provenance.source)
            old = state.candidates.get(slot)
            if old is not None:
                if (old.value, old.scale, old.provenance.measured) == (
                    candidate.value,
                    candidate.scale,
                    candidate.provenance.measured,
                ):
                    continue  # same value again: keep when it first arrived
                if candidate.provenance.received_at < old.provenance.received_at:
                    continue  # an older value arriving late
            state.candidates[slot] = candidate
            changed = True
        if not changed:
            return None
        state.stale = True
        return self._changed(key, before)

    def _changed(self, key: date, before: Night | None) -> date | None:
        after = self.night(key)
        if after is not None and (self._newest is None or key > self._newest):
            self._newest = key
            self._freeze_old()
        return None if after == before else key

    # ------------------------------------------------------------------ state

    def _compute(self, key: date, state: _State) -> Night:
        if not state.stale and state.cache is not None:
            return state.cache
        derived = _derive(state.transitions, key, self._tz, self._window, self._priority)
        pool: dict[tuple[Field, str], _Candidate] = dict(state.candidates)
        if derived.received_at is not None:
            for fld, (value, source) in derived.values.items():
                pool[(fld, source)] = _Candidate(
                    value, Provenance(source, measured=False, received_at=derived.received_at)
                )
        best: dict[Field, _Candidate] = {}
        for (fld, source), candidate in pool.items():
            current = best.get(fld)
            if current is None or self._rank(candidate, source) > self._rank(
                current, current.provenance.source
            ):
                best[fld] = candidate
        chosen = {fld: (c.value, c.provenance) for fld, c in best.items()}
        _derive_missing(chosen)
        kwargs: dict[str, Any] = {fld.value: value for fld, (value, _) in chosen.items()}
        score = best.get(Field.VENDOR_SCORE)
        night = Night(
            night=key,
            vendor_score_scale=None if score is None else score.scale,
            provenance={fld: prov for fld, (_, prov) in sorted(chosen.items())},
            transitions=tuple(derived.used),
            timezone=getattr(self._tz, "key", None),
            **kwargs,
        )
        state.cache, state.derived, state.stale = night, derived, False
        return night

    def _rank(self, candidate: _Candidate, source: str) -> tuple[int, int, datetime, str]:
        return (
            candidate.tier,
            -_priority_rank(self._priority, source),
            candidate.provenance.received_at,
            source,
        )

    def _restore(self, stored: Night) -> None:
        """Stored values become candidates again; derived ones are recomputed.

        Values derived from fields (inputs) are always recomputed. Values derived from
        transitions are recomputed when the night carries its transitions, kept as is
        when it does not (a frozen night).
        """
        state = self._states.setdefault(stored.night, _State())
        state.transitions.update(stored.transitions)
        self._note_latest(stored.transitions)
        transition_sources = {t.source for t in stored.transitions}
        for fld, prov in stored.provenance.items():
            value = stored.get(fld)
            if value is None or prov.inputs:
                continue
            if not prov.measured and prov.source != MANUAL and prov.source in transition_sources:
                continue
            scale = stored.vendor_score_scale if fld is Field.VENDOR_SCORE else None
            state.candidates[(fld, prov.source)] = _Candidate(value, prov, scale)
        state.stale = True

    def _refresh_newest(self) -> None:
        keys = [key for key in self._states if self.night(key) is not None]
        self._newest = max(keys, default=None)

    def _freeze_old(self) -> None:
        """Keep the derived values of old nights as values and drop their transitions."""
        for key, state in self._states.items():
            if not state.transitions or not self._frozen(key):
                continue
            night = self._compute(key, state)
            for fld, prov in night.provenance.items():
                value = night.get(fld)
                slot = (fld, prov.source)
                if value is None or prov.inputs or prov.measured or slot in state.candidates:
                    continue
                state.candidates[slot] = _Candidate(value, prov)
            state.transitions.clear()
            state.stale = True


def assemble(
    signals: Iterable[Signal],
    tz: tzinfo,
    window: NightWindow = DEFAULT_WINDOW,
    **options: Any,
) -> tuple[Night, ...]:
    """Feed signals into a fresh assembler and return its nights (handy for batches)."""
    assembler = NightAssembler(tz, window, **options)
    for signal in signals:
        assembler.feed(signal)
    return assembler.nights()


def derived_fields(night: Night) -> frozenset[Field]:
    """Fields whose value this module computed (measured=False)."""
    return frozenset(fld for fld, prov in night.provenance.items() if not prov.measured)
