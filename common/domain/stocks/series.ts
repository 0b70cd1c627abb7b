/**
 * The stock chart's series (issue 9), for an establishment, a région or France and one
 * molecule: units on hand, daily use and COVID+ critical-care occupancy per Paris day, and the
 * two projected stock-outs drawn from them. Pure; the sync server builds the series
 * (`stocks:series`, one answer per place instead of one history per establishment), the main
 * process adds the forecasts.
 *
 * - A day's stock of a presentation is its latest count up to that day's end (a count holds
 *   until the next one); an establishment's stock sums its presentations, a région's or
 *   France's its establishments (in units). Days before a presentation's first count leave it
 *   out. Daily use: the same, with each count's average daily use (corrected for days out of
 *   stock, `averageDailyUse`); counts of unknown use add nothing.
 * - A day's COVID+ critical-care occupancy, as the allocation key reads it: the sum of
 *   `covidPos` over the place's bed units, each unit's latest report up to that day's end
 *   (observation time; equal times: later version). Units whose report gives no COVID+
 *   figure add nothing; a day without any figure is null.
 * - Projections from the last day (`forecast.ts`): at the observed use (flat), and following
 *   the occupancy's trend (use per COVID+ patient × the least-squares occupancy line; flat
 *   when the occupancy series is too short).
 */
import { averageDailyUse } from './cover';
import { addDays, forecastStockOut, type StockOutForecast } from './forecast';
import type { StockLine } from './model';

export interface StockSeries {
  days: string[];
  onHand: Array<number | null>;
  daily: Array<number | null>;
}

/** What a day's figures read of a stock line. */
export type SeriesLine = Pick<StockLine, 'finess' | 'cip13' | 'at' | 'version' | 'onHand' | 'used7d' | 'dailyUse' | 'daysOut'>;

/** What the server answers for a place: the stock series and the occupancy series on the same days. */
export interface StockChartSeries extends StockSeries {
  /** COVID+ patients in the place's critical-care units per day; null when no unit says. */
  covidOccupied: Array<number | null>;
  /** Establishments with at least one count of the molecule in the period. */
  establishments: number;
}

/** A bed report as the occupancy series reads it. */
export interface OccupancyReport {
  finess: string;
  unitId: string;
  at: string;
  version: number;
  covidPos: number | null;
}

const PARIS_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' });
const HOUR_MS = 3_600_000;
/**
 * Paris days by UTC hour: Paris is a whole number of hours from UTC, so every instant of a
 * UTC hour falls on the same Paris day, and a series of 300,000 counts formats a few
 * thousand hours instead of every count (Intl formatting is the costly part).
 */
const dayOfHour = new Map<number, string>();
function parisDayOfMs(ms: number): string {
  const hour = Math.floor(ms / HOUR_MS);
  let day = dayOfHour.get(hour);
  if (day === undefined) {
    day = PARIS_DAY.format(new Date(hour * HOUR_MS));
    if (dayOfHour.size > 100_000) dayOfHour.clear();
    dayOfHour.set(hour, day);
  }
  return day;
}
/** The Paris calendar day of an instant, `YYYY-MM-DD`. */
export const parisDayOf = (iso: string): string => parisDayOfMs(Date.parse(iso));

/** `from`…`to` (inclusive) as `YYYY-MM-DD` days. */
export function dayRange(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/**
 * Walks each key's items in time order along the days: `visit(k, held)` for every day k with
 * the key's latest item up to that day's end (equal instants: the later version). Each item's
 * instant and Paris day are computed once.
 */
function carryForward<T extends { at: string; version: number }>(days: readonly string[], items: readonly T[], keyOf: (t: T) => string, visit: (k: number, held: T) => void): void {
  const groups = new Map<string, Array<{ item: T; ms: number; day: string }>>();
  for (const item of items) {
    const ms = Date.parse(item.at);
    const entry = { item, ms, day: parisDayOfMs(ms) };
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(entry);
    else groups.set(key, [entry]);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => a.ms - b.ms || a.item.version - b.item.version);
    let i = 0;
    let held: T | null = null;
    for (let k = 0; k < days.length; k++) {
      while (i < list.length && list[i].day <= days[k]) held = list[i++].item;
      if (held) visit(k, held);
    }
  }
}

/** Stock and daily use over `from`…`to` (Paris days, inclusive) from every line given. */
export function stockSeries(lines: readonly SeriesLine[], from: string, to: string): StockSeries {
  const days = dayRange(from, to);
  const onHand: Array<number | null> = days.map(() => null);
  const daily: Array<number | null> = days.map(() => null);
  carryForward(
    days,
    lines,
    (l) => `${l.finess}:${l.cip13}`,
    (k, held) => {
      onHand[k] = (onHand[k] ?? 0) + held.onHand;
      const use = averageDailyUse(held);
      if (use !== null) daily[k] = (daily[k] ?? 0) + use;
    },
  );
  return { days, onHand, daily };
}

/** COVID+ critical-care occupancy on each of `days` from the bed reports given. */
export function occupancySeries(reports: readonly OccupancyReport[], days: readonly string[]): Array<number | null> {
  const out: Array<number | null> = days.map(() => null);
  carryForward(
    days,
    reports,
    (r) => `${r.finess}:${r.unitId}`,
    (k, held) => {
      if (held.covidPos !== null && Number.isFinite(held.covidPos)) out[k] = (out[k] ?? 0) + held.covidPos;
    },
  );
  return out;
}

/** The two projections the chart draws, both from the last day of the series. */
export interface ChartForecasts {
  /** At the use observed over the last 7 days (method 'flat', or 'unknown'). */
  observed: StockOutForecast | null;
  /** Following the trend of COVID+ critical-care occupancy (method 'occupancy'; 'flat' when the occupancy series does not allow it). */
  occupancy: StockOutForecast | null;
}

/** Both projections; null when the last day has no stock (nothing counted yet). */
export function chartForecasts(series: StockChartSeries): ChartForecasts {
  const last = series.days.length - 1;
  if (last < 0 || series.onHand[last] === null) return { observed: null, occupancy: null };
  const asOf = series.days[last];
  const onHand = series.onHand[last] as number;
  const use = series.days.map((day, k) => ({ day, used: series.daily[k] }));
  const occupancy = series.days.map((day, k) => ({ day, covidOccupied: series.covidOccupied[k] }));
  return {
    observed: forecastStockOut(asOf, onHand, use, []),
    occupancy: forecastStockOut(asOf, onHand, use, occupancy),
  };
}

export type { StockOutForecast };
