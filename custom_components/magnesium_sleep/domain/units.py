"""Label amounts to elemental magnesium, in exact arithmetic.

The elemental fraction of each form is computed from its formula and standard
atomic weights (H 1.008, C 12.011, N 14.007, O 15.999, S 32.06, Cl 35.45,
Mg 24.305), never typed in as a rounded percentage.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Final

MG_ATOMIC_WEIGHT: Final = Fraction("24.305")
MG_PER_MMOL: Final = MG_ATOMIC_WEIGHT
MG_PER_MEQ: Final = MG_ATOMIC_WEIGHT / 2  # Mg2+ is divalent

_ATOMIC_WEIGHT: Final = {
    "H": Fraction("1.008"),
    "C": Fraction("12.011"),
    "N": Fraction("14.007"),
    "O": Fraction("15.999"),
    "S": Fraction("32.06"),
    "Cl": Fraction("35.45"),
    "Mg": MG_ATOMIC_WEIGHT,
}
_WATER: Final = 2 * _ATOMIC_WEIGHT["H"] + _ATOMIC_WEIGHT["O"]


class Form(StrEnum):
    """The chemical form a label names."""

    ELEMENTAL = "elemental"
    OXIDE = "oxide"
    HYDROXIDE = "hydroxide"
    CARBONATE = "carbonate"
    CITRATE = "citrate"
    GLYCINATE = "glycinate"
    MALATE = "malate"
    CHLORIDE = "chloride"
    LACTATE = "lactate"
    SULFATE = "sulfate"
    THREONATE = "threonate"
    TAURATE = "taurate"
    ASPARTATE = "aspartate"
    OROTATE = "orotate"
    GLUCONATE = "gluconate"
    PIDOLATE = "pidolate"


class Unit(StrEnum):
    """Units a dose can be entered in."""

    MG = "mg"
    G = "g"
    MMOL = "mmol"
    MEQ = "mEq"


@dataclass(frozen=True, slots=True)
class Compound:
    """A form's assumed compound: atoms per formula unit, Mg atoms, waters of hydration."""

    formula: str
    atoms: dict[str, int]
    waters: int = 0

    @property
    def molar_mass(self) -> Fraction:
        """Molar mass in g/mol, exact."""
        dry = sum(_ATOMIC_WEIGHT[el] * n for el, n in self.atoms.items())
        return Fraction(dry) + self.waters * _WATER

    @property
    def elemental_fraction(self) -> Fraction:
        """Mass fraction of magnesium, exact."""
        return self.atoms["Mg"] * MG_ATOMIC_WEIGHT / self.molar_mass


# The hydrate each form assumes: anhydrous unless the usual supplement form is a
# hydrate (MgCl2.6H2O, Epsom salt MgSO4.7H2O). Citrate is trimagnesium dicitrate.
COMPOUNDS: Final[dict[Form, Compound]] = {
    Form.OXIDE: Compound("MgO", {"Mg": 1, "O": 1}),
    Form.HYDROXIDE: Compound("Mg(OH)2", {"Mg": 1, "O": 2, "H": 2}),
    Form.CARBONATE: Compound("MgCO3", {"Mg": 1, "C": 1, "O": 3}),
    Form.CITRATE: Compound("Mg3(C6H5O7)2", {"Mg": 3, "C": 12, "H": 10, "O": 14}),
    Form.GLYCINATE: Compound("Mg(C2H4NO2)2", {"Mg": 1, "C": 4, "H": 8, "N": 2, "O": 4}),
    Form.MALATE: Compound("MgC4H4O5", {"Mg": 1, "C": 4, "H": 4, "O": 5}),
    Form.CHLORIDE: Compound("MgCl2·6H2O", {"Mg": 1, "Cl": 2}, waters=6),
    Form.LACTATE: Compound("Mg(C3H5O3)2", {"Mg": 1, "C": 6, "H": 10, "O": 6}),
    Form.SULFATE: Compound("MgSO4·7H2O", {"Mg": 1, "S": 1, "O": 4}, waters=7),
    Form.THREONATE: Compound("Mg(C4H7O5)2", {"Mg": 1, "C": 8, "H": 14, "O": 10}),
    Form.TAURATE: Compound("Mg(C2H6NO3S)2", {"Mg": 1, "C": 4, "H": 12, "N": 2, "O": 6, "S": 2}),
    Form.ASPARTATE: Compound("Mg(C4H6NO4)2", {"Mg": 1, "C": 8, "H": 12, "N": 2, "O": 8}),
    Form.OROTATE: Compound("Mg(C5H3N2O4)2", {"Mg": 1, "C": 10, "H": 6, "N": 4, "O": 8}),
    Form.GLUCONATE: Compound("Mg(C6H11O7)2", {"Mg": 1, "C": 12, "H": 22, "O": 14}),
    Form.PIDOLATE: Compound("Mg(C5H6NO3)2", {"Mg": 1, "C": 10, "H": 12, "N": 2, "O": 6}),
}


def elemental_fraction(form: Form) -> Fraction:
    """Mass fraction of magnesium in a form (1 for elemental)."""
    if form is Form.ELEMENTAL:
        return Fraction(1)
    return COMPOUNDS[form].elemental_fraction


def to_elemental_mg(amount: Decimal | Fraction | int, unit: Unit, form: Form) -> Fraction:
    """Elemental magnesium in an amount as a label states it.

    Mass units are compound weight of `form`; mmol and mEq count magnesium
    itself, so the form does not matter for them.
    """
    quantity = Fraction(amount)
    match unit:
        case Unit.MMOL:
            return quantity * MG_PER_MMOL
        case Unit.MEQ:
            return quantity * MG_PER_MEQ
        case Unit.G:
            return quantity * 1000 * elemental_fraction(form)
        case Unit.MG:
            return quantity * elemental_fraction(form)
