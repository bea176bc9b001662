"""Voice: intent handlers for Assist, the built-in agent and LLM agents alike.

Home Assistant's `intent` integration registers them once, from this `intent` platform
(`async_setup_intents`), as it does for core's integrations. Each handler finds the
profile by the one rule of `profiles.async_profile_for` (named, the speaking user's
own, or the only one), calls the same runtime code as the actions and answers in the
request's language, with the numbers as `speech_slots` for LLMs.

Expected failures are answered, never raised: the built-in agent turns any
`IntentHandleError` into its generic "An unexpected error occurred", whatever the
message. A bad dose is refused by the dose tracker as for an action, and the refusal
is spoken ("I can't log minus 5 milligrams"); nothing is logged.

Replies live in `translations/*.json` under `exceptions` as `voice_*` messages: the one
category of strings an integration can load in any language at run time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Final, override

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import intent
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util, language as language_util
import probatio

from .const import DOMAIN
from .domain.score import ComponentKey, SleepScore
from .domain.sleep.night import Night
from .domain.units import Form, Unit
from .payloads import day_payload, night_payload
from .profiles import async_profile_for, loaded_profiles
from .runtime import MagnesiumSleepRuntime

INTENT_LOG_DOSE: Final = "MagnesiumSleepLogDose"
INTENT_TODAY: Final = "MagnesiumSleepGetToday"
INTENT_LAST_NIGHT: Final = "MagnesiumSleepGetLastNight"
INTENT_START_WIND_DOWN: Final = "MagnesiumSleepStartWindDown"

"""The bedtime feature's action; the wind-down intent answers "not available" without it."""

VOICE_LANGUAGES: Final = ("en", "nl")
SLOT_NEGATIVE: Final = "negative"
"""Set by the sentences for "minus five": number words can't carry the sign (hassil)."""

# A score component earning less than this share of its points is what stood out.
_WEAK_SHARE: Final = 0.6
_FULL_POINTS_HOURS: Final = 7

# Home Assistant's own errors when no profile, or none clearly, is meant.
_HA_PROFILE_ERRORS: Final = {
    "service_found_multiple_config_entry_for_domain": "voice_which_profile",
    "service_found_no_config_entry_for_domain": "voice_no_profile",
    "service_config_entry_not_loaded": "voice_no_profile",
}

PERSON_SLOT: Final = {
    probatio.Optional(
        "person",
        description="Whose it is: a person's or profile's name. Leave out for the speaker.",
    ): intent.non_empty_string,
}
LOG_DOSE_SLOTS: Final = {
    probatio.Optional(
        "amount",
        description="The amount as the label states it, in `unit`; a number above zero.",
    ): probatio.Coerce(float),
    probatio.Optional("unit", description="Unit of `amount`; mg when left out."): probatio.In(
        [unit.value for unit in Unit]
    ),
    probatio.Optional(
        "form",
        description="Chemical form of `amount`, e.g. citrate. Leave out for the person's "
        "usual product.",
    ): probatio.In([form.value for form in Form]),
    probatio.Optional(
        "servings",
        description="Servings (capsules, tablets, scoops) of the person's usual product, "
        "instead of an amount.",
    ): probatio.Coerce(float),
    **PERSON_SLOT,
}


class Speech:
    """The `voice_*` strings of one language, with numbers as that language says them."""

    def __init__(self, language: str, strings: Mapping[str, str]) -> None:
        """Use `strings` (translations of the `exceptions` category) in `language`."""
        self.language = language
        self._strings = strings

    @classmethod
    async def async_load(cls, hass: HomeAssistant, language: str) -> Speech:
        """The strings for the request's language; English when it has none."""
        matches = language_util.matches(language, list(VOICE_LANGUAGES))
        chosen = matches[0] if matches else VOICE_LANGUAGES[0]
        return cls(chosen, await async_get_translations(hass, chosen, "exceptions", [DOMAIN]))

    def has(self, key: str) -> bool:
        """Whether a message exists."""
        return f"component.{DOMAIN}.exceptions.{key}.message" in self._strings

    def __call__(self, key: str, **placeholders: object) -> str:
        """A message with its placeholders filled in."""
        text = self._strings[f"component.{DOMAIN}.exceptions.{key}.message"]
        return text.format(**placeholders)

    def number(self, value: float | Decimal) -> str:
        """Whole numbers plainly, others to one decimal with the language's separator."""
        rounded = round(Decimal(str(value)), 1)
        text = str(int(rounded)) if rounded == rounded.to_integral_value() else str(rounded)
        return text.replace(".", ",") if self.language == "nl" else text

    def count(self, key: str, value: float | Decimal) -> str:
        """A number with its word in singular or plural (`key_one` / `key`)."""
        singular = round(Decimal(str(value)), 1) == 1 and self.has(f"{key}_one")
        return self(f"{key}_one" if singular else key, count=self.number(value))

    def duration(self, minutes: float) -> str:
        """Hours and minutes, as said: "7 hours and 25 minutes"."""
        hours, rest = divmod(round(minutes), 60)
        parts = [self.count("voice_hours", hours)] if hours else []
        if rest or not hours:
            parts.append(self.count("voice_minutes", rest))
        return parts[0] if len(parts) == 1 else self("voice_and", first=parts[0], second=parts[1])

    def error(self, err: HomeAssistantError, **extra: str) -> str:
        """A refusal as it is said: the `voice_` version of its message if there is one."""
        key = err.translation_key or ""
        if err.translation_domain != DOMAIN:
            key = _HA_PROFILE_ERRORS.get(key, "")
        placeholders = {
            name: self._spoken_placeholder(value)
            for name, value in (err.translation_placeholders or {}).items()
        } | extra
        for candidate in (f"voice_{key}", key):
            if key and self.has(candidate):
                return self(candidate, **placeholders)
        return self("voice_failed", error=str(err))

    def _spoken_placeholder(self, value: str) -> str:
        try:
            return self.number(Decimal(value))
        except InvalidOperation:
            return value


class _ProfileIntentHandler(intent.IntentHandler, ABC):
    """Finds the profile, answers refusals in words; subclasses do the rest."""

    response_type = intent.IntentResponseType.ACTION_DONE

    @property
    @override
    def slot_schema(self) -> dict[Any, Any] | None:
        return PERSON_SLOT

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Validate, resolve the profile and answer; a refusal is a spoken error."""
        speech = await Speech.async_load(intent_obj.hass, intent_obj.language)
        response = intent_obj.create_response()
        try:
            slots = self.async_validate_slots(intent_obj.slots)
        except probatio.Invalid:
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE, speech("voice_not_understood")
            )
            return response
        values: dict[str, Any] = {name: slot["value"] for name, slot in slots.items()}
        extra = self.spoken_input(values, speech)
        try:
            person: str | None = values.get("person")
            runtime: MagnesiumSleepRuntime = async_profile_for(
                intent_obj.hass, user_id=intent_obj.context.user_id, name=person
            ).runtime_data
            named = person is not None or len(loaded_profiles(intent_obj.hass)) > 1
            text, data = await self.async_answer(intent_obj, runtime, values, speech, named)
        except HomeAssistantError as err:
            names = ", ".join(entry.title for entry in loaded_profiles(intent_obj.hass))
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
                speech.error(err, profiles=names, **extra),
            )
            return response
        response.response_type = self.response_type
        response.async_set_speech(text)
        response.async_set_speech_slots(data)
        return response

    def spoken_input(self, values: Mapping[str, Any], speech: Speech) -> dict[str, str]:
        """What was asked, as placeholders for a refusal."""
        return {}

    @abstractmethod
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        runtime: MagnesiumSleepRuntime,
        values: Mapping[str, Any],
        speech: Speech,
        named: bool,
    ) -> tuple[str, dict[str, Any]]:
        """Do it; the reply and its data. Refusals raise HomeAssistantError."""


def _key(base: str, named: bool) -> str:
    return f"{base}_for" if named else base


def _upper_limit_sentence(data: Mapping[str, Any], speech: Speech, *, always: bool) -> str:
    limit = speech.number(data["upper_limit_mg"])
    if data["above_upper_limit"]:
        return " " + speech("voice_above_upper_limit", upper_limit_mg=limit)
    return " " + speech("voice_upper_limit", upper_limit_mg=limit) if always else ""


class LogDoseIntentHandler(_ProfileIntentHandler):
    """Log a dose: an amount as the label states it, or servings of the usual product."""

    intent_type = INTENT_LOG_DOSE
    description = (
        "Logs a magnesium supplement dose a person took: an amount with its unit and "
        "chemical form as the label states it, or a number of servings of their usual "
        "product. With neither, logs one serving. Answers with the elemental magnesium "
        "logged and the day's total against the person's daily target."
    )

    @property
    @override
    def slot_schema(self) -> dict[Any, Any] | None:
        return LOG_DOSE_SLOTS

    @override
    def spoken_input(self, values: Mapping[str, Any], speech: Speech) -> dict[str, str]:
        amount: float | None = values.get("amount")
        if amount is None:
            return {"said": speech.count("voice_servings", values.get("servings", 1))}
        unit = str(values.get("unit", Unit.MG)).casefold()
        quantity = speech.count(f"voice_unit_{unit}", abs(amount))
        negative = amount < 0 or values.get(SLOT_NEGATIVE) is True
        return {"said": speech("voice_minus", quantity=quantity) if negative else quantity}

    @override
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        runtime: MagnesiumSleepRuntime,
        values: Mapping[str, Any],
        speech: Speech,
        named: bool,
    ) -> tuple[str, dict[str, Any]]:
        amount: float | None = values.get("amount")
        if amount is not None and values.get(SLOT_NEGATIVE) is True:
            amount = -abs(amount)
        servings: float | None = values.get("servings")
        change = await runtime.doses.async_log(
            amount=amount,
            unit=values.get("unit", Unit.MG),
            servings=1 if amount is None and servings is None else servings,
            form=values.get("form"),
            source="voice",
            context=intent_obj.context,
        )
        data = runtime.dose_change_payload(change)
        text = speech(
            _key("voice_logged", named),
            name=runtime.profile.name,
            elemental_mg=speech.number(data["elemental_mg"]),
            total_mg=speech.number(data["day_total_mg"]),
            target_mg=speech.number(data["target_mg"]),
        )
        return text + _upper_limit_sentence(data, speech, always=False), data


class TodayIntentHandler(_ProfileIntentHandler):
    """Today's magnesium against the target and the supplemental upper limit."""

    intent_type = INTENT_TODAY
    description = (
        "Tells how much magnesium from supplements a person has logged today (the day "
        "starts at the profile's day start, 04:00 by default), against their daily target "
        "and the supplemental upper limit."
    )
    response_type = intent.IntentResponseType.QUERY_ANSWER

    @override
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        runtime: MagnesiumSleepRuntime,
        values: Mapping[str, Any],
        speech: Speech,
        named: bool,
    ) -> tuple[str, dict[str, Any]]:
        data = {**runtime.owner, **day_payload(runtime.doses.summary.today)}
        base = "voice_today" if data["day_doses"] else "voice_today_none"
        text = speech(
            _key(base, named),
            name=runtime.profile.name,
            total_mg=speech.number(data["day_total_mg"]),
            target_mg=speech.number(data["target_mg"]),
        )
        return text + _upper_limit_sentence(data, speech, always=True), data


def _standout(score: SleepScore, speech: Speech) -> str:
    """The weakest part of the score if it is weak, in words with its value."""
    weakest = min(score.components, key=lambda part: part.points / part.max_points)
    if weakest.points / weakest.max_points >= _WEAK_SHARE:
        return speech("voice_standout_none")
    value = weakest.value
    match weakest.key:
        case ComponentKey.DURATION:  # long sleep keeps 25 of 35 points: never weak
            return speech("voice_standout_duration_short", hours=_FULL_POINTS_HOURS)
        case ComponentKey.EFFICIENCY:
            return speech("voice_standout_efficiency", percent=speech.number(round(value)))
        case ComponentKey.AWAKENINGS:
            return speech.count("voice_standout_awakenings", round(value))
        case _:  # latency, time awake, regularity: minutes
            return speech(f"voice_standout_{weakest.key.value}", minutes=speech.duration(value))


class LastNightIntentHandler(_ProfileIntentHandler):
    """Last night's sleep: duration, score and what stood out."""

    intent_type = INTENT_LAST_NIGHT
    description = (
        "Tells how a person slept last night: how long, the 0-100 sleep score of this "
        "integration, and the part of the score that stood out. The score is a summary, "
        "not a diagnosis."
    )
    response_type = intent.IntentResponseType.QUERY_ANSWER

    @override
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        runtime: MagnesiumSleepRuntime,
        values: Mapping[str, Any],
        speech: Speech,
        named: bool,
    ) -> tuple[str, dict[str, Any]]:
        summary = runtime.sleep.summary
        night: Night | None = summary.night
        yesterday = dt_util.now().date() - timedelta(days=1)
        if night is None or summary.score is None or night.night < yesterday:
            text = speech(_key("voice_night_none", named), name=runtime.profile.name)
            return text, runtime.owner
        data = {**runtime.owner, **night_payload(night, summary.score)}
        score = speech.number(round(summary.score.total))
        if night.total_sleep is None:
            text = speech(_key("voice_night_score", named), name=runtime.profile.name, score=score)
        else:
            text = speech(
                _key("voice_night", named),
                name=runtime.profile.name,
                duration=speech.duration(night.total_sleep),
                score=score,
            )
        return f"{text} {_standout(summary.score, speech)}", data


class StartWindDownIntentHandler(_ProfileIntentHandler):
    """Start the wind-down, as the start_wind_down action does."""

    intent_type = INTENT_START_WIND_DOWN
    description = (
        "Starts a person's wind-down before bed (the bedtime routine set up in Magnesium & Sleep)."
    )

    @override
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        runtime: MagnesiumSleepRuntime,
        values: Mapping[str, Any],
        speech: Speech,
        named: bool,
    ) -> tuple[str, dict[str, Any]]:
        await runtime.bedtime.async_start_wind_down(intent_obj.context)
        return speech(_key("voice_wind_down_started", named), name=runtime.profile.name), (
            runtime.owner
        )


HANDLERS: Final[tuple[type[_ProfileIntentHandler], ...]] = (
    LogDoseIntentHandler,
    TodayIntentHandler,
    LastNightIntentHandler,
    StartWindDownIntentHandler,
)


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intents once, for every profile.

    Home Assistant's `intent` integration calls this for the `intent` platform of every
    loaded integration, once (as for core's own intents); Assist needs it loaded anyway.
    """
    for handler in HANDLERS:
        intent.async_register(hass, handler())
