"""Every English string has a Dutch one, with the same placeholders."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

TRANSLATIONS = Path(__file__).parent.parent / "custom_components/magnesium_sleep/translations"


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            flat.update(_flatten(value, path))
        else:
            flat[path] = value
    return flat


def _load(language: str) -> dict[str, str]:
    return _flatten(json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")))


def test_dutch_matches_english() -> None:
    """Same keys, same {placeholders}, no empty strings."""
    english, dutch = _load("en"), _load("nl")
    assert sorted(english) == sorted(dutch)
    for key, text in english.items():
        assert text.strip(), key
        assert set(re.findall(r"{\w+}", text)) == set(re.findall(r"{\w+}", dutch[key])), key
