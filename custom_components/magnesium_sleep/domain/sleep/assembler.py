"""Assembling nights: one record per evening from whatever a person's sources give.

`NightAssembler` keeps the transitions of recent nights to derive bedtime, onset,
wake, out of bed, total sleep, WASO, awakenings and stages, and merges them with
vendor values by one rule:

1. a manual value beats everything;
2. a measured value (a number the source gave as is) beats a derived one;
3. within a rank, a source earlier in `source_priority` wins, then the most recently
   received value;
4. a later value from the same source replaces its earlier value, an older one
   arriving late is ignored, an identical one changes nothing.

Missing fields that follow from others are then derived (time in bed, latency,
onset, total sleep from stages, efficiency) and flagged measured=False with the
fields they came from in `Provenance.inputs`. Values out of their plausible range
are ignored (`_normalise`). Awake gaps longer than `AWAKENING_MIN_MINUTES` are
awakenings. Per channel one source's transitions are used (`source_priority`, so
two bed sensors are never mixed); nights older than `keep_transitions_days` freeze;
a vendor number that names no night lands on the night that ended most recently
(`NightAssembler.infer_night`). A new assembler built from stored nights gives the
same nights.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field as dc_field
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import pairwise
import math
from typing import Any, Final, assert_never

from ..clock import minutes_between, to_utc
from .night import (
    DURATION_FIELDS,
    INT_FIELDS,
    MANUAL,
    TIME_FIELDS,
    Channel,
    Field,
    Night,
    Provenance,
    Stage,
    Transition,
    Value,
)
from .signals import (
    Asleep,
    InBed,
    ManualEntry,
    Signal,
    SleepEvent,
    Summary,
    sleep_event_transitions,
    validate_manual,
)
from .window import DEFAULT_WINDOW, NightWindow, night_of, span_of, window_bounds

AWAKENING_MIN_MINUTES: Final = 5.0
"""An awake gap must last longer than this to count as an awakening (NSF)."""

_MAX_DURATION_MINUTES: Final = 24 * 60.0

_STAGE_FIELD: Final = {Stage.LIGHT: Field.LIGHT, Stage.DEEP: Field.DEEP, Stage.REM: Field.REM}

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

    bedtime, out_of_bed, wake = dt(Field.BEDTIME), dt(Field.OUT_OF_BED), dt(Field.WAKE_TIME)
    # Without an out-of-bed time, the wake time ends the time in bed (as a sleep diary
    # counts it): the efficiency then leaves out the minutes between waking and rising.
    end_field = Field.OUT_OF_BED if out_of_bed else Field.WAKE_TIME
    end_of_bed = out_of_bed or wake
    if Field.TIME_IN_BED not in chosen and bedtime and end_of_bed and end_of_bed > bedtime:
        put(Field.TIME_IN_BED, minutes_between(bedtime, end_of_bed), (Field.BEDTIME, end_field))
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
    # Wake after sleep onset: the span from falling asleep to waking, less the sleep in it;
    # only from a total sleep that was measured, not one derived by assuming no WASO.
    onset = dt(Field.SLEEP_ONSET)
    measured_total = Field.TOTAL_SLEEP in chosen and chosen[Field.TOTAL_SLEEP][1].measured
    if Field.WASO not in chosen and onset and wake and wake > onset and measured_total:
        assert total_sleep is not None  # noqa: S101 - measured, so present
        waso = max(0.0, minutes_between(onset, wake) - total_sleep)
        put(Field.WASO, waso, (Field.SLEEP_ONSET, Field.WAKE_TIME, Field.TOTAL_SLEEP))


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
    # A stored night not restored yet: most of a long history is never looked at again,
    # so its candidates are made the first time the night is needed (`_ready`).
    stored: Night | None = None


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
        self._keys: list[date] = []  # the keys of `_states`, sorted
        self._thawed: set[date] = set()  # keys of restored states holding transitions
        self._last: dict[Channel, Transition] = {}
        self._newest: date | None = None
        for stored in nights:
            self._defer_restore(stored)
        self._keys = sorted(self._states)
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
        return tuple(night for key in self._keys if (night := self.night(key)))

    def keys(self) -> tuple[date, ...]:
        """The keys of all nights known, oldest first; `night(key)` may still be None."""
        return tuple(self._keys)

    def last_complete(self, now: datetime | None = None) -> Night | None:
        """The most recent night that has ended (a wake time) or has a total sleep.

        Given `now`, two more rules apply. A night with an in-bed or asleep interval
        still open at `now` has not ended while `now` lies in its span: awake in bed
        at 02:30 is not the end of the night (after the span, a lost "out of bed"
        no longer hides it). And a night known only from an in-bed sensor (out of
        bed, nothing about sleep) has ended once its window is over, when no new
        in-bed interval can join it any more.
        """
        moment = None if now is None else to_utc(now, "now")
        for key in reversed(self._keys):
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
        moment = to_utc(received_at, "received_at")
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
        state = self._state(key)
        new = [t for t in transitions if t not in state.transitions]
        if not new:
            return None
        before = self.night(key)
        state.transitions.update(new)
        self._thawed.add(key)
        state.stale = True
        return self._changed(key, before)

    def _add_summary(self, summary: Summary) -> date | None:
        received = to_utc(summary.received_at, "received_at")
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
        received = to_utc(entry.received_at)
        state = self._states.get(entry.night)
        if state is not None:
            self._ready(entry.night, state)

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
        state = self._state(key)
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

    def _state(self, key: date) -> _State:
        """The state of a night, ready to change; a new key joins the sorted keys."""
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = _State()
            if self._keys and key < self._keys[-1]:
                self._keys.insert(bisect_left(self._keys, key), key)
            else:
                self._keys.append(key)
        return self._ready(key, state)

    def _ready(self, key: date, state: _State) -> _State:
        """Restore a stored night's candidates the first time they are needed.

        A night that froze while it waited freezes now: nothing changed it meanwhile
        (a change would have restored it), so it freezes to what it would have then.
        """
        if state.stored is not None:
            stored, state.stored = state.stored, None
            self._restore(key, state, stored)
            if self._frozen(key):
                self._freeze(key, state)
        return state

    def _compute(self, key: date, state: _State) -> Night:
        if not state.stale and state.cache is not None:
            return state.cache
        self._ready(key, state)
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

    def _defer_restore(self, stored: Night) -> None:
        """Take a stored night; its candidates are made when it is first needed."""
        key = stored.night
        state = self._states.get(key)
        if state is None:
            self._states[key] = _State(stored=stored)
        else:  # the same key stored twice: restored in order, as before
            self._restore(key, self._ready(key, state), stored)
        self._note_latest(stored.transitions)

    def _restore(self, key: date, state: _State, stored: Night) -> None:
        """Stored values become candidates again; derived ones are recomputed.

        Values derived from fields (inputs) are always recomputed. Values derived from
        transitions are recomputed when the night carries its transitions, kept as is
        when it does not (a frozen night).
        """
        if stored.transitions:
            state.transitions.update(stored.transitions)
            self._thawed.add(key)
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
        self._newest = next((key for key in reversed(self._keys) if self.night(key)), None)

    def _freeze_old(self) -> None:
        """Keep the derived values of old nights as values and drop their transitions.

        Stored nights not restored yet freeze when they are (`_ready`).
        """
        for key in sorted(key for key in self._thawed if self._frozen(key)):
            self._freeze(key, self._states[key])

    def _freeze(self, key: date, state: _State) -> None:
        night = self._compute(key, state)
        for fld, prov in night.provenance.items():
            value = night.get(fld)
            slot = (fld, prov.source)
            if value is None or prov.inputs or prov.measured or slot in state.candidates:
                continue
            state.candidates[slot] = _Candidate(value, prov)
        state.transitions.clear()
        self._thawed.discard(key)
        state.stale = True
