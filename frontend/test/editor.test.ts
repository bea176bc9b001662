import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_DAYS, configForm, configFromForm, formData } from "../src/editor.js";
import { PARTS, type CardConfig } from "../src/types.js";

const base: CardConfig = { type: "custom:magnesium-sleep-card", entity: "sensor.anna_magnesium_today" };

test("the form shows the defaults the card uses: every part ticked, 14 nights", () => {
  assert.deepEqual(formData(base), { ...base, days: DEFAULT_DAYS, show: [...PARTS] });
  assert.deepEqual(formData({ ...base, days: 30, show: ["trend"] }).show, ["trend"]);
});

test("saving leaves the defaults out, so parts added later show up; the card's order is kept", () => {
  assert.deepEqual(configFromForm(formData(base)), base);
  assert.deepEqual(configFromForm({ ...base, days: 30, show: ["effect", "tonight"] }), {
    ...base,
    days: 30,
    show: ["tonight", "effect"],
  });
  assert.deepEqual(configFromForm({ ...base, show: [] }), { ...base, show: [] });
});

test("every field and part has a label in English and Dutch", () => {
  for (const language of ["en", "nl"]) {
    const form = configForm(language);
    for (const field of form.schema) {
      assert.ok(form.computeLabel(field).length > 0);
    }
    const options = form.schema[2].selector.select?.options ?? [];
    assert.equal(options.length, PARTS.length);
    assert.ok(options.every((option) => option.label.length > 0 && !option.label.startsWith("part_")));
  }
});
