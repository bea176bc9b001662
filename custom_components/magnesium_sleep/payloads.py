"""The one place that shapes a dose, a day or a night as data.

Action responses, bus events and entity attributes all take their fields from here,
so a field has one name and one unit wherever a person or an automation meets it:
milligrams as numbers, times as ISO 8601 strings, minutes for durations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from .domain.doses import DayStatus, Dose
from .domain.effect import METHOD, OUTCOME_UNITS, EffectEstimate, NightOutcome, Outcome
from .domain.experiment import ExperimentPlan, ExperimentReport
from .domain.profile import Profile
from .domain.schedule import Evening
from .domain.score import ComponentKey, SleepScore
from .domain.sleep.night import Field, Night, Value, shown
from .domain.tags import NightTags


def profile_payload(entry_id: str, profile: Profile, person: str | None) -> dict[str, Any]:
    """Whose change it is: the profile's config entry, name and linked person."""
    return {"config_entry_id": entry_id, "profile": profile.name, "person": person}


def dose_payload(dose: Dose) -> dict[str, Any]:
    """A dose as it was logged, with its elemental amount."""
    return {
        "dose_id": dose.dose_id,
        "taken_at": dose.taken_at.isoformat(),
        "elemental_mg": float(dose.elemental_mg),
        "amount": float(dose.amount),
        "unit": dose.unit.value,
        "form": dose.form.value,
        "servings": None if dose.servings is None else float(dose.servings),
        "note": dose.note,
        "source": dose.source,
    }


def day_payload(status: DayStatus) -> dict[str, Any]:
    """An intake day's total against the target and the supplemental upper limit."""
    return {
        "day": status.day.isoformat(),
        "day_total_mg": float(status.total_mg),
        "day_doses": status.dose_count,
        "target_mg": status.target_mg,
        "target_progress": float(status.progress_percent),
        "upper_limit_mg": status.upper_limit_mg,
        "above_upper_limit": status.above_upper_limit,
    }


def last_dose_attributes(dose: Dose) -> dict[str, Any]:
    """What the last dose sensor shows next to its time."""
    payload = dose_payload(dose)
    del payload["taken_at"], payload["source"]  # the state itself; how it was logged
    return payload


def score_components_payload(score: SleepScore | None) -> dict[str, dict[str, float]]:
    """Each score component's points, maximum and input."""
    if score is None:
        return {}
    return {
        component.key.value: {
            "points": round(component.points, 1),
            "max_points": component.max_points,
            "value": round(component.value, 1),
        }
        for component in score.components
    }


def night_payload(night: Night, score: SleepScore | None) -> dict[str, Any]:
    """A night with its score: the record without its raw transitions."""
    data = night.to_dict()
    data.pop("transitions", None)
    data["score"] = None if score is None else score.total
    data["score_components"] = score_components_payload(score)
    return data


def field_provenance(
    night: Night, field: Field, entity_name: Callable[[str], str | None]
) -> dict[str, Any]:
    """Which night a sleep sensor shows, and where its value came from, in names.

    Entities are named by their friendly names (a derived value's inputs joined with
    " + "); a source that is no entity ("manual", "apple_health") stays a key that the
    entity's translations turn into words.
    """
    provenance = night.provenance.get(field)
    if provenance is None:
        return {"night": night.night.isoformat()}
    sources = provenance.source.split("+")
    names = [name for source in sources if (name := entity_name(source)) is not None]
    return {
        "night": night.night.isoformat(),
        "source": " + ".join(names) if names else sources[0].replace(":", "_"),
        "measured": provenance.measured,
    }


def score_attributes(score: SleepScore | None) -> dict[str, Any]:
    """How much of the score was measured, and the points each measured part earned of its most."""
    if score is None:
        return {}
    return {
        "coverage": round(score.available_points),
        "measured_parts": len(score.components),
        "total_parts": len(ComponentKey),
        "components": {
            component.key.value: round(component.points, 1) for component in score.components
        },
        "max_points": {component.key.value: component.max_points for component in score.components},
    }


def evening_payload(plan: Evening) -> dict[str, Any]:
    """An evening's plan: its date, wind-down start, dose reminder, bedtime and end."""
    return {
        "evening": plan.day.isoformat(),
        "wind_down_start": plan.wind_down.isoformat(),
        "dose_reminder": plan.dose_reminder.isoformat(),
        "bedtime": plan.bedtime.isoformat(),
        "wind_down_end": plan.end.isoformat(),
    }


def tonight_payload(plan: Evening, status: DayStatus) -> dict[str, Any]:
    """What a bedtime event carries: the evening's plan and whether tonight's dose is in."""
    return {
        **evening_payload(plan),
        "dose_taken": status.dose_count > 0,
        "doses_tonight": day_payload(status),
    }


# ------------------------------------------------------------------------ insights

_NIGHT_FIELDS: dict[Field, str] = {
    Field.BEDTIME: "bedtime",
    Field.SLEEP_ONSET: "sleep_onset",
    Field.WAKE_TIME: "wake_time",
    Field.OUT_OF_BED: "out_of_bed",
    Field.TIME_IN_BED: "time_in_bed",
    Field.TOTAL_SLEEP: "total_sleep",
    Field.LATENCY: "sleep_latency",
    Field.WASO: "time_awake",
    Field.EFFICIENCY: "efficiency",
    Field.AWAKENINGS: "awakenings",
    Field.VENDOR_SCORE: "vendor_score",
    Field.RATING: "rating",
}
"""The night fields insights show, by the names their responses use."""


def _shown(value: Value | None) -> str | float | int | None:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return shown(value)
    return value


def history_night_payload(
    key: date,
    night: Night | None,
    score: SleepScore | None,
    magnesium_ug: int,
    tags: NightTags | None,
) -> dict[str, Any]:
    """One night of the history: every field (null when unknown), magnesium, tags."""
    values: dict[str, Any] = {"night": key.isoformat()}
    for field, name in _NIGHT_FIELDS.items():
        values[name] = None if night is None else _shown(night.get(field))
    values |= {
        "vendor_score_scale": None if night is None else night.vendor_score_scale,
        "score": None if score is None else score.total,
        "score_components": score_components_payload(score),
        "magnesium_mg": magnesium_ug / 1000,
        "tags": [] if tags is None else sorted(tag.value for tag in tags.tags),
        "note": None if tags is None else tags.note,
        "provenance": {}
        if night is None
        else {
            _NIGHT_FIELDS.get(field, field.value): {
                "source": provenance.source,
                "measured": provenance.measured,
            }
            for field, provenance in night.provenance.items()
        },
    }
    return values


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def effect_payload(
    outcome: Outcome,
    estimate: EffectEstimate,
    used: Iterable[NightOutcome],
    *,
    excluded: int,
    summary: str,
    summary_key: str,
    evidence_note: str,
) -> dict[str, Any]:
    """The effect of magnesium on an outcome, with the nights it came from.

    `summary` is the sentence in Home Assistant's language; `summary_key` names its
    template (`effect_<key>` in the translations), so a card can say it in its user's.
    """
    return {
        "outcome": outcome.value,
        "unit": OUTCOME_UNITS[outcome],
        "effect": _rounded(estimate.effect),
        "ci_low": _rounded(estimate.ci_low),
        "ci_high": _rounded(estimate.ci_high),
        "nights_with": estimate.nights_with,
        "nights_without": estimate.nights_without,
        "nights_excluded": excluded,
        "method": METHOD,
        "rho": _rounded(estimate.rho, 3),
        "stars": estimate.stars,
        "randomised": estimate.randomised,
        "reason": estimate.reason,
        "summary": summary,
        "summary_key": summary_key,
        "evidence": "low",
        "evidence_note": evidence_note,
        "nights": [
            {
                "night": night.night.isoformat(),
                "arm": "with" if night.dosed else "without",
                "value": round(night.value, 2),
            }
            for night in used
        ],
    }


def plan_payload(plan: ExperimentPlan) -> list[dict[str, Any]]:
    """Every planned night with whether to take magnesium."""
    return [{"night": night.isoformat(), "take": take} for night, take in plan.nights()]


def experiment_payload(
    plan: ExperimentPlan, started_at: datetime, ends: datetime
) -> dict[str, Any]:
    """An experiment's settings and plan."""
    return {
        "started_at": started_at.isoformat(),
        "ends": ends.isoformat(),
        "first_night": plan.first_night.isoformat(),
        "last_night": plan.last_night.isoformat(),
        "weeks": plan.night_count // 7,
        "block_days": plan.block_days,
        "washout_nights": plan.washout_nights,
        "seed": plan.seed,
        "outcome": plan.outcome.value,
        "plan": plan_payload(plan),
    }


def experiment_report_payload(report: ExperimentReport) -> dict[str, Any]:
    """What an experiment found, beyond the effect: nights used, dropped and followed."""
    adherence = report.adherence_percent
    return {
        "analysis": "intention_to_treat",
        "nights_planned": report.nights_planned,
        "nights_so_far": report.nights_so_far,
        "nights_used": len(report.used),
        "nights_washout": report.nights_washout,
        "nights_missing": report.nights_missing,
        "nights_followed": report.nights_followed,
        "adherence": None if adherence is None else round(adherence, 1),
    }
