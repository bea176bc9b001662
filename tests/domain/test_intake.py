"""Daily targets and supplemental upper limits (reference section 1)."""

import pytest

from custom_components.magnesium_sleep.domain.intake import (
    AgeBand,
    Region,
    Sex,
    default_supplement_target_mg,
    recommended_intake_mg,
    upper_limit_mg,
)


@pytest.mark.parametrize(
    ("region", "band", "sex", "expected"),
    [
        (Region.US, AgeBand.AGE_1_3, Sex.FEMALE, 80),
        (Region.US, AgeBand.AGE_4_8, Sex.MALE, 130),
        (Region.US, AgeBand.AGE_9_13, Sex.MALE, 240),
        (Region.US, AgeBand.AGE_14_18, Sex.MALE, 410),
        (Region.US, AgeBand.AGE_14_18, Sex.FEMALE, 360),
        (Region.US, AgeBand.AGE_19_30, Sex.MALE, 400),
        (Region.US, AgeBand.AGE_19_30, Sex.FEMALE, 310),
        (Region.US, AgeBand.AGE_31_50, Sex.MALE, 420),
        (Region.US, AgeBand.AGE_31_50, Sex.FEMALE, 320),
        (Region.US, AgeBand.AGE_51_PLUS, Sex.FEMALE, 320),
        (Region.US, AgeBand.AGE_51_PLUS, Sex.UNSPECIFIED, 420),
        (Region.EU, AgeBand.AGE_1_3, Sex.MALE, 170),  # final EFSA value, not the draft's 160
        (Region.EU, AgeBand.AGE_4_8, Sex.FEMALE, 230),
        (Region.EU, AgeBand.AGE_14_18, Sex.MALE, 300),
        (Region.EU, AgeBand.AGE_14_18, Sex.FEMALE, 250),
        (Region.EU, AgeBand.AGE_19_30, Sex.MALE, 350),
        (Region.EU, AgeBand.AGE_31_50, Sex.FEMALE, 300),
        (Region.EU, AgeBand.AGE_51_PLUS, Sex.UNSPECIFIED, 350),
    ],
)
def test_recommended_intake(region: Region, band: AgeBand, sex: Sex, expected: int) -> None:
    assert recommended_intake_mg(region, band, sex) == expected


@pytest.mark.parametrize("region", list(Region))
@pytest.mark.parametrize("band", list(AgeBand))
def test_unspecified_sex_covers_both(region: Region, band: AgeBand) -> None:
    both = {recommended_intake_mg(region, band, sex) for sex in (Sex.MALE, Sex.FEMALE)}
    assert recommended_intake_mg(region, band, Sex.UNSPECIFIED) == max(both)


@pytest.mark.parametrize(
    ("region", "band", "expected"),
    [
        (Region.US, AgeBand.AGE_1_3, 65),
        (Region.US, AgeBand.AGE_4_8, 110),
        (Region.US, AgeBand.AGE_9_13, 350),
        (Region.US, AgeBand.AGE_19_30, 350),
        (Region.US, AgeBand.AGE_51_PLUS, 350),
        (Region.EU, AgeBand.AGE_1_3, 65),
        (Region.EU, AgeBand.AGE_4_8, 250),  # SCF: 250 mg from age 4
        (Region.EU, AgeBand.AGE_31_50, 250),
    ],
)
def test_supplemental_upper_limit(region: Region, band: AgeBand, expected: int) -> None:
    assert upper_limit_mg(region, band) == expected


@pytest.mark.parametrize("region", list(Region))
@pytest.mark.parametrize("band", list(AgeBand))
@pytest.mark.parametrize("sex", list(Sex))
def test_default_supplement_target_never_exceeds_the_upper_limit(
    region: Region, band: AgeBand, sex: Sex
) -> None:
    """The suggested target is one the integration itself never warns about."""
    target = default_supplement_target_mg(region, band, sex)
    assert 0 < target <= upper_limit_mg(region, band)
    assert target <= recommended_intake_mg(region, band, sex)


@pytest.mark.parametrize(
    ("region", "band", "sex", "expected"),
    [
        (Region.EU, AgeBand.AGE_31_50, Sex.FEMALE, 250),  # was 350 above the EU 250 limit
        (Region.US, AgeBand.AGE_31_50, Sex.MALE, 250),
        (Region.US, AgeBand.AGE_4_8, Sex.MALE, 110),
        (Region.US, AgeBand.AGE_9_13, Sex.FEMALE, 240),
    ],
)
def test_default_supplement_target(region: Region, band: AgeBand, sex: Sex, expected: int) -> None:
    assert default_supplement_target_mg(region, band, sex) == expected
