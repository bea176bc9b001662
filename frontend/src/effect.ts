/**
 * The effect part's logic (pure): the effect sensor's attributes as what the card shows,
 * and the experiment's place tonight. The sentence's wording is the integration's own
 * (its `effect_<summary_key>` translations), so the card and the action say the same.
 */

import { DOMAIN } from "./profile.js";

/** A backend translation lookup, as `hass.localize` after `loadBackendTranslation`. */
export type BackendLocalize = (key: string, values?: Record<string, string | number>) => string;

export interface Effect {
  outcome: string;
  unit: string;
  /** Nights with minus nights without; null with too few nights. */
  effect: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  nightsWith: number;
  nightsWithout: number;
  stars: number | null;
  randomised: boolean;
  /** `too_few`, or `<higher|lower|unclear>_<correlation|randomised>`. */
  summaryKey: string;
  /** The sentence in the server's language: the fallback when the card cannot translate. */
  summary: string;
}

const finite = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

const count = (value: unknown): number => finite(value) ?? 0;

/** The effect sensor's state and attributes as an Effect; null when they are not one. */
export function readEffect(state: string, unit: unknown, attributes: Record<string, unknown>): Effect | null {
  if (typeof attributes.outcome !== "string" || typeof attributes.summary !== "string") {
    return null;
  }
  const value = Number(state);
  return {
    outcome: attributes.outcome,
    unit: typeof unit === "string" ? unit : "",
    effect: state.trim() !== "" && Number.isFinite(value) ? value : null,
    ciLow: finite(attributes.ci_low),
    ciHigh: finite(attributes.ci_high),
    nightsWith: count(attributes.nights_with),
    nightsWithout: count(attributes.nights_without),
    stars: finite(attributes.stars),
    randomised: attributes.randomised === true,
    summaryKey: typeof attributes.summary_key === "string" ? attributes.summary_key : "",
    summary: attributes.summary,
  };
}

/** Whether the effect has its interval (enough nights in both groups). */
export function hasInterval(effect: Effect): effect is Effect & { effect: number; ciLow: number; ciHigh: number } {
  return effect.effect !== null && effect.ciLow !== null && effect.ciHigh !== null;
}

const UNIT_KEYS: Record<string, string> = { points: "unit_points", min: "unit_minutes", "%": "unit_percent_points" };

const phraseKey = (key: string) => `component.${DOMAIN}.exceptions.${key}.message`;

/** A phrase of the integration's translations; `fallback` when they are not loaded. */
function phrase(localize: BackendLocalize | undefined, key: string, fallback: string): string {
  return localize?.(phraseKey(key)) || fallback;
}

/** The outcome's name for mid-sentence ("sleep score"); its key without translations. */
export function outcomeName(effect: Effect, localize: BackendLocalize | undefined): string {
  return phrase(localize, `outcome_${effect.outcome}`, effect.outcome);
}

/** The effect's unit in words ("points", "percentage points"); the bare unit without them. */
export function unitName(effect: Effect, localize: BackendLocalize | undefined): string {
  return phrase(localize, UNIT_KEYS[effect.unit] ?? "", effect.unit);
}

/**
 * The effect's sentence in the viewer's language with numbers in their locale, from the
 * integration's translations; the server's sentence when those are not loaded.
 */
export function effectSentence(effect: Effect, localize: BackendLocalize | undefined, numbers: string | undefined): string {
  if (!localize || !effect.summaryKey) {
    return effect.summary;
  }
  const values: Record<string, string | number> = {
    nights: effect.nightsWith + effect.nightsWithout,
    nights_with: effect.nightsWith,
    nights_without: effect.nightsWithout,
    outcome: outcomeName(effect, localize),
    unit: unitName(effect, localize),
  };
  if (hasInterval(effect)) {
    // "higher"/"lower" carry the direction; an unclear effect keeps its sign.
    const shown = effect.summaryKey.startsWith("unclear") ? effect.effect : Math.abs(effect.effect);
    values.effect = formatTenths(shown, numbers);
    values.ci_low = formatTenths(effect.ciLow, numbers);
    values.ci_high = formatTenths(effect.ciHigh, numbers);
  }
  // The frontend's localize gives "" for a key it does not have.
  return localize(phraseKey(`effect_${effect.summaryKey}`), values) || effect.summary;
}

/** The integration's note on the published evidence, when its translations are loaded. */
export function evidenceNote(localize: BackendLocalize | undefined): string {
  return phrase(localize, "evidence_note", "");
}

/** One decimal, as the integration's own sentence has it: "3.0", "-0.5", never "-0.0". */
export function formatTenths(value: number, numbers: string | undefined): string {
  return new Intl.NumberFormat(numbers, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: "negative",
  }).format(value);
}

/** A signed difference with one decimal: "+3.2", "-1.0", "0.0". */
export function formatSigned(value: number, numbers: string | undefined): string {
  return new Intl.NumberFormat(numbers, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: "exceptZero",
  }).format(value);
}

export interface IntervalGeometry {
  /** Positions from 0 to 100 (% of the width) on a scale centred on no difference. */
  zero: number;
  low: number;
  high: number;
  point: number;
}

/** The interval drawn on a scale symmetric around 0, so which side it falls is plain. */
export function intervalGeometry(effect: number, ciLow: number, ciHigh: number): IntervalGeometry {
  const extent = Math.max(Math.abs(ciLow), Math.abs(ciHigh), Math.abs(effect), 1e-9) * 1.15;
  const at = (value: number) => 50 + (50 * value) / extent;
  return { zero: 50, low: at(ciLow), high: at(ciHigh), point: at(effect) };
}

export interface ExperimentTonight {
  take: boolean;
  washout: boolean;
  /** Tonight's place in the plan, counted from 1. */
  night: number;
  nights: number;
  lastNight: string;
}

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;

/**
 * Tonight in a running experiment, from the plan sensor's state and attributes and
 * tonight's date (the intake day); null without an experiment or outside its nights.
 */
export function experimentTonight(
  state: string,
  attributes: Record<string, unknown>,
  tonight: string,
): ExperimentTonight | null {
  const { first_night: first, last_night: last } = attributes;
  if ((state !== "take" && state !== "skip") || typeof first !== "string" || typeof last !== "string") {
    return null;
  }
  const night = dayNumber(tonight) - dayNumber(first) + 1;
  const nights = dayNumber(last) - dayNumber(first) + 1;
  if (!(night >= 1 && night <= nights)) {
    return null;
  }
  return { take: state === "take", washout: attributes.washout === true, night, nights, lastNight: last };
}
