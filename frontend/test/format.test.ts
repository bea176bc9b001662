import assert from "node:assert/strict";
import { test } from "node:test";

import {
  formatClock,
  formatMg,
  formatMinutes,
  formatNight,
  numberLocale,
  progress,
  stateMinutes,
  stateNumber,
} from "../src/format.js";
import type { HassEntityState } from "../src/types.js";

const state = (value: string, attributes: Record<string, unknown> = {}): HassEntityState => ({
  entity_id: "sensor.x",
  state: value,
  attributes,
  last_changed: "",
  last_updated: "",
});

test("milligrams in the locale", () => {
  assert.equal(formatMg(1250, "en"), "1,250 mg");
  assert.equal(formatMg(1250, "nl"), "1.250 mg");
  assert.equal(formatMg(149.6, "en"), "150 mg");
});

test("the number format setting wins over the language", () => {
  assert.equal(numberLocale({ language: "nl", number_format: "comma_decimal" }), "en-US");
  assert.equal(numberLocale({ language: "nl", number_format: "language" }), "nl");
  assert.equal(numberLocale({ language: "en", number_format: "system" }), undefined);
});

test("durations as hours and minutes", () => {
  assert.equal(formatMinutes(436, "en"), "7 hr 16 min");
  assert.equal(formatMinutes(420, "en"), "7 hr");
  assert.equal(formatMinutes(16.4, "nl"), "16 min");
});

test("a duration state in its shown unit, in minutes", () => {
  assert.equal(stateMinutes(state("7.5", { unit_of_measurement: "h" })), 450);
  assert.equal(stateMinutes(state("16", { unit_of_measurement: "min" })), 16);
  assert.equal(stateMinutes(state("unavailable", { unit_of_measurement: "h" })), null);
  assert.equal(stateNumber(state("unknown")), null);
  assert.equal(stateNumber(undefined), null);
  assert.equal(stateNumber(state("12.5")), 12.5);
});

test("clock times in the home's zone and the person's 12/24 h choice", () => {
  const moment = "2026-11-21T22:15:00+00:00";
  assert.equal(formatClock(moment, { language: "nl" }, "Europe/Amsterdam"), "23:15");
  assert.equal(formatClock(moment, { language: "en", time_format: "24" }, "Europe/Amsterdam"), "23:15");
  assert.equal(formatClock(moment, { language: "en", time_format: "12" }, "UTC"), "10:15 PM");
});

test("a night's date keeps its calendar day in every zone", () => {
  assert.equal(formatNight("2026-11-21", "en"), "Sat, Nov 21");
  assert.equal(formatNight("2026-11-21", "nl"), "za 21 nov");
});

test("progress towards the target is 0 to 1", () => {
  assert.equal(progress(150, 300), 0.5);
  assert.equal(progress(900, 300), 1);
  assert.equal(progress(150, null), 0);
});
