import assert from "node:assert/strict";
import { test } from "node:test";

import { nightDates, shapeTrend, trendGeometry, type NightRow } from "../src/trend.js";

const night = (date: string, mg: number | null, score: number | null): NightRow => ({
  night: date,
  magnesium_mg: mg,
  score,
});

test("night dates run day by day up to the last, across a month end and DST", () => {
  assert.deepEqual(nightDates("2026-11-02", 4), ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"]);
  assert.deepEqual(nightDates("2027-03-29", 3), ["2027-03-27", "2027-03-28", "2027-03-29"]);
});

test("a missing night is a gap, not a zero; nights outside the period are left out", () => {
  const points = shapeTrend(
    [night("2026-11-10", 999, 10), night("2026-11-18", 150, 80), night("2026-11-20", null, 70)],
    "2026-11-21",
    4,
  );
  assert.deepEqual(
    points.map(({ night, mg, score }) => [night, mg, score]),
    [
      ["2026-11-18", 150, 80],
      ["2026-11-19", null, null],
      ["2026-11-20", null, 70],
      ["2026-11-21", null, null],
    ],
  );
});

test("tonight, without a record yet, shows today's live total; a recorded night keeps its own", () => {
  const live = shapeTrend([night("2026-11-20", 150, 80)], "2026-11-21", 2, 141);
  assert.deepEqual(live.map(({ mg }) => mg), [150, 141]);
  const recorded = shapeTrend([night("2026-11-21", 70, 90)], "2026-11-21", 2, 141);
  assert.deepEqual(recorded.map(({ mg }) => mg), [null, 70]);
});

test("bars scale to the larger of the target and the highest night", () => {
  const points = shapeTrend([night("2026-11-20", 150, null), night("2026-11-21", 600, null)], "2026-11-21", 2);
  const geometry = trendGeometry(points, 100, 100, 300);
  assert.equal(geometry.mgMax, 600);
  assert.deepEqual(
    geometry.bars.map((bar) => [bar.index, bar.height, bar.y]),
    [
      [0, 25, 75],
      [1, 100, 0],
    ],
  );
  const small = trendGeometry(points.slice(0, 1), 100, 100, 300);
  assert.equal(small.bars[0].height, 50);
});

test("the score line breaks at a night without a score; a lone score is a dot", () => {
  const points = shapeTrend(
    [night("2026-11-17", null, 50), night("2026-11-18", null, 100), night("2026-11-20", null, 0)],
    "2026-11-20",
    4,
  );
  const geometry = trendGeometry(points, 40, 100, null);
  assert.equal(geometry.scorePath, "M5 50L15 0M35 100");
  assert.deepEqual(geometry.dots, [{ x: 35, y: 100 }]);
  assert.equal(geometry.bars.length, 0);
});
