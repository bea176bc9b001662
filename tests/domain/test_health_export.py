"""Tests for Health Auto Export (Apple Health) payload parsing."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.magnesium_sleep.domain.health_export import (
    SAMPLES_SOURCE,
    SOURCE,
    ExportBatch,
    ExportRejected,
    mentions_magnesium,
    parse_dosage,
    parse_export,
    parse_timestamp,
)
from custom_components.magnesium_sleep.domain.sleep.assembler import NightAssembler
from custom_components.magnesium_sleep.domain.sleep.night import Field, Provenance
from custom_components.magnesium_sleep.domain.sleep.signals import Summary
from custom_components.magnesium_sleep.domain.units import Unit

FIXTURES = Path(__file__).parent / "fixtures"
SYDNEY = ZoneInfo("Australia/Sydney")
PLUS10 = timezone(timedelta(hours=10))
SEP20 = date(2024, 9, 20)
SEP21 = date(2024, 9, 21)


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def at(day: int, hh: int, mm: int = 0, month: int = 9) -> datetime:
    return datetime(2024, month, day, hh, mm, tzinfo=PLUS10)


def nights(batch: ExportBatch) -> tuple[date, ...]:
    """The night keys the signals are for, oldest first."""
    return tuple(sorted({s.signal.night for s in batch.signals if s.signal.night}))


def values(batch: ExportBatch, night: date) -> dict[Field, object]:
    return {s.signal.field: s.signal.value for s in batch.signals if s.signal.night == night}


def feed_all(batch: ExportBatch, assembler: NightAssembler) -> list[date | None]:
    return [assembler.feed(s.signal) for s in batch.signals]


# --------------------------------------------------------------------------- timestamps


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-09-21 07:57:00 +1000", at(21, 7, 57)),
        ("2024-09-21 7:57:00 am +1000", at(21, 7, 57)),
        ("2024-09-21 7:57:00\u202fam +1000", at(21, 7, 57)),
        ("2024-09-21 7:57:00\u00a0PM +1000", at(21, 19, 57)),
        ("2024-09-21 12:05:00 am +1000", at(21, 0, 5)),
        ("2024-09-21 12:05:00 pm +1000", at(21, 12, 5)),
        ("2024-09-21 7:57 a.m. +1000", at(21, 7, 57)),
        ("2024-09-21T07:57:00+10:00", at(21, 7, 57)),
        (
            "2024-09-21 21:57:00 -0730",
            datetime(2024, 9, 21, 21, 57, tzinfo=timezone(-timedelta(hours=7, minutes=30))),
        ),
        ("2024-09-21 07:57:00.250 Z", datetime(2024, 9, 21, 7, 57, 0, 250_000, tzinfo=UTC)),
    ],
)
def test_parse_timestamp(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        "2024-09-21 07:57:00",  # no offset: never guess local time
        "2024-09-21 13:00:00 pm +1000",
        "2024-09-21 0:30:00 am +1000",
        "21-09-2024 07:57:00 +1000",
        "2024-09-31 07:57:00 +1000",
        "2024-09-21 24:00:00 +1000",
        "yesterday",
    ],
)
def test_parse_timestamp_rejects(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        parse_timestamp(text)


# --------------------------------------------------------------------------- aggregated


class TestAggregated:
    def test_values_and_night_keys(self) -> None:
        batch = parse_export(load("hae_sleep_aggregated.json"), tz=SYDNEY)
        assert nights(batch) == (SEP20, SEP21)  # filed under wake dates 21 and 22
        first = values(batch, SEP20)
        assert first == {
            Field.TOTAL_SLEEP: 435.0,
            Field.LIGHT: 240.0,
            Field.DEEP: 75.0,
            Field.REM: 120.0,
            Field.WASO: 30.0,
            Field.TIME_IN_BED: 510.0,
            Field.SLEEP_ONSET: at(20, 23, 5),
            Field.WAKE_TIME: at(21, 6, 50),
            Field.BEDTIME: at(20, 22, 40),
            Field.OUT_OF_BED: at(21, 7, 10),
        }
        # stageless entry: asleep is the total, no stages and no in-bed invented
        assert values(batch, SEP21) == {
            Field.TOTAL_SLEEP: 390.0,
            Field.SLEEP_ONSET: at(21, 23, 30),
            Field.WAKE_TIME: at(22, 6, 0),
        }
        # the shorter re-sent fragment and the afternoon nap were dropped
        assert batch.skipped == 2
        assert all(s.signal.source == SOURCE and s.signal.measured for s in batch.signals)

    def test_in_bed_as_a_duration_alone_is_time_in_bed(self) -> None:
        """An export with `inBed` but no in-bed times still gives time in bed (efficiency)."""
        entry = {
            "totalSleep": 7.0,
            "inBed": 7.5,
            "sleepStart": "2024-09-20 23:00:00 +1000",
            "sleepEnd": "2024-09-21 06:30:00 +1000",
        }
        payload = {"data": {"metrics": [{"name": "sleep_analysis", "data": [entry]}]}}
        batch = parse_export(payload, tz=SYDNEY)
        assert values(batch, SEP20)[Field.TIME_IN_BED] == 450.0
        assert Field.BEDTIME not in values(batch, SEP20)  # no times invented
        assembler = NightAssembler(SYDNEY)
        for exported in batch.signals:
            assembler.feed(exported.signal)
        night = assembler.night(SEP20)
        assert night is not None
        assert night.efficiency == pytest.approx(420 / 450 * 100)

    def test_into_assembler(self) -> None:
        batch = parse_export(load("hae_sleep_aggregated.json"), tz=SYDNEY)
        assembler = NightAssembler(SYDNEY)
        assert set(feed_all(batch, assembler)) == {SEP20, SEP21}
        night = assembler.night(SEP20)
        assert night is not None
        assert night.total_sleep == 435
        assert night.latency == 25  # derived from in-bed start and sleep start
        assert night.efficiency == pytest.approx(435 / 510 * 100)
        assert night.provenance[Field.TOTAL_SLEEP].measured
        assert night.provenance[Field.TOTAL_SLEEP].received_at == at(21, 6, 50)

    def test_resend_changes_nothing(self) -> None:
        payload = load("hae_sleep_aggregated.json")
        first = parse_export(payload, tz=SYDNEY)
        assert parse_export(copy.deepcopy(payload), tz=SYDNEY) == first
        assembler = NightAssembler(SYDNEY)
        feed_all(first, assembler)
        before = assembler.nights()
        later = parse_export(payload, tz=SYDNEY, received_at=datetime(2024, 9, 23, tzinfo=UTC))
        assert all(result is None for result in feed_all(later, assembler))
        assert assembler.nights() == before
        assert {s.key for s in later.signals} == {s.key for s in first.signals}
        assert f"{SOURCE}:sleep:2024-09-20:total_sleep" in {s.key for s in first.signals}

    def test_resend_order_does_not_matter(self) -> None:
        payload = load("hae_sleep_aggregated.json")
        entries = payload["data"]["metrics"][1]["data"]
        entries.reverse()
        assert parse_export(payload, tz=SYDNEY) == parse_export(
            load("hae_sleep_aggregated.json"), tz=SYDNEY
        )

    def test_without_tz_uses_the_offsets(self) -> None:
        batch = parse_export(load("hae_sleep_aggregated.json"))
        assert nights(batch) == (SEP20, SEP21)

    def test_received_at(self) -> None:
        now = datetime(2024, 9, 21, 8, 0, tzinfo=UTC)
        batch = parse_export(load("hae_sleep_aggregated.json"), tz=SYDNEY, received_at=now)
        assert {s.signal.received_at for s in batch.signals} == {now}

    def test_minutes_unit_and_missing_unit(self) -> None:
        entry = {
            "totalSleep": 420,
            "sleepStart": "2024-09-20 23:00:00 +1000",
            "sleepEnd": "2024-09-21 06:00:00 +1000",
        }
        minutes = {
            "data": {"metrics": [{"name": "sleep_analysis", "units": "min", "data": [entry]}]}
        }
        assert values(parse_export(minutes, tz=SYDNEY), SEP20)[Field.TOTAL_SLEEP] == 420
        hours = {
            "data": {"metrics": [{"name": "sleep_analysis", "data": [dict(entry, totalSleep=7)]}]}
        }
        assert values(parse_export(hours, tz=SYDNEY), SEP20)[Field.TOTAL_SLEEP] == 420

    def test_stages_without_total(self) -> None:
        entry = {
            "core": 4,
            "deep": 1,
            "rem": 2,
            "sleepStart": "2024-09-20 23:00:00 +1000",
            "sleepEnd": "2024-09-21 06:00:00 +1000",
        }
        payload = {
            "data": {"metrics": [{"name": "sleep_analysis", "units": "hr", "data": [entry]}]}
        }
        assert values(parse_export(payload, tz=SYDNEY), SEP20)[Field.TOTAL_SLEEP] == 420

    def test_entry_without_start_uses_wake_date(self) -> None:
        entry = {
            "date": "2024-09-21 00:00:00 +1000",
            "totalSleep": 7,
            "sleepEnd": "2024-09-21 06:00:00 +1000",
        }
        payload = {
            "data": {"metrics": [{"name": "sleep_analysis", "units": "hr", "data": [entry]}]}
        }
        batch = parse_export(payload, tz=SYDNEY)
        assert nights(batch) == (SEP20,)
        no_date = {
            "data": {"metrics": [{"name": "sleep_analysis", "data": [dict(entry, date=None)]}]}
        }
        assert nights(parse_export(no_date)) == (SEP20,)

    def test_entries_without_sleep_are_skipped(self) -> None:
        entries = [
            {"date": "2024-09-21 00:00:00 +1000", "totalSleep": 0, "asleep": 0},
            {"date": "2024-09-21 00:00:00 +1000", "totalSleep": 7},  # no end time
        ]
        payload = {
            "data": {"metrics": [{"name": "sleep_analysis", "units": "hr", "data": entries}]}
        }
        batch = parse_export(payload)
        assert batch.signals == ()
        assert batch.skipped == 2

    def test_two_sessions_one_night_keeps_longest(self) -> None:
        entries = [
            {
                "totalSleep": 2,
                "sleepStart": "2024-09-20 21:00:00 +1000",
                "sleepEnd": "2024-09-20 23:00:00 +1000",
            },
            {
                "totalSleep": 5,
                "sleepStart": "2024-09-21 01:00:00 +1000",
                "sleepEnd": "2024-09-21 06:00:00 +1000",
            },
        ]
        payload = {
            "data": {"metrics": [{"name": "sleep_analysis", "units": "hr", "data": entries}]}
        }
        batch = parse_export(payload, tz=SYDNEY)
        assert values(batch, SEP20)[Field.TOTAL_SLEEP] == 300
        assert batch.skipped == 1
        # the longer one ends first: the later, shorter one is still dropped
        entries[0] = dict(
            entries[1], sleepStart="2024-09-20 19:00:00 +1000", sleepEnd="2024-09-20 23:59:00 +1000"
        )
        entries[1] = dict(
            entries[1],
            totalSleep=2,
            sleepStart="2024-09-21 01:00:00 +1000",
            sleepEnd="2024-09-21 03:00:00 +1000",
        )
        batch = parse_export(payload, tz=SYDNEY)
        assert values(batch, SEP20)[Field.TOTAL_SLEEP] == 300


# --------------------------------------------------------------------------- unaggregated


class TestUnaggregated:
    def test_samples_to_night(self) -> None:
        batch = parse_export(load("hae_sleep_unaggregated.json"), tz=SYDNEY)
        assert nights(batch) == (SEP20,)  # the afternoon nap is dropped
        got = values(batch, SEP20)
        assert got == {
            Field.BEDTIME: at(20, 22, 40),
            Field.SLEEP_ONSET: at(20, 23, 5),
            Field.WAKE_TIME: at(21, 6, 50),
            Field.OUT_OF_BED: at(21, 7, 10),
            Field.TOTAL_SLEEP: 215.0 + 188.0 + 48.0,
            Field.WASO: 14.0,
            Field.AWAKENINGS: 1,
            Field.LIGHT: 85.0 + 70.0 + 120.0 + 48.0,
            Field.DEEP: 60.0,
            Field.REM: 68.0,
        }
        assert not any(s.signal.measured for s in batch.signals)
        assembler = NightAssembler(SYDNEY)
        feed_all(batch, assembler)
        night = assembler.night(SEP20)
        assert night is not None
        assert night.time_in_bed == 510
        assert night.latency == 25
        assert night.provenance[Field.TOTAL_SLEEP].source == SAMPLES_SOURCE
        assert all(result is None for result in feed_all(batch, assembler))

    def test_samples_across_dst(self) -> None:
        # Sydney springs forward at 02:00 on 6 October 2024: 23:00 -> 07:00 is 7 h.
        samples = [
            {
                "startDate": "2024-10-05 23:00:00 +1000",
                "endDate": "2024-10-06 07:00:00 +1100",
                "value": "In Bed",
            },
            {
                "startDate": "2024-10-05 23:00:00 +1000",
                "endDate": "2024-10-06 07:00:00 +1100",
                "value": "Asleep",
            },
        ]
        payload = {
            "data": {"metrics": [{"name": "sleep_analysis", "units": "hr", "data": samples}]}
        }
        batch = parse_export(payload, tz=SYDNEY)
        got = values(batch, date(2024, 10, 5))
        assert got[Field.TOTAL_SLEEP] == 420
        assert Field.DEEP not in got

    def test_aggregate_wins_over_samples_for_the_same_night(self) -> None:
        payload = load("hae_sleep_aggregated.json")
        samples = load("hae_sleep_unaggregated.json")["data"]["metrics"][0]["data"]
        payload["data"]["metrics"][1]["data"].extend(samples)
        batch = parse_export(payload, tz=SYDNEY)
        assert all(s.signal.measured for s in batch.signals)
        assert values(batch, SEP20)[Field.TOTAL_SLEEP] == 435

    @pytest.mark.parametrize("aggregate_first", [True, False])
    def test_aggregate_wins_over_samples_from_another_export(self, aggregate_first: bool) -> None:
        # Regression: both shared the source "apple_health", and the samples' values
        # (received at out of bed, 07:10) replaced the aggregate's (sleepEnd, 06:50)
        # as that source's newer values, whichever export came first.
        aggregated = parse_export(load("hae_sleep_aggregated.json"), tz=SYDNEY)
        samples = parse_export(load("hae_sleep_unaggregated.json"), tz=SYDNEY)
        assembler = NightAssembler(SYDNEY)
        for batch in (aggregated, samples) if aggregate_first else (samples, aggregated):
            feed_all(batch, assembler)
        night = assembler.night(SEP20)
        assert night is not None
        assert night.total_sleep == 435
        assert night.light == 240
        assert night.provenance[Field.TOTAL_SLEEP] == Provenance(SOURCE, True, at(21, 6, 50))
        # What only the samples tell is kept.
        assert night.awakenings == 1
        assert night.provenance[Field.AWAKENINGS].source == SAMPLES_SOURCE

    def test_in_bed_samples_alone_are_no_night(self) -> None:
        samples = [
            {
                "startDate": "2024-09-20 23:00:00 +1000",
                "endDate": "2024-09-21 07:00:00 +1000",
                "value": "In Bed",
            },
        ]
        payload = {
            "data": {"metrics": [{"name": "sleep_analysis", "units": "hr", "data": samples}]}
        }
        assert parse_export(payload).signals == ()

    def test_unusable_samples(self) -> None:
        samples = [
            {
                "startDate": "2024-09-20 23:00:00 +1000",
                "endDate": "2024-09-20 22:00:00 +1000",
                "value": "Core",
            },
            {
                "startDate": "2024-09-20 23:00:00 +1000",
                "endDate": "2024-09-21 06:00:00 +1000",
                "value": 3,
            },
            {
                "startDate": "2024-09-20 23:00:00 +1000",
                "endDate": "2024-09-21 06:00:00 +1000",
                "value": "Dreaming",
            },
        ]
        payload = {
            "data": {"metrics": [{"name": "sleep_analysis", "units": "hr", "data": samples}]}
        }
        assert parse_export(payload).signals == ()

    def test_hk_category_names(self) -> None:
        samples = [
            {
                "startDate": "2024-09-20 23:00:00 +1000",
                "endDate": "2024-09-21 06:00:00 +1000",
                "value": "HKCategoryValueSleepAnalysisAsleepDeep",
            }
        ]
        payload = {
            "data": {"metrics": [{"name": "sleep_analysis", "units": "hr", "data": samples}]}
        }
        got = values(parse_export(payload), SEP20)
        assert got[Field.DEEP] == 420


# --------------------------------------------------------------------------- medications


class TestMedications:
    def test_magnesium_intakes(self) -> None:
        batch = parse_export(load("hae_medications.json"))
        intakes = batch.medications
        assert [i.name for i in intakes] == [
            "Evening magnesium",
            "Magnesiumcitraat",
            "Magnésium marin",
            "Sleep stack",
        ]
        first = intakes[0]
        assert first.taken_at == at(20, 21, 30)
        assert first.dosage_text == "400 mg"
        assert (first.amount, first.unit) == (Decimal(400), Unit.MG)
        assert (
            first.external_id
            == f"{SOURCE}:medication:magnesium glycinate:2024-09-20T11:30:00+00:00"
        )
        dutch = intakes[1]
        assert dutch.taken_at == at(21, 21, 15)  # date (taken) before scheduledDate
        assert (dutch.amount, dutch.unit, dutch.dosage_text) == (Decimal(250), None, "250")
        french = intakes[2]
        assert (french.amount, french.unit) == (Decimal("0.3"), Unit.G)
        stack = intakes[3]
        assert (stack.amount, stack.unit, stack.dosage_text) == (None, None, "2 capsules")
        # skipped: Skipped, aspirin, no date, Snoozed; the duplicate is merged
        assert batch.skipped == 4
        assert batch.signals == ()

    def test_medication_resend_same_ids(self) -> None:
        payload = load("hae_medications.json")
        assert parse_export(payload).medications == parse_export(copy.deepcopy(payload)).medications

    def test_resend_from_another_time_zone_same_ids(self) -> None:
        # Regression: the id held the offset, so after travelling (HAE writes times in
        # the phone's current zone) every re-exported intake was logged again.
        record = {"displayText": "Magnesium", "status": "Taken", "dosage": "400 mg"}
        home = dict(record, scheduledDate="2024-09-20 9:30:00 pm +1000")
        away = dict(record, scheduledDate="2024-09-20 12:30:00 pm +0100")
        ids = [
            parse_export({"data": {"medications": [r]}}).medications[0].external_id
            for r in (home, away)
        ]
        assert ids[0] == ids[1]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Magnesium", True),
            ("MAGNESIUM CITRATE", True),
            ("magnesiumbisglycinaat", True),
            ("Magnésium", True),
            ("Magnesio", True),
            ("Milk of Magnesia", True),
            ("Magnez", True),
            ("Manganese", False),
            ("Zinc 50 mg", False),
            ("", False),
        ],
    )
    def test_mentions_magnesium(self, text: str, expected: bool) -> None:
        assert mentions_magnesium(text) is expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("400 mg", (Decimal(400), Unit.MG)),
            ("400mg", (Decimal(400), Unit.MG)),
            ("0,5 g", (Decimal("0.5"), Unit.G)),
            ("1.5 grams", (Decimal("1.5"), Unit.G)),
            ("2 x 200 milligrams", (Decimal(200), Unit.MG)),
            ("10 mmol", (Decimal(10), Unit.MMOL)),
            ("20 mEq", (Decimal(20), Unit.MEQ)),
            ("2 capsules", None),
            ("500 mcg", None),
            ("", None),
        ],
    )
    def test_parse_dosage(self, text: str, expected: tuple[Decimal, Unit] | None) -> None:
        assert parse_dosage(text) == expected

    def test_odd_dosage_values(self) -> None:
        base = {
            "displayText": "Magnesium",
            "status": "Taken",
            "scheduledDate": "2024-09-20 21:00:00 +1000",
        }
        records = [dict(base, dosage=0), dict(base, dosage=True), dict(base, dosage="  ")]
        intakes = parse_export({"data": {"medications": records}}).medications
        assert len(intakes) == 1  # same name and time: one intake
        assert intakes[0].amount is None


# --------------------------------------------------------------------------- malformed

YEAR_1_SAMPLE = {
    "startDate": "0001-01-01 00:10:00 +1400",
    "endDate": "0001-01-01 06:10:00 +1400",
    "value": "Core",
}
YEAR_9999_NIGHT = {
    "totalSleep": 7.0,
    "sleepStart": "9999-12-31 22:00:00 -0500",
    "sleepEnd": "9999-12-31 23:59:59 -0500",
}
MORE_SLEEP_THAN_BED = {
    "totalSleep": 20.0,
    "inBed": 7.6,
    "sleepStart": "2024-09-20 22:00:00 +1000",
    "sleepEnd": "2024-09-21 06:00:00 +1000",
    "inBedStart": "2024-09-20 21:50:00 +1000",
    "inBedEnd": "2024-09-21 06:10:00 +1000",
}


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ([], "not_an_object"),
        ("data", "not_an_object"),
        (None, "not_an_object"),
        ({}, "missing_data"),
        ({"data": None}, "missing_data"),
        ({"data": []}, "missing_data"),
        ({"data": {"metrics": {}}}, "metrics_not_a_list"),
        ({"data": {"metrics": [1]}}, "metric_not_an_object"),
        ({"data": {"metrics": [{"name": "sleep_analysis", "data": {}}]}}, "metric_data_not_a_list"),
        ({"data": {"metrics": [{"name": "sleep_analysis", "data": [7]}]}}, "entry_not_an_object"),
        (
            {
                "data": {
                    "metrics": [{"name": "sleep_analysis", "data": [{"sleepEnd": "yesterday"}]}]
                }
            },
            "bad_date",
        ),
        (
            {"data": {"metrics": [{"name": "sleep_analysis", "data": [{"sleepEnd": 1726900000}]}]}},
            "bad_date",
        ),
        (
            {"data": {"metrics": [{"name": "sleep_analysis", "data": [{"totalSleep": "7.5"}]}]}},
            "bad_number",
        ),
        (
            {"data": {"metrics": [{"name": "sleep_analysis", "data": [{"totalSleep": -1}]}]}},
            "bad_number",
        ),
        (
            {"data": {"metrics": [{"name": "sleep_analysis", "data": [{"totalSleep": True}]}]}},
            "bad_number",
        ),
        (
            {"data": {"metrics": [{"name": "sleep_analysis", "units": "furlongs", "data": []}]}},
            "unknown_unit",
        ),
        pytest.param(
            {"data": {"metrics": [{"name": "sleep_analysis", "data": [YEAR_1_SAMPLE]}]}},
            "date_out_of_range",
            id="sample_in_year_1",
        ),
        pytest.param(
            {"data": {"metrics": [{"name": "sleep_analysis", "data": [YEAR_9999_NIGHT]}]}},
            "date_out_of_range",
            id="night_in_year_9999",
        ),
        pytest.param(
            {
                "data": {
                    "medications": [
                        {
                            "displayText": "Magnesium",
                            "status": "Taken",
                            "scheduledDate": "9999-12-31 23:00:00 -1000",
                        }
                    ]
                }
            },
            "date_out_of_range",
            id="medication_in_year_9999",
        ),
        pytest.param(
            {"data": {"metrics": [{"name": "sleep_analysis", "data": [MORE_SLEEP_THAN_BED]}]}},
            "sleep_longer_than_in_bed",
            id="20_h_asleep_in_7.6_h_in_bed",
        ),
        ({"data": {"medications": {}}}, "medications_not_a_list"),
        ({"data": {"medications": ["aspirin"]}}, "medication_not_an_object"),
        (
            {
                "data": {
                    "medications": [{"displayText": "Magnesium", "status": "Taken", "date": "soon"}]
                }
            },
            "bad_date",
        ),
    ],
)
def test_malformed_payloads(payload: object, reason: str) -> None:
    with pytest.raises(ExportRejected) as err:
        parse_export(payload)
    assert err.value.reason == reason
    assert isinstance(err.value, ValueError)


def test_as_much_sleep_as_time_in_bed_is_fine() -> None:
    entry = {**MORE_SLEEP_THAN_BED, "totalSleep": 7.6}
    batch = parse_export({"data": {"metrics": [{"name": "sleep_analysis", "data": [entry]}]}})
    assert values(batch, SEP20)[Field.TOTAL_SLEEP] == values(batch, SEP20)[Field.TIME_IN_BED]


def test_empty_and_unknown_are_fine() -> None:
    assert parse_export({"data": {}}) == ExportBatch()
    unknown = {"data": {"metrics": [{"name": "heart_rate", "data": "whatever"}], "workouts": []}}
    assert parse_export(unknown) == ExportBatch()


def test_every_signal_names_its_night_under_its_own_key() -> None:
    batch = parse_export(load("hae_sleep_aggregated.json"), tz=SYDNEY)
    assert all(isinstance(s.signal, Summary) and s.signal.night for s in batch.signals)
    assert len({s.key for s in batch.signals}) == len(batch.signals)
