"""Profile and product: what a serving holds, and the person's limits."""

from datetime import time
from decimal import Decimal
from fractions import Fraction

from custom_components.magnesium_sleep.domain.clock import DEFAULT_DAY_STARTS_AT
from custom_components.magnesium_sleep.domain.intake import AgeBand, Region, Sex
from custom_components.magnesium_sleep.domain.profile import AmountBasis, Product, Profile
from custom_components.magnesium_sleep.domain.units import Form


def test_compound_basis_converts_the_label_amount() -> None:
    product = Product(Form.GLYCINATE, Decimal(500))
    assert product.basis is AmountBasis.COMPOUND
    assert round(product.elemental_mg_per_serving, 2) == Fraction("70.48")


def test_elemental_basis_is_taken_as_is() -> None:
    product = Product(Form.GLYCINATE, Decimal(141), AmountBasis.ELEMENTAL)
    assert product.elemental_mg_per_serving == 141


def test_profile_limits_and_defaults() -> None:
    profile = Profile(
        name="Ada",
        age_band=AgeBand.AGE_31_50,
        sex=Sex.FEMALE,
        region=Region.EU,
        target_mg=280,
        product=Product(Form.CITRATE, Decimal(1000)),
    )
    assert profile.day_starts_at == DEFAULT_DAY_STARTS_AT == time(4, 0)
    assert profile.upper_limit_mg == 250
    assert profile.recommended_intake_mg == 300
    assert profile.target_mg == 280  # the person's own edit wins

    us = Profile("Bo", AgeBand.AGE_4_8, Sex.MALE, Region.US, 130, profile.product)
    assert us.upper_limit_mg == 110
    assert us.recommended_intake_mg == 130
