"""Night tags: parsing, adding, removing, notes and storage."""

from __future__ import annotations

from datetime import date

import pytest

from custom_components.magnesium_sleep.domain.tags import (
    NightTags,
    Tag,
    TagRejected,
    apply_tags,
    parse_tags,
)

NIGHT = date(2026, 11, 21)


def test_parse_tags() -> None:
    assert parse_tags([" Alcohol", "stress", "alcohol"]) == {Tag.ALCOHOL, Tag.STRESS}
    with pytest.raises(TagRejected) as err:
        parse_tags(["alcohol", "hangover"])
    assert err.value.reason == "unknown_tag"
    assert err.value.placeholders["tag"] == "hangover"
    assert "medication_change" in err.value.placeholders["tags"]
    with pytest.raises(TagRejected, match="no_tags"):
        parse_tags([])


def test_apply_tags() -> None:
    """Add, remove, replace and clear the note; empty when nothing is left."""
    tagged = apply_tags(NightTags(NIGHT), frozenset({Tag.ILLNESS}), note=" flu ", remove=False)
    assert tagged == NightTags(NIGHT, frozenset({Tag.ILLNESS}), "flu")
    more = apply_tags(tagged, frozenset({Tag.TRAVEL}), note=None, remove=False)
    assert more.tags == {Tag.ILLNESS, Tag.TRAVEL}
    assert more.note == "flu"
    fewer = apply_tags(more, frozenset({Tag.ILLNESS, Tag.TRAVEL}), note="", remove=True)
    assert fewer.is_empty


def test_round_trip_drops_unknown_tags() -> None:
    tags = NightTags(NIGHT, frozenset({Tag.STRESS, Tag.ALCOHOL}), "late")
    assert tags.to_dict() == {"night": "2026-11-21", "tags": ["alcohol", "stress"], "note": "late"}
    assert NightTags.from_dict(tags.to_dict()) == tags
    newer = {"night": "2026-11-21", "tags": ["stress", "jetlag"], "note": None}
    assert NightTags.from_dict(newer) == NightTags(NIGHT, frozenset({Tag.STRESS}))
