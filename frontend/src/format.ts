/** Numbers, amounts, durations and times in the person's locale (pure: no DOM, no clock). */

import type { HassEntityState, HassLocale } from "./types.js";

const NOT_A_VALUE = new Set(["unknown", "unavailable", "", "none"]);

/** The locale numbers are written in: the person's number format setting, else their language. */
export function numberLocale(locale: HassLocale): string | undefined {
  switch (locale.number_format) {
    case "comma_decimal":
      return "en-US";
    case "decimal_comma":
      return "de";
    case "space_comma":
      return "fr";
    case "system":
      return undefined;
    default:
      return locale.language;
  }
}

/** An entity state as a number; null when it is unknown, unavailable or no number. */
export function stateNumber(state: HassEntityState | undefined): number | null {
  if (state === undefined || NOT_A_VALUE.has(state.state)) {
    return null;
  }
  const value = Number(state.state);
  return Number.isFinite(value) ? value : null;
}

/** Whether an entity has a usable state (not missing, unknown or unavailable). */
export function hasValue(state: HassEntityState | undefined): state is HassEntityState {
  return state !== undefined && !NOT_A_VALUE.has(state.state);
}

export function formatNumber(value: number, locale: string | undefined, digits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** Milligrams as Home Assistant shows them: "1,250 mg" (Intl has no milligram unit). */
export function formatMg(value: number, locale: string | undefined): string {
  return `${formatNumber(value, locale)} mg`;
}

/** A duration in minutes as hours and minutes, e.g. "7 hr, 16 min" / "7 uur, 16 min". */
export function formatMinutes(minutes: number, locale: string | undefined): string {
  const rounded = Math.round(minutes);
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  const unit = (value: number, name: string) =>
    new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "short" }).format(
      value,
    );
  if (hours === 0) {
    return unit(rest, "minute");
  }
  return rest === 0 ? unit(hours, "hour") : `${unit(hours, "hour")} ${unit(rest, "minute")}`;
}

/** A duration sensor's state (in whatever unit it is shown) in minutes; null without a value. */
export function stateMinutes(state: HassEntityState | undefined): number | null {
  const value = stateNumber(state);
  if (value === null || state === undefined) {
    return null;
  }
  const perUnit: Record<string, number> = { s: 1 / 60, min: 1, h: 60, d: 1440 };
  return value * (perUnit[String(state.attributes.unit_of_measurement ?? "min")] ?? 1);
}

/** The clock time of an ISO moment in a time zone, honouring the person's 12/24 h choice. */
export function formatClock(iso: string, locale: HassLocale, timeZone: string): string {
  const hour12 =
    locale.time_format === "12" ? true : locale.time_format === "24" ? false : undefined;
  return new Intl.DateTimeFormat(locale.language, {
    hour: "numeric",
    minute: "2-digit",
    hour12,
    timeZone,
  }).format(new Date(iso));
}

/** A night's date ("2026-11-21", the evening it starts) as a short weekday and date. */
export function formatNight(night: string, language: string): string {
  return new Intl.DateTimeFormat(language, {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  }).format(new Date(`${night}T00:00:00Z`));
}

/** How far today's amount is towards the target, 0 to 1 (over the target is full). */
export function progress(mg: number, target: number | null): number {
  if (target === null || target <= 0) {
    return 0;
  }
  return Math.min(1, Math.max(0, mg / target));
}
