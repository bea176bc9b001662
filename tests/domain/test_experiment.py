"""Randomised block-pair plans and their analysis by plan."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.effect import Outcome
from custom_components.magnesium_sleep.domain.experiment import (
    ExperimentPlan,
    ExperimentRejected,
    analyse,
    make_plan,
)

START = date(2026, 11, 21)


def plan(**kwargs: int) -> ExperimentPlan:
    return make_plan(START, seed=kwargs.pop("seed", 42), outcome=Outcome.SLEEP_SCORE, **kwargs)


def test_default_plan() -> None:
    """6 weeks of 7-day blocks: 42 nights, 21 take and 21 skip, one of each per pair."""
    made = plan()
    nights = made.nights()
    assert made.night_count == len(nights) == 42
    assert made.last_night == START + timedelta(days=41)
    assert sum(take for _, take in nights) == 21
    assert [n for n, _ in nights] == [START + timedelta(days=i) for i in range(42)]
    for first, second in zip(made.takes[::2], made.takes[1::2], strict=True):
        assert first != second
    assert made.washout_nights == 2
    assert made.is_washout(START)
    assert made.is_washout(START + timedelta(days=8))
    assert not made.is_washout(START + timedelta(days=2))
    assert made.take(START - timedelta(days=1)) is None
    assert made.take(START + timedelta(days=42)) is None
    assert not made.is_washout(START + timedelta(days=42))


def test_same_seed_same_plan_and_round_trip() -> None:
    """A seed reproduces the plan; other seeds give other orders; storage round-trips."""
    assert plan(seed=7) == plan(seed=7)
    assert len({plan(seed=seed, weeks=26).takes for seed in range(20)}) > 1
    made = plan(seed=7, weeks=4, block_days=14, washout_nights=3)
    assert ExperimentPlan.from_dict(made.to_dict()) == made


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 26),
    st.sampled_from([2, 7, 14]),
    st.integers(0, 2**32),
)
def test_every_pair_is_balanced(weeks: int, block_days: int, seed: int) -> None:
    """Whenever a plan can be made, each pair of blocks has one take and one skip block."""
    if (weeks * 7) % (2 * block_days):
        with pytest.raises(ExperimentRejected, match="blocks_not_paired"):
            plan(weeks=weeks, block_days=block_days, seed=seed, washout_nights=1)
        return
    made = plan(weeks=weeks, block_days=block_days, seed=seed, washout_nights=1)
    takes = made.takes
    assert all(takes[i] != takes[i + 1] for i in range(0, len(takes), 2))
    planned = made.nights()
    assert sum(t for _, t in planned) * 2 == len(planned) == weeks * 7


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"weeks": 1}, "weeks_out_of_range"),
        ({"weeks": 27}, "weeks_out_of_range"),
        ({"block_days": 1}, "block_days_out_of_range"),
        ({"block_days": 29}, "block_days_out_of_range"),
        ({"washout_nights": 7}, "washout_out_of_range"),
        ({"washout_nights": -1}, "washout_out_of_range"),
        ({"weeks": 3}, "blocks_not_paired"),
    ],
)
def test_rejected(kwargs: dict[str, int], reason: str) -> None:
    with pytest.raises(ExperimentRejected) as err:
        plan(**kwargs)
    assert err.value.reason == reason


def test_malformed_record() -> None:
    with pytest.raises(ValueError, match="invalid experiment plan"):
        ExperimentPlan.from_dict({"first_night": "2026-11-21"})


def test_analysis_by_plan_drops_washout_and_counts_adherence() -> None:
    """Intention to treat: a skipped take night still counts as a take night."""
    made = plan(weeks=2, block_days=7, washout_nights=2)
    take_nights = {n for n, t in made.nights() if t}
    values = {n: (80.0 if t else 70.0) + (i % 3) for i, (n, t) in enumerate(made.nights())}
    missing = next(n for n, _ in made.nights() if not made.is_washout(n))
    values[missing] = None  # type: ignore[assignment]
    forgot = sorted(take_nights)[-1]  # planned to take, didn't
    report = analyse(made, values, lambda n: n in take_nights and n != forgot, made.last_night)
    assert report.nights_so_far == report.nights_planned == 14
    assert report.nights_washout == 4
    assert report.nights_missing == 1
    assert len(report.used) == 9
    assert report.nights_followed == 13
    assert report.adherence_percent == pytest.approx(100 * 13 / 14)
    assert report.estimate.randomised
    assert any(n.night == forgot and n.dosed for n in report.used)  # analysed by plan
    assert report.estimate.effect == pytest.approx(10, abs=1.5)


def test_analysis_so_far() -> None:
    """Stopped early: only nights up to `until`; before the first night, no adherence."""
    made = plan()
    report = analyse(made, {}, lambda _: False, START + timedelta(days=9))
    assert report.nights_so_far == 10
    assert report.nights_washout == 4
    assert report.estimate.effect is None
    assert report.estimate.reason == "too_few_nights"
    assert analyse(made, {}, lambda _: False, START - timedelta(days=1)).adherence_percent is None
