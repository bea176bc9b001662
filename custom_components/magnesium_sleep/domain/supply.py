"""Supply: servings left in the current pack, and how many days they last.

Rules here:

* Nothing is counted down and stored per dose: the servings left are **derived** from
  the pack (servings at the refill, and when it was refilled) and the dose log. A
  logged dose and its decrement therefore always agree, after any crash, and a
  removed dose gives its servings back by itself.
* A dose counts from the pack when it was **taken** at or after the refill: a dose
  backdated to before the refill came from the previous pack.
* A dose logged in **servings** counts those servings. A dose logged as an **amount**
  counts its elemental magnesium divided by the product's elemental magnesium per
  serving, rounded to the nearest half serving (halves up): 150 mg of a 141 mg
  product is one serving, 220 mg one and a half. It is never negative.
* **Days left** divide the servings left by the mean servings a day over the last 14
  intake days up to today (the clock rule's days), counting only days since the first
  dose in that window, so a first week is not diluted by days before the person began.
  Unknown (None) until there is use in that window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Final

from .clock import intake_day
from .doses import Dose
from .profile import Product

USE_WINDOW_DAYS: Final = 14
MAX_PACK_SERVINGS: Final = 10_000
"""More than this in one pack is a typo (a year of three servings a day is about 1100)."""
_HALF: Final = Decimal("0.5")


class SupplyRejected(ValueError):  # noqa: N818 - the shell's API name, like DoseRejected
    """A pack count the domain refuses; `reason` is the translation key."""

    def __init__(self, reason: str) -> None:
        """Keep the reason for the translated error."""
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Pack:
    """The current pack: how many servings it held when it was (re)filled, and when."""

    servings: Decimal
    refilled_at: datetime

    def __post_init__(self) -> None:
        """Require an aware refill time."""
        if self.refilled_at.utcoffset() is None:
            raise ValueError("refilled_at must be timezone-aware")


def pack_servings(value: float | Decimal) -> Decimal:
    """A refill's servings: finite, above zero and at most `MAX_PACK_SERVINGS`."""
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or not 0 < number <= MAX_PACK_SERVINGS:
        raise SupplyRejected("refill_servings_invalid")
    return number


def servings_of(dose: Dose, product: Product) -> Decimal:
    """How many servings of the pack a dose used (see the module rules)."""
    if dose.servings is not None:
        return max(dose.servings, Decimal(0))
    exact = Fraction(dose.elemental_ug, 1000) / product.elemental_mg_per_serving
    halves = (Decimal(exact.numerator) / Decimal(exact.denominator) / _HALF).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return max(halves * _HALF, Decimal(0))


def servings_left(pack: Pack, doses: Iterable[Dose], product: Product) -> Decimal:
    """The pack's servings minus those taken from it; never below zero."""
    used = sum(
        (servings_of(dose, product) for dose in doses if dose.taken_at >= pack.refilled_at),
        Decimal(0),
    )
    return max(pack.servings - used, Decimal(0))


def mean_daily_use(
    doses: Iterable[Dose], product: Product, now: datetime, tz: tzinfo, day_starts_at: time
) -> Fraction | None:
    """Mean servings a day over the last 14 intake days (see the module rules); None: no use."""
    today = intake_day(now, tz, day_starts_at)
    first_day = today - timedelta(days=USE_WINDOW_DAYS - 1)
    used: dict[date, Decimal] = {}
    for dose in doses:
        day = intake_day(dose.taken_at, tz, day_starts_at)
        if first_day <= day <= today:
            used[day] = used.get(day, Decimal(0)) + servings_of(dose, product)
    total = sum(used.values(), Decimal(0))
    if total <= 0:
        return None
    days = (today - min(day for day, amount in used.items() if amount > 0)).days + 1
    return Fraction(total) / days


def days_left(left: Decimal, mean_use: Fraction | None) -> Fraction | None:
    """How many days the servings left last at the mean use; None while there is no use."""
    if mean_use is None:
        return None
    return Fraction(left) / mean_use


def is_low(days: Fraction | None, threshold_days: int | None) -> bool:
    """Whether the supply has reached the person's low-supply threshold (in days)."""
    return days is not None and threshold_days is not None and days <= threshold_days
