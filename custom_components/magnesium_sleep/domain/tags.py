"""Night tags: what else happened on a night (alcohol, illness, ...), and a note.

A tagged night is left out of the effect by default (`get_effect`'s
``exclude_tagged``): these are the confounders the reference names (section 7). A
note alone does not exclude a night.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class Tag(StrEnum):
    """What may have shaped a night besides magnesium."""

    ALCOHOL = "alcohol"
    LATE_CAFFEINE = "late_caffeine"
    ILLNESS = "illness"
    TRAVEL = "travel"
    EXERCISE = "exercise"
    STRESS = "stress"
    MEDICATION_CHANGE = "medication_change"


class TagRejected(ValueError):  # noqa: N818 - the shell's API name
    """Tags that cannot be applied; `reason` is a translation key."""

    def __init__(self, reason: str, placeholders: Mapping[str, str] | None = None) -> None:
        """Create the error for `reason` with its translation placeholders."""
        super().__init__(reason)
        self.reason = reason
        self.placeholders: dict[str, str] = dict(placeholders or {})


@dataclass(frozen=True, slots=True)
class NightTags:
    """A night's tags and note."""

    night: date
    tags: frozenset[Tag] = frozenset()
    note: str | None = None

    @property
    def is_empty(self) -> bool:
        """Nothing left to keep."""
        return not self.tags and self.note is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form, tags sorted."""
        return {
            "night": self.night.isoformat(),
            "tags": sorted(tag.value for tag in self.tags),
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NightTags:
        """Inverse of `to_dict`; unknown tags (from a newer version) are dropped."""
        known = {tag.value for tag in Tag}
        note = data.get("note")
        return cls(
            night=date.fromisoformat(data["night"]),
            tags=frozenset(Tag(tag) for tag in data.get("tags", ()) if tag in known),
            note=None if note is None else str(note),
        )


def parse_tags(raw: Iterable[str]) -> frozenset[Tag]:
    """Tags from their names; TagRejected for an unknown one or none at all."""
    tags: set[Tag] = set()
    for name in raw:
        try:
            tags.add(Tag(name.strip().casefold()))
        except ValueError:
            raise TagRejected(
                "unknown_tag", {"tag": name, "tags": ", ".join(tag.value for tag in Tag)}
            ) from None
    if not tags:
        raise TagRejected("no_tags")
    return frozenset(tags)


def apply_tags(
    current: NightTags, tags: frozenset[Tag], *, note: str | None, remove: bool
) -> NightTags:
    """Add (or with `remove` take away) tags; a given note replaces the old one, "" clears it."""
    new_tags = current.tags - tags if remove else current.tags | tags
    new_note = current.note if note is None else (note.strip() or None)
    return NightTags(current.night, new_tags, new_note)
