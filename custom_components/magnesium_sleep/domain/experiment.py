"""Experiment mode: a randomised block-pair plan and its analysis (reference section 7).

**Plan.** From the first night on, nights are cut into blocks of `block_days`; each
consecutive pair of blocks holds one take-block and one skip-block, in an order
drawn from `seed` (the same seed gives the same plan). So take and skip nights are
equal, and slow drifts (season, work) hit both alike. The plan lasts `weeks` weeks,
which must be a whole number of block pairs.

**Analysis** is by plan (intention to treat): a night counts to the arm the plan gave
it, whatever was taken, because what a person chooses to take on a given night is
no longer random. The first `washout_nights` of every block are dropped, so the
previous block's magnesium (or its absence) has worn off. Every other night with a
value is used, tagged or not: the plan, not hindsight, decides what counts.
**Adherence** is the share of planned nights so far whose doses followed the plan
(a dose night on a take night, no dose night on a skip night).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
import random
from typing import Any, Final

from .effect import EffectEstimate, NightOutcome, Outcome, estimate_effect

MIN_WEEKS: Final = 2
MAX_WEEKS: Final = 26
DEFAULT_WEEKS: Final = 6
MIN_BLOCK_DAYS: Final = 2
MAX_BLOCK_DAYS: Final = 28
DEFAULT_BLOCK_DAYS: Final = 7
DEFAULT_WASHOUT_NIGHTS: Final = 2


class ExperimentRejected(ValueError):  # noqa: N818 - the shell's API name
    """A plan that cannot be made; `reason` is a translation key."""

    def __init__(self, reason: str, placeholders: Mapping[str, str] | None = None) -> None:
        """Create the error for `reason` with its translation placeholders."""
        super().__init__(reason)
        self.reason = reason
        self.placeholders: dict[str, str] = dict(placeholders or {})


@dataclass(frozen=True, slots=True)
class ExperimentPlan:
    """Which nights to take magnesium on: one flag per block, from `first_night` on."""

    first_night: date
    block_days: int
    washout_nights: int
    takes: tuple[bool, ...]
    seed: int
    outcome: Outcome

    @property
    def night_count(self) -> int:
        """Nights in the plan."""
        return len(self.takes) * self.block_days

    @property
    def last_night(self) -> date:
        """The plan's last night."""
        return self.first_night + timedelta(days=self.night_count - 1)

    def _index(self, night: date) -> int | None:
        index = (night - self.first_night).days
        return index if 0 <= index < self.night_count else None

    def take(self, night: date) -> bool | None:
        """Whether to take magnesium on `night`; None outside the plan."""
        index = self._index(night)
        return None if index is None else self.takes[index // self.block_days]

    def is_washout(self, night: date) -> bool:
        """Whether `night` is one of its block's first nights, dropped from the analysis."""
        index = self._index(night)
        return index is not None and index % self.block_days < self.washout_nights

    def nights(self) -> list[tuple[date, bool]]:
        """Every planned night with whether to take magnesium, in order."""
        return [
            (self.first_night + timedelta(days=index), self.takes[index // self.block_days])
            for index in range(self.night_count)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form; `from_dict` restores an equal plan."""
        return {
            "first_night": self.first_night.isoformat(),
            "block_days": self.block_days,
            "washout_nights": self.washout_nights,
            "takes": list(self.takes),
            "seed": self.seed,
            "outcome": self.outcome.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExperimentPlan:
        """Inverse of `to_dict`; ValueError for a malformed record."""
        try:
            return cls(
                first_night=date.fromisoformat(data["first_night"]),
                block_days=int(data["block_days"]),
                washout_nights=int(data["washout_nights"]),
                takes=tuple(bool(take) for take in data["takes"]),
                seed=int(data["seed"]),
                outcome=Outcome(data["outcome"]),
            )
        except (KeyError, TypeError) as err:
            raise ValueError(f"invalid experiment plan: {err!r}") from err


def make_plan(
    first_night: date,
    *,
    seed: int,
    outcome: Outcome,
    weeks: int = DEFAULT_WEEKS,
    block_days: int = DEFAULT_BLOCK_DAYS,
    washout_nights: int = DEFAULT_WASHOUT_NIGHTS,
) -> ExperimentPlan:
    """A randomised block-pair plan; ExperimentRejected when the numbers don't fit."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ExperimentRejected("weeks_out_of_range", {"min": "2", "max": "26"})
    if not MIN_BLOCK_DAYS <= block_days <= MAX_BLOCK_DAYS:
        raise ExperimentRejected("block_days_out_of_range", {"min": "2", "max": "28"})
    if not 0 <= washout_nights < block_days:
        raise ExperimentRejected("washout_out_of_range", {"block_days": str(block_days)})
    pairs, rest = divmod(weeks * 7, 2 * block_days)
    if rest:
        raise ExperimentRejected(
            "blocks_not_paired", {"nights": str(weeks * 7), "pair_nights": str(2 * block_days)}
        )
    draw = random.Random(seed)  # noqa: S311 - a plan, not a secret
    takes: list[bool] = []
    for _ in range(pairs):
        take_first = draw.random() < 0.5
        takes += [take_first, not take_first]
    return ExperimentPlan(first_night, block_days, washout_nights, tuple(takes), seed, outcome)


@dataclass(frozen=True, slots=True)
class ExperimentReport:
    """The analysis of a plan's nights up to `until`."""

    estimate: EffectEstimate
    used: tuple[NightOutcome, ...]
    nights_planned: int
    nights_so_far: int
    nights_washout: int
    nights_missing: int
    nights_followed: int

    @property
    def adherence_percent(self) -> float | None:
        """Share of the nights so far that followed the plan; None before the first."""
        if not self.nights_so_far:
            return None
        return 100 * self.nights_followed / self.nights_so_far


def analyse(
    plan: ExperimentPlan,
    values: Mapping[date, float | None],
    dosed: Callable[[date], bool],
    until: date,
) -> ExperimentReport:
    """Analyse the planned nights up to and including `until` by plan; see the module doc."""
    used: list[NightOutcome] = []
    so_far = washout = missing = followed = 0
    for night, take in plan.nights():
        if night > until:
            break
        so_far += 1
        followed += dosed(night) == take
        if plan.is_washout(night):
            washout += 1
            continue
        value = values.get(night)
        if value is None:
            missing += 1
            continue
        used.append(NightOutcome(night, take, value))
    return ExperimentReport(
        estimate=estimate_effect(used, randomised=True),
        used=tuple(used),
        nights_planned=plan.night_count,
        nights_so_far=so_far,
        nights_washout=washout,
        nights_missing=missing,
        nights_followed=followed,
    )
