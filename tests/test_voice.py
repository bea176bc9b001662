"""Voice end to end: sentences spoken to Home Assistant's built-in agent, in English and Dutch.

Every utterance goes through `conversation.async_converse` with the default agent, which
reads the sentence files the integration installed into the config's custom_sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
import json
from pathlib import Path
from typing import Any

from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.magnesium_sleep.const import CONF_PRODUCT_BASIS, DOMAIN
from custom_components.magnesium_sleep.domain.score import score_components
from custom_components.magnesium_sleep.domain.sleep.night import Night
from custom_components.magnesium_sleep.intent import Speech, _standout
from custom_components.magnesium_sleep.sleep_tracker import SleepSummary

from .conftest import add_profile, durable, state


@dataclass(frozen=True)
class Reply:
    """What the assistant said, and whether it was an error."""

    speech: str
    error: bool


async def say(
    hass: HomeAssistant, text: str, language: str = "en", user: MockUser | None = None
) -> Reply:
    """Speak to the built-in agent, as a user if given."""
    result = await conversation.async_converse(
        hass,
        text,
        None,
        Context(user_id=None if user is None else user.id),
        language=language,
        agent_id=conversation.HOME_ASSISTANT_AGENT,
    )
    response = result.response
    return Reply(
        response.speech["plain"]["speech"],
        response.response_type is intent.IntentResponseType.ERROR,
    )


def doses(entry: MockConfigEntry) -> list[Any]:
    """The profile's doses in memory."""
    return list(entry.runtime_data.doses.log)


@pytest.fixture
async def voice(hass: HomeAssistant, init_integration: MockConfigEntry) -> MockConfigEntry:
    """Anna's profile, with Assist's conversation integration set up after it."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()
    return init_integration


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "I took 400 milligrams of magnesium citrate"),
        ("en", "I took four hundred milligrams of magnesium citrate."),
        ("en", "log 400mg citrate"),
        ("nl", "Ik heb 400 milligram magnesiumcitraat genomen"),
        ("nl", "ik heb vierhonderd milligram magnesium citraat genomen"),
        ("nl", "noteer 0,4 gram citraat"),
    ],
)
async def test_an_amount_is_logged_as_elemental_magnesium(
    hass: HomeAssistant,
    voice: MockConfigEntry,
    hass_storage: dict[str, Any],
    language: str,
    text: str,
) -> None:
    """400 mg citrate (as digits, words or grams) is 64.7 mg elemental, logged once."""
    reply = await say(hass, text, language)
    [dose] = doses(voice)
    assert dose.form.value == "citrate"
    assert dose.elemental_mg == Decimal("64.653")
    assert dose.source == "voice"
    assert len(next(iter(durable(hass, voice, "doses").values()))) == 1
    expected = {
        "en": "Logged 64.7 milligrams of magnesium. 64.7 of 320 today.",
        "nl": "64,7 milligram magnesium genoteerd. 64,7 van 320 vandaag.",
    }
    assert reply == Reply(expected[language], error=False)


@pytest.mark.parametrize(
    ("language", "text", "servings", "elemental_mg"),
    [
        ("en", "I took 2 capsules", 2, "140.961"),
        ("en", "I took two tablets of magnesium", 2, "140.961"),
        ("en", "log my magnesium", 1, "70.481"),
        ("nl", "ik heb twee capsules genomen", 2, "140.961"),
        ("nl", "noteer mijn magnesium", 1, "70.481"),
        ("nl", "ik heb 1,5 tablet genomen", Decimal("1.5"), "105.721"),
    ],
)
async def test_servings_are_of_the_usual_product(
    hass: HomeAssistant,
    voice: MockConfigEntry,
    language: str,
    text: str,
    servings: Decimal,
    elemental_mg: str,
) -> None:
    """Capsules and "my magnesium" are servings of 500 mg glycinate (70.5 mg each)."""
    reply = await say(hass, text, language)
    [dose] = doses(voice)
    assert dose.servings == servings
    assert dose.form.value == "glycinate"
    assert dose.elemental_mg == Decimal(elemental_mg)
    assert not reply.error


async def test_an_amount_without_a_form_is_read_like_the_label(
    hass: HomeAssistant, voice: MockConfigEntry
) -> None:
    """On a label that gives elemental magnesium, "200 milligrams" is 200 mg elemental."""
    hass.config_entries.async_update_entry(
        voice, options={**voice.options, CONF_PRODUCT_BASIS: "elemental"}
    )
    assert await hass.config_entries.async_reload(voice.entry_id)
    reply = await say(hass, "I took 200 milligrams of magnesium")
    assert reply.speech == "Logged 200 milligrams of magnesium. 200 of 320 today."
    assert doses(voice)[0].form.value == "elemental"


@pytest.mark.parametrize(
    ("language", "text", "speech"),
    [
        (
            "en",
            "log minus five milligrams",
            "I can't log minus 5 milligrams: the amount has to be more than zero.",
        ),
        (
            "en",
            "I took -5 mg of magnesium",
            "I can't log minus 5 milligrams: the amount has to be more than zero.",
        ),
        (
            "en",
            "I took zero milligrams of magnesium",
            "I can't log 0 milligrams: the amount has to be more than zero.",
        ),
        (
            "en",
            "I took ninety thousand milligrams of magnesium",
            (
                "I can't log 90000 milligrams: that would be 12686.5 milligrams of magnesium in "
                "one dose, more than the 2000 I accept. Check the amount, unit and form."
            ),
        ),
        (
            "en",
            "I took 30 capsules",
            (
                "I can't log 30 servings: that would be 2114.4 milligrams of magnesium in one "
                "dose, more than the 2000 I accept. Check the amount, unit and form."
            ),
        ),
        (
            "nl",
            "noteer min vijf milligram",
            "Ik kan geen min 5 milligram noteren: de hoeveelheid moet meer dan nul zijn.",
        ),
        (
            "nl",
            "ik heb negentigduizend milligram magnesium genomen",
            (
                "Ik kan geen 90000 milligram noteren: dat zou 12686,5 milligram magnesium in één "
                "dosis zijn, meer dan de 2000 die ik aanneem. Controleer de hoeveelheid, de "
                "eenheid en de vorm."
            ),
        ),
        ("en", "I took banana milligrams", None),
        ("nl", "ik heb banaan milligram genomen", None),
    ],
)
async def test_refusals_are_spoken_and_log_nothing(
    hass: HomeAssistant,
    voice: MockConfigEntry,
    hass_storage: dict[str, Any],
    language: str,
    text: str,
    speech: str | None,
) -> None:
    """Negative, zero and out-of-range amounts match a sentence and get a reason."""
    reply = await say(hass, text, language)
    assert reply.error
    if speech is not None:  # nonsense: the agent's own "didn't understand"
        assert reply.speech == speech
    assert doses(voice) == []
    assert durable(hass, voice, "doses") == {}


async def test_today_answers_with_the_numbers(hass: HomeAssistant, voice: MockConfigEntry) -> None:
    """Nothing yet, then the total against the target and the upper limit; above it too."""
    assert (await say(hass, "How much magnesium have I had today?")).speech == (
        "No magnesium logged today yet. The target is 320 milligrams. "
        "The upper limit for supplements is 350."
    )
    await say(hass, "I took 2 capsules")
    assert (await say(hass, "how much magnesium today")).speech == (
        "141 of 320 milligrams of magnesium today. The upper limit for supplements is 350."
    )
    reply = await say(hass, "noteer 300 milligram elementair", "nl")
    assert reply.speech == (
        "300 milligram magnesium genoteerd. 441 van 320 vandaag. "
        "Dat is boven de bovengrens voor supplementen van 350 milligram."
    )
    assert (await say(hass, "hoeveel magnesium heb ik vandaag gehad", "nl")).speech == (
        "Vandaag 441 van 320 milligram magnesium. "
        "Dat is boven de bovengrens voor supplementen van 350 milligram."
    )


@pytest.mark.freeze_time("2026-11-22 08:00:00+00:00")
async def test_last_night_answers_with_duration_score_and_what_stood_out(
    hass: HomeAssistant, voice: MockConfigEntry
) -> None:
    """A night logged by the action is told: duration, score and the weakest part."""
    assert (await say(hass, "how did I sleep last night")).speech == (
        "I have no record of last night's sleep."
    )
    await hass.services.async_call(
        DOMAIN,
        "log_sleep",
        {
            "bedtime": "2026-11-21 23:00:00",
            "wake_time": "2026-11-22 07:10:00",
            "latency": 40,
            "awakenings": 1,
        },
        blocking=True,
    )
    summary = voice.runtime_data.sleep.summary
    assert summary.score is not None
    score = round(summary.score.total)
    assert (await say(hass, "how did I sleep last night")).speech == (
        f"Last night you slept 7 hours and 30 minutes, a sleep score of {score}. "
        "What stood out: falling asleep took 40 minutes."
    )
    assert (await say(hass, "hoe heb ik vannacht geslapen", "nl")).speech == (
        f"Je hebt vannacht 7 uur en 30 minuten geslapen, een slaapscore van {score}. "
        "Wat opviel: inslapen duurde 40 minuten."
    )


@pytest.mark.freeze_time("2026-11-21 12:00:00+00:00")  # 13:00 local: hours before wind-down
async def test_wind_down_starts_the_bedtime_routine(
    hass: HomeAssistant, voice: MockConfigEntry
) -> None:
    """The same engine method as the start_wind_down action: the routine is on."""
    assert state(hass, "binary_sensor.anna_wind_down") == "off"
    assert await say(hass, "begin met mijn wind-down", "nl") == Reply(
        "Je wind-down begint.", error=False
    )
    assert state(hass, "binary_sensor.anna_wind_down") == "on"


@pytest.fixture
async def two_people(
    hass: HomeAssistant, time_zone: str, hass_admin_user: MockUser, hass_read_only_user: MockUser
) -> tuple[MockConfigEntry, MockConfigEntry]:
    """Anna (the admin user's person) and Bo (the read-only user's), with Assist."""
    assert await async_setup_component(
        hass,
        "person",
        {
            "person": [
                {"id": "anna", "name": "Anna", "user_id": hass_admin_user.id},
                {"id": "bo", "name": "Bo", "user_id": hass_read_only_user.id},
            ]
        },
    )
    anna = await add_profile(hass, "Anna", "person.anna")
    bo = await add_profile(hass, "Bo", "person.bo")
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    return anna, bo


async def test_each_user_logs_for_their_own_person(
    hass: HomeAssistant,
    two_people: tuple[MockConfigEntry, MockConfigEntry],
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    """The speaker's linked profile; someone else must name it; names are checked."""
    anna, bo = two_people
    reply = await say(hass, "I took 2 capsules", user=hass_admin_user)
    assert reply.speech == "Logged 141 milligrams of magnesium for Anna. 141 of 320 today."
    await say(hass, "ik heb een capsule genomen", "nl", user=hass_read_only_user)
    assert [d.servings for d in doses(anna)] == [2]
    assert [d.servings for d in doses(bo)] == [1]

    stranger = MockUser(name="Guest").add_to_hass(hass)
    assert await say(hass, "log 400 mg", user=stranger) == Reply(
        "Which person do you mean: Anna, Bo? Say the name too.", error=True
    )
    assert await say(hass, "log 400 mg for Carl", user=stranger) == Reply(
        "I don't know anyone called Carl. Profiles: Anna, Bo.", error=True
    )
    assert len(doses(anna)) == 1
    assert len(doses(bo)) == 1

    await say(hass, "noteer 400 mg voor bo", "nl", user=stranger)
    assert len(doses(bo)) == 2
    reply = await say(hass, "How much magnesium has Bo had today?", user=hass_admin_user)
    assert reply.speech.startswith("Bo: 126.9 of 320 milligrams of magnesium today.")
    reply = await say(hass, "how much magnesium have I had today", user=hass_read_only_user)
    assert reply.speech.startswith("Bo: 126.9 of 320")


TRANSCRIPT = Path(__file__).parent / "fixtures" / "voice_transcript.json"


def transcript(language: str) -> list[dict[str, Any]]:
    """The expected conversation: what was said, the reply, the doses logged after it."""
    lines: list[dict[str, Any]] = json.loads(TRANSCRIPT.read_text(encoding="utf-8"))[language]
    return lines


@pytest.mark.freeze_time("2026-11-22 19:00:00+00:00")
@pytest.mark.parametrize("language", ["en", "nl"])
async def test_transcript(hass: HomeAssistant, voice: MockConfigEntry, language: str) -> None:
    """A conversation as a person would have it, reply by reply, with what it logged."""
    await hass.services.async_call(
        DOMAIN,
        "log_sleep",
        {"bedtime": "2026-11-21 23:00:00", "wake_time": "2026-11-22 07:10:00", "latency": 40},
        blocking=True,
    )
    expected = transcript(language)
    heard = []
    for line in expected:
        reply = await say(hass, line["said"], language)
        heard.append({"said": line["said"], "reply": reply.speech, "doses": len(doses(voice))})
    assert heard == expected


async def test_a_failing_action_is_spoken_not_a_generic_error(
    hass: HomeAssistant, voice: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error without a translation of ours is still said, with its message."""

    async def start_wind_down(context: Context | None = None) -> None:
        raise HomeAssistantError("The bedroom lights are unreachable")

    # Our own engine method fails (as a light integration's error would reach it).
    monkeypatch.setattr(voice.runtime_data.bedtime, "async_start_wind_down", start_wind_down)
    assert await say(hass, "start my wind down") == Reply(
        "That didn't work: The bedroom lights are unreachable", error=True
    )


@pytest.mark.parametrize(
    ("inputs", "speech"),
    [
        ({"total_sleep": 480, "latency": 10}, "No part of the score was weak."),
        ({"total_sleep": 300}, "That is short: 7 hours or more score full points."),
        ({"total_sleep": 700, "latency": 15}, "No part of the score was weak."),
        ({"efficiency": 70.4}, "What stood out: asleep only 70 percent of the time in bed."),
        ({"awakenings": 4}, "What stood out: woke up 4 times."),
        ({"waso": 61}, "What stood out: 1 hour and 1 minute awake during the night."),
        (
            {"midpoint_offset": 120},
            "What stood out: asleep at another time than usual, 2 hours off.",
        ),
    ],
)
async def test_what_stood_out_is_the_weakest_part(
    hass: HomeAssistant, voice: MockConfigEntry, inputs: dict[str, float], speech: str
) -> None:
    """The part of the score with the smallest share of its points, if that share is low."""
    score = score_components(**inputs)
    assert score is not None
    assert _standout(score, await Speech.async_load(hass, "en-GB")) == speech


async def test_a_night_without_a_duration_still_has_its_score(
    hass: HomeAssistant, voice: MockConfigEntry
) -> None:
    """A night known only from, say, the time to fall asleep: its score is told."""
    score = score_components(latency=10, awakenings=1)
    night = Night(night=dt_util.now().date(), latency=10, awakenings=1)
    voice.runtime_data.sleep.summary = SleepSummary(night, score, None, None)
    assert (await say(hass, "what was my sleep score")).speech == (
        "Last night's sleep score was 100. No part of the score was weak."
    )
