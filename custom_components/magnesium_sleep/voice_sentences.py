"""Sentences for the built-in assistant: installed into `<config>/custom_sentences/`.

Why this route (Home Assistant 2026.10): the built-in agent reads sentences from the
`home-assistant-intents` package, from `configuration.yaml` and from
`<config>/custom_sentences/<language>/*.yaml`, nothing else an integration can add to.
The agent manager's `register_trigger` is internal (not in `conversation.__all__`), its
sentences have no lists or expansion rules (every `{list}` becomes a wildcard, so number
words would not be numbers), one language for all, and it answers with a bare string;
`update_config_intents` replaces the person's own YAML intents. A file in
`custom_sentences` is the documented way and gives the agent full hassil sentences:
ranges, lists, per language. It lives in the config directory, so it survives restarts
and Home Assistant updates.

Rules: only our own file name (`magnesium_sleep.yaml`) in each language's folder is
written; its first line holds the SHA-256 of what we wrote, so a copy the person edited
(or a file of that name we did not write) is never replaced or removed. A newer version
of the integration replaces an unedited copy. The files are installed while any profile
has the voice option on (the default) and removed when none has. File work runs in the
executor; `conversation.reload` follows a change, per changed language, so the agent
reads the files again (and not, as a side effect, the person's configuration.yaml).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import hashlib
from pathlib import Path
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.util import language as language_util
from homeassistant.util.file import write_utf8_file
from homeassistant.util.hass_dict import HassKey

from .const import CONF_VOICE_SENTENCES, DOMAIN, LOGGER
from .intent import VOICE_LANGUAGES

SHIPPED: Final = Path(__file__).parent / "sentences"
FILE_NAME: Final = f"{DOMAIN}.yaml"
_MARK: Final = "# Installed by Magnesium & Sleep, sha256 "
_HEADER: Final = (
    _MARK + "{digest}\n"
    "# Edit it and it is yours: the integration never replaces or removes an edited copy.\n"
)
_LOCK: HassKey[asyncio.Lock] = HassKey(f"{DOMAIN}_voice_sentences")


@dataclass(frozen=True, slots=True)
class InstalledFile:
    """What is at our file's place in one language's folder."""

    exists: bool
    ours_unedited: bool
    body: str | None


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def _installed(path: Path) -> InstalledFile:
    if not path.exists():
        return InstalledFile(exists=False, ours_unedited=False, body=None)
    header, _, rest = path.read_text(encoding="utf-8").partition("\n")
    _, _, body = rest.partition("\n")
    unedited = header.startswith(_MARK) and header.removeprefix(_MARK) == _digest(body)
    return InstalledFile(exists=True, ours_unedited=unedited, body=body)


def sentences_path(config_dir: Path, language: str) -> Path:
    """Where a language's sentences go."""
    return config_dir / "custom_sentences" / language / FILE_NAME


def sync_sentence_files(config_dir: Path, wanted: bool) -> list[str]:
    """Install, update or remove our files; the languages changed (runs in the executor)."""
    changed: list[str] = []
    for language in VOICE_LANGUAGES:
        path = sentences_path(config_dir, language)
        current = _installed(path)
        if current.exists and not current.ours_unedited:
            LOGGER.info("Keeping %s: it was edited, or not written by this integration", path)
            continue
        if not wanted:
            if current.exists:
                path.unlink()
                changed.append(language)
            continue
        body = (SHIPPED / language / FILE_NAME).read_text(encoding="utf-8")
        if current.body != body:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_utf8_file(str(path), _HEADER.format(digest=_digest(body)) + body)
            changed.append(language)
    return changed


async def async_sync_sentences(hass: HomeAssistant, *, removed_entry_id: str | None = None) -> None:
    """Make the files match the profiles' voice option, and reload the agent on a change."""
    wanted = any(
        entry.options.get(CONF_VOICE_SENTENCES, True)
        for entry in hass.config_entries.async_entries(DOMAIN, include_disabled=False)
        if entry.entry_id != removed_entry_id
    )
    lock = hass.data.setdefault(_LOCK, asyncio.Lock())
    async with lock:
        try:
            changed = await hass.async_add_executor_job(
                sync_sentence_files, Path(hass.config.config_dir), wanted
            )
        except OSError as err:  # a read-only config folder must not stop the profile
            LOGGER.warning("Could not install the voice sentences: %s", err)
            return
    # Without the conversation integration there is no agent yet: it reads them at start.
    if not changed or not hass.services.has_service("conversation", "reload"):
        return
    # Per language, so the person's configuration.yaml intents are not re-read with them;
    # the system language too when it is a variant ("en-GB"), the agent's key for it.
    languages = set(changed)
    if (system := hass.config.language) not in languages and any(
        language_util.matches(system, [language]) for language in changed
    ):
        languages.add(system)
    for language in sorted(languages):
        await hass.services.async_call(
            "conversation", "reload", {"language": language}, blocking=True
        )
