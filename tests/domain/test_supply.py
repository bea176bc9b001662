"""Supply: servings per dose, servings left in the pack, mean use and days left."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.doses import Dose
from custom_components.magnesium_sleep.domain.profile import AmountBasis, Product
from custom_components.magnesium_sleep.domain.supply import (
    MAX_PACK_SERVINGS,
    Pack,
    SupplyRejected,
    days_left,
    is_low,
    mean_daily_use,
    pack_servings,
    servings_left,
    servings_of,
)
from custom_components.magnesium_sleep.domain.units import Form, Unit

AMS = ZoneInfo("Europe/Amsterdam")
FOUR = time(4, 0)
NOW = datetime(2026, 6, 15, 21, 0, tzinfo=AMS)
PRODUCT = Product(Form.GLYCINATE, Decimal(141), AmountBasis.ELEMENTAL)


def dose(
    taken_at: datetime, *, servings: Decimal | None = None, elemental_mg: int | None = None
) -> Dose:
    """A dose of the 141 mg product, logged in servings or as an elemental amount."""
    mg = Decimal(elemental_mg) if elemental_mg is not None else (servings or Decimal(0)) * 141
    return Dose(
        dose_id=taken_at.isoformat(),
        taken_at=taken_at,
        elemental_ug=int(mg * 1000),
        amount=mg,
        unit=Unit.MG,
        form=Form.ELEMENTAL,
        servings=servings,
        note=None,
        source="test",
    )


@pytest.mark.parametrize(
    ("elemental_mg", "servings"),
    [(141, "1"), (150, "1"), (70, "0.5"), (220, "1.5"), (35, "0"), (106, "1"), (105, "0.5")],
)
def test_an_amount_counts_to_the_nearest_half_serving(elemental_mg: int, servings: str) -> None:
    assert servings_of(dose(NOW, elemental_mg=elemental_mg), PRODUCT) == Decimal(servings)


def test_a_dose_in_servings_counts_those_servings() -> None:
    assert servings_of(dose(NOW, servings=Decimal("1.3")), PRODUCT) == Decimal("1.3")


def test_only_doses_taken_since_the_refill_come_from_the_pack() -> None:
    pack = Pack(Decimal(30), NOW)
    doses = [
        dose(NOW - timedelta(hours=1), servings=Decimal(2)),  # the old pack
        dose(NOW, servings=Decimal(1)),
        dose(NOW + timedelta(days=1), elemental_mg=282),
    ]
    assert servings_left(pack, doses, PRODUCT) == Decimal(27)


@given(st.lists(st.integers(min_value=0, max_value=2000), max_size=30), st.integers(1, 60))
def test_servings_left_never_below_zero_and_a_removed_dose_gives_back(
    amounts: list[int], pack_size: int
) -> None:
    pack = Pack(Decimal(pack_size), NOW)
    doses = [dose(NOW + timedelta(minutes=i), elemental_mg=mg) for i, mg in enumerate(amounts)]
    left = servings_left(pack, doses, PRODUCT)
    assert Decimal(0) <= left <= pack.servings
    for removed in doses:
        others = [other for other in doses if other is not removed]
        without = servings_left(pack, others, PRODUCT)
        assert without >= left
        assert without - left <= servings_of(removed, PRODUCT)
        assert (without - left) % Decimal("0.5") == 0


def test_mean_use_covers_the_days_since_the_first_dose_within_14() -> None:
    assert mean_daily_use([], PRODUCT, NOW, AMS, FOUR) is None
    # First dose 4 days ago (5 days counting today), 5 servings in all: 1 a day.
    doses = [dose(NOW - timedelta(days=4), servings=Decimal(3)), dose(NOW, servings=Decimal(2))]
    assert mean_daily_use(doses, PRODUCT, NOW, AMS, FOUR) == 1
    # 28 servings over more than 14 days: only the last 14 days' 14 count.
    daily = [dose(NOW - timedelta(days=days), servings=Decimal(1)) for days in range(28)]
    assert mean_daily_use(daily, PRODUCT, NOW, AMS, FOUR) == 1
    assert mean_daily_use([dose(NOW, elemental_mg=10)], PRODUCT, NOW, AMS, FOUR) is None


def test_days_left_and_the_threshold() -> None:
    assert days_left(Decimal(10), None) is None
    assert days_left(Decimal(10), Fraction(2)) == 5
    assert is_low(Fraction(5), 5)
    assert not is_low(Fraction(6), 5)
    assert not is_low(None, 5)
    assert not is_low(Fraction(1), None)


@pytest.mark.parametrize("servings", [0, -1, MAX_PACK_SERVINGS + 1, float("nan"), float("inf")])
def test_a_pack_count_out_of_range_is_refused(servings: float) -> None:
    with pytest.raises(SupplyRejected, match="refill_servings_invalid"):
        pack_servings(servings)
    assert pack_servings(60.5) == Decimal("60.5")


def test_a_pack_needs_an_aware_refill_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        Pack(Decimal(1), datetime(2026, 1, 1))
