"""Doses: validation, the log's totals, streaks and averages."""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
import json
import random
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.clock import day_start, intake_day
from custom_components.magnesium_sleep.domain.doses import (
    FUTURE_TOLERANCE,
    MAX_BACKDATE,
    MAX_SINGLE_DOSE_MG,
    DayStatus,
    Dose,
    DoseLog,
    DoseRejected,
    build_dose,
    day_status,
)
from custom_components.magnesium_sleep.domain.intake import AgeBand, Region, Sex
from custom_components.magnesium_sleep.domain.profile import AmountBasis, Product, Profile
from custom_components.magnesium_sleep.domain.units import Form, Unit, to_elemental_mg

AMS = ZoneInfo("Europe/Amsterdam")
NY = ZoneInfo("America/New_York")
FOUR = time(4, 0)
NOW = datetime(2026, 6, 15, 21, 0, tzinfo=AMS)


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


def test_amount_without_form_is_read_like_the_label() -> None:
    """Of the product's form, or elemental when the label gives magnesium itself."""
    compound = build_dose(make_profile(), dose_id="a", now=NOW, amount=500)
    assert compound.form is Form.GLYCINATE
    assert compound.elemental_ug == 70_481
    product = Product(Form.GLYCINATE, Decimal(141), AmountBasis.ELEMENTAL)
    elemental = build_dose(make_profile(product), dose_id="b", now=NOW, amount=200)
    assert elemental.form is Form.ELEMENTAL
    assert elemental.elemental_ug == 200_000
    named = build_dose(make_profile(product), dose_id="c", now=NOW, amount=500, form="glycinate")
    assert named.elemental_ug == 70_481


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
    evening = date(2026, 6, 15)
    assert log.between(
        day_start(evening, AMS, FOUR), day_start(evening + timedelta(days=1), AMS, FOUR)
    ) == [a, b]
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


def test_the_day_start_and_time_zone_decide_the_day() -> None:
    late = dose_at(local(2026, 6, 16, 0, 30))
    assert DoseLog(AMS, FOUR, [late]).days_with_doses() == [date(2026, 6, 15)]
    assert DoseLog(AMS, time(0, 0), [late]).days_with_doses() == [date(2026, 6, 16)]
    in_new_york = DoseLog(NY, FOUR, [late])  # 18:30 the previous evening in New York
    assert in_new_york.days_with_doses() == [date(2026, 6, 15)]
    assert in_new_york.day_total_ug(date(2026, 6, 15)) == late.elemental_ug


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
    # The first dose was 7 days back: 14 days would count 6 days before it as zeros.
    assert log.days_averaged(today, days=14) == 8
    assert log.average_ug_per_day(today, days=14) == Fraction(2_049_001, 8)
    assert log.average_ug_per_day(today + timedelta(days=30)) == 0
    assert log.average_ug_per_day(today - timedelta(days=8)) == 0  # before the first dose
    with pytest.raises(ValueError, match="days"):
        log.average_ug_per_day(today, days=0)


def test_average_on_the_first_day_is_that_day() -> None:
    """One day of 377 mg is 377 mg a day, not 377 / 7."""
    today = date(2026, 6, 15)
    log = DoseLog(AMS, FOUR)
    assert log.days_averaged(today) == 0
    assert log.average_ug_per_day(today) == 0
    log.add(dose_at(datetime.combine(today, time(22), AMS), ug=377_000))
    assert log.days_averaged(today) == 1
    assert log.average_ug_per_day(today) == 377_000


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
        elif action == "remove" and (on_day := [dose for dose in log if log.day_of(dose) == day]):
            log.remove(on_day[0].dose_id)
        fresh = DoseLog(AMS, FOUR, list(log))
        assert log.streak(today) == fresh.streak(today)


@settings(max_examples=150)
@given(
    st.lists(st.integers(-3 * 24 * 60, 3 * 24 * 60), max_size=40),
    st.sampled_from([AMS, NY, UTC]),
    st.sampled_from([FOUR, time(0, 0), time(2, 30)]),
)
def test_loaded_log_files_each_dose_by_the_clock_rule(
    minutes: list[int], tz: ZoneInfo, starts_at: time
) -> None:
    """Loading walks doses in time order with the last day's bounds; same days as one by one."""
    # Around the 2026 spring-forward weekend in Europe and the US.
    base = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    doses = [dose_at(base + timedelta(minutes=m), dose_id=f"d{i}") for i, m in enumerate(minutes)]
    loaded = DoseLog(tz, starts_at, doses)
    one_by_one = DoseLog(tz, starts_at)
    for dose in reversed(doses):
        one_by_one.add(dose)
    expected = Counter(intake_day(dose.taken_at, tz, starts_at) for dose in doses)
    assert loaded.days_with_doses() == sorted(expected) == one_by_one.days_with_doses()
    for day, count in expected.items():
        assert loaded.day_dose_count(day) == count == one_by_one.day_dose_count(day)
        assert loaded.day_total_ug(day) == one_by_one.day_total_ug(day)
    assert list(loaded) == list(one_by_one)
