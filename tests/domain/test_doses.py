"""Doses: validation, intake days across DST, the log's totals, streaks and averages."""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
import itertools
import json
import random
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.doses import (
    FUTURE_TOLERANCE,
    MAX_BACKDATE,
    MAX_SINGLE_DOSE_MG,
    DayStatus,
    Dose,
    DoseLog,
    DoseRejected,
    build_dose,
    day_start,
    day_status,
    intake_day,
    next_day_start,
)
from custom_components.magnesium_sleep.domain.intake import AgeBand, Region, Sex
from custom_components.magnesium_sleep.domain.profile import AmountBasis, Product, Profile
from custom_components.magnesium_sleep.domain.units import Form, Unit, to_elemental_mg

AMS = ZoneInfo("Europe/Amsterdam")
NY = ZoneInfo("America/New_York")
FOUR = time(4, 0)
NOW = datetime(2026, 6, 15, 21, 0, tzinfo=AMS)
# DST days in 2026: Amsterdam spring/autumn, New York spring/autumn.
DST_DAYS = [
    (AMS, date(2026, 3, 29)),
    (AMS, date(2026, 10, 25)),
    (NY, date(2026, 3, 8)),
    (NY, date(2026, 11, 1)),
]
DAY_STARTS = [time(0, 0), time(1, 30), time(2, 0), time(2, 30), time(3, 0), FOUR, time(23, 30)]


def make_profile(
    product: Product | None = None, *, target_mg: int = 400, region: Region = Region.US
) -> Profile:
    return Profile(
        name="Ada",
        age_band=AgeBand.AGE_31_50,
        sex=Sex.MALE,
        region=region,
        target_mg=target_mg,
        product=product or Product(Form.GLYCINATE, Decimal(500)),
    )


def dose_at(
    taken_at: datetime, ug: int = 100_000, dose_id: str | None = None, **kw: object
) -> Dose:
    return Dose(
        dose_id=dose_id or f"d{taken_at.isoformat()}",
        taken_at=taken_at,
        elemental_ug=ug,
        amount=Decimal(ug) / 1000,
        unit=Unit.MG,
        form=Form.ELEMENTAL,
        servings=None,
        note=None,
        source="action",
        **kw,  # type: ignore[arg-type]
    )


def reject(reason: str, **kwargs: object) -> DoseRejected:
    kwargs.setdefault("dose_id", "x")
    kwargs.setdefault("now", NOW)
    profile = kwargs.pop("profile", make_profile())
    with pytest.raises(DoseRejected) as info:
        build_dose(profile, **kwargs)  # type: ignore[arg-type]
    assert info.value.reason == reason
    assert str(info.value) == reason
    return info.value


# ------------------------------------------------------------------ build_dose


def test_two_glycinate_capsules_by_amount() -> None:
    dose = build_dose(make_profile(), dose_id="a", now=NOW, amount=1000)
    assert dose.form is Form.GLYCINATE  # default: the profile's product
    assert dose.unit is Unit.MG
    assert dose.amount == Decimal(1000)
    assert dose.elemental_ug == round(to_elemental_mg(1000, Unit.MG, Form.GLYCINATE) * 1000)
    assert dose.elemental_ug == 140_961
    assert round(dose.elemental_mg) == 141
    assert dose.servings is None
    assert dose.source == "action"
    assert dose.external_id is None


def test_servings_use_the_product() -> None:
    dose = build_dose(make_profile(), dose_id="a", now=NOW, servings=2)
    assert dose.amount == Decimal(1000)
    assert dose.servings == Decimal(2)
    assert dose.form is Form.GLYCINATE
    assert dose.elemental_ug == 140_961


def test_servings_with_elemental_basis_product() -> None:
    product = Product(Form.GLYCINATE, Decimal(141), AmountBasis.ELEMENTAL)
    dose = build_dose(
        make_profile(product), dose_id="a", now=NOW, servings=Decimal("1.5"), form="oxide"
    )
    assert dose.elemental_ug == 211_500
    assert dose.amount == Decimal("211.5")
    assert dose.form is Form.ELEMENTAL  # amount/unit/form stay self-consistent
    assert dose.servings == Decimal("1.5")


def test_float_point_one_stays_point_one() -> None:
    dose = build_dose(make_profile(), dose_id="a", now=NOW, amount=0.1, unit="g", form="elemental")
    assert dose.amount == Decimal("0.1")
    assert dose.elemental_ug == 100_000
    dose = build_dose(make_profile(), dose_id="b", now=NOW, servings=0.1)
    assert dose.servings == Decimal("0.1")
    assert dose.amount == Decimal("50.0")


@pytest.mark.parametrize(
    ("amount", "unit", "form", "ug"),
    [
        (10, "mmol", "oxide", 243_050),
        (20, "meq", None, 243_050),
        (20, Unit.MEQ, Form.SULFATE, 243_050),
        (1, "G", "Oxide", 603_042),
        (Decimal(500), " mg ", "bisglycinate", 70_481),
        ("2000", "mg", "threonate", 165_062),
    ],
)
def test_units_and_forms(amount: object, unit: object, form: object, ug: int) -> None:
    dose = build_dose(make_profile(), dose_id="a", now=NOW, amount=amount, unit=unit, form=form)  # type: ignore[arg-type]
    assert dose.elemental_ug == ug


def test_taken_at_defaults_to_now_and_is_normalised_to_utc() -> None:
    dose = build_dose(make_profile(), dose_id="a", now=NOW, amount=500)
    assert dose.taken_at == NOW
    assert dose.taken_at.tzinfo is UTC
    assert dose.taken_at.hour == 19
    earlier = datetime(2026, 6, 14, 23, 30, tzinfo=NY)
    dose = build_dose(make_profile(), dose_id="b", now=NOW, amount=500, taken_at=earlier)
    assert dose.taken_at == earlier
    assert dose.taken_at.tzinfo is UTC


def test_note_source_external_id() -> None:
    dose = build_dose(
        make_profile(),
        dose_id="a",
        now=NOW,
        amount=500,
        note="  with dinner ",
        source="apple_health",
        external_id="hk-1",
    )
    assert (dose.note, dose.source, dose.external_id) == ("with dinner", "apple_health", "hk-1")
    assert build_dose(make_profile(), dose_id="b", now=NOW, amount=1, note="  ").note is None


def test_maximum_single_dose_is_accepted() -> None:
    dose = build_dose(
        make_profile(), dose_id="a", now=NOW, amount=MAX_SINGLE_DOSE_MG, form=Form.ELEMENTAL
    )
    assert dose.elemental_ug == MAX_SINGLE_DOSE_MG * 1000


def test_time_window_edges_are_accepted() -> None:
    profile = make_profile()
    build_dose(profile, dose_id="a", now=NOW, amount=1, taken_at=NOW + FUTURE_TOLERANCE)
    build_dose(profile, dose_id="b", now=NOW, amount=1, taken_at=NOW - MAX_BACKDATE)


@pytest.mark.parametrize(
    "amount", [0, -1, Decimal(0), Decimal("-0.5"), -0.1, Decimal("1e-30"), Decimal("0.001")]
)
def test_reject_amount_not_positive(amount: object) -> None:
    """Zero, negative, or so small it rounds to 0 ug."""
    reject("amount_not_positive", amount=amount)


def test_reject_servings_not_positive() -> None:
    reject("amount_not_positive", servings=0)
    reject("amount_not_finite", servings=float("nan"))


@pytest.mark.parametrize(
    "amount",
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        "lots",
        "nan",
        True,
        [1],
    ],
)
def test_reject_amount_not_finite(amount: object) -> None:
    reject("amount_not_finite", amount=amount)


def test_reject_dose_implausible() -> None:
    error = reject("dose_implausible", amount=Decimal("2000.001"), form="elemental")
    assert error.placeholders == {"elemental_mg": "2000.0", "max_mg": "2000"}
    error = reject("dose_implausible", servings=100)  # 100 x 500 mg glycinate
    assert error.placeholders == {"elemental_mg": "7048.1", "max_mg": "2000"}
    error = reject("dose_implausible", amount=Decimal("1e999999999"))  # no huge Fraction
    assert error.placeholders["max_mg"] == "2000"
    reject("amount_not_positive", amount=Decimal("1e-999999999"))


def test_reject_amount_and_servings() -> None:
    reject("amount_and_servings")
    reject("amount_and_servings", amount=500, servings=1)


def test_reject_taken_at() -> None:
    reject("taken_at_future", amount=1, taken_at=NOW + FUTURE_TOLERANCE + timedelta(microseconds=1))
    reject("taken_at_too_old", amount=1, taken_at=NOW - MAX_BACKDATE - timedelta(microseconds=1))
    reject("taken_at_naive", amount=1, taken_at=datetime(2026, 6, 15, 20, 0))


@pytest.mark.parametrize("amount_mg", [Decimal(0), None, Decimal("NaN")])
def test_reject_no_product(amount_mg: Decimal | None) -> None:
    product = Product(Form.CITRATE, amount_mg)  # type: ignore[arg-type]
    reject("no_product", servings=1, profile=make_profile(product))


def test_reject_unknown_unit_and_form() -> None:
    assert reject("unknown_unit", amount=1, unit="kg").placeholders == {"unit": "kg"}
    assert reject("unknown_form", amount=1, form="unobtanium").placeholders == {
        "form": "unobtanium"
    }


def test_programming_errors_are_not_rejections() -> None:
    with pytest.raises(ValueError, match="aware") as info:
        build_dose(make_profile(), dose_id="a", now=datetime(2026, 1, 1), amount=1)
    assert not isinstance(info.value, DoseRejected)
    with pytest.raises(ValueError, match="dose_id"):
        build_dose(make_profile(), dose_id="", now=NOW, amount=1)


@given(
    amount=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.text(max_size=10),
    ),
    unit=st.one_of(st.sampled_from(list(Unit)), st.text(max_size=5)),
    form=st.one_of(st.none(), st.sampled_from(list(Form)), st.text(max_size=5)),
    minutes=st.integers(-10 * 365 * 24 * 60, 24 * 60),
)
def test_bad_input_only_ever_raises_dose_rejected(
    amount: object, unit: object, form: object, minutes: int
) -> None:
    try:
        dose = build_dose(
            make_profile(),
            dose_id="a",
            now=NOW,
            amount=amount,  # type: ignore[arg-type]
            unit=unit,  # type: ignore[arg-type]
            form=form,  # type: ignore[arg-type]
            taken_at=NOW + timedelta(minutes=minutes),
        )
    except DoseRejected:
        return
    assert 0 < dose.elemental_ug <= MAX_SINGLE_DOSE_MG * 1000
    assert dose.amount > 0


# ------------------------------------------------------------ Dose and storage


def test_dose_requires_aware_taken_at() -> None:
    with pytest.raises(ValueError, match="aware"):
        dose_at(datetime(2026, 1, 1, 12))


def test_elemental_mg_is_exact() -> None:
    assert dose_at(NOW, ug=140_962).elemental_mg == Decimal("140.962")


def test_round_trip_through_json() -> None:
    dose = build_dose(
        make_profile(),
        dose_id="a",
        now=NOW,
        servings=Decimal("1.50"),
        note="n",
        external_id="e",
        taken_at=datetime(2026, 6, 15, 20, 59, 59, 123456, tzinfo=AMS),
    )
    data = json.loads(json.dumps(dose.to_dict()))
    assert data["amount"] == "750.00"
    assert data["servings"] == "1.50"
    back = Dose.from_dict(data)
    assert back == dose
    assert str(back.amount) == "750.00"
    assert back.taken_at.tzinfo is UTC


@given(
    st.builds(
        Dose,
        dose_id=st.text(min_size=1),
        taken_at=st.integers(0, 10**15).map(
            lambda us: datetime(2000, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)
        ),
        elemental_ug=st.integers(1, 2_000_000),
        amount=st.decimals(min_value=Decimal("0.001"), max_value=10_000, places=3),
        unit=st.sampled_from(list(Unit)),
        form=st.sampled_from(list(Form)),
        servings=st.one_of(st.none(), st.decimals(min_value=0, max_value=10, places=2)),
        note=st.one_of(st.none(), st.text()),
        source=st.sampled_from(["action", "button", "voice", "apple_health"]),
        external_id=st.one_of(st.none(), st.text()),
    )
)
def test_round_trip_property(dose: Dose) -> None:
    back = Dose.from_dict(json.loads(json.dumps(dose.to_dict())))
    assert back == dose
    assert back.to_dict() == dose.to_dict()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("taken_at", "2026-01-01T00:00:00"),  # naive
        ("taken_at", 5),
        ("elemental_ug", "100"),
        ("elemental_ug", True),
        ("elemental_ug", -1),
        ("amount", "NaN"),
        ("amount", 1.5),
        ("unit", "kg"),
        ("form", "x"),
        ("servings", "abc"),
        ("source", None),
        ("note", 3),
        ("dose_id", None),
    ],
)
def test_from_dict_rejects_malformed(key: str, value: object) -> None:
    data = dose_at(NOW).to_dict()
    data[key] = value
    with pytest.raises(ValueError, match="invalid dose record"):
        Dose.from_dict(data)


def test_from_dict_missing_key() -> None:
    data = dose_at(NOW).to_dict()
    del data["unit"]
    with pytest.raises(ValueError, match="invalid dose record"):
        Dose.from_dict(data)


# ----------------------------------------------------------------- intake days


def test_half_past_midnight_counts_to_the_evening_before() -> None:
    assert intake_day(datetime(2026, 6, 16, 0, 30, tzinfo=AMS), AMS, FOUR) == date(2026, 6, 15)
    assert intake_day(datetime(2026, 6, 16, 3, 59, 59, tzinfo=AMS), AMS, FOUR) == date(2026, 6, 15)
    assert intake_day(datetime(2026, 6, 16, 4, 0, tzinfo=AMS), AMS, FOUR) == date(2026, 6, 16)
    # The moment's own offset does not matter, only the instant.
    assert intake_day(datetime(2026, 6, 15, 22, 30, tzinfo=UTC), AMS, FOUR) == date(2026, 6, 15)
    assert intake_day(datetime(2026, 6, 16, 0, 30, tzinfo=AMS), AMS, time(0)) == date(2026, 6, 16)


def test_intake_day_requires_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        intake_day(datetime(2026, 1, 1), AMS, FOUR)


def test_day_start_plain_days() -> None:
    assert day_start(date(2026, 6, 15), AMS, FOUR) == datetime(2026, 6, 15, 2, 0, tzinfo=UTC)
    assert day_start(date(2026, 1, 15), NY, FOUR) == datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert day_start(date(2026, 1, 15), AMS, time(4, tzinfo=NY)).tzinfo is UTC


@pytest.mark.parametrize(
    ("tz", "day", "starts_at", "local"),
    [
        # spring forward: the default 04:00 is after the gap and unaffected
        (AMS, date(2026, 3, 29), FOUR, datetime(2026, 3, 29, 4, 0)),
        (NY, date(2026, 3, 8), FOUR, datetime(2026, 3, 8, 4, 0)),
        # nonexistent 02:30: the day starts at the transition (03:00 summer time)
        (AMS, date(2026, 3, 29), time(2, 30), datetime(2026, 3, 29, 3, 0)),
        (NY, date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 3, 0)),
        (AMS, date(2026, 3, 29), time(2, 0), datetime(2026, 3, 29, 3, 0)),
    ],
)
def test_day_start_in_spring(tz: ZoneInfo, day: date, starts_at: time, local: datetime) -> None:
    start = day_start(day, tz, starts_at)
    assert start.tzinfo is UTC
    assert start.astimezone(tz).replace(tzinfo=None) == local


@pytest.mark.parametrize(
    ("tz", "day", "starts_at", "utc"),
    [
        # ambiguous 02:30 (Amsterdam) / 01:30 (New York): the first occurrence (summer time)
        (AMS, date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (NY, date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (AMS, date(2026, 10, 25), FOUR, datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
    ],
)
def test_day_start_in_autumn(tz: ZoneInfo, day: date, starts_at: time, utc: datetime) -> None:
    assert day_start(day, tz, starts_at) == utc


def test_day_lengths_on_dst_days_with_default_start() -> None:
    def length(tz: ZoneInfo, day: date) -> timedelta:
        return day_start(day + timedelta(days=1), tz, FOUR) - day_start(day, tz, FOUR)

    assert length(AMS, date(2026, 3, 29)) == timedelta(hours=24)  # 04:00 is after the change
    assert length(AMS, date(2026, 3, 28)) == timedelta(hours=23)
    assert length(AMS, date(2026, 10, 24)) == timedelta(hours=25)
    assert length(NY, date(2026, 3, 7)) == timedelta(hours=23)
    assert length(NY, date(2026, 10, 31)) == timedelta(hours=25)


def test_no_backwards_step_inside_a_repeated_hour() -> None:
    """With days starting at 01:30 in New York, the second 01:00-01:30 stays on Nov 1."""
    first = datetime(2026, 11, 1, 5, 45, tzinfo=UTC)  # 01:45 EDT
    second = datetime(2026, 11, 1, 6, 15, tzinfo=UTC)  # 01:15 EST, wall clock went back
    assert second.astimezone(NY).time() < time(1, 30)
    assert intake_day(first, NY, time(1, 30)) == date(2026, 11, 1)
    assert intake_day(second, NY, time(1, 30)) == date(2026, 11, 1)


def test_next_day_start() -> None:
    now = datetime(2026, 6, 16, 0, 30, tzinfo=AMS)
    assert next_day_start(now, AMS, FOUR) == datetime(2026, 6, 16, 4, 0, tzinfo=AMS)
    assert next_day_start(datetime(2026, 6, 16, 4, 0, tzinfo=AMS), AMS, FOUR) == datetime(
        2026, 6, 17, 4, 0, tzinfo=AMS
    )
    # across the autumn change the day is 25 hours long
    evening = datetime(2026, 10, 24, 20, 0, tzinfo=AMS)
    assert next_day_start(evening, AMS, FOUR) == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("starts_at", DAY_STARTS, ids=str)
@pytest.mark.parametrize(("tz", "dst_day"), DST_DAYS, ids=str)
def test_intake_day_sweep_over_dst(tz: ZoneInfo, dst_day: date, starts_at: time) -> None:
    """Minute by minute over four days: monotonic, one change per day, exactly at day_start."""
    first = dst_day - timedelta(days=2)
    start = day_start(first, tz, starts_at)
    days = [first + timedelta(days=i) for i in range(5)]
    starts = [day_start(d, tz, starts_at) for d in days]
    for earlier, later in itertools.pairwise(starts):
        assert timedelta(hours=22) < later - earlier < timedelta(hours=26)
    for d, s in zip(days, starts, strict=True):
        assert intake_day(s, tz, starts_at) == d
        assert intake_day(s - timedelta(microseconds=1), tz, starts_at) == d - timedelta(days=1)
        local = s.astimezone(tz)
        # The clock reads day_starts_at then, or the gap it fell into has just ended.
        assert local.date() == d or starts_at == time(23, 30)
        wall = datetime.combine(d, starts_at)
        assert timedelta(0) <= local.replace(tzinfo=None) - wall <= timedelta(hours=1)
    changes = []
    previous = intake_day(start, tz, starts_at)
    moment = start
    while moment < starts[-1]:
        moment += timedelta(minutes=1)
        current = intake_day(moment, tz, starts_at)
        assert current >= previous
        if current != previous:
            assert current == previous + timedelta(days=1)
            changes.append(moment)
        previous = current
    assert changes == starts[1:]


@settings(max_examples=300)
@given(
    tz=st.sampled_from([AMS, NY, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Pacific/Apia"), UTC]),
    starts_at=st.times(),
    a=st.integers(0, 3 * 365 * 86_400 * 10**6),
    b=st.integers(0, 3 * 365 * 86_400 * 10**6),
)
def test_intake_day_is_monotonic_and_agrees_with_day_start(
    tz: ZoneInfo, starts_at: time, a: int, b: int
) -> None:
    origin = datetime(2025, 1, 1, tzinfo=UTC)
    early, late = sorted((origin + timedelta(microseconds=a), origin + timedelta(microseconds=b)))
    day = intake_day(early, tz, starts_at)
    assert day <= intake_day(late, tz, starts_at)
    assert (
        day_start(day, tz, starts_at) <= early < day_start(day + timedelta(days=1), tz, starts_at)
    )
    # Away from DST changes the rule is plain wall-clock comparison.
    local = early.astimezone(tz)
    if all(
        (early + delta).astimezone(tz).utcoffset() == local.utcoffset()
        for delta in (timedelta(hours=-27), timedelta(hours=27))
    ):
        expected = local.date() - timedelta(days=local.time() < starts_at)
        assert day == expected
    assert next_day_start(early, tz, starts_at) > early


# ---------------------------------------------------------------------- DoseLog


def local(y: int, m: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=AMS)


def test_log_basics() -> None:
    log = DoseLog(AMS, FOUR)
    assert len(log) == 0
    assert log.latest() is None
    assert log.streak(date(2026, 6, 15)) == 0
    a = dose_at(local(2026, 6, 15, 21), ug=200_000, dose_id="a")
    b = dose_at(local(2026, 6, 16, 0, 30), ug=150_000, dose_id="b", external_id="hk-1")
    c = dose_at(local(2026, 6, 16, 8), ug=100_000, dose_id="c")
    for dose in (c, a, b):
        log.add(dose)
    assert len(log) == 3
    assert list(log) == [a, b, c]
    assert "a" in log
    assert "z" not in log
    assert log.latest() == c
    assert log.get("b") == b
    assert log.get("z") is None
    assert log.find_external("hk-1") == b
    assert log.find_external("hk-2") is None
    assert log.day_total_ug(date(2026, 6, 15)) == 350_000  # 00:30 counts to the evening before
    assert log.day_total_ug(date(2026, 6, 16)) == 100_000
    assert log.day_total_ug(date(2026, 6, 17)) == 0
    assert log.day_dose_count(date(2026, 6, 15)) == 2
    assert log.days_with_doses() == [date(2026, 6, 15), date(2026, 6, 16)]
    assert log.doses_on(date(2026, 6, 15)) == [a, b]
    assert log.day_of(b) == date(2026, 6, 15)
    assert log.between(a.taken_at, c.taken_at) == [a, b]  # half-open
    assert log.between(local(2026, 6, 16, 0, 30), local(2026, 6, 17, 0)) == [b, c]
    assert log.between(local(2026, 6, 17, 0), local(2026, 6, 18, 0)) == []

    assert log.remove("b") == b
    assert log.find_external("hk-1") is None
    assert log.day_total_ug(date(2026, 6, 15)) == 200_000
    with pytest.raises(KeyError):
        log.remove("b")
    assert log.remove("a") == a
    assert log.days_with_doses() == [date(2026, 6, 16)]


def test_log_rejects_duplicates() -> None:
    log = DoseLog(AMS, FOUR, [dose_at(NOW, dose_id="a", external_id="e")])
    with pytest.raises(ValueError, match="dose_id"):
        log.add(dose_at(NOW + timedelta(hours=1), dose_id="a"))
    with pytest.raises(ValueError, match="external_id"):
        log.add(dose_at(NOW + timedelta(hours=1), dose_id="b", external_id="e"))
    with pytest.raises(ValueError, match="dose_id"):
        DoseLog(AMS, FOUR, [dose_at(NOW, dose_id="a"), dose_at(NOW, dose_id="a")])
    assert len(log) == 1


def test_same_instant_doses_are_ordered_by_id_and_removable() -> None:
    doses = [dose_at(NOW, dose_id=i) for i in "cab"]
    log = DoseLog(AMS, FOUR, doses)
    assert [d.dose_id for d in log] == ["a", "b", "c"]
    log.remove("b")
    assert [d.dose_id for d in log] == ["a", "c"]
    assert log.day_total_ug(date(2026, 6, 15)) == 200_000


def test_reconfigure_moves_doses_between_days() -> None:
    late = dose_at(local(2026, 6, 16, 0, 30))
    log = DoseLog(AMS, FOUR, [late])
    assert log.days_with_doses() == [date(2026, 6, 15)]
    log.reconfigure(AMS, time(0, 0))
    assert (log.tz, log.day_starts_at) == (AMS, time(0, 0))
    assert log.days_with_doses() == [date(2026, 6, 16)]
    log.reconfigure(NY, FOUR)  # 18:30 the previous evening in New York
    assert log.days_with_doses() == [date(2026, 6, 15)]
    assert log.day_total_ug(date(2026, 6, 15)) == late.elemental_ug


def test_streak_examples() -> None:
    today = date(2026, 6, 15)
    log = DoseLog(AMS, FOUR)
    for back in (1, 2, 3, 5):
        day = today - timedelta(days=back)
        log.add(dose_at(datetime.combine(day, time(22), AMS)))
    assert log.streak(today) == 3  # today has none yet: not broken until the day is over
    log.add(dose_at(local(2026, 6, 16, 1)))  # 01:00 on the 16th counts to today
    assert log.streak(today) == 4
    assert log.streak(today + timedelta(days=1)) == 4
    assert log.streak(today + timedelta(days=2)) == 0
    assert log.streak(today - timedelta(days=4)) == 1  # day -4 open, day -5 had one
    assert log.streak(today - timedelta(days=6)) == 0  # days -6 and -7 had none


def test_average_examples() -> None:
    today = date(2026, 6, 15)
    log = DoseLog(AMS, FOUR)
    for back, ug in ((0, 350_000), (2, 350_000), (6, 350_001), (7, 999_000)):
        day = today - timedelta(days=back)
        log.add(dose_at(datetime.combine(day, time(22), AMS), ug=ug))
    assert log.average_ug_per_day(today) == Fraction(1_050_001, 7)  # day 7 is outside
    assert log.average_ug_per_day(today, days=1) == 350_000
    assert log.average_ug_per_day(today, days=14) == Fraction(2_049_001, 14)
    assert log.average_ug_per_day(today + timedelta(days=30)) == 0
    with pytest.raises(ValueError, match="days"):
        log.average_ug_per_day(today, days=0)


def test_day_status() -> None:
    profile = make_profile(target_mg=400)  # US adult: UL 350
    day = date(2026, 6, 15)
    log = DoseLog(AMS, FOUR, [dose_at(local(2026, 6, 15, 21), ug=351_000)])
    status = day_status(log, profile, day)
    assert status == DayStatus(day, 1, 351_000, 400, 350)
    assert status.total_mg == Decimal(351)
    assert status.progress_percent == Decimal("87.8")  # 87.75 half-even
    assert status.remaining_mg == Decimal(49)
    assert status.above_upper_limit is True

    exactly = DoseLog(AMS, FOUR, [dose_at(local(2026, 6, 15, 21), ug=350_000)])
    assert day_status(exactly, profile, day).above_upper_limit is False  # strictly greater

    eu = make_profile(target_mg=300, region=Region.EU)
    status = day_status(log, eu, day)
    assert (status.upper_limit_mg, status.remaining_mg) == (250, Decimal(0))
    assert status.progress_percent == Decimal("117.0")

    empty = day_status(DoseLog(AMS, FOUR), make_profile(target_mg=0), day)
    assert (empty.total_mg, empty.progress_percent, empty.dose_count) == (0, 0, 0)
    assert empty.above_upper_limit is False


# ------------------------------------------------------------- log properties

INSTANTS = st.integers(0, 2 * 365 * 24 * 60).map(
    lambda minutes: datetime(2025, 9, 1, tzinfo=UTC) + timedelta(minutes=minutes)
)
DOSE_LISTS = st.lists(st.tuples(INSTANTS, st.integers(1, 2_000_000)), max_size=60).map(
    lambda items: [dose_at(at, ug, dose_id=f"d{i}") for i, (at, ug) in enumerate(items)]
)


def snapshot(log: DoseLog) -> tuple[object, ...]:
    days = log.days_with_doses()
    return (
        list(log),
        days,
        [log.day_total_ug(d) for d in days],
        [log.day_dose_count(d) for d in days],
        log.latest(),
        len(log),
    )


@given(doses=DOSE_LISTS, rng=st.randoms(use_true_random=False), tz=st.sampled_from([AMS, NY]))
def test_day_totals_do_not_depend_on_insertion_order(
    doses: list[Dose], rng: random.Random, tz: ZoneInfo
) -> None:
    expected: defaultdict[date, int] = defaultdict(int)
    for dose in doses:
        expected[intake_day(dose.taken_at, tz, FOUR)] += dose.elemental_ug
    shuffled = doses[:]
    rng.shuffle(shuffled)
    incremental = DoseLog(tz, FOUR)
    for dose in shuffled:
        incremental.add(dose)
    bulk = DoseLog(tz, FOUR, doses)
    assert snapshot(incremental) == snapshot(bulk)
    assert {d: incremental.day_total_ug(d) for d in incremental.days_with_doses()} == expected
    assert list(incremental) == sorted(doses, key=lambda d: (d.taken_at, d.dose_id))


@given(doses=DOSE_LISTS, extra=st.tuples(INSTANTS, st.integers(1, 2_000_000)))
def test_add_then_remove_restores_state(doses: list[Dose], extra: tuple[datetime, int]) -> None:
    log = DoseLog(AMS, FOUR, doses)
    before = snapshot(log)
    log.add(dose_at(extra[0], extra[1], dose_id="extra", external_id="x"))
    log.remove("extra")
    assert snapshot(log) == before
    assert log.find_external("x") is None


@given(doses=DOSE_LISTS, start=INSTANTS, end=INSTANTS)
def test_between_matches_a_filter(doses: list[Dose], start: datetime, end: datetime) -> None:
    log = DoseLog(AMS, FOUR, doses)
    assert log.between(start, end) == [d for d in log if start <= d.taken_at < end]


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**64))
def test_totals_are_exact_over_thousands_of_doses(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    profile = make_profile()
    now = datetime(2026, 6, 15, 12, tzinfo=UTC)
    log = DoseLog(AMS, FOUR)
    expected: Counter[date] = Counter()
    exact_sum = Fraction(0)
    for i in range(3000):
        unit = rng.choice(list(Unit))
        form = rng.choice(list(Form))
        amount = Decimal(rng.randint(1, 40_000)) / (1000 if unit is Unit.G else 10)
        taken_at = now - timedelta(seconds=rng.randint(0, 4 * 365 * 86_400))
        exact = to_elemental_mg(amount, unit, form) * 1000
        kwargs = {"amount": amount, "unit": unit, "form": form, "taken_at": taken_at}
        if exact > MAX_SINGLE_DOSE_MG * 1000:
            with pytest.raises(DoseRejected, match="dose_implausible"):
                build_dose(profile, dose_id=str(i), now=now, **kwargs)  # type: ignore[arg-type]
            continue
        dose = build_dose(profile, dose_id=str(i), now=now, **kwargs)  # type: ignore[arg-type]
        assert dose.elemental_ug == round(exact)
        assert abs(dose.elemental_ug - exact) <= Fraction(1, 2)
        log.add(dose)
        expected[intake_day(taken_at, AMS, FOUR)] += round(exact)
        exact_sum += exact
    totals = {d: log.day_total_ug(d) for d in log.days_with_doses()}
    assert totals == dict(expected)
    assert abs(sum(totals.values()) - exact_sum) <= Fraction(len(log), 2)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["add", "remove", "streak"]), st.integers(0, 12)),
        max_size=60,
    )
)
def test_remembered_streak_matches_a_fresh_count(steps: list[tuple[str, int]]) -> None:
    """Streaks stay right while days gain and lose doses between queries."""
    today = date(2026, 6, 15)
    log = DoseLog(AMS, FOUR)
    for number, (action, back) in enumerate(steps):
        day = today - timedelta(days=back)
        if action == "add":
            log.add(dose_at(datetime.combine(day, time(22), AMS), dose_id=f"d{number}"))
        elif action == "remove" and (on_day := log.doses_on(day)):
            log.remove(on_day[0].dose_id)
        fresh = DoseLog(AMS, FOUR, list(log))
        assert log.streak(today) == fresh.streak(today)
