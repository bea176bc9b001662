"""The night record: its fields, where each value came from, and how it is stored.

A `Night` holds one evening's values (times as aware UTC datetimes, durations as
float minutes) and a `Provenance` per field: which source gave it, whether it was
measured (given as is) or derived, and from which fields. `Transition`s are the
in-bed/asleep changes a night still open for late signals keeps. `to_dict` and
`from_dict` are the storage format (`SCHEMA_VERSION`); a night round-trips exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

from ..clock import to_utc

MANUAL: Final = "manual"
"""Source id of values a person entered (the `log_sleep` action)."""

SCHEMA_VERSION: Final = 1


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


def shown(value: float) -> float:
    """A night's measured value as it is shown and charted: to 0.1 (minutes, %, ms, bpm)."""
    return round(value, 1)


"""Fields holding an int."""


class Stage(StrEnum):
    """Sleep stages a tracker may report (Apple's "core" is light)."""

    LIGHT = "light"
    DEEP = "deep"
    REM = "rem"


class Channel(StrEnum):
    """The two on/off timelines a night is derived from."""

    IN_BED = "in_bed"
    ASLEEP = "asleep"


_FIELDS: Final = {fld.value: fld for fld in Field}
_FIELD_LIST: Final = tuple(Field)
_TIME_NAMES: Final = tuple(fld.value for fld in TIME_FIELDS)
_CHANNELS: Final = {channel.value: channel for channel in Channel}
_STAGES: Final = {stage.value: stage for stage in Stage}
"""By stored value: a dict lookup costs less than an enum call, for years of nights."""

type Value = datetime | float | int
"""A field's value: a UTC datetime, float minutes / percent / ms / bpm / score, or an int."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a field's value came from.

    `source` is an entity id, "apple_health", "manual", or for a value derived from
    other fields the sources of those fields joined by "+". `measured` is True when
    the source gave the number as is, False when the assembler computed it.
    `inputs` lists the fields a value was derived from (empty for source values and
    for values derived from in-bed/asleep transitions).
    """

    source: str
    measured: bool
    received_at: datetime
    inputs: tuple[Field, ...] = ()

    def __post_init__(self) -> None:
        """Store received_at in UTC."""
        if (utc := to_utc(self.received_at, "received_at")) is not self.received_at:
            object.__setattr__(self, "received_at", utc)


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
        if (utc := to_utc(self.at, "transition time")) is not self.at:
            object.__setattr__(self, "at", utc)
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
        for name in _TIME_NAMES:
            value = getattr(self, name)
            if value is not None and (utc := to_utc(value, name)) is not value:
                object.__setattr__(self, name, utc)

    def get(self, fld: Field) -> Value | None:
        """A field's value."""
        # A Field is the attribute's name (a str), read often: no `.value` lookup.
        value: Value | None = getattr(self, fld)
        return value

    def values(self) -> dict[Field, Value]:
        """All known fields and their values."""
        return {fld: value for fld in _FIELD_LIST if (value := getattr(self, fld)) is not None}

    @property
    def has_data(self) -> bool:
        """Whether any field is known."""
        return any(getattr(self, fld) is not None for fld in _FIELD_LIST)

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
                fld = _FIELDS[name]
                kwargs[fld.value] = _value_from_json(fld, raw)
            # Positional arguments, and one Provenance for the fields that share it:
            # years of nights are read at every start.
            provenance: dict[Field, Provenance] = {}
            shared: dict[tuple[Any, ...], Provenance] = {}
            for name, raw in dict(data.get("provenance", {})).items():
                inputs = raw.get("inputs", ())
                key = (raw["source"], raw["measured"], raw["received_at"], *inputs)
                if (prov := shared.get(key)) is None:
                    prov = shared[key] = Provenance(
                        str(raw["source"]),
                        bool(raw["measured"]),
                        datetime.fromisoformat(raw["received_at"]),
                        tuple([_FIELDS[inp] for inp in inputs]) if inputs else (),
                    )
                provenance[_FIELDS[name]] = prov
            transitions = tuple(
                [
                    Transition(
                        datetime.fromisoformat(at),
                        _CHANNELS[channel],
                        bool(on),
                        str(source),
                        None if stage is None else _STAGES[stage],
                    )
                    for at, channel, on, source, stage in data.get("transitions", ())
                ]
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
