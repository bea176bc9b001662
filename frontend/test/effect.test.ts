import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import {
  effectSentence,
  evidenceNote,
  experimentTonight,
  formatSigned,
  formatTenths,
  intervalGeometry,
  outcomeName,
  readEffect,
  unitName,
  type BackendLocalize,
} from "../src/effect.js";

/** The integration's real translations, looked up as the frontend's localize does. */
function backend(language: string): BackendLocalize {
  const file = join(process.cwd(), "..", "custom_components", "magnesium_sleep", "translations", `${language}.json`);
  const exceptions = JSON.parse(readFileSync(file, "utf8")).exceptions as Record<string, { message: string }>;
  return (key, values = {}) => {
    const name = key.match(/^component\.magnesium_sleep\.exceptions\.(\w+)\.message$/)?.[1];
    const template = name === undefined ? undefined : exceptions[name]?.message;
    return template === undefined ? "" : template.replace(/\{(\w+)\}/g, (match, field: string) => String(values[field] ?? match));
  };
}

const attributes = (overrides: Record<string, unknown> = {}) => ({
  outcome: "sleep_score",
  ci_low: 1.25,
  ci_high: 7.5,
  nights_with: 15,
  nights_without: 15,
  stars: 4,
  randomised: false,
  summary_key: "higher_correlation",
  summary: "server sentence",
  ...overrides,
});

test("the effect sensor reads as an effect; unknown with too few nights", () => {
  const effect = readEffect("4.3", "points", attributes());
  assert.deepEqual(effect, {
    outcome: "sleep_score",
    unit: "points",
    effect: 4.3,
    ciLow: 1.25,
    ciHigh: 7.5,
    nightsWith: 15,
    nightsWithout: 15,
    stars: 4,
    randomised: false,
    summaryKey: "higher_correlation",
    summary: "server sentence",
  });
  const few = readEffect("unknown", "points", attributes({ ci_low: null, ci_high: null, stars: null, summary_key: "too_few" }));
  assert.equal(few?.effect, null);
  assert.equal(few?.stars, null);
  assert.equal(readEffect("unavailable", undefined, {}), null);
});

test("the sentence is the integration's, in the viewer's language and number format", () => {
  const effect = readEffect("4.3", "points", attributes())!;
  const en = effectSentence(effect, backend("en"), "en");
  assert.match(en, /^On the 15 nights with magnesium your sleep score was 4\.3 points higher/);
  assert.match(en, /95 % interval 1\.3 to 7\.5/);
  assert.match(en, /over 30 nights this is a correlation, not proof/);
  const nl = effectSentence(effect, backend("nl"), "nl");
  assert.match(nl, /4,3/);
  assert.match(nl, /slaapscore/);
  assert.doesNotMatch(nl, /\{/);
});

test("an unclear effect keeps its sign; higher and lower say the direction in words", () => {
  const lower = readEffect("-4.3", "min", attributes({ outcome: "sleep_latency", summary_key: "lower_correlation", ci_low: -7, ci_high: -1 }))!;
  assert.match(effectSentence(lower, backend("en"), "en"), /time to fall asleep was 4\.3 min lower/);
  const unclear = readEffect("-0.5", "points", attributes({ summary_key: "unclear_randomised", ci_low: -3, ci_high: 2, randomised: true }))!;
  assert.match(effectSentence(unclear, backend("en"), "en"), /no clear difference in your sleep score over 30 nights .*; -0\.5 points, 95 % interval -3\.0 to 2\.0\)/);
});

test("too few nights: the counts, no numbers", () => {
  const few = readEffect("unknown", "points", attributes({ nights_with: 0, nights_without: 1, summary_key: "too_few", ci_low: null, ci_high: null }))!;
  assert.equal(
    effectSentence(few, backend("en"), "en"),
    "Not enough nights to compare yet: 0 with magnesium and 1 without; at least 3 of each are needed.",
  );
});

test("without the integration's translations the server's sentence is shown", () => {
  const effect = readEffect("4.3", "points", attributes())!;
  assert.equal(effectSentence(effect, undefined, "en"), "server sentence");
  assert.equal(effectSentence({ ...effect, summaryKey: "" }, backend("en"), "en"), "server sentence");
  assert.equal(evidenceNote(undefined), "");
  assert.match(evidenceNote(backend("en")), /^Published evidence that magnesium improves sleep is low/);
});

test("the outcome and unit in words from the integration's translations, bare without them", () => {
  const effect = readEffect("4.3", "%", attributes({ outcome: "efficiency" }))!;
  assert.equal(outcomeName(effect, backend("nl")), "slaapefficiëntie");
  assert.equal(unitName(effect, backend("en")), "percentage points");
  assert.equal(outcomeName(effect, undefined), "efficiency");
  assert.equal(unitName(effect, undefined), "%");
});

test("one decimal like the server's sentence; signed differences", () => {
  assert.equal(formatTenths(3, "en"), "3.0");
  assert.equal(formatTenths(-0.04, "en"), "0.0");
  assert.equal(formatTenths(-1.25, "nl"), "-1,3");
  assert.equal(formatSigned(3.21, "en"), "+3.2");
  assert.equal(formatSigned(-1, "nl"), "-1,0");
  assert.equal(formatSigned(0, "en"), "0.0");
});

test("the interval sits on a scale centred on no difference", () => {
  const clear = intervalGeometry(4, 1, 8);
  assert.equal(clear.zero, 50);
  assert.ok(clear.low > 50 && clear.point > clear.low && clear.high > clear.point && clear.high < 100);
  const unclear = intervalGeometry(-0.5, -3, 2);
  assert.ok(unclear.low < 50 && unclear.high > 50 && unclear.low > 0);
  const none = intervalGeometry(0, 0, 0);
  assert.deepEqual([none.low, none.point, none.high], [50, 50, 50]);
});

test("tonight in the experiment: its place in the plan, wash-out, nothing outside it", () => {
  const plan = { first_night: "2026-11-20", last_night: "2026-12-03", washout: true };
  assert.deepEqual(experimentTonight("take", plan, "2026-11-21"), {
    take: true,
    washout: true,
    night: 2,
    nights: 14,
    lastNight: "2026-12-03",
  });
  assert.equal(experimentTonight("skip", plan, "2026-12-03")?.night, 14);
  assert.equal(experimentTonight("skip", plan, "2026-12-04"), null);
  assert.equal(experimentTonight("none", {}, "2026-11-21"), null);
  assert.equal(experimentTonight("unavailable", plan, "2026-11-21"), null);
});
