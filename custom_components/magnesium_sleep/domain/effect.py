"""n-of-1 effect: nights with magnesium against nights without (domain reference section 7).

**Arms.** Night D is a *dose night* when intake day D (the clock rule pairs them) holds
at least the threshold of supplemental elemental magnesium (`is_dose_night`); other
nights are *without*. A night without a value for the outcome is not used.

**Effect** = mean of the dose nights minus mean of the nights without.

**Interval (95 %).** Nights are not independent: a bad night tends to follow a bad
night. The errors are modelled as AR(1) over calendar nights, correlation rho^gap
between two nights `gap` days apart, so gaps in the record are handled exactly:

* rho is estimated from the residuals (value minus its arm's mean) of pairs of
  consecutive nights, bias-corrected for the short series (the estimate of a lag-1
  autocorrelation runs low by about (1 + 4rho)/n), and bounded to 0..`RHO_MAX`;
  with fewer than `MIN_PAIRS` pairs `RHO_ASSUMED` is used;
* the variance of the difference is sigma² c'Rc, with c = +1/n₁ on dose nights and
  -1/n₀ on the others and R the AR(1) correlation matrix (evaluated in one pass);
  sigma² is the residual sum of squares over n - tr(HR), unbiased under that model;
* the interval is effect ± t(0.975, df) · SE with df = n_eff/3 - 1 (at least
  `MIN_DF`), n_eff = n(1 - rho)/(1 + rho): the reduced df pay for estimating rho and sigma
  from the same few nights. Checked by simulation (tests/domain/
  test_effect_simulation.py, rho = 0.3): the interval covers the true effect in about
  96 % of people and calls a zero effect "significant" in about 4 %: it errs a
  little on the wide side.

The result depends only on the nights given (no randomness): same nights, same answer.

**Stars** (1-5) say how much the nights tell, not how large the effect is: 1 below
7 nights in the smaller arm, 2 from 7, 3 from 14, 4 from 28; one more when the
interval excludes zero; at most 4 unless the nights come from a randomised
experiment. So never 5 stars below 14 nights per arm (in fact below 28).

**Summary.** A template key and its numbers (`summary`); the shell words it in the
person's language. It says "correlation" unless randomised, names the night count,
and words an interval that contains zero as "no clear difference".
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
import math
from statistics import NormalDist
from typing import Final, NamedTuple

MIN_NIGHTS_PER_ARM: Final = 3
"""Fewer nights than this in either arm give no effect."""
RHO_MAX: Final = 0.8
"""Upper bound for the estimated night-to-night correlation."""
RHO_ASSUMED: Final = 0.3
"""rho used when too few consecutive nights allow an estimate (reference section 7)."""
MIN_PAIRS: Final = 5
"""Pairs of consecutive nights needed to estimate rho."""
MIN_DF: Final = 3.0
"""Fewest degrees of freedom the interval uses (where the t quantile stays accurate)."""
METHOD: Final = "difference_of_means_ar1"
"""Names the method in responses; described in this module and the README."""

_STAR_TIERS: Final = ((28, 4), (14, 3), (7, 2))
_MAX_STARS_OBSERVATIONAL: Final = 4
_Z: Final = NormalDist()


class Outcome(StrEnum):
    """What of a night the effect is measured on."""

    SLEEP_SCORE = "sleep_score"
    TOTAL_SLEEP = "total_sleep"
    SLEEP_LATENCY = "sleep_latency"
    EFFICIENCY = "efficiency"
    TIME_AWAKE = "time_awake"


OUTCOME_UNITS: Final[dict[Outcome, str]] = {
    Outcome.SLEEP_SCORE: "points",
    Outcome.TOTAL_SLEEP: "min",
    Outcome.SLEEP_LATENCY: "min",
    Outcome.EFFICIENCY: "%",
    Outcome.TIME_AWAKE: "min",
}


class Verdict(StrEnum):
    """What the interval says; with `randomised` it picks the summary template."""

    TOO_FEW = "too_few"
    HIGHER = "higher"
    LOWER = "lower"
    UNCLEAR = "unclear"


class NightOutcome(NamedTuple):
    """One night used in an analysis: its arm and its outcome value.

    A named tuple: an analysis of ten years builds thousands, and tuples are cheap.
    """

    night: date
    dosed: bool
    value: float


@dataclass(frozen=True, slots=True)
class EffectEstimate:
    """The effect with its interval; `effect` is None (and `reason` set) with too few nights."""

    nights_with: int
    nights_without: int
    randomised: bool
    effect: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    rho: float | None = None
    stars: int | None = None
    reason: str | None = None

    @property
    def nights(self) -> int:
        """Nights used, both arms."""
        return self.nights_with + self.nights_without

    @property
    def verdict(self) -> Verdict:
        """Higher or lower when the interval excludes zero, else unclear."""
        if self.ci_low is None or self.ci_high is None:
            return Verdict.TOO_FEW
        if self.ci_low > 0:
            return Verdict.HIGHER
        if self.ci_high < 0:
            return Verdict.LOWER
        return Verdict.UNCLEAR


def is_dose_night(day_total_ug: int, threshold_mg: float) -> bool:
    """Whether an intake day's supplemental total makes its night a dose night."""
    return day_total_ug >= threshold_mg * 1000


def collect(
    values: Iterable[tuple[date, float | None]],
    dose_ug: Callable[[date], int],
    threshold_mg: float,
    excluded: Container[date] = (),
) -> tuple[list[NightOutcome], int]:
    """The nights to analyse, oldest first, and how many were excluded.

    `values` holds each night's outcome (None: unknown, not used); `dose_ug` gives
    the supplemental micrograms of a night's intake day; nights in `excluded` (for
    example tagged ones) are counted, not used.
    """
    used: list[NightOutcome] = []
    dropped = 0
    for night, value in sorted(values, key=lambda item: item[0]):
        if value is None or not math.isfinite(value):
            continue
        if night in excluded:
            dropped += 1
            continue
        used.append(NightOutcome(night, is_dose_night(dose_ug(night), threshold_mg), value))
    return used, dropped


def t_quantile(p: float, df: float) -> float:
    """Student's t quantile (Cornish-Fisher expansion; within 0.004 for df >= 3)."""
    z = _Z.inv_cdf(p)
    z2 = z * z
    terms = (
        (z2 + 1) * z / 4,
        ((5 * z2 + 16) * z2 + 3) * z / 96,
        (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384,
        ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160,
    )
    return z + sum(term / df ** (power + 1) for power, term in enumerate(terms))


def _rho(nights: Sequence[NightOutcome], residuals: Sequence[float], ss: float) -> float:
    """Lag-1 autocorrelation of the residuals over consecutive nights, corrected, bounded."""
    products, pairs = 0.0, 0
    for index in range(1, len(nights)):
        if (nights[index].night - nights[index - 1].night).days == 1:
            products += residuals[index] * residuals[index - 1]
            pairs += 1
    if pairs < MIN_PAIRS or ss <= 0:
        return RHO_ASSUMED
    raw = (products / pairs) / (ss / len(nights))
    return min(max(raw + (1 + 4 * raw) / pairs, 0.0), RHO_MAX)


def _correlation_sums(nights: Sequence[NightOutcome], rho: float) -> tuple[float, float, float]:
    """1'R1 over dose nights, over the others, and across the two arms (R = rho^gap)."""
    with_sum, without_sum = 0.0, 0.0  # Σ rho^(t_j - t_i) over earlier nights i of each arm
    within_with = within_without = across = 0.0
    previous: NightOutcome | None = None
    for current in nights:
        if previous is not None:
            decay = rho ** (current.night - previous.night).days
            with_sum = decay * (with_sum + previous.dosed)
            without_sum = decay * (without_sum + (not previous.dosed))
        if current.dosed:
            within_with += 1 + 2 * with_sum
            across += without_sum
        else:
            within_without += 1 + 2 * without_sum
            across += with_sum
        previous = current
    return within_with, within_without, across


def _stars(smaller_arm: int, clear: bool, randomised: bool) -> int:
    stars = next((tier for nights, tier in _STAR_TIERS if smaller_arm >= nights), 1)
    stars += clear
    return min(stars, 5 if randomised else _MAX_STARS_OBSERVATIONAL)


def estimate_effect(nights: Sequence[NightOutcome], *, randomised: bool = False) -> EffectEstimate:
    """Difference of means with a 95 % interval for AR(1) nights; see the module doc.

    `nights` must be sorted by night, one per night (as `collect` gives them).
    """
    with_values = [n.value for n in nights if n.dosed]
    without_values = [n.value for n in nights if not n.dosed]
    n_with, n_without = len(with_values), len(without_values)
    if min(n_with, n_without) < MIN_NIGHTS_PER_ARM:
        return EffectEstimate(n_with, n_without, randomised, reason="too_few_nights")
    mean_with = math.fsum(with_values) / n_with
    mean_without = math.fsum(without_values) / n_without
    effect = mean_with - mean_without
    residuals = [n.value - (mean_with if n.dosed else mean_without) for n in nights]
    ss = math.fsum(r * r for r in residuals)
    rho = _rho(nights, residuals, ss)
    within_with, within_without, across = _correlation_sums(nights, rho)
    count = n_with + n_without
    sigma2 = ss / (count - within_with / n_with - within_without / n_without)
    variance = sigma2 * (
        within_with / n_with**2 + within_without / n_without**2 - 2 * across / (n_with * n_without)
    )
    effective = count * (1 - rho) / (1 + rho)
    half_width = t_quantile(0.975, max(effective / 3 - 1, MIN_DF)) * math.sqrt(max(variance, 0.0))
    ci_low, ci_high = effect - half_width, effect + half_width
    clear = ci_low > 0 or ci_high < 0
    return EffectEstimate(
        n_with,
        n_without,
        randomised,
        effect=effect,
        ci_low=ci_low,
        ci_high=ci_high,
        rho=rho,
        stars=_stars(min(n_with, n_without), clear, randomised),
    )


def summary(estimate: EffectEstimate) -> tuple[str, dict[str, float | int]]:
    """The summary's template key and its numbers.

    Keys: ``too_few``, ``<verdict>_correlation`` or ``<verdict>_randomised`` with
    verdict higher, lower or unclear. Numbers: nights, nights_with, nights_without,
    and when there is an effect: effect (a magnitude when higher or lower, signed
    when unclear), ci_low, ci_high.
    """
    numbers: dict[str, float | int] = {
        "nights": estimate.nights,
        "nights_with": estimate.nights_with,
        "nights_without": estimate.nights_without,
    }
    effect, ci_low, ci_high = estimate.effect, estimate.ci_low, estimate.ci_high
    if effect is None or ci_low is None or ci_high is None:
        return Verdict.TOO_FEW.value, numbers
    verdict = estimate.verdict
    # "higher"/"lower" carry the direction; an unclear effect keeps its sign next to its interval.
    shown = effect if verdict is Verdict.UNCLEAR else abs(effect)
    numbers |= {"effect": shown, "ci_low": ci_low, "ci_high": ci_high}
    design = "randomised" if estimate.randomised else "correlation"
    return f"{verdict.value}_{design}", numbers
