"""A person's profile: who they are for the intake tables, what they take, when days start.

The recommended intake and the supplemental upper limit come from the intake tables
(`intake`) for the person's region, age band and sex; the supplement target is theirs
to edit.
A product's serving becomes elemental magnesium by `units`; an amount given as
elemental is taken as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .clock import DEFAULT_DAY_STARTS_AT
from .intake import AgeBand, Region, Sex, recommended_intake_mg, upper_limit_mg
from .units import Form, Unit, to_elemental_mg


class AmountBasis(StrEnum):
    """What a product's per-serving amount measures."""

    COMPOUND = "compound"  # e.g. "500 mg magnesium glycinate" on the front of the pack
    ELEMENTAL = "elemental"  # e.g. "magnesium 141 mg" in a Supplement Facts panel


@dataclass(frozen=True, slots=True)
class Product:
    """The supplement a person usually takes, per serving."""

    form: Form
    amount_mg: Decimal
    basis: AmountBasis = AmountBasis.COMPOUND

    @property
    def label_form(self) -> Form:
        """What the label's milligrams weigh: the compound, or magnesium itself."""
        return Form.ELEMENTAL if self.basis is AmountBasis.ELEMENTAL else self.form

    @property
    def elemental_mg_per_serving(self) -> Fraction:
        """Elemental magnesium in one serving."""
        return to_elemental_mg(self.amount_mg, Unit.MG, self.label_form)


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything the domain needs to know about one person."""

    name: str
    age_band: AgeBand
    sex: Sex
    region: Region
    target_mg: int
    product: Product
    day_starts_at: time = DEFAULT_DAY_STARTS_AT

    @property
    def upper_limit_mg(self) -> int:
        """Supplemental upper limit for this person."""
        return upper_limit_mg(self.region, self.age_band)

    @property
    def recommended_intake_mg(self) -> int:
        """What the intake table recommends from food and supplements together."""
        return recommended_intake_mg(self.region, self.age_band, self.sex)
