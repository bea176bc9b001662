"""The n-of-1 effect: arms, interval, stars, summary keys, edge cases and properties."""

from __future__ import annotations

from datetime import date, timedelta
import math
import random

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.effect import (
    MIN_NIGHTS_PER_ARM,
    RHO_ASSUMED,
    RHO_MAX,
    EffectEstimate,
    NightOutcome,
    Verdict,
    collect,
    estimate_effect,
    is_dose_night,
    summary,
    t_quantile,
)

START = date(2026, 1, 1)


def nights(values: list[float], dosed: list[bool], start: date = START) -> list[NightOutcome]:
    """Consecutive nights from `start`."""
    return [
        NightOutcome(start + timedelta(days=i), arm, value)
        for i, (value, arm) in enumerate(zip(values, dosed, strict=True))
    ]


def alternating(count: int, seed: int = 1, shift: float = 0.0) -> list[NightOutcome]:
    rng = random.Random(seed)  # noqa: S311 - reproducible noise
    arms = [i % 2 == 0 for i in range(count)]
    return nights([70 + rng.gauss(0, 5) + (shift if arm else 0) for arm in arms], arms)


def test_t_quantile_matches_tables() -> None:
    """Known 97.5 % points of Student's t."""
    for df, expected in ((3, 3.182), (5, 2.571), (10, 2.228), (30, 2.042), (1000, 1.962)):
        assert t_quantile(0.975, df) == pytest.approx(expected, abs=4e-3)


def test_dose_night_threshold() -> None:
    """At or above the threshold (in mg, totals in micrograms)."""
    assert is_dose_night(50_000, 50)
    assert not is_dose_night(49_999, 50)
    assert not is_dose_night(0, 50)


def test_collect_drops_unknown_and_counts_excluded() -> None:
    """Nights without a value are not used; excluded ones are counted; sorted by night."""
    day = [START + timedelta(days=i) for i in range(5)]
    totals = {day[0]: 100_000, day[2]: 10_000, day[3]: 60_000}
    used, excluded = collect(
        [(day[3], 80.0), (day[0], 70.0), (day[1], None), (day[2], 75.0), (day[4], math.nan)],
        lambda night: totals.get(night, 0),
        50,
        excluded={day[2]},
    )
    assert used == [NightOutcome(day[0], True, 70.0), NightOutcome(day[3], True, 80.0)]
    assert excluded == 1


def test_known_difference() -> None:
    """The effect is the plain difference of the arm means."""
    result = estimate_effect(nights([80, 70, 82, 71, 78, 69], [True, False] * 3))
    assert result.effect == pytest.approx(80 - 70)
    assert result.nights_with == result.nights_without == 3
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert result.ci_low < 10 < result.ci_high
    assert result.verdict is Verdict.HIGHER
    assert result.reason is None


@pytest.mark.parametrize(("with_count", "without_count"), [(2, 10), (10, 2), (0, 20), (20, 0)])
def test_fewer_than_three_nights_in_an_arm(with_count: int, without_count: int) -> None:
    """No effect, with a reason, when either arm has fewer than 3 nights."""
    arms = [True] * with_count + [False] * without_count
    result = estimate_effect(nights([70.0 + i for i in range(len(arms))], arms))
    assert result.effect is None
    assert result.ci_low is None
    assert result.stars is None
    assert result.reason == "too_few_nights"
    assert (result.nights_with, result.nights_without) == (with_count, without_count)
    assert summary(result)[0] == "too_few"
    assert result.verdict is Verdict.TOO_FEW
    assert MIN_NIGHTS_PER_ARM == 3


def test_identical_values() -> None:
    """No spread at all: no difference, an interval of zero width, no division by zero."""
    result = estimate_effect(nights([75.0] * 10, [True, False] * 5))
    assert result.effect == 0
    assert result.ci_low == result.ci_high == 0
    assert result.rho == RHO_ASSUMED
    assert result.verdict is Verdict.UNCLEAR


def test_huge_outlier_widens_the_interval() -> None:
    """One absurd value moves the mean and widens the interval; everything stays finite."""
    base = alternating(40)
    clean = estimate_effect(base)
    spoiled = list(base)
    spoiled[0] = NightOutcome(base[0].night, base[0].dosed, 1e9)
    result = estimate_effect(spoiled)
    assert result.effect is not None
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert clean.ci_low is not None
    assert clean.ci_high is not None
    assert all(math.isfinite(x) for x in (result.effect, result.ci_low, result.ci_high))
    assert result.ci_high - result.ci_low > 1000 * (clean.ci_high - clean.ci_low)
    assert result.verdict is Verdict.UNCLEAR


def test_gaps_between_nights() -> None:
    """Nights weeks apart: few consecutive pairs, so the assumed rho; still an answer."""
    spread = [
        NightOutcome(START + timedelta(days=10 * i), i % 2 == 0, 70.0 + (i % 3)) for i in range(12)
    ]
    result = estimate_effect(spread)
    assert result.rho == RHO_ASSUMED
    assert result.effect is not None


def test_rho_is_bounded() -> None:
    """A slow drift looks like rho near 1; it is capped."""
    values = [float(i) for i in range(60)]
    result = estimate_effect(nights(values, [(i // 5) % 2 == 0 for i in range(60)]))
    assert result.rho == RHO_MAX


def test_autocorrelation_widens_the_interval() -> None:
    """Runs of similar nights give a wider interval than the same values shuffled in time."""
    rng = random.Random(3)  # noqa: S311 - reproducible noise
    level, values = 0.0, []
    for _ in range(80):
        level = 0.8 * level + rng.gauss(0, 5)
        values.append(70 + level)
    arms = [(i // 4) % 2 == 0 for i in range(80)]
    smooth = estimate_effect(nights(values, arms))
    order = list(range(80))
    rng.shuffle(order)
    shuffled = estimate_effect(nights([values[i] for i in order], [arms[i] for i in order]))
    assert smooth.rho is not None
    assert shuffled.rho is not None
    assert smooth.rho > shuffled.rho
    assert smooth.ci_high is not None
    assert smooth.ci_low is not None
    assert shuffled.ci_high is not None
    assert shuffled.ci_low is not None
    assert smooth.ci_high - smooth.ci_low > shuffled.ci_high - shuffled.ci_low


@pytest.mark.parametrize(
    ("per_arm", "shift", "randomised", "stars"),
    [
        (5, 0, False, 1),
        (5, 50, False, 2),
        (10, 0, False, 2),
        (10, 50, True, 3),
        (14, 0, False, 3),
        (14, 50, False, 4),
        (20, 50, True, 4),
        (28, 0, False, 4),
        (28, 50, False, 4),
        (28, 50, True, 5),
    ],
)
def test_stars(per_arm: int, shift: float, randomised: bool, stars: int) -> None:
    """Night tiers 7/14/28 per arm, +1 for a clear direction, 5 only randomised."""
    result = estimate_effect(alternating(2 * per_arm, shift=shift), randomised=randomised)
    assert result.stars == stars


@pytest.mark.parametrize(
    ("shift", "randomised", "key"),
    [
        (50, False, "higher_correlation"),
        (-50, False, "lower_correlation"),
        (0, False, "unclear_correlation"),
        (50, True, "higher_randomised"),
        (0, True, "unclear_randomised"),
    ],
)
def test_summary_keys(shift: float, randomised: bool, key: str) -> None:
    """Correlation unless randomised; unclear whenever the interval holds zero."""
    result = estimate_effect(alternating(30, shift=shift), randomised=randomised)
    found, numbers = summary(result)
    assert found == key
    assert numbers["nights"] == 30
    assert result.effect is not None
    if key.startswith("unclear"):
        assert numbers["ci_low"] <= 0 <= numbers["ci_high"]
        assert numbers["effect"] == result.effect  # signed, next to its interval
    else:
        assert numbers["effect"] == abs(result.effect)


# ------------------------------------------------------------------ properties

values_st = st.lists(
    st.tuples(st.floats(0, 100, allow_nan=False), st.booleans()), min_size=6, max_size=60
)


@settings(max_examples=150, deadline=None)
@given(values_st, st.integers(0, 3))
def test_properties(data: list[tuple[float, bool]], gap: int) -> None:
    """Deterministic; holds its effect; swapping arms mirrors it; a shift changes nothing."""
    observed = [
        NightOutcome(START + timedelta(days=i * (1 + gap * (i % 2))), arm, value)
        for i, (value, arm) in enumerate(data)
    ]
    result = estimate_effect(observed)
    assert estimate_effect(observed) == result
    if result.effect is None:
        assert result.reason == "too_few_nights"
        return
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert result.ci_low <= result.effect <= result.ci_high
    assert result.stars is not None
    assert 1 <= result.stars <= 4
    if min(result.nights_with, result.nights_without) < 14:
        assert result.stars <= 3
    mirrored = estimate_effect([NightOutcome(n.night, not n.dosed, n.value) for n in observed])
    assert mirrored.effect == pytest.approx(-result.effect, abs=1e-9)
    assert mirrored.ci_low == pytest.approx(-result.ci_high, abs=1e-6)
    shifted = estimate_effect([NightOutcome(n.night, n.dosed, n.value + 1000) for n in observed])
    assert shifted.effect == pytest.approx(result.effect, abs=1e-6)
    assert shifted.rho == pytest.approx(result.rho, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(st.integers(3, 40), st.integers(3, 40), st.booleans())
def test_never_five_stars_under_fourteen(n_with: int, n_without: int, randomised: bool) -> None:
    """Whatever the values, 5 stars need at least 14 nights per arm."""
    arms = [True] * n_with + [False] * n_without
    result = estimate_effect(
        nights([100.0 * a + i % 2 for i, a in enumerate(arms)], arms), randomised=randomised
    )
    assert isinstance(result, EffectEstimate)
    if min(n_with, n_without) < 14:
        assert result.stars is not None
        assert result.stars < 5
