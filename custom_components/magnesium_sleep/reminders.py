"""Dose reminder notifications: actionable, re-sent once, cleared on every device once a dose is in.

When the routine's dose reminder fires (no dose logged for tonight yet), the chosen
`notify` services (companion apps) get a notification with *Taken* and *Skip*.
*Taken* logs one serving through the dose tracker, the same path as `log_dose`. An
unanswered notification is sent once more after the chosen delay. Any dose logged for
that evening, by any means, clears it on every device (`clear_notification` with the
same tag). What is open is kept on disk, so a restart neither loses nor repeats it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .bedtime import DOSE_REMINDER_DUE
from .const import CONF_NOTIFY_SERVICES, CONF_RENOTIFY_MINUTES, DOMAIN, LOGGER
from .domain.schedule import Evening
from .dose_tracker import DOSES_CHANGED, DoseAction, DoseChange, DoseTracker
from .publisher import Publisher

DEFAULT_RENOTIFY_MINUTES: Final = 15
EVENT_NOTIFICATION_ACTION: Final = "mobile_app_notification_action"
STORAGE_VERSION: Final = 1


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.reminder")


async def async_remove_reminder_state(hass: HomeAssistant, entry_id: str) -> None:
    """Delete a removed profile's open reminder from disk."""
    await _store(hass, entry_id).async_remove()


async def async_notify(hass: HomeAssistant, services: list[str], data: Mapping[str, Any]) -> None:
    """Send `data` with each notify service; one that fails does not stop the others."""
    for service in services:
        try:
            await hass.services.async_call("notify", service, dict(data), blocking=True)
        except HomeAssistantError as err:
            # A phone removed since it was chosen must not keep the others from it.
            LOGGER.warning("Notification not sent with notify.%s: %s", service, err)


class DoseReminderNotifier:
    """One profile's actionable dose reminder."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        *,
        publisher: Publisher,
        doses: DoseTracker,
    ) -> None:
        """Prepare; `async_setup` restores an open reminder and starts listening."""
        self._hass = hass
        self._entry = entry
        self._publisher = publisher
        self._doses = doses
        self._store = _store(hass, entry.entry_id)
        # The open reminder: evening, when to re-send (None: sent twice), services.
        self._open: dict[str, Any] | None = None
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._unsub_timer: CALLBACK_TYPE | None = None
        entry_id = entry.entry_id
        self.tag = f"{DOMAIN}_dose_{entry_id}"
        self.taken_action = f"MAGNESIUM_SLEEP_TAKEN_{entry_id}"
        self.skip_action = f"MAGNESIUM_SLEEP_SKIP_{entry_id}"

    @property
    def _services(self) -> list[str]:
        return list(self._entry.options.get(CONF_NOTIFY_SERVICES) or [])

    async def async_setup(self) -> None:
        """Restore an open reminder, follow doses and answers."""
        self._open = (await self._store.async_load()) or None
        self._unsubscribe += [
            self._publisher.subscribe(DOSES_CHANGED, self._async_doses_changed),
            self._hass.bus.async_listen(EVENT_NOTIFICATION_ACTION, self._async_answered),
            self._publisher.subscribe(DOSE_REMINDER_DUE, self._async_reminder_due),
        ]
        self._arm()

    async def async_shutdown(self) -> None:
        """Stop listening (a setup cut short has less to stop); an open reminder stays on disk."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        self._cancel_timer()

    # ---------------------------------------------------------------- sending

    @callback
    def _async_reminder_due(self, plan: Evening) -> None:
        if self._services:
            self._hass.async_create_task(self._async_remind(plan), eager_start=True)

    async def _async_remind(self, plan: Evening) -> None:
        services = self._services
        delay = int(self._entry.options.get(CONF_RENOTIFY_MINUTES, DEFAULT_RENOTIFY_MINUTES))
        renotify_at = dt_util.utcnow() + timedelta(minutes=delay) if delay else None
        self._open = {
            "evening": plan.day.isoformat(),
            "bedtime": plan.bedtime.isoformat(),
            "end": plan.end.isoformat(),
            "services": services,
            "renotify_at": renotify_at.isoformat() if renotify_at else None,
        }
        await self._store.async_save(self._open)
        await self._async_send(services, plan.bedtime)
        self._arm()

    async def _async_send(self, services: list[str], bedtime: datetime) -> None:
        texts = await async_get_translations(
            self._hass, self._hass.config.language, "exceptions", [DOMAIN]
        )

        def text(key: str) -> str:
            return texts[f"component.{DOMAIN}.exceptions.{key}.message"].format(
                name=self._doses.profile.name,
                bedtime=dt_util.as_local(bedtime).strftime("%H:%M"),
            )

        await self._async_notify(
            services,
            {
                "title": text("dose_reminder_title"),
                "message": text("dose_reminder_message"),
                "data": {
                    "tag": self.tag,
                    "actions": [
                        {"action": self.taken_action, "title": text("dose_reminder_taken")},
                        {"action": self.skip_action, "title": text("dose_reminder_skip")},
                    ],
                },
            },
        )

    async def _async_notify(self, services: list[str], data: Mapping[str, Any]) -> None:
        await async_notify(self._hass, services, data)

    # ------------------------------------------------------------ re-sending

    def _cancel_timer(self) -> None:
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None

    def _arm(self) -> None:
        self._cancel_timer()
        if self._open and (renotify_at := self._open.get("renotify_at")):
            when = dt_util.parse_datetime(renotify_at) or dt_util.utcnow()
            self._unsub_timer = async_track_point_in_utc_time(
                self._hass, self._async_renotify_due, when
            )

    @callback
    def _async_renotify_due(self, _now: datetime) -> None:
        self._unsub_timer = None
        self._hass.async_create_task(self._async_renotify(), eager_start=True)

    async def _async_renotify(self) -> None:
        reminder = self._open
        if reminder is None:  # pragma: no cover - answered in the same instant
            return
        reminder["renotify_at"] = None
        await self._store.async_save(reminder)
        end = dt_util.parse_datetime(reminder["end"])
        if end is not None and dt_util.utcnow() < end:  # not once the evening is over
            bedtime = dt_util.parse_datetime(reminder["bedtime"]) or dt_util.utcnow()
            await self._async_send(reminder["services"], bedtime)

    # ------------------------------------------------------------ answering

    async def _async_close(self) -> None:
        """Clear the notification on every device it went to, and forget it."""
        reminder, self._open = self._open, None
        self._cancel_timer()
        await self._store.async_remove()
        if reminder is not None:
            await self._async_notify(
                reminder["services"],
                {"message": "clear_notification", "data": {"tag": self.tag}},
            )

    @callback
    def _async_doses_changed(self, change: DoseChange | None) -> None:
        if (
            change is not None
            and change.action is DoseAction.LOGGED
            and self._open is not None
            and change.day.day.isoformat() == self._open["evening"]
        ):
            self._hass.async_create_task(self._async_close(), eager_start=True)

    @callback
    def _async_answered(self, event: Event[Mapping[str, Any]]) -> None:
        action = event.data.get("action")
        if action == self.taken_action:
            self._hass.async_create_task(self._async_taken(event), eager_start=True)
        elif action == self.skip_action and self._open is not None:
            self._hass.async_create_task(self._async_close(), eager_start=True)

    async def _async_taken(self, event: Event[Mapping[str, Any]]) -> None:
        """One serving, as `log_dose` would log it; then the notification is cleared."""
        try:
            await self._doses.async_log(servings=1, source="notification", context=event.context)
        except HomeAssistantError as err:
            LOGGER.warning("The dose from the notification was not logged: %s", err)
            return
        if self._open is not None:  # answered after the day changed: still done
            await self._async_close()
