"""Doses: validation, the in-memory dose log, and per-day totals, averages and streaks.

Rules here:

* what a dose may be (`build_dose`): amount or servings, known unit and form, at most
  `MAX_SINGLE_DOSE_MG` elemental, dated at most `FUTURE_TOLERANCE` ahead and
  `MAX_BACKDATE` back;
* amounts are exact: a dose stores its elemental magnesium as whole micrograms
  (rounded half-even once, from the exact fraction), so every total is a sum of ints;
* a dose counts to its intake day, by the clock rule (`clock.intake_day`, days start
  at the profile's ``day_starts_at``; a dose at 00:30 counts to the evening before);
* a streak is not broken until the day is over; an average counts days without
  doses as zero; every dose is supplemental, so it counts toward the upper limit.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from fractions import Fraction
import math
from typing import Any, Final

from .clock import day_start, intake_day
from .profile import Profile
from .units import Form, Unit, to_elemental_mg

MAX_SINGLE_DOSE_MG: Final = 2000
"""Largest elemental amount one dose may hold; more is almost surely a typo."""
FUTURE_TOLERANCE: Final = timedelta(minutes=5)
"""How far ahead of `now` a dose may be dated (clock skew between devices)."""
MAX_BACKDATE: Final = timedelta(days=5 * 365)
"""How far back a dose may be dated."""

_ONE_DAY: Final = timedelta(days=1)
_UG_PER_MG: Final = 1000
# Outside these magnitudes a dose is surely implausible (huge) or rounds to 0 ug
# (tiny); rejecting them up front keeps Fraction arithmetic from blowing up.
_MAX_ADJUSTED_EXPONENT: Final = 9
_MIN_ADJUSTED_EXPONENT: Final = -9
_TENTH: Final = Decimal("0.1")

_UNITS: Final = {unit.value: unit for unit in Unit}
_FORMS: Final = {form.value: form for form in Form}
"""By stored value: a dict lookup costs less than an enum call, for years of doses."""
_FORM_ALIASES: Final[dict[str, Form]] = {
    "bisglycinate": Form.GLYCINATE,
    "l-threonate": Form.THREONATE,
    "l_threonate": Form.THREONATE,
}


class DoseRejected(ValueError):  # noqa: N818 - the shell's API name
    """A dose that cannot be logged; `reason` is a translation key."""

    def __init__(self, reason: str, placeholders: Mapping[str, str] | None = None) -> None:
        """Create the error for `reason` with its translation placeholders."""
        super().__init__(reason)
        self.reason = reason
        self.placeholders: dict[str, str] = dict(placeholders or {})


@dataclass(frozen=True, slots=True)
class Dose:
    """One logged dose. `taken_at` is aware and normalised to UTC on creation."""

    dose_id: str
    taken_at: datetime
    elemental_ug: int
    amount: Decimal
    unit: Unit
    form: Form
    servings: Decimal | None
    note: str | None
    source: str
    external_id: str | None = None

    def __post_init__(self) -> None:
        """Require an aware `taken_at` and store it in UTC."""
        if self.taken_at.utcoffset() is None:
            raise ValueError("taken_at must be timezone-aware")
        if self.taken_at.tzinfo is not UTC:
            object.__setattr__(self, "taken_at", self.taken_at.astimezone(UTC))

    @property
    def elemental_mg(self) -> Decimal:
        """Elemental magnesium in mg, exact (micrograms / 1000)."""
        return Decimal(self.elemental_ug) / _UG_PER_MG

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form: Decimals as strings, `taken_at` as ISO 8601 (UTC)."""
        return {
            "dose_id": self.dose_id,
            "taken_at": self.taken_at.isoformat(),
            "elemental_ug": self.elemental_ug,
            "amount": str(self.amount),
            "unit": self.unit.value,
            "form": self.form.value,
            "servings": None if self.servings is None else str(self.servings),
            "note": self.note,
            "source": self.source,
            "external_id": self.external_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Dose:
        """Inverse of `to_dict`; raises ValueError for a malformed record."""
        try:
            taken_at = datetime.fromisoformat(data["taken_at"])
            elemental_ug = data["elemental_ug"]
            if type(elemental_ug) is not int or elemental_ug < 0:
                raise ValueError(f"bad elemental_ug {elemental_ug!r}")  # noqa: TRY301
            servings = data.get("servings")
            dose = cls(
                dose_id=_str(data["dose_id"]),
                taken_at=taken_at,
                elemental_ug=elemental_ug,
                amount=_finite_decimal(data["amount"]),
                unit=_UNITS[data["unit"]],
                form=_FORMS[data["form"]],
                servings=None if servings is None else _finite_decimal(servings),
                note=_opt_str(data.get("note")),
                source=_str(data["source"]),
                external_id=_opt_str(data.get("external_id")),
            )
        except (KeyError, TypeError, ValueError, InvalidOperation) as err:
            raise ValueError(f"invalid dose record: {err!r}") from err
        return dose


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _finite_decimal(value: object) -> Decimal:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise TypeError(f"expected a decimal string, got {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"not finite: {value!r}")
    return number


# --------------------------------------------------------------------- build_dose


def build_dose(
    profile: Profile,
    *,
    dose_id: str,
    now: datetime,
    amount: Decimal | float | int | None = None,
    unit: Unit | str = Unit.MG,
    servings: Decimal | float | int | None = None,
    form: Form | str | None = None,
    taken_at: datetime | None = None,
    note: str | None = None,
    source: str = "action",
    external_id: str | None = None,
) -> Dose:
    """Validate an entry and turn it into a Dose.

    Give either `amount` (in `unit`, of `form`) or `servings` of the profile's
    product. An amount without a form is read like the product's label: of its
    form, or elemental when the label gives elemental magnesium. With servings the
    product decides everything: `amount` becomes servings x the product's mg, and a
    product declared on an elemental basis yields form ELEMENTAL so the dose's
    amount, unit and form stay self-consistent; `unit` and `form` are ignored.

    Bad input raises DoseRejected. A naive `now` or an empty `dose_id` is a
    programming error and raises plain ValueError.
    """
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if not dose_id:
        raise ValueError("dose_id must not be empty")
    if (amount is None) == (servings is None):
        raise DoseRejected("amount_and_servings")

    product = profile.product
    if servings is not None:
        count = _to_decimal(servings)
        product_mg = product.amount_mg
        if not product_mg or not product_mg.is_finite() or product_mg <= 0:
            raise DoseRejected("no_product")
        quantity = count * product_mg
        dose_unit = Unit.MG
        dose_form = product.label_form
        dose_servings: Decimal | None = count
    else:
        quantity = _to_decimal(amount)
        dose_unit = _to_unit(unit)
        dose_form = product.label_form if form is None else _to_form(form)
        dose_servings = None

    when = now if taken_at is None else taken_at
    if when.utcoffset() is None:
        raise DoseRejected("taken_at_naive")
    if when > now + FUTURE_TOLERANCE:
        raise DoseRejected("taken_at_future")
    if when < now - MAX_BACKDATE:
        raise DoseRejected("taken_at_too_old")

    elemental_ug = _elemental_ug(quantity, dose_unit, dose_form)
    return Dose(
        dose_id=dose_id,
        taken_at=when,
        elemental_ug=elemental_ug,
        amount=quantity,
        unit=dose_unit,
        form=dose_form,
        servings=dose_servings,
        note=(note.strip() or None) if note is not None else None,
        source=source,
        external_id=external_id,
    )


def _to_decimal(value: object) -> Decimal:
    """Return a positive, finite Decimal; floats go through str so 0.1 stays 0.1."""
    if isinstance(value, bool):
        raise DoseRejected("amount_not_finite")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DoseRejected("amount_not_finite")
        number = Decimal(str(value))
    elif isinstance(value, (Decimal, int, str)):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise DoseRejected("amount_not_finite") from None
    else:
        raise DoseRejected("amount_not_finite")
    if not number.is_finite():
        raise DoseRejected("amount_not_finite")
    if number <= 0:
        raise DoseRejected("amount_not_positive")
    return number


def _to_unit(value: Unit | str) -> Unit:
    if isinstance(value, Unit):
        return value
    wanted = str(value).strip().casefold()
    for unit in Unit:
        if unit.value.casefold() == wanted:
            return unit
    raise DoseRejected("unknown_unit", {"unit": str(value)})


def _to_form(value: Form | str) -> Form:
    if isinstance(value, Form):
        return value
    wanted = str(value).strip().casefold()
    try:
        return _FORM_ALIASES.get(wanted) or Form(wanted)
    except ValueError:
        raise DoseRejected("unknown_form", {"form": str(value)}) from None


def _elemental_ug(quantity: Decimal, unit: Unit, form: Form) -> int:
    """Whole micrograms of elemental Mg, rounded half-even; rejects 0 and too much."""
    if quantity.adjusted() > _MAX_ADJUSTED_EXPONENT:
        raise DoseRejected(
            "dose_implausible",
            {"elemental_mg": f">{10**_MAX_ADJUSTED_EXPONENT}", "max_mg": str(MAX_SINGLE_DOSE_MG)},
        )
    if quantity.adjusted() < _MIN_ADJUSTED_EXPONENT:
        raise DoseRejected("amount_not_positive")
    exact_mg = to_elemental_mg(quantity, unit, form)
    if exact_mg > MAX_SINGLE_DOSE_MG:
        shown = (Decimal(exact_mg.numerator) / Decimal(exact_mg.denominator)).quantize(
            _TENTH, ROUND_HALF_EVEN
        )
        raise DoseRejected(
            "dose_implausible", {"elemental_mg": str(shown), "max_mg": str(MAX_SINGLE_DOSE_MG)}
        )
    elemental_ug = round(exact_mg * _UG_PER_MG)
    if elemental_ug <= 0:
        raise DoseRejected("amount_not_positive")
    return elemental_ug


# ---------------------------------------------------------------------- the log


type _DaySpan = tuple[date, datetime, datetime]
"""An intake day and the instants it starts and ends."""


def _order(dose: Dose) -> tuple[datetime, str]:
    return (dose.taken_at, dose.dose_id)


class DoseLog:
    """All doses of one profile, sorted by `taken_at`, with a per-day index.

    The time zone and day start are fixed: a profile whose settings change builds a
    new log. Adding in chronological order (the usual case) is amortised O(1); a backdated
    dose is a bisect plus a list insert. Day totals are ints in micrograms.
    """

    def __init__(self, tz: tzinfo, day_starts_at: time, doses: Iterable[Dose] = ()) -> None:
        """Create the log in `tz`, days starting at `day_starts_at`, holding `doses`."""
        self._tz = tz
        self._day_starts_at = day_starts_at
        self._doses: list[Dose] = []
        self._by_id: dict[str, Dose] = {}
        self._by_external: dict[str, Dose] = {}
        self._day_ug: dict[date, int] = {}
        self._day_count: dict[date, int] = {}
        # (today, the run of days with doses ending yesterday): walking back a
        # years-long run on every dose would make logging cost grow with history, and
        # the run changes only when a day before today gains its first dose or loses
        # its last.
        self._run_before: tuple[date, int] | None = None
        ordered = sorted(doses, key=_order)
        # In time order a dose falls in the day of the one before or the day after: a
        # comparison with that day's bounds instead of the clock rule for each dose.
        span: _DaySpan | None = None
        for dose in ordered:
            span = self._span_of(dose, span)
            self._index(dose, span[0])
        self._doses = ordered

    def __len__(self) -> int:
        """Return the number of doses."""
        return len(self._doses)

    def __iter__(self) -> Iterator[Dose]:
        """Doses in chronological order."""
        return iter(self._doses)

    def __contains__(self, dose_id: object) -> bool:
        """Whether a dose with this id is logged."""
        return dose_id in self._by_id

    def _index(self, dose: Dose, day: date) -> None:
        if dose.dose_id in self._by_id:
            raise ValueError(f"duplicate dose_id {dose.dose_id!r}")
        if dose.external_id is not None and dose.external_id in self._by_external:
            raise ValueError(f"duplicate external_id {dose.external_id!r}")
        self._by_id[dose.dose_id] = dose
        if dose.external_id is not None:
            self._by_external[dose.external_id] = dose
        if day not in self._day_count:
            self._day_set_changed(day)
        self._day_ug[day] = self._day_ug.get(day, 0) + dose.elemental_ug
        self._day_count[day] = self._day_count.get(day, 0) + 1

    def day_of(self, dose: Dose) -> date:
        """Return the intake day a dose counts to in this log's settings."""
        return intake_day(dose.taken_at, self._tz, self._day_starts_at)

    def _span_of(self, dose: Dose, previous: _DaySpan | None) -> _DaySpan:
        """`day_of` with the day's bounds, given those of the dose before in time order."""
        at = dose.taken_at
        if previous is not None:
            day, start, end = previous
            if start <= at < end:
                return previous
            following = day_start(day + 2 * _ONE_DAY, self._tz, self._day_starts_at)
            if end <= at < following:
                return day + _ONE_DAY, end, following
        day = self.day_of(dose)
        return (
            day,
            day_start(day, self._tz, self._day_starts_at),
            day_start(day + _ONE_DAY, self._tz, self._day_starts_at),
        )

    def add(self, dose: Dose) -> None:
        """Add a dose; ValueError if its dose_id or external_id is already logged."""
        self._index(dose, self.day_of(dose))
        if not self._doses or _order(self._doses[-1]) < _order(dose):
            self._doses.append(dose)
        else:
            insort(self._doses, dose, key=_order)

    def remove(self, dose_id: str) -> Dose:
        """Remove and return a dose; KeyError if unknown."""
        dose = self._by_id.pop(dose_id)
        if dose.external_id is not None:
            del self._by_external[dose.external_id]
        index = bisect_left(self._doses, _order(dose), key=_order)
        del self._doses[index]
        day = self.day_of(dose)
        self._day_count[day] -= 1
        if self._day_count[day]:
            self._day_ug[day] -= dose.elemental_ug
        else:
            del self._day_count[day]
            del self._day_ug[day]
            self._day_set_changed(day)
        return dose

    def _day_set_changed(self, day: date) -> None:
        if self._run_before is not None and day < self._run_before[0]:
            self._run_before = None

    def get(self, dose_id: str) -> Dose | None:
        """Return the dose with this id, if any."""
        return self._by_id.get(dose_id)

    def find_external(self, external_id: str) -> Dose | None:
        """Return the dose imported under this external id, if any."""
        return self._by_external.get(external_id)

    def latest(self) -> Dose | None:
        """Return the most recently taken dose."""
        return self._doses[-1] if self._doses else None

    def between(self, start: datetime, end: datetime) -> list[Dose]:
        """Doses with start <= taken_at < end, in order (both bounds aware)."""
        lo = bisect_left(self._doses, (start, ""), key=_order)
        hi = bisect_left(self._doses, (end, ""), key=_order)
        return self._doses[lo:hi]

    def day_total_ug(self, day: date) -> int:
        """Elemental micrograms counted to intake day `day`."""
        return self._day_ug.get(day, 0)

    def day_dose_count(self, day: date) -> int:
        """Return the number of doses counted to intake day `day`."""
        return self._day_count.get(day, 0)

    def days_with_doses(self) -> list[date]:
        """Intake days with at least one dose, ascending."""
        return sorted(self._day_count)

    def days_averaged(self, today: date, days: int = 7) -> int:
        """How many of the `days` days ending with `today` an average covers.

        Only days since the first dose: a first day of 377 mg averages 377 mg a day,
        not 377 / 7. Days without doses after that count as zero.
        """
        if days < 1:
            raise ValueError("days must be at least 1")
        if not self._doses:
            return 0
        since_first = (today - self.day_of(self._doses[0])).days + 1
        return max(0, min(days, since_first))

    def average_ug_per_day(self, today: date, days: int = 7) -> Fraction:
        """Mean per intake day over the days `days_averaged` covers (0 without any)."""
        covered = self.days_averaged(today, days)
        if not covered:
            return Fraction(0)
        total = sum(self._day_ug.get(today - timedelta(days=back), 0) for back in range(covered))
        return Fraction(total, covered)

    def streak(self, today: date) -> int:
        """Count consecutive intake days with a dose up to today.

        If today has no dose yet the streak ends yesterday: it is not broken
        until the day is over.
        """
        if self._run_before is None or self._run_before[0] != today:
            run, day = 0, today - _ONE_DAY
            while day in self._day_count:
                run += 1
                day -= _ONE_DAY
            self._run_before = (today, run)
        return self._run_before[1] + (today in self._day_count)


# ------------------------------------------------------------------- day status


@dataclass(frozen=True, slots=True)
class DayStatus:
    """One intake day against the profile's target and supplemental upper limit."""

    day: date
    dose_count: int
    total_ug: int
    target_mg: int
    upper_limit_mg: int
    total_mg: Decimal = field(init=False)
    progress_percent: Decimal = field(init=False)
    remaining_mg: Decimal = field(init=False)
    above_upper_limit: bool = field(init=False)

    def __post_init__(self) -> None:
        """Derive the mg figures from the exact microgram total."""
        total_mg = Decimal(self.total_ug) / _UG_PER_MG
        if self.target_mg > 0:
            progress = (Decimal(self.total_ug) / (self.target_mg * 10)).quantize(
                _TENTH, ROUND_HALF_EVEN
            )
        else:
            progress = Decimal("0.0")
        object.__setattr__(self, "total_mg", total_mg)
        object.__setattr__(self, "progress_percent", progress)
        object.__setattr__(self, "remaining_mg", max(Decimal(0), self.target_mg - total_mg))
        object.__setattr__(
            self, "above_upper_limit", self.total_ug > self.upper_limit_mg * _UG_PER_MG
        )


def day_status(log: DoseLog, profile: Profile, day: date) -> DayStatus:
    """Totals for `day`; every logged dose is supplemental, so it counts toward the UL."""
    return DayStatus(
        day=day,
        dose_count=log.day_dose_count(day),
        total_ug=log.day_total_ug(day),
        target_mg=profile.target_mg,
        upper_limit_mg=profile.upper_limit_mg,
    )
