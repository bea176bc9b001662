"""Sleep sources: the entities a profile follows, as Home Assistant knows them.

- Detection: what the entity registry and state machine say about candidate
  entities (`entity_facts`, `candidate_facts`), and enabling picked ones that their
  integration disabled by default.
- Repairs: one issue per role whose entity vanished.
- Reading: `SourceReader` turns a source's state into a domain signal, once per new
  value, remembering across restarts what it has already taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER
from .domain.sleep.signals import Signal
from .state_adapter import EntityFacts, Role, signal_for
from .storage import HistoryKind, PartitionedHistory, StoredRecord

SOURCE_DOMAINS: Final = ("binary_sensor", "event", "sensor")
# Roles whose states say when they happened (transitions, events), unlike summaries.
TIMED_ROLES: Final = frozenset({Role.IN_BED, Role.ASLEEP, Role.SLEEP_TRACKING, Role.SLEEP_PHASE})
_NO_VALUE: Final = frozenset({STATE_UNAVAILABLE, STATE_UNKNOWN})


def entity_facts(hass: HomeAssistant, entity_id: str) -> EntityFacts:
    """What the registry and the state machine say about an entity."""
    entry = er.async_get(hass).async_get(entity_id)
    state = hass.states.get(entity_id)
    attributes: Mapping[str, Any] = state.attributes if state else {}
    if entry is None:
        return EntityFacts(
            entity_id,
            device_class=attributes.get("device_class"),
            unit=attributes.get(ATTR_UNIT_OF_MEASUREMENT),
            name=str(attributes.get("friendly_name", "")),
            state_class=attributes.get("state_class"),
        )
    return EntityFacts(
        entity_id,
        platform=entry.platform,
        device_class=entry.device_class or entry.original_device_class,
        unit=entry.unit_of_measurement or attributes.get(ATTR_UNIT_OF_MEASUREMENT),
        translation_key=entry.translation_key,
        name=str(entry.name or entry.original_name or attributes.get("friendly_name", "")),
        state_class=(entry.capabilities or {}).get("state_class"),
        disabled=entry.disabled_by is not None,
    )


def candidate_facts(hass: HomeAssistant) -> list[EntityFacts]:
    """Every sensor, binary sensor and event entity but ours, registered (even disabled) or not."""
    registry = er.async_get(hass)
    ours = {entry.entity_id for entry in registry.entities.values() if entry.platform == DOMAIN}
    entity_ids = {
        entry.entity_id for entry in registry.entities.values() if entry.domain in SOURCE_DOMAINS
    } | set(hass.states.async_entity_ids(SOURCE_DOMAINS))
    # Our own sleep entities are results, not sources.
    return [entity_facts(hass, entity_id) for entity_id in sorted(entity_ids - ours)]


def enable_disabled(hass: HomeAssistant, entity_ids: Iterable[str]) -> None:
    """Enable picked entities their integration disabled by default (Withings does)."""
    registry = er.async_get(hass)
    for entity_id in entity_ids:
        entry = registry.async_get(entity_id)
        if entry is not None and entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION:
            registry.async_update_entity(entity_id, disabled_by=None)


def source_issue_id(entry_id: str, role: Role) -> str:
    """The repair issue raised when the source of a profile's role is gone."""
    return f"source_missing_{entry_id}_{role}"


@callback
def async_check_source(
    hass: HomeAssistant,
    entry_id: str,
    profile_name: str,
    entity_id: str,
    role: Role,
    *,
    removed: bool = False,
) -> None:
    """Raise the role's repair issue if its entity is gone, or clear it if it is back."""
    issue_id = source_issue_id(entry_id, role)
    exists = not removed and (
        er.async_get(hass).async_get(entity_id) is not None
        or hass.states.get(entity_id) is not None
    )
    if exists:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="source_missing",
        translation_placeholders={
            "entity_id": entity_id,
            "role": role.value,
            "profile": profile_name,
        },
    )


@callback
def async_clear_unused_issues(hass: HomeAssistant, entry_id: str, used: Iterable[Role]) -> None:
    """A role left empty (as the repair suggests) has nothing missing any more."""
    for role in set(Role) - set(used):
        ir.async_delete_issue(hass, DOMAIN, source_issue_id(entry_id, role))


class SourceReader:
    """A profile's sources' states as domain signals, each new value once."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        profile_name: str,
        sources: Mapping[str, Role],
        asleep_threshold: float,
    ) -> None:
        """Prepare; `async_load` reads what was seen before the last restart."""
        self._hass = hass
        self._profile_name = profile_name
        self._sources = sources
        self._threshold = asleep_threshold
        self._facts = {entity_id: entity_facts(hass, entity_id) for entity_id in sources}
        self._not_understood: set[str] = set()
        # Per summary source, the last value (state, unit) it was seen with; kept on
        # disk so a value that arrived while Home Assistant was down is still news.
        self._seen: dict[str, tuple[str, Any]] = {}
        self._seen_history = PartitionedHistory(hass, entry_id, HistoryKind.SEEN)

    async def async_load(self) -> None:
        """Read the values seen before."""
        self._seen = dict(await self._seen_history.async_load(_seen_value))

    async def async_close(self) -> None:
        """Write the values seen."""
        await self._seen_history.async_close()

    def news(self, state: State) -> Signal | None:
        """The signal a source's state stands for, unless it was seen already.

        A value without its own time is news only when it differs from the last one
        seen: one that comes back after being unavailable, or repeats with other
        attributes, fed as if received now could file last night's value under the
        night in progress. In-bed and asleep states carry their time: a repeat is
        harmless.
        """
        entity_id = state.entity_id
        if self._sources[entity_id] not in TIMED_ROLES:
            if state.state in _NO_VALUE:
                return None
            value = state.state, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
            if value == self._seen.get(entity_id):
                return None
            self._seen[entity_id] = value
            self._seen_history.put_batched(
                "last", entity_id, {"entity_id": entity_id, "state": value[0], "unit": value[1]}
            )
        signal = signal_for(
            self._sources[entity_id],
            self._facts[entity_id],
            state.state,
            state.attributes,
            changed_at=state.last_changed,
            now=dt_util.utcnow(),
            asleep_threshold=self._threshold,
        )
        if signal is None:
            self._note_not_understood(state)
        return signal

    def _note_not_understood(self, state: State) -> None:
        entity_id = state.entity_id
        if state.state in _NO_VALUE or entity_id in self._not_understood:
            return
        self._not_understood.add(entity_id)
        LOGGER.warning(
            "Ignoring %s of %s for %s's sleep: not understood as %s (unit %s); "
            "further such states are ignored silently",
            state.state,
            entity_id,
            self._profile_name,
            self._sources[entity_id],
            state.attributes.get(ATTR_UNIT_OF_MEASUREMENT),
        )


def _seen_value(record: StoredRecord) -> tuple[str, tuple[str, Any]]:
    """A stored "seen" record as (entity ID, (state, unit))."""
    return record["entity_id"], (record["state"], record["unit"])
