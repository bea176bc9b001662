"""Apple Health via the Health Auto Export (HAE) app: payload to sleep signals and intakes.

HAE posts `{"data": {"metrics": [{"name", "units", "data": [...]}, ...],
"medications": [...]}}`. Two metrics matter here:

- `sleep_analysis`, either **aggregated** (one entry per night, decimal hours:
  totalSleep, asleep, core, deep, rem, awake, inBed, sleepStart, sleepEnd,
  inBedStart, inBedEnd, source) or **unaggregated** (samples with startDate,
  endDate, qty, value Awake / Core / REM / Deep / In Bed / Asleep, source);
- `medications` (iOS 26+): displayText, nickname, dosage, form, status,
  scheduledDate (or date), codings.

Decisions:

- Timestamps are `yyyy-MM-dd HH:mm:ss Z` or the 12-hour variant
  (`2024-09-21 7:57:00 am +1000`, optionally with U+202F / U+00A0 before am/pm).
  The offset in the string is the truth; nothing is read as local time.
- HAE files a night under its wake date; the key here is our night key (the
  evening's date), from the first in-bed / sleep start, in `tz` (the home
  timezone the assembler uses) or, without one, in the timestamp's own offset.
- Sessions starting outside the night window are naps and are dropped.
- Re-sent exports add fragments sharing one sleepEnd: the longest is kept. Two
  sessions left for one night: the longest is kept.
- `asleep` is 0 when stages exist, so total sleep is totalSleep, else asleep, else
  core + deep + rem. Core is light sleep. `awake` (time awake inside the session) is
  WASO.
- Aggregated values are measured (HAE gave them as is). Values computed here from
  unaggregated samples (by the same rules as `NightAssembler`) are measured=False
  and come from their own source, `SAMPLES_SOURCE`: sharing one source, a later
  export of samples would replace the measured aggregate of an earlier one (the
  assembler lets a source's newer value replace its older one), and the samples'
  last end (out of bed) is later than the aggregate's sleepEnd.
- Every signal has an explicit night and a dedupe key; feeding the same export
  twice changes nothing.
- Medications: only `Taken` records whose names mention magnesium (magnesium,
  magnésium, magnesio, magnésio, magnesia, magnez; accents and case ignored).
  The external id is the name and the UTC time, so it survives a change of the
  phone's time zone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
import math
import re
from typing import Any, Final
import unicodedata

from .durations import minutes_per_unit
from .instants import DateOutOfRange, check_date
from .sleep.assembler import NightAssembler
from .sleep.night import Field, Stage
from .sleep.signals import Asleep, InBed, SleepRejected, Summary, check_in_bed
from .sleep.window import DEFAULT_WINDOW, NightWindow, night_of
from .units import Unit

SOURCE: Final = "apple_health"
"""Provenance source of the values Health Auto Export gave as is (aggregated)."""

SAMPLES_SOURCE: Final = f"{SOURCE}:samples"
"""Provenance source of the values computed here from unaggregated samples."""

SLEEP_METRIC: Final = "sleep_analysis"

_TIMESTAMP: Final = re.compile(
    r"^\s*(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
    r"[\s\u202f\u00a0]*(?:(?P<meridiem>[AaPp])\.?\s?[Mm]\.?)?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})\s*$"
)
_DOSAGE: Final = re.compile(
    r"(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<unit>mg|milligrams?|g|grams?|mmol|meq)\b",
    re.IGNORECASE,
)
_DOSAGE_UNITS: Final = {
    "mg": Unit.MG,
    "milligram": Unit.MG,
    "milligrams": Unit.MG,
    "g": Unit.G,
    "gram": Unit.G,
    "grams": Unit.G,
    "mmol": Unit.MMOL,
    "meq": Unit.MEQ,
}
_MAGNESIUM: Final = re.compile(r"magne(?:sium|sio|sia|z)")
_SAMPLE_STAGES: Final[dict[str, Stage | None]] = {
    "asleep": None,
    "unspecified": None,
    "asleepunspecified": None,
    "core": Stage.LIGHT,
    "light": Stage.LIGHT,
    "deep": Stage.DEEP,
    "rem": Stage.REM,
}
_SAMPLE_FIELDS: Final = (
    Field.BEDTIME,
    Field.SLEEP_ONSET,
    Field.WAKE_TIME,
    Field.OUT_OF_BED,
    Field.TOTAL_SLEEP,
    Field.WASO,
    Field.AWAKENINGS,
    Field.DEEP,
    Field.LIGHT,
    Field.REM,
)


class ExportRejected(ValueError):  # noqa: N818 - name is the public API
    """A payload that is not a Health Auto Export body; `reason` is a translation key.

    Reasons: not_an_object, missing_data, metrics_not_a_list, metric_not_an_object,
    metric_data_not_a_list, entry_not_an_object, bad_date, date_out_of_range, bad_number,
    unknown_unit, medications_not_a_list, medication_not_an_object, and the reasons of
    `check_in_bed` for a night whose sleep does not fit in its time in bed.
    """

    def __init__(self, reason: str, message: str | None = None) -> None:
        """Keep the translation key next to a readable message."""
        super().__init__(message or reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ExportedSignal:
    """A signal for `NightAssembler.feed` with a key that is the same on every re-send."""

    key: str
    signal: Summary


@dataclass(frozen=True, slots=True)
class MedicationIntake:
    """A magnesium intake Apple Health logged as Taken."""

    external_id: str
    name: str
    taken_at: datetime
    dosage_text: str | None
    amount: Decimal | None = None
    unit: Unit | None = None


@dataclass(frozen=True, slots=True)
class ExportBatch:
    """What one payload held: sleep signals, magnesium intakes, and how much was skipped."""

    signals: tuple[ExportedSignal, ...] = ()
    medications: tuple[MedicationIntake, ...] = ()
    skipped: int = 0


# --------------------------------------------------------------------------- parsing helpers


def parse_timestamp(text: str) -> datetime:
    """Parse an HAE timestamp (24- or 12-hour, offset required) into an aware datetime."""
    match = _TIMESTAMP.match(text)
    if match is None:
        raise ValueError(f"not an HAE timestamp: {text!r}")
    hour = int(match["hour"])
    if match["meridiem"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"bad 12-hour time: {text!r}")
        hour = hour % 12 + (12 if match["meridiem"].casefold() == "p" else 0)
    offset_text = match["offset"]
    if offset_text == "Z":
        offset = timedelta(0)
    else:
        digits = offset_text[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if offset_text[0] == "-":
            offset = -offset
    day = date.fromisoformat(match["date"])
    return datetime(
        day.year,
        day.month,
        day.day,
        hour,
        int(match["minute"]),
        int(match["second"] or 0),
        int((match["fraction"] or "0").ljust(6, "0")),
        tzinfo=timezone(offset),
    )


def parse_dosage(text: str) -> tuple[Decimal, Unit] | None:
    """The first "<amount> <unit>" in a dosage text ("400 mg", "0,4 g"), None if none."""
    match = _DOSAGE.search(text)
    if match is None:
        return None
    amount = Decimal(match["amount"].replace(",", "."))
    return amount, _DOSAGE_UNITS[match["unit"].casefold()]


def mentions_magnesium(text: str) -> bool:
    """Whether a name mentions magnesium in one of the common spellings."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return _MAGNESIUM.search(plain) is not None


def _timestamp(entry: Mapping[str, Any], key: str) -> datetime | None:
    raw = entry.get(key)
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise ExportRejected("bad_date", f"{key} is not a string")
    try:
        moment = parse_timestamp(raw)
        check_date(key, moment)
    except DateOutOfRange as err:
        raise ExportRejected(err.reason, str(err)) from err
    except ValueError as err:
        raise ExportRejected("bad_date", str(err)) from err
    return moment


def _number(entry: Mapping[str, Any], key: str) -> float | None:
    raw = entry.get(key)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise ExportRejected("bad_number", f"{key} is not a number")
    if raw < 0:
        raise ExportRejected("bad_number", f"{key} is negative")
    return float(raw)


# --------------------------------------------------------------------------- sleep


@dataclass(frozen=True, slots=True)
class _Session:
    night: date
    end: datetime
    values: dict[Field, datetime | float]

    @property
    def length(self) -> tuple[float, float]:
        total = self.values.get(Field.TOTAL_SLEEP, 0.0)
        in_bed = self.values.get(Field.TIME_IN_BED, 0.0)
        return (
            total if isinstance(total, float) else 0.0,
            in_bed if isinstance(in_bed, float) else 0.0,
        )


def _aggregated(
    entry: Mapping[str, Any], minutes: float, tz: tzinfo | None, window: NightWindow
) -> _Session | None:
    """One aggregated entry; None for a nap or an entry without sleep."""
    sleep_start, sleep_end = _timestamp(entry, "sleepStart"), _timestamp(entry, "sleepEnd")
    bed_start, bed_end = _timestamp(entry, "inBedStart"), _timestamp(entry, "inBedEnd")
    numbers = {
        key: _number(entry, key)
        for key in ("totalSleep", "asleep", "core", "deep", "rem", "awake", "inBed")
    }
    stages = [numbers["core"], numbers["deep"], numbers["rem"]]
    staged = any(s for s in stages)
    total = numbers["totalSleep"] or numbers["asleep"] or sum(s or 0.0 for s in stages)
    in_bed = numbers["inBed"] or 0.0
    if total and in_bed:
        try:
            check_in_bed(in_bed * minutes, asleep=total * minutes)
        except SleepRejected as err:
            raise ExportRejected(err.reason, str(err)) from err
    values: dict[Field, datetime | float] = {}
    if total:
        values[Field.TOTAL_SLEEP] = total * minutes
    if staged:
        values[Field.LIGHT] = (numbers["core"] or 0.0) * minutes
        values[Field.DEEP] = (numbers["deep"] or 0.0) * minutes
        values[Field.REM] = (numbers["rem"] or 0.0) * minutes
    if numbers["awake"] is not None and total:
        values[Field.WASO] = numbers["awake"] * minutes
    if sleep_start is not None and sleep_end is not None and sleep_end > sleep_start:
        values[Field.SLEEP_ONSET] = sleep_start
        values[Field.WAKE_TIME] = sleep_end
    if in_bed:  # a duration of its own, with or without the in-bed times
        values[Field.TIME_IN_BED] = in_bed * minutes
    if bed_start is not None and bed_end is not None and bed_end > bed_start:
        values[Field.BEDTIME] = bed_start
        values[Field.OUT_OF_BED] = bed_end
    end = sleep_end or bed_end
    if not total or end is None:
        return None
    starts = [t for t in (bed_start, sleep_start) if t is not None]
    if starts:
        start = min(starts)
        key = night_of(start, tz or _fixed(start), window)
        if key is None:
            return None  # a nap
    else:
        raw = _timestamp(entry, "date")
        wake_day = (raw or end).astimezone(tz or _fixed(raw or end)).date()
        key = wake_day - timedelta(days=1)  # HAE files the night under its wake date
    return _Session(key, end, values)


def _fixed(moment: datetime) -> tzinfo:
    offset = moment.utcoffset()
    return timezone(offset if offset is not None else timedelta(0))


def _keep_longest(sessions: Iterable[_Session]) -> dict[date, _Session]:
    by_end: dict[datetime, _Session] = {}
    for session in sessions:
        kept = by_end.get(session.end)
        if kept is None or session.length > kept.length:
            by_end[session.end] = session
    by_night: dict[date, _Session] = {}
    for session in sorted(by_end.values(), key=lambda s: s.end):
        kept = by_night.get(session.night)
        if kept is None or session.length > kept.length:
            by_night[session.night] = session
    return by_night


def _sample_signals(
    entry: Mapping[str, Any], counts: Counter[str]
) -> tuple[tuple[InBed | Asleep, ...], datetime | None]:
    start, end = _timestamp(entry, "startDate"), _timestamp(entry, "endDate")
    value = entry.get("value")
    if start is None or end is None or end <= start or not isinstance(value, str):
        return (), None
    kind = value.replace(" ", "").casefold().removeprefix("hkcategoryvaluesleepanalysis")
    source = f"{SOURCE}:{entry.get('source') or ''}"
    if kind == "inbed":
        return (InBed(start, True, source), InBed(end, False, source)), start
    if kind == "awake":
        return (Asleep(start, False, source),), start
    stage_key = kind.removeprefix("asleep") or "asleep"
    if stage_key not in _SAMPLE_STAGES:
        return (), None
    counts[source] += 1
    stage = _SAMPLE_STAGES[stage_key]
    return (Asleep(start, True, source, stage), Asleep(end, False, source)), start


def _unaggregated(
    samples: list[Mapping[str, Any]], tz: tzinfo | None, window: NightWindow
) -> dict[date, dict[Field, tuple[datetime | float | int, datetime]]]:
    """Night values from samples, assembled by the same rules as live transitions."""
    counts: Counter[str] = Counter()
    signals: list[InBed | Asleep] = []
    first: datetime | None = None
    for sample in samples:
        made, start = _sample_signals(sample, counts)
        signals.extend(made)
        if start is not None and (first is None or start < first):
            first = start
    if first is None:
        return {}
    priority = sorted(counts, key=lambda source: (-counts[source], source))
    assembler = NightAssembler(
        tz or _fixed(first),
        window,
        source_priority=priority,
        keep_transitions_days=100_000,
    )
    for signal in sorted(signals, key=lambda s: s.at):
        assembler.feed(signal)
    result: dict[date, dict[Field, tuple[datetime | float | int, datetime]]] = {}
    for night in assembler.nights():
        values: dict[Field, tuple[datetime | float | int, datetime]] = {}
        for fld in _SAMPLE_FIELDS:
            value = night.get(fld)
            if value is not None:
                values[fld] = (value, night.provenance[fld].received_at)
        if Field.TOTAL_SLEEP in values:
            result[night.night] = values
    return result


# --------------------------------------------------------------------------- medications


def _medication(record: Mapping[str, Any]) -> MedicationIntake | None:
    status = record.get("status")
    if not isinstance(status, str) or status.strip().casefold() != "taken":
        return None
    display = record.get("displayText")
    nickname = record.get("nickname")
    names = [n for n in (display, nickname) if isinstance(n, str) and n.strip()]
    codings = record.get("codings")
    if isinstance(codings, list):
        names.extend(
            c["display"]
            for c in codings
            if isinstance(c, dict) and isinstance(c.get("display"), str)
        )
    if not any(mentions_magnesium(name) for name in names):
        return None
    taken_at = _timestamp(record, "date") or _timestamp(record, "scheduledDate")
    if taken_at is None:
        return None
    name = " ".join(str(nickname or display or names[0]).split())
    dosage = record.get("dosage")
    amount: Decimal | None = None
    unit: Unit | None = None
    dosage_text: str | None = None
    if isinstance(dosage, str) and dosage.strip():
        dosage_text = dosage.strip()
        if parsed := parse_dosage(dosage_text):
            amount, unit = parsed
    elif isinstance(dosage, (int, float)) and not isinstance(dosage, bool):
        dosage_text = f"{dosage:g}"
        try:
            amount = Decimal(dosage_text) if math.isfinite(dosage) and dosage > 0 else None
        except InvalidOperation:  # pragma: no cover - :g of a finite float is a valid Decimal
            amount = None
    identity = " ".join(str(display or nickname or name).split()).casefold()
    return MedicationIntake(
        # In UTC: HAE writes times in the phone's current zone, so the same intake
        # re-exported after travelling carries another offset.
        external_id=f"{SOURCE}:medication:{identity}:{taken_at.astimezone(UTC).isoformat()}",
        name=name,
        taken_at=taken_at,
        dosage_text=dosage_text,
        amount=amount,
        unit=unit,
    )


# --------------------------------------------------------------------------- entry point


def parse_export(
    payload: object,
    *,
    tz: tzinfo | None = None,
    window: NightWindow = DEFAULT_WINDOW,
    received_at: datetime | None = None,
) -> ExportBatch:
    """Parse a Health Auto Export body; raises ExportRejected for a malformed shape.

    `tz` should be the assembler's timezone (night keys must agree); without it each
    timestamp's own offset is used. `received_at` becomes every summary's
    received_at; without it the session's end is used, so a re-send is identical.
    Unknown metrics and unknown fields are ignored.
    """
    if not isinstance(payload, dict):
        raise ExportRejected("not_an_object", "the body is not a JSON object")
    data = payload.get("data")
    if not isinstance(data, dict):
        raise ExportRejected("missing_data", "the body has no data object")
    metrics = data.get("metrics", [])
    if not isinstance(metrics, list):
        raise ExportRejected("metrics_not_a_list", "data.metrics is not a list")
    medications = data.get("medications", [])
    if not isinstance(medications, list):
        raise ExportRejected("medications_not_a_list", "data.medications is not a list")

    skipped = 0
    sessions: list[_Session] = []
    samples: list[Mapping[str, Any]] = []
    for metric in metrics:
        if not isinstance(metric, dict):
            raise ExportRejected("metric_not_an_object", "a metric is not an object")
        if metric.get("name") != SLEEP_METRIC:
            continue
        entries = metric.get("data", [])
        if not isinstance(entries, list):
            raise ExportRejected("metric_data_not_a_list", "a metric's data is not a list")
        unit = metric.get("units") or "hr"
        minutes = minutes_per_unit(unit) if isinstance(unit, str) else None
        if minutes is None:
            raise ExportRejected("unknown_unit", f"unknown sleep unit {unit!r}")
        for entry in entries:
            if not isinstance(entry, dict):
                raise ExportRejected("entry_not_an_object", "a sleep entry is not an object")
            if "startDate" in entry:
                samples.append(entry)
            elif (session := _aggregated(entry, minutes, tz, window)) is not None:
                sessions.append(session)
            else:
                skipped += 1

    signals: list[ExportedSignal] = []
    aggregated = _keep_longest(sessions)
    skipped += len(sessions) - len(aggregated)
    for key, session in sorted(aggregated.items()):
        for fld, value in sorted(session.values.items()):
            signals.append(_signal(key, fld, value, received_at or session.end, measured=True))
    for key, values in sorted(_unaggregated(samples, tz, window).items()):
        if key in aggregated:
            continue  # the app's own aggregate wins over our reading of its samples
        for fld, (value, at) in sorted(values.items()):
            signals.append(
                _signal(key, fld, value, received_at or at, measured=False, source=SAMPLES_SOURCE)
            )

    intakes: dict[str, MedicationIntake] = {}
    for record in medications:
        if not isinstance(record, dict):
            raise ExportRejected("medication_not_an_object", "a medication is not an object")
        intake = _medication(record)
        if intake is None:
            skipped += 1
        else:
            intakes[intake.external_id] = intake
    return ExportBatch(
        signals=tuple(signals),
        medications=tuple(sorted(intakes.values(), key=lambda i: (i.taken_at, i.external_id))),
        skipped=skipped,
    )


def _signal(
    key: date,
    fld: Field,
    value: datetime | float | int,
    received_at: datetime,
    *,
    measured: bool,
    source: str = SOURCE,
) -> ExportedSignal:
    return ExportedSignal(
        key=f"{source}:sleep:{key.isoformat()}:{fld.value}",
        signal=Summary(
            field=fld,
            value=value,
            source=source,
            received_at=received_at,
            night=key,
            measured=measured,
        ),
    )
