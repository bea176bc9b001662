"""Adapts Home Assistant state shapes to domain sleep signals.

Everything that knows how Home Assistant and the vendors' integrations shape a
sleep source lives here: entity domains, device classes, units, state classes,
``on``/``off``, ``unavailable``/``unknown``, attribute names, and the naming
patterns that detect which entity plays which role. The shell hands it plain facts
about entities (`EntityFacts`) and raw states and gets back a role per entity
(`detect_sources`) and domain signals (`signal_for`). Vendors differ in units and
shapes (see the quirks section of the sleep sources reference).

Pure Python like the domain (no homeassistant imports), so it is unit-tested on its
own; it sits in the shell because its vocabulary is Home Assistant's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
import math
import re
from typing import Any, Final

from .domain.durations import to_minutes
from .domain.sleep.night import Field
from .domain.sleep.signals import Asleep, InBed, Signal, SleepEvent, Summary


class Role(StrEnum):
    """What a source entity tells about the night."""

    IN_BED = "in_bed"
    ASLEEP = "asleep"
    SLEEP_SCORE = "sleep_score"
    TOTAL_SLEEP = "total_sleep"
    TIME_IN_BED = "time_in_bed"
    SLEEP_LATENCY = "sleep_latency"
    TIME_AWAKE = "time_awake"
    AWAKENINGS = "awakenings"
    DEEP = "deep"
    LIGHT = "light"
    REM = "rem"
    HRV = "hrv"
    RESTING_HEART_RATE = "resting_heart_rate"
    BEDTIME = "bedtime"
    WAKE_TIME = "wake_time"
    SLEEP_TRACKING = "sleep_tracking"
    SLEEP_PHASE = "sleep_phase"


# The entity domains a role accepts.
ROLE_DOMAINS: Final[dict[Role, tuple[str, ...]]] = {
    Role.IN_BED: ("binary_sensor",),
    Role.ASLEEP: ("binary_sensor", "sensor"),
    Role.SLEEP_TRACKING: ("event",),
    Role.SLEEP_PHASE: ("event",),
} | {
    role: ("sensor",)
    for role in Role
    if role not in {Role.IN_BED, Role.ASLEEP, Role.SLEEP_TRACKING, Role.SLEEP_PHASE}
}

_DURATION_FIELD: Final[dict[Role, Field]] = {
    Role.TOTAL_SLEEP: Field.TOTAL_SLEEP,
    Role.TIME_IN_BED: Field.TIME_IN_BED,
    Role.SLEEP_LATENCY: Field.LATENCY,
    Role.TIME_AWAKE: Field.WASO,
    Role.DEEP: Field.DEEP,
    Role.LIGHT: Field.LIGHT,
    Role.REM: Field.REM,
}
_NUMBER_FIELD: Final[dict[Role, Field]] = {
    Role.HRV: Field.HRV,
    Role.RESTING_HEART_RATE: Field.RESTING_HEART_RATE,
    Role.SLEEP_SCORE: Field.VENDOR_SCORE,
}
_TIME_FIELD: Final[dict[Role, Field]] = {
    Role.BEDTIME: Field.BEDTIME,
    Role.WAKE_TIME: Field.WAKE_TIME,
}

DEFAULT_ASLEEP_THRESHOLD: Final = 80.0
"""Sleep confidence (%) from which the Android companion app's sensor means asleep."""


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """What the entity registry and state machine say about a candidate entity."""

    entity_id: str
    platform: str | None = None
    device_class: str | None = None
    unit: str | None = None
    translation_key: str | None = None
    name: str = ""
    state_class: str | None = None
    disabled: bool = False

    @property
    def domain(self) -> str:
        """The entity's domain, e.g. "sensor"."""
        return self.entity_id.split(".", 1)[0]

    @property
    def words(self) -> tuple[str, ...]:
        """Object ID, translation key and name, each lower-case and underscore-joined."""
        parts = (self.entity_id.split(".", 1)[-1], self.translation_key, self.name)
        return tuple(re.sub(r"[^a-z0-9]+", "_", part.casefold()) for part in parts if part)


# Per role, patterns over `EntityFacts.words`, best first. A match on an earlier
# pattern beats a later one; ties go to enabled entities, then to the entity ID.
_PATTERNS: Final[dict[Role, tuple[str, ...]]] = {
    Role.IN_BED: (r"in_bed", r"bed_presence", r"bed_occupancy", r"(^|_)bed(_|$)"),
    Role.ASLEEP: (r"(^|_)asleep($|_)", r"sleep_confidence", r"is_sleeping", r"sleeping($|_)"),
    Role.SLEEP_SCORE: (r"sleep_score", r"sleep_quality"),
    Role.TOTAL_SLEEP: (
        r"total_sleep",
        r"minutes_?asleep",
        r"sleep_time($|_)",
        r"sleeping_time",
        r"time_asleep",
        r"health_connect_sleep_duration",
        r"(?<!time_in_bed_)sleep_duration",
    ),
    Role.TIME_IN_BED: (r"time_?in_?bed",),
    Role.SLEEP_LATENCY: (
        r"sleep_latency",
        r"time_to_sleep",
        r"tosleep",
        r"to_fall_asleep",
        r"latency",
    ),
    Role.TIME_AWAKE: (
        r"wakeup_duration",
        r"wakeup_time",
        r"time_awake",
        r"awake_time",
        r"minutes_?awake",
        r"awake_sleep",
        r"awake_duration",
    ),
    Role.AWAKENINGS: (r"wakeup_count", r"awakenings?_?count", r"awaken", r"awakenings"),
    Role.DEEP: (r"deep_sleep", r"(^|_)deep($|_)"),
    Role.LIGHT: (r"light_sleep", r"(^|_)light_duration", r"core_sleep"),
    Role.REM: (r"rem_sleep", r"(^|_)rem($|_)"),
    Role.HRV: (r"(^|_)hrv($|_)", r"heart_rate_variability"),
    # Oura: "lowest sleep heart rate".
    Role.RESTING_HEART_RATE: (r"resting_heart_rate", r"lowest_(sleep_)?heart_rate"),
    Role.BEDTIME: (r"bedtime_start", r"bedtime($|_)", r"sleep_start", r"went_to_bed"),
    Role.WAKE_TIME: (r"bedtime_end", r"wake_time", r"sleep_end", r"woke_up", r"wakeup_time"),
    Role.SLEEP_TRACKING: (r"sleep_tracking",),
    Role.SLEEP_PHASE: (r"sleep_phase",),
}

_DURATION_UNITS: Final = frozenset({"ms", "s", "min", "h", "d"})


def _fits(role: Role, facts: EntityFacts) -> bool:
    """Whether an entity's kind can play a role at all (domain, class, unit)."""
    if facts.domain not in ROLE_DOMAINS[role]:
        return False
    if role in _DURATION_FIELD:
        return facts.device_class == "duration" or facts.unit in _DURATION_UNITS
    if role in _TIME_FIELD:
        return facts.device_class == "timestamp"
    if role is Role.IN_BED:
        return facts.device_class in {None, "occupancy", "presence"}
    if role is Role.ASLEEP and facts.domain == "sensor":
        return facts.unit == "%"
    if role is Role.HRV:
        return facts.unit in {"ms", None}
    if role is Role.RESTING_HEART_RATE:
        return facts.unit in {"bpm", "beats/min", None}
    if role in {Role.SLEEP_TRACKING, Role.SLEEP_PHASE}:
        return facts.platform in {"sleep_as_android", None}
    return facts.device_class not in {"duration", "timestamp"}


def _rank(role: Role, facts: EntityFacts) -> int | None:
    for rank, pattern in enumerate(_PATTERNS[role]):
        if any(re.search(pattern, words) for words in facts.words):
            return rank
    return None


def _sleepiq_time_in_bed(facts: EntityFacts) -> bool:
    # SleepIQ's "sleep duration" is really time in bed.
    return facts.platform == "sleepiq" and any("sleep_duration" in w for w in facts.words)


# Advice and goals look like measurements by name (Garmin's "optimal bedtime",
# "sleep need"), but are not about the night that was.
_NOT_A_MEASUREMENT: Final = re.compile(r"optimal|need|goal|target|recommend")


def _ranked(
    role: Role, entities: Iterable[EntityFacts]
) -> list[tuple[int, bool, str, EntityFacts]]:
    ranked: list[tuple[int, bool, str, EntityFacts]] = []
    for facts in entities:
        if not _fits(role, facts) or any(map(_NOT_A_MEASUREMENT.search, facts.words)):
            continue
        if _sleepiq_time_in_bed(facts):
            rank: int | None = 0 if role is Role.TIME_IN_BED else None
        else:
            rank = _rank(role, facts)
        if rank is not None:
            ranked.append((rank, facts.disabled, facts.entity_id, facts))
    ranked.sort(key=lambda item: item[:3])
    return ranked


def detect_sources(entities: Iterable[EntityFacts]) -> dict[Role, EntityFacts]:
    """The best candidate per role; an entity plays at most one role, its best-matching one."""
    pool = list(entities)
    order = {role: index for index, role in enumerate(Role)}
    pairs = sorted(
        (
            (rank, disabled, order[role], entity_id, role, facts)
            for role in Role
            for rank, disabled, entity_id, facts in _ranked(role, pool)
        ),
        key=lambda item: item[:4],
    )
    chosen: dict[Role, EntityFacts] = {}
    taken: set[str] = set()
    for *_, role, facts in pairs:
        if role not in chosen and facts.entity_id not in taken:
            chosen[role] = facts
            taken.add(facts.entity_id)
    return chosen


# ------------------------------------------------------------------ adapters

_ON: Final = "on"
_OFF: Final = "off"
_NOT_A_NUMBER: Final = frozenset({"", "unavailable", "unknown", "none", "null"})


def parse_number(state: str) -> float | None:
    """Parse a state string into a finite float.

    None for "unavailable", "unknown", "", anything non-numeric, and nan/inf
    (Python's float() accepts those spellings, a sensor state must not).
    """
    text = state.strip()
    if text.casefold() in _NOT_A_NUMBER:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.utcoffset() is not None else None


def signal_for(
    role: Role,
    facts: EntityFacts,
    state: str,
    attributes: Mapping[str, Any],
    *,
    changed_at: datetime,
    now: datetime,
    asleep_threshold: float = DEFAULT_ASLEEP_THRESHOLD,
) -> Signal | None:
    """The signal a source's new state stands for, or None when it says nothing.

    Unavailable, unknown and non-numeric states, unknown units and unparsable
    timestamps all give None: a missing value is better than a wrong one.
    """
    source = facts.entity_id
    unit = attributes.get("unit_of_measurement", facts.unit)
    if role is Role.IN_BED:
        if state not in {_ON, _OFF}:
            return None
        return InBed(at=changed_at, in_bed=state == _ON, source=source)
    if role is Role.ASLEEP:
        if facts.domain == "binary_sensor":
            if state not in {_ON, _OFF}:
                return None
            return Asleep(at=changed_at, asleep=state == _ON, source=source)
        if (confidence := parse_number(state)) is None or unit != "%":
            return None
        return Asleep(at=changed_at, asleep=confidence >= asleep_threshold, source=source)
    if role in {Role.SLEEP_TRACKING, Role.SLEEP_PHASE}:
        at = _parse_time(state)
        kind = attributes.get("event_type")
        if at is None or not isinstance(kind, str):
            return None
        return SleepEvent(at=at, kind=kind, source=source)
    if role in _TIME_FIELD:
        if (moment := _parse_time(state)) is None:
            return None
        return Summary(field=_TIME_FIELD[role], value=moment, source=source, received_at=now)
    if (number := parse_number(state)) is None:
        return None
    cumulative = attributes.get("state_class", facts.state_class) == "total_increasing"
    if role in _DURATION_FIELD:
        if (minutes := to_minutes(number, unit if isinstance(unit, str) else None)) is None:
            return None
        return Summary(
            field=_DURATION_FIELD[role],
            value=minutes,
            source=source,
            received_at=now,
            cumulative=cumulative,
        )
    if role is Role.AWAKENINGS:
        return Summary(
            field=Field.AWAKENINGS,
            value=round(number),
            source=source,
            received_at=now,
            cumulative=cumulative,
        )
    field = _NUMBER_FIELD[role]
    scale = (unit or "points") if field is Field.VENDOR_SCORE else None
    return Summary(field=field, value=number, source=source, received_at=now, scale=scale)
