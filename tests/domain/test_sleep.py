"""Tests for night assembly: windows, derivation, merging, DST, manual entries, storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
import json
import random
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.magnesium_sleep.domain.clock import minutes_between
from custom_components.magnesium_sleep.domain.score import sleep_midpoint
from custom_components.magnesium_sleep.domain.sleep.assembler import NightAssembler
from custom_components.magnesium_sleep.domain.sleep.night import (
    MANUAL,
    Channel,
    Field,
    Night,
    Provenance,
    Stage,
    Transition,
)
from custom_components.magnesium_sleep.domain.sleep.signals import (
    Asleep,
    InBed,
    ManualEntry,
    Signal,
    SleepEvent,
    SleepRejected,
    Summary,
    sleep_event_transitions,
)
from custom_components.magnesium_sleep.domain.sleep.window import (
    DEFAULT_WINDOW,
    NightWindow,
    night_of,
    span_of,
    window_bounds,
)

AMS = ZoneInfo("Europe/Amsterdam")
NY = ZoneInfo("America/New_York")
BED = "binary_sensor.withings_in_bed"
TRACKER = "sensor.tracker_sleep"
SAA = "event.sleep_as_android_sleep_tracking"
OURA = "sensor.oura_ring_total_sleep_duration"
SLEEPIQ = "sensor.sleepnumber_bed_me_sleep_duration"


def local(day: date, hh: int, mm: int = 0, tz: ZoneInfo = AMS) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=tz)


JUNE10 = date(2026, 6, 10)
JUNE11 = date(2026, 6, 11)
JUNE12 = date(2026, 6, 12)


def full_night_signals(day: date = JUNE10, tz: ZoneInfo = AMS) -> list[InBed | Asleep]:
    """22:45 in bed ... 06:50 out of bed, with a 3-min and a 20-min awake gap."""
    nxt = day + timedelta(days=1)
    return [
        InBed(local(day, 22, 45, tz), True, BED),
        Asleep(local(day, 23, 5, tz), True, TRACKER, Stage.LIGHT),
        Asleep(local(nxt, 0, 0, tz), True, TRACKER, Stage.DEEP),
        Asleep(local(nxt, 1, 0, tz), True, TRACKER, Stage.LIGHT),
        Asleep(local(nxt, 2, 0, tz), False, TRACKER),
        Asleep(local(nxt, 2, 3, tz), True, TRACKER, Stage.LIGHT),
        Asleep(local(nxt, 4, 0, tz), False, TRACKER),
        Asleep(local(nxt, 4, 20, tz), True, TRACKER, Stage.REM),
        Asleep(local(nxt, 6, 30, tz), False, TRACKER),
        InBed(local(nxt, 6, 50, tz), False, BED),
    ]


def fed(signals: Sequence[Signal], tz: ZoneInfo = AMS, **kw: Any) -> NightAssembler:
    assembler = NightAssembler(tz, **kw)
    for signal in signals:
        assembler.feed(signal)
    return assembler


# --------------------------------------------------------------------------- window


class TestNightWindow:
    @pytest.mark.parametrize(
        ("moment", "expected"),
        [
            (local(JUNE10, 18, 0), JUNE10),
            (local(JUNE10, 23, 59), JUNE10),
            (local(JUNE11, 0, 0), JUNE10),
            (local(JUNE11, 11, 59), JUNE10),
            (local(JUNE11, 12, 0), None),
            (local(JUNE11, 14, 0), None),
            (local(JUNE10, 17, 59), None),
        ],
    )
    def test_night_of_default_window(self, moment: datetime, expected: date | None) -> None:
        assert night_of(moment, AMS) == expected

    def test_night_of_uses_local_time_not_utc(self) -> None:
        # 23:30 UTC on 10 June is 01:30 in Amsterdam on 11 June: still night 10 June.
        assert night_of(datetime(2026, 6, 10, 23, 30, tzinfo=UTC), AMS) == JUNE10
        # 17:30 UTC is 19:30 local: inside the window although 17:30 is not.
        assert night_of(datetime(2026, 6, 10, 17, 30, tzinfo=UTC), AMS) == JUNE10

    def test_window_not_crossing_midnight(self) -> None:
        day_sleeper = NightWindow(time(8, 0), time(16, 0))
        assert not day_sleeper.crosses_midnight
        assert night_of(local(JUNE10, 9, 0), AMS, day_sleeper) == JUNE10
        assert night_of(local(JUNE10, 16, 0), AMS, day_sleeper) is None
        assert night_of(local(JUNE10, 2, 0), AMS, day_sleeper) is None
        assert span_of(local(JUNE10, 2, 0), AMS, day_sleeper) == date(2026, 6, 9)

    def test_full_day_window(self) -> None:
        always = NightWindow(time(15, 0), time(15, 0))
        assert always.crosses_midnight
        assert night_of(local(JUNE10, 14, 59), AMS, always) == date(2026, 6, 9)
        assert night_of(local(JUNE10, 15, 0), AMS, always) == JUNE10

    def test_aware_window_times_rejected(self) -> None:
        with pytest.raises(ValueError, match="naive"):
            NightWindow(time(18, 0, tzinfo=UTC), time(12, 0))

    def test_naive_moment_rejected(self) -> None:
        with pytest.raises(ValueError, match="aware"):
            night_of(datetime(2026, 6, 10, 23, 0), AMS)

    def test_span_of(self) -> None:
        assert span_of(local(JUNE11, 14, 0), AMS) == JUNE10
        assert span_of(local(JUNE11, 18, 0), AMS) == JUNE11

    def test_window_bounds_on_dst_night(self) -> None:
        start, end = window_bounds(date(2026, 3, 28), AMS)
        assert start == datetime(2026, 3, 28, 17, 0, tzinfo=UTC)  # 18:00 CET
        assert end == datetime(2026, 3, 29, 10, 0, tzinfo=UTC)  # 12:00 CEST
        assert minutes_between(start, end) == 17 * 60

    def test_ambiguous_fall_back_hour(self) -> None:
        first = datetime(2026, 10, 25, 2, 30, tzinfo=AMS)
        second = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=AMS)
        assert night_of(first, AMS) == night_of(second, AMS) == date(2026, 10, 24)
        assert minutes_between(first, second) == 60


# --------------------------------------------------------------------------- derivation


class TestFullNight:
    def test_every_field_derived(self) -> None:
        assembler = fed(full_night_signals())
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.bedtime == local(JUNE10, 22, 45)
        assert night.sleep_onset == local(JUNE10, 23, 5)
        assert night.wake_time == local(JUNE11, 6, 30)
        assert night.out_of_bed == local(JUNE11, 6, 50)
        assert night.time_in_bed == 485  # 22:45 -> 06:50
        assert night.total_sleep == 175 + 117 + 130
        assert night.latency == 20
        assert night.waso == 3 + 20
        assert night.awakenings == 1  # the 3-minute gap is not an awakening (> 5 min)
        assert night.efficiency == pytest.approx(422 / 485 * 100)
        assert night.light == 55 + 60 + 117
        assert night.deep == 60
        assert night.rem == 130
        assert night.hrv is None
        assert night.vendor_score is None
        assert night.timezone == "Europe/Amsterdam"

    def test_provenance(self) -> None:
        night = fed(full_night_signals()).night(JUNE10)
        assert night is not None
        assert night.provenance[Field.BEDTIME].source == BED
        assert night.provenance[Field.TOTAL_SLEEP].source == TRACKER
        assert all(not p.measured for p in night.provenance.values())
        efficiency = night.provenance[Field.EFFICIENCY]
        assert efficiency.inputs == (Field.TOTAL_SLEEP, Field.TIME_IN_BED)
        assert efficiency.source == f"{BED}+{TRACKER}"
        assert night.provenance[Field.TIME_IN_BED].inputs == (Field.BEDTIME, Field.OUT_OF_BED)
        assert night.provenance[Field.TOTAL_SLEEP].inputs == ()
        derived = {fld for fld, prov in night.provenance.items() if not prov.measured}
        assert derived == set(night.values())
        assert night.provenance[Field.BEDTIME].received_at == local(JUNE11, 6, 50)

    def test_feed_returns_changed_night(self) -> None:
        assembler = NightAssembler(AMS)
        assert [assembler.feed(s) for s in full_night_signals()] == [JUNE10] * 10

    def test_open_night_has_only_start_fields(self) -> None:
        assembler = fed(full_night_signals()[:4])
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.bedtime == local(JUNE10, 22, 45)
        assert night.sleep_onset == local(JUNE10, 23, 5)
        assert night.latency == 20
        assert night.wake_time is None
        assert night.total_sleep is None
        assert not night.is_complete
        assert assembler.in_bed_now is True
        assert assembler.asleep_now is True
        assert assembler.last_complete() is None
        assert assembler.nights() == (night,)

    def test_asleep_clipped_to_in_bed_span(self) -> None:
        # The tracker says asleep from 22:30, the bed sensor only from 23:00.
        signals: list[InBed | Asleep] = [
            InBed(local(JUNE10, 23, 0), True, BED),
            Asleep(local(JUNE10, 22, 30), True, TRACKER),
            Asleep(local(JUNE11, 7, 30), False, TRACKER),
            InBed(local(JUNE11, 7, 0), False, BED),
        ]
        night = fed(signals).night(JUNE10)
        assert night is not None
        assert night.sleep_onset == local(JUNE10, 23, 0)
        assert night.wake_time == local(JUNE11, 7, 0)
        assert night.total_sleep == night.time_in_bed == 480
        assert night.latency == 0
        assert night.efficiency == 100

    def test_stages_clipped_to_in_bed_span(self) -> None:
        signals: list[InBed | Asleep] = [
            InBed(local(JUNE10, 23, 0), True, BED),
            InBed(local(JUNE11, 6, 0), False, BED),
            Asleep(local(JUNE10, 22, 0), True, TRACKER, Stage.DEEP),
            Asleep(local(JUNE10, 23, 30), True, TRACKER, Stage.LIGHT),
            Asleep(local(JUNE11, 6, 30), True, TRACKER, Stage.REM),
            Asleep(local(JUNE11, 7, 0), False, TRACKER),
        ]
        night = fed(signals).night(JUNE10)
        assert night is not None
        assert (night.deep, night.light, night.rem) == (30, 390, 0)
        assert night.total_sleep == 420

    def test_open_asleep_closed_by_out_of_bed(self) -> None:
        signals: list[InBed | Asleep] = [
            InBed(local(JUNE10, 23, 0), True, BED),
            Asleep(local(JUNE10, 23, 30), True, TRACKER),
            InBed(local(JUNE11, 7, 0), False, BED),
        ]
        night = fed(signals).night(JUNE10)
        assert night is not None
        assert night.wake_time == local(JUNE11, 7, 0)
        assert night.total_sleep == 450

    def test_asleep_only(self) -> None:
        signals: list[Asleep] = [
            Asleep(local(JUNE10, 23, 30), True, TRACKER),
            Asleep(local(JUNE11, 6, 30), False, TRACKER),
        ]
        night = fed(signals).night(JUNE10)
        assert night is not None
        assert night.total_sleep == 420
        assert night.bedtime is None
        assert night.time_in_bed is None
        assert night.efficiency is None
        assert night.latency is None
        assert night.deep is None  # no stages reported, none invented
        # No awake gap: WASO is 0.0 minutes, a float like every duration (a stored
        # night reads it back as 0.0, so an int here would change state on restart).
        assert night.waso == 0
        assert isinstance(night.waso, float)

    def test_in_bed_interruption_keeps_span(self) -> None:
        signals: list[InBed] = [
            InBed(local(JUNE10, 23, 0), True, BED),
            InBed(local(JUNE11, 3, 0), False, BED),
            InBed(local(JUNE11, 3, 10), True, BED),
            InBed(local(JUNE11, 7, 0), False, BED),
        ]
        night = fed(signals).night(JUNE10)
        assert night is not None
        assert night.time_in_bed == 480
        assert night.out_of_bed == local(JUNE11, 7, 0)

    def test_wake_after_window_end_closes_the_night(self) -> None:
        signals: list[InBed] = [
            InBed(local(JUNE11, 2, 0), True, BED),
            InBed(local(JUNE11, 12, 30), False, BED),
        ]
        night = fed(signals).night(JUNE10)
        assert night is not None
        assert night.time_in_bed == 630

    def test_one_source_per_channel(self) -> None:
        other = "binary_sensor.emfit_bed_presence"
        signals: list[InBed] = [
            InBed(local(JUNE10, 22, 0), True, other),
            InBed(local(JUNE11, 8, 0), False, other),
            InBed(local(JUNE10, 23, 0), True, BED),
            InBed(local(JUNE11, 7, 0), False, BED),
        ]
        # default: alphabetical, so binary_sensor.emfit... wins
        night = fed(signals).night(JUNE10)
        assert night is not None
        assert night.time_in_bed == 600
        preferred = fed(signals, source_priority=[BED]).night(JUNE10)
        assert preferred is not None
        assert preferred.time_in_bed == 480
        assert preferred.provenance[Field.BEDTIME].source == BED


class TestSleepAsAndroid:
    def test_event_mapping(self) -> None:
        at = local(JUNE10, 23, 0)
        assert [
            (t.channel, t.on, t.stage)
            for t in sleep_event_transitions(SleepEvent(at, "started", SAA))
        ] == [(Channel.IN_BED, True, None)]
        assert [
            (t.channel, t.on) for t in sleep_event_transitions(SleepEvent(at, "stopped", SAA))
        ] == [(Channel.IN_BED, False), (Channel.ASLEEP, False)]
        assert sleep_event_transitions(SleepEvent(at, "sleep_tracking_started", SAA))[0].on
        assert sleep_event_transitions(SleepEvent(at, "DEEP_SLEEP", SAA))[0].stage is Stage.DEEP
        assert sleep_event_transitions(SleepEvent(at, "resumed", SAA)) == ()
        assert sleep_event_transitions(SleepEvent(at, "snore", SAA)) == ()

    def test_night_from_events(self) -> None:
        events = [
            SleepEvent(local(JUNE10, 23, 0), "started", SAA),
            SleepEvent(local(JUNE10, 23, 25), "light_sleep", SAA),
            SleepEvent(local(JUNE11, 1, 0), "deep_sleep", SAA),
            SleepEvent(local(JUNE11, 2, 0), "rem", SAA),
            SleepEvent(local(JUNE11, 2, 30), "paused", SAA),
            SleepEvent(local(JUNE11, 2, 40), "resumed", SAA),
            SleepEvent(local(JUNE11, 2, 50), "not_awake", SAA),
            SleepEvent(local(JUNE11, 6, 0), "awake", SAA),
            SleepEvent(local(JUNE11, 6, 15), "stopped", SAA),
        ]
        assembler = NightAssembler(AMS)
        results = [assembler.feed(e) for e in events]
        assert results[5] is None  # resumed says nothing
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.bedtime == local(JUNE10, 23, 0)
        assert night.latency == 25
        assert night.total_sleep == 185 + 190  # 23:25-02:30 and 02:50-06:00
        assert night.waso == 20
        assert night.awakenings == 1
        assert (night.light, night.deep, night.rem) == (95, 60, 30)
        assert night.time_in_bed == 435
        assert assembler.in_bed_now is False
        assert assembler.asleep_now is False


# --------------------------------------------------------------------------- DST


@pytest.mark.parametrize(
    ("tz", "evening", "hours"),
    [
        (AMS, date(2026, 3, 28), 7),  # spring forward 02:00 -> 03:00
        (AMS, date(2026, 10, 24), 9),  # fall back 03:00 -> 02:00
        (NY, date(2026, 3, 7), 7),
        (NY, date(2026, 10, 31), 9),
        (AMS, date(2026, 6, 10), 8),
    ],
)
def test_dst_night_durations(tz: ZoneInfo, evening: date, hours: int) -> None:
    morning = evening + timedelta(days=1)
    signals: list[InBed | Asleep] = [
        InBed(local(evening, 23, 0, tz), True, BED),
        Asleep(local(evening, 23, 0, tz), True, TRACKER),
        Asleep(local(morning, 7, 0, tz), False, TRACKER),
        InBed(local(morning, 7, 0, tz), False, BED),
    ]
    night = fed(signals, tz).night(evening)
    assert night is not None
    assert night.time_in_bed == hours * 60
    assert night.total_sleep == hours * 60
    assert night.efficiency == 100
    # the clock midpoint stays 03:00, so a DST night is not "irregular"
    assert sleep_midpoint(night) == 180


def test_dst_transition_inside_an_awake_gap() -> None:
    # Awake 01:50 -> 03:10 CEST on the spring-forward night: 20 real minutes.
    evening = date(2026, 3, 28)
    morning = date(2026, 3, 29)
    signals: list[Asleep] = [
        Asleep(local(evening, 23, 0), True, TRACKER),
        Asleep(local(morning, 1, 50), False, TRACKER),
        Asleep(local(morning, 3, 10), True, TRACKER),
        Asleep(local(morning, 7, 0), False, TRACKER),
    ]
    night = fed(signals).night(evening)
    assert night is not None
    assert night.waso == 20
    assert night.total_sleep == 170 + 230


# --------------------------------------------------------------------------- merging


class TestMerging:
    def test_late_vendor_summary_merges_and_wins(self) -> None:
        assembler = fed(full_night_signals())
        key = assembler.feed(
            Summary(Field.TOTAL_SLEEP, 430.0, OURA, received_at=local(JUNE11, 7, 30))
        )
        assert key == JUNE10
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.total_sleep == 430
        assert night.provenance[Field.TOTAL_SLEEP] == Provenance(OURA, True, local(JUNE11, 7, 30))
        # efficiency follows the measured total and the derived time in bed
        assert night.efficiency == pytest.approx(430 / 485 * 100)
        assert night.provenance[Field.EFFICIENCY].source == f"{BED}+{OURA}"

    def test_summary_hours_later_lands_on_previous_evening(self) -> None:
        assembler = fed(full_night_signals())
        assert (
            assembler.feed(
                Summary(Field.VENDOR_SCORE, 81, OURA, local(JUNE11, 14, 0), scale="points")
            )
            == JUNE10
        )
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.vendor_score == 81
        assert night.vendor_score_scale == "points"

    def test_sleepiq_previous_night(self) -> None:
        # SleepIQ polls hourly and always reports the previous night.
        assembler = NightAssembler(AMS)
        assert (
            assembler.feed(Summary(Field.TIME_IN_BED, 474.0, SLEEPIQ, local(JUNE11, 15, 0)))
            == JUNE10
        )
        assert (
            assembler.feed(Summary(Field.TIME_IN_BED, 480.0, SLEEPIQ, local(JUNE11, 21, 0)))
            == JUNE10
        )
        assert assembler.feed(Summary(Field.HRV, 48.0, SLEEPIQ, local(JUNE12, 1, 0))) == JUNE10
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.time_in_bed == 480
        assert night.hrv == 48
        assert assembler.night(JUNE11) is None

    def test_infer_night_while_in_bed_is_previous_night(self) -> None:
        assembler = fed(full_night_signals(JUNE11)[:3])  # in bed and asleep on 11 June
        assert assembler.infer_night(local(JUNE12, 4, 0)) == JUNE10
        assert assembler.infer_night(local(JUNE12, 2, 0)) == JUNE10
        assembler = fed(full_night_signals(JUNE11))
        assert assembler.infer_night(local(JUNE12, 7, 0)) == JUNE11  # up at 06:50
        assert assembler.infer_night(local(JUNE12, 6, 40)) == JUNE11  # awake, still in bed
        assert assembler.infer_night(local(JUNE12, 6, 0)) == JUNE10  # still asleep

    def test_infer_night_from_vendor_wake_time(self) -> None:
        assembler = NightAssembler(AMS)
        assembler.feed(Summary(Field.WAKE_TIME, local(JUNE11, 2, 30), OURA, local(JUNE11, 2, 35)))
        assert assembler.infer_night(local(JUNE11, 2, 40)) == JUNE10
        assert assembler.infer_night(local(JUNE11, 2, 20)) == date(2026, 6, 9)

    def test_infer_night_without_data(self) -> None:
        assembler = NightAssembler(AMS)
        assert assembler.infer_night(local(JUNE11, 7, 30)) == JUNE10
        assert assembler.infer_night(local(JUNE11, 14, 0)) == JUNE10
        assert assembler.infer_night(local(JUNE11, 20, 0)) == JUNE10
        assert assembler.infer_night(local(JUNE12, 1, 0)) == JUNE10
        assert assembler.infer_night(local(JUNE12, 3, 0)) == JUNE11

    def test_time_fields_placed_by_value(self) -> None:
        assembler = NightAssembler(AMS)
        garmin = "sensor.garmin_connect_bedtime"
        received = local(date(2026, 6, 12), 9, 0)
        assert (
            assembler.feed(Summary(Field.BEDTIME, local(JUNE10, 23, 10), garmin, received))
            == JUNE10
        )
        assert (
            assembler.feed(Summary(Field.WAKE_TIME, local(JUNE11, 12, 30), garmin, received))
            == JUNE10
        )
        assert (
            assembler.feed(Summary(Field.BEDTIME, local(JUNE11, 15, 0), garmin, received)) is None
        )
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.provenance[Field.BEDTIME].measured

    def test_explicit_night(self) -> None:
        assembler = NightAssembler(AMS)
        at = local(JUNE11, 9, 0)
        assert assembler.feed(Summary(Field.REM, 90.0, OURA, at, night=date(2026, 6, 1))) == date(
            2026, 6, 1
        )
        assert assembler.feed(Summary(Field.REM, 90.0, OURA, at, night=JUNE11)) == JUNE11
        # an evening after the day the value arrived cannot have a summary
        assert assembler.feed(Summary(Field.REM, 90.0, OURA, at, night=date(2026, 6, 12))) is None

    def test_manual_beats_measured_beats_derived(self) -> None:
        assembler = fed(full_night_signals())
        assembler.feed(Summary(Field.LATENCY, 12.0, OURA, local(JUNE11, 7, 30)))
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.latency == 12
        assembler.feed(Summary(Field.LATENCY, 30.0, MANUAL, local(JUNE11, 8, 0), night=JUNE10))
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.latency == 30
        assert night.provenance[Field.LATENCY].source == MANUAL
        # a newer vendor value does not beat a manual one
        assembler.feed(Summary(Field.LATENCY, 10.0, OURA, local(JUNE11, 9, 0)))
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.latency == 30

    def test_same_source_later_replaces_and_older_is_ignored(self) -> None:
        assembler = NightAssembler(AMS)
        assert (
            assembler.feed(Summary(Field.TOTAL_SLEEP, 400.0, OURA, local(JUNE11, 7, 0))) == JUNE10
        )
        # jumps backwards: just the newer value
        assert (
            assembler.feed(Summary(Field.TOTAL_SLEEP, 380.0, OURA, local(JUNE11, 8, 0))) == JUNE10
        )
        # an older value arriving late is ignored
        assert assembler.feed(Summary(Field.TOTAL_SLEEP, 999.0, OURA, local(JUNE11, 7, 30))) is None
        # the same value again changes nothing, keeping when it first arrived
        assert assembler.feed(Summary(Field.TOTAL_SLEEP, 380.0, OURA, local(JUNE11, 9, 0))) is None
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.total_sleep == 380
        assert night.provenance[Field.TOTAL_SLEEP].received_at == local(JUNE11, 8, 0)

    def test_between_measured_sources_priority_then_recency(self) -> None:
        garmin = "sensor.garmin_connect_total_sleep_duration"
        signals = [
            Summary(Field.TOTAL_SLEEP, 400.0, OURA, local(JUNE11, 7, 0)),
            Summary(Field.TOTAL_SLEEP, 410.0, garmin, local(JUNE11, 8, 0)),
        ]
        assert fed(signals).night(JUNE10).total_sleep == 410  # type: ignore[union-attr]
        preferred = fed(signals, source_priority=[OURA]).night(JUNE10)
        assert preferred is not None
        assert preferred.total_sleep == 400

    def test_cumulative_reset_creates_no_night(self) -> None:
        fitbit = "sensor.fitbit_minutes_to_fall_asleep"
        assembler = NightAssembler(AMS)
        assembler.feed(Summary(Field.LATENCY, 12.0, fitbit, local(JUNE11, 7, 30), cumulative=True))
        # midnight reset of a total_increasing sensor
        reset = Summary(Field.LATENCY, 0.0, fitbit, local(JUNE12, 0, 0), cumulative=True)
        assert assembler.feed(reset) is None
        assert [n.night for n in assembler.nights()] == [JUNE10]
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.latency == 12
        # a non-cumulative sensor's zero latency is data
        assert assembler.feed(Summary(Field.LATENCY, 0.0, OURA, local(JUNE11, 8, 0))) == JUNE10

    def test_zero_total_sleep_is_not_a_night(self) -> None:
        assembler = NightAssembler(AMS)
        assert assembler.feed(Summary(Field.TOTAL_SLEEP, 0.0, OURA, local(JUNE11, 7, 0))) is None
        assert assembler.feed(Summary(Field.TIME_IN_BED, 0, OURA, local(JUNE11, 7, 0))) is None
        assert assembler.nights() == ()

    @pytest.mark.parametrize(
        ("fld", "value"),
        [
            (Field.TOTAL_SLEEP, -5.0),
            (Field.TOTAL_SLEEP, 2000.0),
            (Field.TOTAL_SLEEP, float("nan")),
            (Field.TOTAL_SLEEP, "420"),
            (Field.TOTAL_SLEEP, True),
            (Field.EFFICIENCY, 101.0),
            (Field.AWAKENINGS, 1.5),
            (Field.AWAKENINGS, -1),
            (Field.RATING, 6),
            (Field.VENDOR_SCORE, -1.0),
            (Field.HRV, 0.0),
            (Field.BEDTIME, 5.0),
            (Field.BEDTIME, datetime(2026, 6, 10, 23, 0)),
        ],
    )
    def test_unusable_values_ignored(self, fld: Field, value: object) -> None:
        assembler = NightAssembler(AMS)
        summary = Summary(fld, value, OURA, local(JUNE11, 7, 0))  # type: ignore[arg-type]
        assert assembler.feed(summary) is None
        assert assembler.nights() == ()

    def test_integral_float_count(self) -> None:
        assembler = NightAssembler(AMS)
        assembler.feed(Summary(Field.AWAKENINGS, 3.0, OURA, local(JUNE11, 7, 0)))
        assembler.feed(Summary(Field.RATING, 4.0, MANUAL, local(JUNE11, 7, 0)))
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.awakenings == 3
        assert isinstance(night.awakenings, int)
        assert night.rating == 4

    def test_total_from_stages(self) -> None:
        at = local(JUNE11, 7, 0)
        night = fed(
            [
                Summary(Field.DEEP, 90.0, OURA, at),
                Summary(Field.LIGHT, 240.0, OURA, at),
                Summary(Field.REM, 100.0, OURA, at),
                Summary(Field.TIME_IN_BED, 500.0, OURA, at),
            ]
        ).night(JUNE10)
        assert night is not None
        assert night.total_sleep == 430
        assert night.provenance[Field.TOTAL_SLEEP].inputs == (Field.DEEP, Field.LIGHT, Field.REM)
        assert night.efficiency == 86

    def test_zero_stages_give_no_total(self) -> None:
        at = local(JUNE11, 7, 0)
        night = fed(
            [
                Summary(Field.DEEP, 0.0, OURA, at),
                Summary(Field.LIGHT, 0.0, OURA, at),
                Summary(Field.REM, 0.0, OURA, at),
            ]
        ).night(JUNE10)
        assert night is not None
        assert night.total_sleep is None

    def test_onset_from_bedtime_and_latency(self) -> None:
        at = local(JUNE11, 7, 0)
        night = fed(
            [
                Summary(Field.BEDTIME, local(JUNE10, 23, 30), OURA, at),
                Summary(Field.LATENCY, 10.0, OURA, at),
            ]
        ).night(JUNE10)
        assert night is not None
        assert night.sleep_onset == local(JUNE10, 23, 40)
        assert not night.provenance[Field.SLEEP_ONSET].measured

    def test_efficiency_clamped_when_sources_disagree(self) -> None:
        at = local(JUNE11, 7, 0)
        night = fed(
            [
                Summary(Field.TOTAL_SLEEP, 500.0, OURA, at),
                Summary(Field.TIME_IN_BED, 450.0, SLEEPIQ, at),
            ]
        ).night(JUNE10)
        assert night is not None
        assert night.efficiency == 100


# --------------------------------------------------------------------------- naps, order


class TestNapsAndOrder:
    def test_nap_ignored(self) -> None:
        assembler = NightAssembler(AMS)
        assert assembler.feed(InBed(local(JUNE11, 14, 0), True, BED)) is None
        assert assembler.feed(Asleep(local(JUNE11, 14, 10), True, TRACKER)) is None
        assert assembler.feed(Asleep(local(JUNE11, 15, 0), False, TRACKER)) is None
        assert assembler.feed(InBed(local(JUNE11, 15, 5), False, BED)) is None
        assert assembler.nights() == ()
        assert assembler.in_bed_now is False  # the person's state is still tracked

    def test_nap_after_a_night_does_not_change_it(self) -> None:
        assembler = fed(full_night_signals())
        before = assembler.night(JUNE10)
        assert assembler.feed(InBed(local(JUNE11, 14, 0), True, BED)) is None
        assert assembler.feed(InBed(local(JUNE11, 15, 0), False, BED)) is None
        assert assembler.night(JUNE10) == before

    def test_nap_ending_inside_the_next_window(self) -> None:
        assembler = NightAssembler(AMS)
        assembler.feed(InBed(local(JUNE11, 17, 30), True, BED))
        assert assembler.feed(InBed(local(JUNE11, 18, 30), False, BED)) is None
        assert assembler.nights() == ()

    def test_out_of_order_and_duplicates(self) -> None:
        signals = full_night_signals()
        expected = fed(signals).night(JUNE10)
        shuffled = list(signals) * 2
        random.Random(7).shuffle(shuffled)  # noqa: S311 - a test shuffle
        assembler = fed(shuffled)
        assert assembler.night(JUNE10) == expected
        assert all(assembler.feed(s) is None for s in signals)

    def test_redundant_transitions(self) -> None:
        signals = [
            *full_night_signals(),
            InBed(local(JUNE10, 23, 30), True, BED),  # on while on
            Asleep(local(JUNE10, 22, 0), False, TRACKER),  # off while off
        ]
        night = fed(signals).night(JUNE10)
        expected = fed(full_night_signals()).night(JUNE10)
        assert night is not None
        assert expected is not None
        assert night.values() == expected.values()


# --------------------------------------------------------------------------- manual


def entry(**changes: object) -> ManualEntry:
    base: dict[str, object] = {
        "night": JUNE10,
        "bedtime": local(JUNE10, 23, 0),
        "wake_time": local(JUNE11, 7, 0),
        "received_at": local(JUNE11, 8, 0),
    }
    base.update(changes)
    return ManualEntry(**base)  # type: ignore[arg-type]


class TestManual:
    def test_manual_night(self) -> None:
        assembler = NightAssembler(AMS)
        assert assembler.feed(entry(latency=20.0, awakenings=2, rating=4, waso=15.0)) == JUNE10
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.bedtime == local(JUNE10, 23, 0)
        assert night.wake_time == local(JUNE11, 7, 0)
        assert night.time_in_bed == 480
        assert night.total_sleep == 480 - 20 - 15
        assert night.latency == 20
        assert night.awakenings == 2
        assert night.rating == 4
        assert night.sleep_onset == local(JUNE10, 23, 20)
        assert night.efficiency == pytest.approx(445 / 480 * 100)
        assert night.provenance[Field.BEDTIME] == Provenance(MANUAL, True, local(JUNE11, 8, 0))
        assert not night.provenance[Field.TOTAL_SLEEP].measured

    def test_manual_relog_replaces_and_keeps_omitted(self) -> None:
        assembler = NightAssembler(AMS)
        assembler.feed(entry(latency=20.0, rating=4))
        assembler.feed(entry(wake_time=local(JUNE11, 6, 0), received_at=local(JUNE11, 9, 0)))
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.wake_time == local(JUNE11, 6, 0)
        assert night.rating == 4
        assert night.latency == 20
        assert night.total_sleep == 420 - 20
        assembler.feed(entry(latency=0.0, received_at=local(JUNE11, 10, 0)))
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.total_sleep == 480

    def test_measured_total_beats_manual_estimate(self) -> None:
        assembler = NightAssembler(AMS)
        assembler.feed(entry())
        assembler.feed(Summary(Field.TOTAL_SLEEP, 430.0, OURA, local(JUNE11, 7, 30)))
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.total_sleep == 430
        assert night.bedtime == local(JUNE10, 23, 0)

    def test_manual_bedtime_beats_sensor(self) -> None:
        assembler = fed(full_night_signals())
        assembler.feed(entry())
        night = assembler.night(JUNE10)
        assert night is not None
        assert night.bedtime == local(JUNE10, 23, 0)
        assert night.provenance[Field.BEDTIME].source == MANUAL

    @pytest.mark.parametrize(
        ("changes", "reason"),
        [
            ({"rating": 0}, "rating_out_of_range"),
            ({"rating": 6}, "rating_out_of_range"),
            ({"rating": True}, "rating_out_of_range"),
            ({"latency": -1.0}, "negative_value"),
            ({"awakenings": -1}, "negative_value"),
            ({"waso": float("nan")}, "negative_value"),
            ({"wake_time": local(JUNE10, 23, 0)}, "wake_before_bedtime"),
            ({"wake_time": local(JUNE10, 22, 0)}, "wake_before_bedtime"),
            ({"wake_time": local(JUNE11, 19, 1)}, "night_too_long"),
            ({"night": JUNE11}, "bedtime_not_in_night"),
            ({"bedtime": local(JUNE10, 17, 0)}, "bedtime_not_in_night"),
            ({"received_at": local(JUNE11, 6, 0)}, "night_in_future"),
            (
                {
                    "night": JUNE11,
                    "bedtime": local(JUNE11, 23, 0),
                    "wake_time": local(date(2026, 6, 12), 7, 0),
                    "received_at": local(JUNE10, 20, 0),
                },
                "night_in_future",
            ),
            ({"latency": 481.0}, "latency_too_long"),
            ({"latency": 400.0, "waso": 100.0}, "waso_too_long"),
        ],
    )
    def test_rejections(self, changes: dict[str, object], reason: str) -> None:
        assembler = NightAssembler(AMS)
        with pytest.raises(SleepRejected) as err:
            assembler.feed(entry(**changes))
        assert err.value.reason == reason
        assert isinstance(err.value, ValueError)
        assert assembler.nights() == ()

    def test_twenty_hours_is_allowed(self) -> None:
        assembler = NightAssembler(AMS)
        assert assembler.feed(
            entry(wake_time=local(JUNE11, 19, 0), received_at=local(JUNE11, 20, 0))
        )

    def test_naive_datetime_is_a_programming_error(self) -> None:
        with pytest.raises(ValueError, match="aware"):
            NightAssembler(AMS).feed(entry(bedtime=datetime(2026, 6, 10, 23, 0)))


# --------------------------------------------------------------------------- storage


class TestStorage:
    def test_round_trip_through_json(self) -> None:
        assembler = fed(full_night_signals())
        assembler.feed(
            Summary(Field.VENDOR_SCORE, 81.0, OURA, local(JUNE11, 7, 30), scale="points")
        )
        assembler.feed(entry(rating=4, received_at=local(JUNE11, 9, 0)))
        night = assembler.night(JUNE10)
        assert night is not None
        data = json.loads(json.dumps(night.to_dict()))
        assert data["version"] == 1
        assert Night.from_dict(data) == night

    def test_minimal_night_round_trip(self) -> None:
        night = Night(night=JUNE10)
        assert Night.from_dict(night.to_dict()) == night
        assert not night.has_data

    def test_times_normalised_to_utc(self) -> None:
        night = Night(night=JUNE10, bedtime=local(JUNE10, 23, 0))
        assert night.bedtime is not None
        assert night.bedtime.tzinfo is UTC
        with pytest.raises(ValueError, match="aware"):
            Night(night=JUNE10, bedtime=datetime(2026, 6, 10, 23, 0))

    @pytest.mark.parametrize(
        "data",
        [
            {},
            {"night": "2026-06-10", "values": {"nonsense": 1}},
            {"night": "2026-06-10", "values": {"bedtime": "yesterday"}},
            {"night": "2026-06-10", "provenance": {"bedtime": {"source": "x"}}},
            {"night": "2026-06-10", "transitions": [["2026-06-10T20:00:00+00:00", "in_bed"]]},
            {"night": "2026-06-10", "version": 99},
            {"night": "2026-06-10", "version": "one"},
        ],
    )
    def test_malformed_stored_night(self, data: dict[str, object]) -> None:
        with pytest.raises(ValueError):  # noqa: PT011 - any malformation
            Night.from_dict(data)

    def test_restart_mid_night_continues(self) -> None:
        signals = full_night_signals()
        expected = fed(signals).night(JUNE10)
        first = fed(signals[:5])
        stored = [Night.from_dict(json.loads(json.dumps(n.to_dict()))) for n in first.nights()]
        second = NightAssembler(AMS, nights=stored)
        assert second.in_bed_now is True
        assert second.asleep_now is False
        for signal in signals[5:]:
            second.feed(signal)
        assert second.night(JUNE10) == expected

    def test_restored_assembler_gives_same_nights(self) -> None:
        assembler = fed(full_night_signals())
        assembler.feed(Summary(Field.TOTAL_SLEEP, 430.0, OURA, local(JUNE11, 7, 30)))
        assembler.feed(entry(rating=3, received_at=local(JUNE11, 9, 0)))
        restored = NightAssembler(AMS, nights=assembler.nights())
        assert restored.nights() == assembler.nights()

    def test_old_nights_freeze(self) -> None:
        assembler = NightAssembler(AMS, keep_transitions_days=2)
        for offset in range(5):
            for signal in full_night_signals(JUNE10 + timedelta(days=offset)):
                assembler.feed(signal)
        nights = assembler.nights()
        assert len(nights) == 5
        assert [bool(n.transitions) for n in nights] == [False, False, True, True, True]
        first = nights[0]
        assert first.total_sleep == 422
        assert first.time_in_bed == 485
        assert first.provenance[Field.TOTAL_SLEEP].source == TRACKER
        # a transition for a frozen night is ignored, a vendor value still merges
        assert assembler.feed(InBed(local(JUNE10, 22, 0), True, BED)) is None
        assert assembler.feed(Summary(Field.HRV, 52.0, OURA, local(JUNE11, 9, 0), night=JUNE10))
        refrozen = assembler.night(JUNE10)
        assert refrozen is not None
        assert refrozen.hrv == 52
        assert refrozen.time_in_bed == 485
        # late measured total: efficiency is recomputed from the kept time in bed
        assembler.feed(Summary(Field.TOTAL_SLEEP, 400.0, OURA, local(JUNE11, 9, 0), night=JUNE10))
        refrozen = assembler.night(JUNE10)
        assert refrozen is not None
        assert refrozen.efficiency == pytest.approx(400 / 485 * 100)
        # and a frozen night restores to itself
        restored = NightAssembler(AMS, nights=assembler.nights())
        assert restored.nights() == assembler.nights()

    def test_restore_stale_transitions_freezes(self) -> None:
        old = fed(full_night_signals()).nights()
        newer = fed(full_night_signals(JUNE10 + timedelta(days=5))).nights()
        restored = NightAssembler(AMS, nights=[*old, *newer])
        night = restored.night(JUNE10)
        assert night is not None
        assert night.transitions == ()
        assert night.values() == old[0].values()

    def test_open_night_and_last_complete(self) -> None:
        assembler = fed([*full_night_signals(), *full_night_signals(JUNE11)[:2]])
        latest = assembler.nights()[-1]
        complete = assembler.last_complete()
        assert complete is not None
        assert latest.night == JUNE11
        assert complete.night == JUNE10
        assert assembler.tz is AMS
        assert assembler.window == DEFAULT_WINDOW

    def test_awake_in_bed_is_not_the_end_of_the_night(self) -> None:
        # 02:00 awake, still in bed: the asleep channel closed, the in-bed one is open.
        assembler = fed(full_night_signals()[:5])
        assert assembler.last_complete() is not None  # without a clock: has a wake time
        assert assembler.last_complete(local(JUNE11, 2, 1)) is None
        # A lost "out of bed" hides the night only until its span ends.
        assert assembler.last_complete(local(JUNE11, 17, 59)) is None
        ended = assembler.last_complete(local(JUNE11, 18, 0))
        assert ended is not None
        assert ended.night == JUNE10

    def test_previous_night_while_tonight_is_open(self) -> None:
        tonight = full_night_signals(JUNE11)
        assembler = fed([*full_night_signals(), *tonight[:5]])
        shown = assembler.last_complete(local(JUNE12, 2, 1))
        assert shown is not None
        assert shown.night == JUNE10
        for signal in tonight[5:]:
            assembler.feed(signal)
        shown = assembler.last_complete(local(JUNE12, 7, 0))
        assert shown is not None
        assert shown.night == JUNE11

    def test_in_bed_only_night_ends_with_its_window(self) -> None:
        assembler = fed(
            [InBed(local(JUNE10, 22, 30), True, BED), InBed(local(JUNE11, 6, 30), False, BED)]
        )
        assert assembler.last_complete() is None
        assert assembler.last_complete(local(JUNE11, 11, 59)) is None
        ended = assembler.last_complete(local(JUNE11, 12, 0))
        assert ended is not None
        assert (ended.bedtime, ended.time_in_bed) == (local(JUNE10, 22, 30), 480)


# --------------------------------------------------------------------------- properties

BASE = datetime(2026, 3, 28, 17, 0, tzinfo=UTC)  # 18:00 CET on the spring-forward evening

transition_strategy = st.tuples(
    st.integers(min_value=0, max_value=26 * 60),
    st.sampled_from([Channel.IN_BED, Channel.ASLEEP]),
    st.booleans(),
    st.sampled_from([None, Stage.LIGHT, Stage.DEEP, Stage.REM]),
    st.sampled_from([BED, TRACKER]),
)


def to_signals(raw: list[tuple[int, Channel, bool, Stage | None, str]]) -> list[InBed | Asleep]:
    signals: list[InBed | Asleep] = []
    for minute, channel, on, stage, source in raw:
        at = BASE + timedelta(minutes=minute)
        if channel is Channel.IN_BED:
            signals.append(InBed(at, on, source))
        else:
            signals.append(Asleep(at, on, source, stage))
    return signals


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(transition_strategy, max_size=30), st.randoms(use_true_random=False))
def test_any_order_gives_the_same_nights(
    raw: list[tuple[int, Channel, bool, Stage | None, str]], rnd: random.Random
) -> None:
    signals = to_signals(raw)
    shuffled = list(signals)
    rnd.shuffle(shuffled)
    assert fed(signals).nights() == fed(shuffled).nights()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(transition_strategy, max_size=30))
def test_night_invariants(raw: list[tuple[int, Channel, bool, Stage | None, str]]) -> None:
    for night in fed(to_signals(raw)).nights():
        if night.total_sleep is not None and night.time_in_bed is not None:
            assert night.total_sleep <= night.time_in_bed + 1e-9
        if night.efficiency is not None:
            assert 0 <= night.efficiency <= 100
        if night.latency is not None:
            assert night.latency >= 0
        if night.sleep_onset and night.wake_time and night.total_sleep is not None:
            assert night.waso is not None
            span = minutes_between(night.sleep_onset, night.wake_time)
            assert night.total_sleep + night.waso == pytest.approx(span)
            assert night.awakenings is not None
            assert night.awakenings >= 0
        if night.deep is not None:
            assert night.light is not None
            assert night.rem is not None
            assert night.total_sleep is not None
            assert night.deep + night.light + night.rem <= night.total_sleep + 1e-9
        if night.bedtime and night.out_of_bed:
            assert night.bedtime < night.out_of_bed


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(transition_strategy, max_size=30))
def test_feeding_twice_is_idempotent(
    raw: list[tuple[int, Channel, bool, Stage | None, str]],
) -> None:
    signals = to_signals(raw)
    assembler = fed(signals)
    once = assembler.nights()
    assert all(assembler.feed(s) is None for s in signals)
    assert assembler.nights() == once


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(transition_strategy, max_size=20),
    st.lists(
        st.tuples(
            st.sampled_from([Field.TOTAL_SLEEP, Field.LATENCY, Field.HRV, Field.VENDOR_SCORE]),
            st.floats(min_value=1, max_value=600),
            st.sampled_from([OURA, SLEEPIQ, MANUAL]),
            st.integers(min_value=0, max_value=48 * 60),
        ),
        max_size=8,
    ),
)
def test_storage_round_trip(
    raw: list[tuple[int, Channel, bool, Stage | None, str]],
    summaries: list[tuple[Field, float, str, int]],
) -> None:
    assembler = fed(to_signals(raw))
    for fld, value, source, minute in summaries:
        assembler.feed(Summary(fld, value, source, BASE + timedelta(hours=12, minutes=minute)))
    nights = assembler.nights()
    stored = [Night.from_dict(json.loads(json.dumps(n.to_dict()))) for n in nights]
    assert stored == list(nights)
    assert NightAssembler(AMS, nights=stored).nights() == nights


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(transition_strategy, max_size=30), st.integers(min_value=0, max_value=30))
def test_restart_at_any_point_in_time_order(
    raw: list[tuple[int, Channel, bool, Stage | None, str]], split: int
) -> None:
    # Signals in time order (ties in any order), stored and restored after `split` of them.
    signals = sorted(to_signals(raw), key=lambda s: s.at)
    first = fed(signals[:split])
    stored = [Night.from_dict(json.loads(json.dumps(n.to_dict()))) for n in first.nights()]
    second = NightAssembler(AMS, nights=stored)
    for signal in signals[split:]:
        second.feed(signal)
    assert [n.values() for n in second.nights()] == [n.values() for n in fed(signals).nights()]


def test_transition_drops_stage_when_off() -> None:
    t = Transition(local(JUNE10, 23, 0), Channel.ASLEEP, False, TRACKER, Stage.DEEP)
    assert t.stage is None
    assert t.at.tzinfo is UTC


class TestDerivedFromTimes:
    """A tracker that gives bedtime, wake time and total sleep, but no time in bed."""

    def night_from(self, *signals: Summary) -> Night:
        assembler = NightAssembler(AMS)
        for signal in signals:
            assembler.feed(signal)
        night = assembler.night(JUNE10)
        assert night is not None
        return night

    def test_efficiency_and_time_awake_follow_from_the_times(self) -> None:
        received = local(JUNE11, 8)
        night = self.night_from(
            Summary(Field.BEDTIME, local(JUNE10, 23, 0), TRACKER, received, night=JUNE10),
            Summary(Field.WAKE_TIME, local(JUNE11, 7, 0), TRACKER, received, night=JUNE10),
            Summary(Field.LATENCY, 20.0, TRACKER, received, night=JUNE10),
            Summary(Field.TOTAL_SLEEP, 420.0, TRACKER, received, night=JUNE10),
        )
        assert night.time_in_bed == 480  # bedtime to wake time
        assert night.efficiency == pytest.approx(420 / 480 * 100)
        assert night.waso == 40  # asleep 23:20 to 07:00 is 460 min, 420 of them asleep
        for derived in (Field.TIME_IN_BED, Field.EFFICIENCY, Field.WASO):
            assert night.provenance[derived].measured is False
        assert night.provenance[Field.TIME_IN_BED].inputs == (Field.BEDTIME, Field.WAKE_TIME)

    def test_no_time_awake_is_invented_from_a_derived_total(self) -> None:
        """A total from the stages is not measured against the clock: WASO stays unknown."""
        received = local(JUNE11, 8)
        night = self.night_from(
            Summary(Field.BEDTIME, local(JUNE10, 23, 0), TRACKER, received, night=JUNE10),
            Summary(Field.WAKE_TIME, local(JUNE11, 7, 0), TRACKER, received, night=JUNE10),
            Summary(Field.LATENCY, 20.0, TRACKER, received, night=JUNE10),
            *(
                Summary(stage, minutes, TRACKER, received, night=JUNE10)
                for stage, minutes in ((Field.DEEP, 90.0), (Field.LIGHT, 240.0), (Field.REM, 90.0))
            ),
        )
        assert night.total_sleep == 420
        assert night.waso is None


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=7 * 24 * 60),
            st.sampled_from([Channel.IN_BED, Channel.ASLEEP]),
            st.booleans(),
            st.sampled_from([None, Stage.LIGHT, Stage.DEEP]),
            st.sampled_from([BED, TRACKER]),
        ),
        max_size=40,
    ),
    st.integers(min_value=0, max_value=40),
    st.lists(st.integers(min_value=0, max_value=8 * 24 * 60), max_size=4),
)
def test_restored_nights_are_read_when_needed_as_if_read_at_once(
    raw: list[tuple[int, Channel, bool, Stage | None, str]], split: int, moments: list[int]
) -> None:
    """A week of nights (old ones freeze), stored after `split` signals and restored.

    A restored assembler reads a stored night the first time it needs it; one that
    reads them all at once, as soon as it starts, gives the same nights.
    """
    signals = sorted(to_signals(raw), key=lambda s: s.at)
    first = fed(signals[:split])
    stored = [Night.from_dict(json.loads(json.dumps(n.to_dict()))) for n in first.nights()]
    at_once = NightAssembler(AMS, nights=stored)
    at_once.nights()
    when_needed = NightAssembler(AMS, nights=stored)
    for signal in signals[split:]:
        assert at_once.feed(signal) == when_needed.feed(signal)
    for minute in moments:
        now = BASE + timedelta(minutes=minute)
        assert at_once.last_complete(now) == when_needed.last_complete(now)
    nights = when_needed.nights()
    assert at_once.nights() == nights
    assert when_needed.keys() == tuple(sorted(at_once.keys()))
    assert [n.values() for n in nights] == [n.values() for n in fed(signals).nights()]
    if nights:  # nights more than two before the newest froze: no transitions kept
        assert all(not n.transitions for n in nights if n.night < nights[-1].night - timedelta(2))


def test_restored_night_freezes_when_read_after_a_newer_night() -> None:
    """Stored with its transitions, not read until a newer night froze it: read frozen."""
    stored = fed(
        [
            InBed(local(day, 22, 30), True, BED)
            if on
            else InBed(local(day + timedelta(days=1), 6, 30), False, BED)
            for day in (JUNE10, JUNE11)
            for on in (True, False)
        ]
    ).nights()
    assert stored[0].transitions
    read_at_once = NightAssembler(AMS, nights=stored)
    read_at_once.nights()
    read_when_needed = NightAssembler(AMS, nights=stored)  # reads only the newest now
    later = JUNE11 + timedelta(days=3)
    for assembler in (read_at_once, read_when_needed):
        assembler.feed(InBed(local(later, 22, 30), True, BED))
        assembler.feed(InBed(local(later + timedelta(days=1), 6, 30), False, BED))
        assert assembler.feed(InBed(local(JUNE10, 23, 0), False, BED)) is None  # frozen
    night = read_when_needed.night(JUNE10)
    assert night is not None
    assert not night.transitions
    assert night == read_at_once.night(JUNE10)
    assert night.values() == stored[0].values()


def test_a_night_stored_twice_restores_as_before() -> None:
    """Two records of one night (an old fold and a newer one): both restored, in order."""
    received = local(JUNE11, 8)
    old = fed([Summary(Field.TOTAL_SLEEP, 400.0, OURA, received, night=JUNE10)]).nights()
    newer = fed([Summary(Field.HRV, 50.0, OURA, received, night=JUNE10)]).nights()
    restored = NightAssembler(AMS, nights=[*old, *newer])
    night = restored.night(JUNE10)
    assert night is not None
    assert (night.total_sleep, night.hrv) == (400.0, 50.0)
