import assert from "node:assert/strict";
import { test } from "node:test";

import { LANGUAGES, localize, textKeys, textParts } from "../src/localize.js";
import { findProfile, firstProfileEntity } from "../src/profile.js";

test("every language has every text, each with the same placeholders", () => {
  const english = textKeys("en");
  for (const language of LANGUAGES) {
    assert.deepEqual(textKeys(language).sort(), [...english].sort(), language);
    for (const key of english) {
      const placeholders = (lang: string) =>
        (localize(lang, key as never).match(/\{\w+\}/g) ?? []).sort();
      assert.deepEqual(placeholders(language), placeholders("en"), `${language} ${key}`);
    }
  }
});

test("the person's language with its region, else English", () => {
  assert.equal(localize("nl-BE", "last_night"), "Afgelopen nacht");
  assert.equal(localize("de", "last_night"), "Last night");
  assert.equal(localize("en", "trend", { days: 14 }), "Last 14 nights");
  assert.deepEqual(textParts("nl", "of_target"), ["", "mg", " van ", "target", ""]);
});

const registry = {
  "sensor.anna_magnesium_today": {
    entity_id: "sensor.anna_magnesium_today",
    platform: "magnesium_sleep",
    device_id: "dA",
    translation_key: "magnesium_today",
  },
  "sensor.anna_sleep_score": {
    entity_id: "sensor.anna_sleep_score",
    platform: "magnesium_sleep",
    device_id: "dA",
    translation_key: "sleep_score",
  },
  "time.anna_bedtime": {
    entity_id: "time.anna_bedtime",
    platform: "magnesium_sleep",
    device_id: "dA",
    translation_key: "bedtime",
  },
  "sensor.bob_magnesium_today": {
    entity_id: "sensor.bob_magnesium_today",
    platform: "magnesium_sleep",
    device_id: "dB",
    translation_key: "magnesium_today",
  },
  "sensor.other": { entity_id: "sensor.other", platform: "demo", device_id: "dA", translation_key: "sleep_score" },
};

const devices = {
  dA: { id: "dA", name: "Anna", config_entries: ["A"], primary_config_entry: "A" },
  dB: { id: "dB", name: "Bob", config_entries: ["B"] },
};

test("a profile's entities by translation key, from any of its entities", () => {
  assert.deepEqual(findProfile(registry, devices, "sensor.anna_sleep_score"), {
    entryId: "A",
    deviceId: "dA",
    entities: {
      "sensor.magnesium_today": "sensor.anna_magnesium_today",
      "sensor.sleep_score": "sensor.anna_sleep_score",
      "time.bedtime": "time.anna_bedtime",
    },
  });
  assert.equal(findProfile(registry, devices, "sensor.bob_magnesium_today")?.entryId, "B");
  assert.equal(findProfile(registry, devices, "sensor.other"), null);
  assert.equal(findProfile(registry, devices, "sensor.gone"), null);
  assert.equal(findProfile(registry, {}, "sensor.anna_sleep_score"), null);
  assert.equal(firstProfileEntity(registry), "sensor.anna_magnesium_today");
  assert.equal(firstProfileEntity({}), undefined);
});
