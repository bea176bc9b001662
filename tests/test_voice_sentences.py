"""The built-in agent's sentences: installed into custom_sentences, never over the person's."""

from __future__ import annotations

import hashlib
from pathlib import Path

from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.magnesium_sleep.const import CONF_VOICE_SENTENCES
from custom_components.magnesium_sleep.voice_sentences import SHIPPED, sentences_path

from .conftest import add_profile
from .test_voice import doses, say


def installed(hass: HomeAssistant, language: str) -> Path:
    """Where our file for a language is."""
    return sentences_path(Path(hass.config.config_dir), language)


def shipped(language: str) -> str:
    """The sentences in the integration."""
    return (SHIPPED / language / "magnesium_sleep.yaml").read_text(encoding="utf-8")


def write(path: Path, text: str) -> None:
    """A file with its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def read(path: Path) -> str | None:
    """A file's text, None when it is not there."""
    return path.read_text(encoding="utf-8") if path.exists() else None


def body(path: Path) -> str:
    """A file without our two header lines."""
    return path.read_text(encoding="utf-8").split("\n", 2)[2]


async def set_voice_option(hass: HomeAssistant, entry: MockConfigEntry, on: bool) -> None:
    """Turn the option on or off through the options flow; the profile reloads."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert "voice" in result["menu_options"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "voice"}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_VOICE_SENTENCES: on}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_installed_for_english_and_dutch_with_their_hash(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """On by default: both files, each headed by the SHA-256 of what follows."""
    for language in ("en", "nl"):
        path = installed(hass, language)
        header = (read(path) or "").partition("\n")[0]
        assert body(path) == shipped(language)
        assert header.endswith(hashlib.sha256(shipped(language).encode()).hexdigest())


async def test_the_persons_files_and_edits_are_left_alone(
    hass: HomeAssistant, time_zone: str, mock_config_entry: MockConfigEntry
) -> None:
    """Their own file, their edited copy and a file of our name we did not write stay."""
    own = Path(hass.config.path("custom_sentences", "en", "mine.yaml"))
    write(own, "language: en\n")
    foreign = installed(hass, "nl")
    write(foreign, "language: nl\n# mine\n")

    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert read(own) == "language: en\n"
    assert read(foreign) == "language: nl\n# mine\n"
    english = installed(hass, "en")
    edited = f"{read(english)}# my own line\n"
    write(english, edited)

    await set_voice_option(hass, mock_config_entry, on=False)
    assert read(english) == edited
    assert read(foreign) == "language: nl\n# mine\n"
    assert read(own) == "language: en\n"


async def test_an_unedited_older_copy_is_updated(
    hass: HomeAssistant, time_zone: str, mock_config_entry: MockConfigEntry
) -> None:
    """What an earlier version installed, untouched since, becomes the shipped one."""
    old = "language: en\nintents: {}\n"
    path = installed(hass, "en")
    digest = hashlib.sha256(old.encode()).hexdigest()
    write(path, f"# Installed by Magnesium & Sleep, sha256 {digest}\n# header\n{old}")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert body(path) == shipped("en")


async def test_turning_voice_off_and_on_reaches_the_agent(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The agent reloads its sentences: off, not understood; on again, logged."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    assert not (await say(hass, "log my magnesium")).error

    await set_voice_option(hass, init_integration, on=False)
    assert read(installed(hass, "en")) is None
    assert read(installed(hass, "nl")) is None
    assert (await say(hass, "log my magnesium")).error
    assert len(doses(init_integration)) == 1

    await set_voice_option(hass, init_integration, on=True)
    assert not (await say(hass, "noteer mijn magnesium", "nl")).error
    assert len(doses(init_integration)) == 2


async def test_they_stay_while_any_profile_wants_them(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Off in one profile or one removed: still there; the last one gone: removed."""
    bo = await add_profile(hass, "Bo", "person.bo")
    await set_voice_option(hass, init_integration, on=False)
    assert read(installed(hass, "en")) is not None

    assert (await hass.config_entries.async_remove(bo.entry_id))["require_restart"] is False
    await hass.async_block_till_done()
    assert read(installed(hass, "en")) is None

    await set_voice_option(hass, init_integration, on=True)
    assert read(installed(hass, "nl")) is not None
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert read(installed(hass, "nl")) is None


async def test_the_system_language_variant_is_reloaded_too(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Assist without a language uses the system's ("en-GB"); that copy is reloaded too."""
    hass.config.language = "en-GB"
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    result = await conversation.async_converse(hass, "log my magnesium", None, Context())
    assert result.response.response_type is intent.IntentResponseType.ACTION_DONE

    await set_voice_option(hass, init_integration, on=False)
    result = await conversation.async_converse(hass, "log my magnesium", None, Context())
    assert result.response.response_type is intent.IntentResponseType.ERROR


async def test_a_config_folder_it_cannot_write_does_not_stop_the_profile(
    hass: HomeAssistant, time_zone: str, mock_config_entry: MockConfigEntry
) -> None:
    """custom_sentences is a file here: no sentences, but the profile loads."""
    write(Path(hass.config.path("custom_sentences")), "not a folder")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert mock_config_entry.state is ConfigEntryState.LOADED
