"""Daily intake targets and supplemental upper limits (elemental mg/day).

Sources: IOM 1997 RDA via NIH ODS (US), EFSA 2015 adequate intakes (EU), and the
supplemental upper limits of IOM (350 mg) and SCF (250 mg). See the domain reference.
"""

from __future__ import annotations

from enum import StrEnum


class AgeBand(StrEnum):
    """Age bands of the IOM table (infants are out of scope: no supplements)."""

    AGE_1_3 = "1_3"
    AGE_4_8 = "4_8"
    AGE_9_13 = "9_13"
    AGE_14_18 = "14_18"
    AGE_19_30 = "19_30"
    AGE_31_50 = "31_50"
    AGE_51_PLUS = "51_plus"


class Sex(StrEnum):
    """Sex for the intake table; unspecified takes the higher value, which covers both."""

    FEMALE = "female"
    MALE = "male"
    UNSPECIFIED = "unspecified"


class Region(StrEnum):
    """Which authority's values apply."""

    US = "us"  # IOM: RDA table, supplemental UL 350 mg
    EU = "eu"  # EFSA adequate intakes, SCF supplemental UL 250 mg


# (male, female) RDA, IOM 1997.
_US_TARGET: dict[AgeBand, tuple[int, int]] = {
    AgeBand.AGE_1_3: (80, 80),
    AgeBand.AGE_4_8: (130, 130),
    AgeBand.AGE_9_13: (240, 240),
    AgeBand.AGE_14_18: (410, 360),
    AgeBand.AGE_19_30: (400, 310),
    AgeBand.AGE_31_50: (420, 320),
    AgeBand.AGE_51_PLUS: (420, 320),
}

# (male, female) EFSA 2015 AI. EFSA's bands differ from IOM's; a band spanning two
# EFSA bands takes the one that covers most of its years (9-13 -> 10-<18).
_EU_TARGET: dict[AgeBand, tuple[int, int]] = {
    AgeBand.AGE_1_3: (170, 170),
    AgeBand.AGE_4_8: (230, 230),
    AgeBand.AGE_9_13: (300, 250),
    AgeBand.AGE_14_18: (300, 250),
    AgeBand.AGE_19_30: (350, 300),
    AgeBand.AGE_31_50: (350, 300),
    AgeBand.AGE_51_PLUS: (350, 300),
}

_US_UPPER_LIMIT: dict[AgeBand, int] = {
    AgeBand.AGE_1_3: 65,
    AgeBand.AGE_4_8: 110,
}
_US_ADULT_UPPER_LIMIT = 350
# SCF sets 250 mg from age 4 and nothing below; we use the IOM child value there
# rather than claim no limit exists.
_EU_UPPER_LIMIT: dict[AgeBand, int] = {AgeBand.AGE_1_3: 65}
_EU_ADULT_UPPER_LIMIT = 250


# The dose of the most recent sleep trial (bisglycinate) and the EU supplemental limit.
_TYPICAL_SUPPLEMENT_MG = 250


def recommended_intake_mg(region: Region, age_band: AgeBand, sex: Sex) -> int:
    """Recommended daily intake from food and supplements together, elemental mg."""
    table = _US_TARGET if region is Region.US else _EU_TARGET
    male, female = table[age_band]
    if sex is Sex.MALE:
        return male
    if sex is Sex.FEMALE:
        return female
    return max(male, female)


def default_supplement_target_mg(region: Region, age_band: AgeBand, sex: Sex) -> int:
    """A daily supplement target to start from, elemental mg.

    The target the integration tracks counts supplements only, like the upper limit,
    so the suggestion never exceeds that limit (nor the whole-diet recommendation).
    """
    return min(
        upper_limit_mg(region, age_band),
        recommended_intake_mg(region, age_band, sex),
        _TYPICAL_SUPPLEMENT_MG,
    )


def upper_limit_mg(region: Region, age_band: AgeBand) -> int:
    """Tolerable upper limit for supplemental magnesium (not food), elemental mg/day."""
    if region is Region.US:
        return _US_UPPER_LIMIT.get(age_band, _US_ADULT_UPPER_LIMIT)
    return _EU_UPPER_LIMIT.get(age_band, _EU_ADULT_UPPER_LIMIT)
