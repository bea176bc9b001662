"""Elemental fractions and unit conversion, checked against the reference's hand-computed table."""

from decimal import Decimal
from fractions import Fraction

import pytest

from custom_components.magnesium_sleep.domain.units import (
    COMPOUNDS,
    MG_PER_MEQ,
    MG_PER_MMOL,
    Compound,
    Form,
    Unit,
    elemental_fraction,
    to_elemental_mg,
)

# Reference section 2: (molar mass g/mol, % Mg) of the compound each form assumes.
REFERENCE_TABLE: dict[Form, tuple[str, str]] = {
    Form.OXIDE: ("40.30", "60.3"),
    Form.HYDROXIDE: ("58.32", "41.7"),
    Form.CARBONATE: ("84.31", "28.8"),
    Form.CITRATE: ("451.11", "16.2"),
    Form.GLYCINATE: ("172.42", "14.1"),
    Form.MALATE: ("156.38", "15.5"),
    Form.CHLORIDE: ("203.30", "12.0"),
    Form.LACTATE: ("202.44", "12.0"),
    Form.SULFATE: ("246.47", "9.9"),
    Form.THREONATE: ("294.50", "8.3"),
    Form.TAURATE: ("272.57", "8.9"),
    Form.ASPARTATE: ("288.50", "8.4"),
    Form.OROTATE: ("334.48", "7.3"),
    Form.GLUCONATE: ("414.60", "5.9"),
    Form.PIDOLATE: ("280.52", "8.7"),
}


def test_every_compound_form_is_in_the_table() -> None:
    assert set(COMPOUNDS) == set(Form) - {Form.ELEMENTAL}
    assert set(REFERENCE_TABLE) == set(COMPOUNDS)


@pytest.mark.parametrize(("form", "expected"), REFERENCE_TABLE.items(), ids=str)
def test_elemental_percent_matches_reference(form: Form, expected: tuple[str, str]) -> None:
    molar_mass, percent = (Fraction(v) for v in expected)
    assert abs(COMPOUNDS[form].molar_mass - molar_mass) <= Fraction("0.01")
    assert abs(elemental_fraction(form) * 100 - percent) <= Fraction("0.1")


@pytest.mark.parametrize(
    ("compound", "percent"),
    [
        (Compound("Mg3(C6H5O7)2·9H2O", {"Mg": 3, "C": 12, "H": 10, "O": 14}, 9), "11.9"),
        (Compound("Mg3(C6H5O7)2·14H2O", {"Mg": 3, "C": 12, "H": 10, "O": 14}, 14), "10.4"),
        (Compound("MgC6H6O7", {"Mg": 1, "C": 6, "H": 6, "O": 7}), "11.3"),
        (Compound("Mg(C2H4NO2)2·2H2O", {"Mg": 1, "C": 4, "H": 8, "N": 2, "O": 4}, 2), "11.7"),
        (Compound("MgCl2", {"Mg": 1, "Cl": 2}), "25.5"),
        (Compound("MgSO4", {"Mg": 1, "S": 1, "O": 4}), "20.2"),
        (Compound("Mg(C6H11O7)2·2H2O", {"Mg": 1, "C": 12, "H": 22, "O": 14}, 2), "5.4"),
    ],
    ids=lambda v: v.formula if isinstance(v, Compound) else v,
)
def test_hydrates_and_variants_from_the_table(compound: Compound, percent: str) -> None:
    assert abs(compound.elemental_fraction * 100 - Fraction(percent)) <= Fraction("0.1")


def test_worked_example_trimagnesium_dicitrate() -> None:
    citrate = COMPOUNDS[Form.CITRATE]
    assert round(citrate.molar_mass, 2) == Fraction("451.11")
    assert round(citrate.elemental_fraction * 100, 1) == Fraction("16.2")


@pytest.mark.parametrize(
    ("form", "percent"),
    [(Form.CHLORIDE, "12.0"), (Form.SULFATE, "9.9"), (Form.CITRATE, "16.2")],
)
def test_named_hydrate_state(form: Form, percent: str) -> None:
    """Chloride is the hexahydrate, sulfate is Epsom salt, citrate is anhydrous."""
    assert round(elemental_fraction(form) * 100, 1) == Fraction(percent)


def test_two_500_mg_glycinate_capsules() -> None:
    elemental = to_elemental_mg(Decimal(1000), Unit.MG, Form.GLYCINATE)
    assert round(elemental, 2) == Fraction("140.96")
    assert round(elemental) == 141


def test_mmol_and_meq_are_magnesium_itself() -> None:
    assert Fraction("24.305") == MG_PER_MMOL
    assert Fraction("12.1525") == MG_PER_MEQ
    for form in Form:
        assert to_elemental_mg(10, Unit.MMOL, form) == Fraction("243.05")
        assert to_elemental_mg(20, Unit.MEQ, form) == Fraction("243.05")
    assert to_elemental_mg(30, Unit.MMOL, Form.OXIDE) == Fraction("729.15")  # Held 2002


def test_one_gram_oxide() -> None:
    elemental = to_elemental_mg(Decimal(1), Unit.G, Form.OXIDE)
    assert elemental == Fraction(24305, 40304) * 1000
    assert round(elemental, 1) == Fraction("603.0")
    assert to_elemental_mg(Decimal(1), Unit.G, Form.OXIDE) == to_elemental_mg(
        Decimal(1000), Unit.MG, Form.OXIDE
    )


def test_abbasi_cross_check() -> None:
    """414 mg MgO twice daily is about 500 mg elemental."""
    assert round(to_elemental_mg(828, Unit.MG, Form.OXIDE)) == 499


def test_lactate_product_sheet_cross_check() -> None:
    assert round(to_elemental_mg(Decimal("404.85"), Unit.MG, Form.LACTATE), 1) == Fraction("48.6")


def test_elemental_is_identity_and_exact() -> None:
    assert elemental_fraction(Form.ELEMENTAL) == 1
    assert to_elemental_mg(Decimal("0.1"), Unit.MG, Form.ELEMENTAL) == Fraction(1, 10)
    assert to_elemental_mg(Decimal("0.25"), Unit.G, Form.ELEMENTAL) == 250


def test_carbonate_cannot_exceed_its_formula() -> None:
    """Online '40-45 %' figures are MgO equivalents; MgCO3 is 28.8 %."""
    assert elemental_fraction(Form.CARBONATE) < Fraction("0.289")
