"""Constants for Magnesium & Sleep."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "magnesium_sleep"
LOGGER = logging.getLogger(__package__)

# Config entry data: who the profile is (changed through reconfigure).
CONF_PERSON: Final = "person"

# Config entry options: the profile's settings (changed through the options flow).
CONF_AGE_BAND: Final = "age_band"
CONF_SEX: Final = "sex"
CONF_REGION: Final = "region"
CONF_TARGET_MG: Final = "target_mg"
CONF_PRODUCT_FORM: Final = "product_form"
CONF_PRODUCT_AMOUNT_MG: Final = "product_amount_mg"
CONF_PRODUCT_BASIS: Final = "product_basis"
CONF_DAY_STARTS_AT: Final = "day_starts_at"

# Countries whose authorities use the IOM reference values; everyone else gets EU values.
IOM_COUNTRIES: Final = frozenset({"US", "CA"})

EVENT_DOSE_LOGGED: Final = f"{DOMAIN}_dose_logged"
EVENT_DOSE_REMOVED: Final = f"{DOMAIN}_dose_removed"

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
SERVICE_LOG_DOSE: Final = "log_dose"
SERVICE_REMOVE_DOSE: Final = "remove_dose"
SERVICE_GET_DOSES: Final = "get_doses"

# Config entry options: sleep.
CONF_SLEEP_SOURCES: Final = "sleep_sources"
CONF_ASLEEP_THRESHOLD: Final = "asleep_threshold"
CONF_NIGHT_STARTS: Final = "night_starts"
CONF_NIGHT_ENDS: Final = "night_ends"
CONF_WEBHOOK_LOCAL_ONLY: Final = "webhook_local_only"
CONF_ENABLE_DISABLED: Final = "enable_disabled"
# Config entry data: the Apple Health webhook (generated once, kept through reconfigure).
CONF_WEBHOOK_ID: Final = "webhook_id"
# Shown in the Apple Health step (read-only), never stored.
CONF_WEBHOOK_URL: Final = "webhook_url"

SERVICE_LOG_SLEEP: Final = "log_sleep"
EVENT_NIGHT_UPDATED: Final = f"{DOMAIN}_night_updated"

# A night older than this many days is not "last night" any more: sensors go unavailable.
STALE_NIGHT_DAYS: Final = 2

# Config entry options: voice. Sentences for the built-in assistant stay installed while
# any profile has this on (the default).
CONF_VOICE_SENTENCES: Final = "voice_sentences"

# Config entry options: bedtime (the time and number entities write the first four).
CONF_BEDTIME: Final = "bedtime"
CONF_WEEKEND_BEDTIME: Final = "weekend_bedtime"
CONF_WIND_DOWN_MINUTES: Final = "wind_down_minutes"
CONF_DOSE_REMINDER_MINUTES: Final = "dose_reminder_minutes"
CONF_WIND_DOWN_GRACE_MINUTES: Final = "wind_down_grace_minutes"
CONF_NOTIFY_SERVICES: Final = "notify_services"
CONF_RENOTIFY_MINUTES: Final = "renotify_minutes"

SERVICE_START_WIND_DOWN: Final = "start_wind_down"
SERVICE_END_WIND_DOWN: Final = "end_wind_down"

# Config entry options: supply. The pack (servings at the refill, and when) is all that is
# stored; what is left is derived from the dose log (domain/supply.py).
CONF_SUPPLY_SERVINGS: Final = "supply_servings"
CONF_SUPPLY_REFILLED_AT: Final = "supply_refilled_at"
CONF_LOW_SUPPLY_DAYS: Final = "low_supply_days"
# The refill time of the pack the low-supply reminder went out for: once per pack.
CONF_LOW_SUPPLY_NOTIFIED: Final = "low_supply_notified"

SERVICE_REFILL: Final = "refill"
EVENT_LOW_SUPPLY: Final = f"{DOMAIN}_low_supply"

# Config entry options: gradual dimming during the wind-down (the switch writes the first).
CONF_WIND_DOWN_LIGHTING: Final = "wind_down_lighting"
CONF_DIMMING_LIGHTS: Final = "dimming_lights"
CONF_DIMMING_FLOOR_PERCENT: Final = "dimming_floor_percent"
CONF_DIMMING_WARM_KELVIN: Final = "dimming_warm_kelvin"
CONF_SLEEP_MODE_SWITCH: Final = "sleep_mode_switch"

# Config entry options: insights.
CONF_DOSE_NIGHT_MG: Final = "dose_night_mg"
DEFAULT_DOSE_NIGHT_MG: Final = 50
CONF_EFFECT_OUTCOME: Final = "effect_outcome"

SERVICE_GET_NIGHTS: Final = "get_nights"
SERVICE_TAG_NIGHT: Final = "tag_night"
SERVICE_GET_EFFECT: Final = "get_effect"
SERVICE_START_EXPERIMENT: Final = "start_experiment"
SERVICE_STOP_EXPERIMENT: Final = "stop_experiment"
SERVICE_EXPORT: Final = "export"
EVENT_EXPERIMENT_FINISHED: Final = f"{DOMAIN}_experiment_finished"
