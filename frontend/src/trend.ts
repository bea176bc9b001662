/** The trend's data: one slot per night, missing values as gaps, and the chart's shapes. */

/** A night as `magnesium_sleep.get_nights` returns it (the fields the trend uses). */
export interface NightRow {
  night: string;
  score: number | null;
  magnesium_mg: number | null;
  total_sleep?: number | null;
  sleep_latency?: number | null;
}

export interface TrendPoint {
  night: string;
  mg: number | null;
  score: number | null;
  row: NightRow | null;
}

const DAY_MS = 86_400_000;

/** `count` consecutive dates ("YYYY-MM-DD") ending at `last`. */
export function nightDates(last: string, count: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: count }, (_, index) =>
    new Date(end - (count - 1 - index) * DAY_MS).toISOString().slice(0, 10),
  );
}

/**
 * One point per night of the period; a night without a record is a gap, never a zero.
 * Tonight (`last`) has no record before morning: its magnesium is today's live total.
 */
export function shapeTrend(
  rows: readonly NightRow[],
  last: string,
  count: number,
  tonightMg: number | null = null,
): TrendPoint[] {
  const byNight = new Map(rows.map((row) => [row.night, row]));
  return nightDates(last, count).map((night) => {
    const row = byNight.get(night) ?? null;
    const mg = row?.magnesium_mg ?? (night === last ? tonightMg : null);
    return { night, mg, score: row?.score ?? null, row };
  });
}

export interface Bar {
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TrendGeometry {
  /** Width of one night's slot. */
  slot: number;
  bars: Bar[];
  /** SVG path of the score line; a missing score breaks it. */
  scorePath: string;
  /** Scores with no scored neighbour: drawn as dots, as a line needs two points. */
  dots: { x: number; y: number }[];
  mgMax: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Bars for the magnesium (scaled to the larger of the target and the highest night) and
 * a line for the score (0-100) in a `width` x `height` box.
 */
export function trendGeometry(
  points: readonly TrendPoint[],
  width: number,
  height: number,
  target: number | null,
): TrendGeometry {
  const slot = points.length === 0 ? width : width / points.length;
  const mgMax = Math.max(target ?? 0, ...points.map((point) => point.mg ?? 0), 1);
  const bars: Bar[] = [];
  const dots: { x: number; y: number }[] = [];
  let path = "";
  points.forEach((point, index) => {
    if (point.mg !== null && point.mg > 0) {
      const barHeight = (point.mg / mgMax) * height;
      bars.push({
        index,
        x: round(index * slot + slot * 0.2),
        y: round(height - barHeight),
        width: round(slot * 0.6),
        height: round(barHeight),
      });
    }
    if (point.score === null) {
      return;
    }
    const x = round(index * slot + slot / 2);
    const y = round(height - (point.score / 100) * height);
    const previous = points[index - 1]?.score ?? null;
    const next = points[index + 1]?.score ?? null;
    path += `${previous === null ? "M" : "L"}${x} ${y}`;
    if (previous === null && next === null) {
      dots.push({ x, y });
    }
  });
  return { slot, bars, scorePath: path, dots, mgMax };
}
