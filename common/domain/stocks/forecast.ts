/**
 * Projected stock-out dates and a forecast of daily use that follows the establishment's
 * COVID+ critical-care occupancy (issue 9: more ventilated patients, more curare). Pure and
 * deterministic; days are calendar days `YYYY-MM-DD` (Paris days, as the board records them).
 *
 * Method (written out for users in docs/stocks-method.md):
 * 1. Window: the last `windowDays` days up to `asOf` included (default 7).
 * 2. Observed use: the mean of the window's days that have a consumption figure and were not
 *    out of stock (a pharmacy that ran dry did not "use less"). No such day → « inconnu ».
 * 3. Use per COVID+ patient = Σ use ÷ Σ occupancy over the window's days that have both
 *    figures. Needs at least `minPoints` such days (default 4) and Σ occupancy > 0.
 * 4. Occupancy trend: least-squares line occupancy = a + b × day over the window's days with
 *    an occupancy figure (at least `minPoints`). Projected occupancy of a future day =
 *    max(0, a + b × day); forecast use that day = use per patient × projected occupancy.
 * 5. Fallbacks: without a usable occupancy series (too few days, or no COVID+ patient), the
 *    forecast is flat at the observed use (method 'flat'). Without consumption data it is
 *    unknown (method 'unknown'): no date, never an alarm.
 * 6. Trend label: relative change of occupancy over the window, b × (windowDays − 1) ÷ mean
 *    occupancy: above +10 % 'up', below −10 % 'down', else 'flat'.
 * 7. Stock-out: starting from the stock on hand at `asOf`, subtract each future day's
 *    forecast use; the stock-out date is the first day the stock cannot cover that day's use
 *    (stock after it < 0). Beyond `horizonDays` (default 90) the date is null with
 *    `beyondHorizon`; zero use never runs out.
 */

export interface UsePoint {
  day: string;
  /** Use that day (units or mg: the caller's unit, the same as onHand); null when not reported. */
  used: number | null;
  /** The pharmacy was out of stock that day: its use does not measure its need. */
  outOfStock?: boolean;
}

export interface OccupancyPoint {
  day: string;
  /** COVID+ patients in the establishment's critical-care units; null when not reported. */
  covidOccupied: number | null;
}

export interface ForecastOptions {
  windowDays?: number;
  minPoints?: number;
  horizonDays?: number;
  /** Relative change over the window under which the trend is 'flat' (default 0.10). */
  flatBand?: number;
}

export type ForecastMethod = 'occupancy' | 'flat' | 'unknown';
export type Trend = 'up' | 'down' | 'flat';

export interface UseForecast {
  method: ForecastMethod;
  /** Mean observed daily use over the window (corrected); null when unknown. */
  observedDailyUse: number | null;
  /** Use per COVID+ patient per day; null unless method is 'occupancy'. */
  usePerPatient: number | null;
  /** Least-squares occupancy line (day 0 = asOf), null unless method is 'occupancy'. */
  occupancyLine: { intercept: number; slopePerDay: number; points: number } | null;
  /** Occupancy trend; null when there is no usable occupancy series. */
  trend: Trend | null;
  /** Forecast use for day asOf + k + 1, k = 0…horizon−1 (empty when unknown). */
  daily: number[];
}

export interface StockOutForecast extends UseForecast {
  asOf: string;
  onHand: number;
  /** First day the stock does not cover; null when unknown, never, or beyond the horizon. */
  stockOutDay: string | null;
  /** Whole days of stock left by the forecast; null when unknown or beyond the horizon. */
  daysLeft: number | null;
  beyondHorizon: boolean;
}

const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  return new Date((dayNumber(day) + n) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The projected stock-out day at constant use: asOf + ⌊on hand ÷ daily use⌋ + 1 days, the
 * first day the stock does not cover in full (as `forecastStockOut` counts). Null when use is unknown or zero.
 */
export function stockOutAtConstantUse(asOf: string, onHand: number, dailyUse: number | null): string | null {
  if (dailyUse === null || !(dailyUse > 0)) return null;
  return addDays(asOf, Math.floor(Math.max(0, onHand) / dailyUse + 1e-9) + 1);
}

/** Least squares y = a + b·x; null with fewer than 2 distinct x. */
export function leastSquares(points: ReadonlyArray<{ x: number; y: number }>): { intercept: number; slope: number } | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

/** Forecast of daily use from the consumption and occupancy series (see the module comment). */
export function forecastUse(asOf: string, use: readonly UsePoint[], occupancy: readonly OccupancyPoint[], options: ForecastOptions = {}): UseForecast {
  const windowDays = options.windowDays ?? 7;
  const minPoints = options.minPoints ?? 4;
  const horizon = options.horizonDays ?? 90;
  const flatBand = options.flatBand ?? 0.1;
  const end = dayNumber(asOf);
  const inWindow = (day: string): number | null => {
    const x = dayNumber(day) - end;
    return x <= 0 && x > -windowDays ? x : null;
  };
  // The last report of a day wins if a series holds several.
  const useByDay = new Map<number, UsePoint>();
  for (const p of use) {
    const x = inWindow(p.day);
    if (x !== null) useByDay.set(x, p);
  }
  const occByDay = new Map<number, number>();
  for (const p of occupancy) {
    const x = inWindow(p.day);
    if (x !== null && p.covidOccupied !== null && Number.isFinite(p.covidOccupied) && p.covidOccupied >= 0) occByDay.set(x, p.covidOccupied);
    else if (x !== null) occByDay.delete(x);
  }
  const measured = [...useByDay.entries()].filter(([, p]) => p.used !== null && Number.isFinite(p.used) && p.used >= 0 && !p.outOfStock);
  if (measured.length === 0) {
    return { method: 'unknown', observedDailyUse: null, usePerPatient: null, occupancyLine: null, trend: null, daily: [] };
  }
  const observedDailyUse = measured.reduce((s, [, p]) => s + (p.used as number), 0) / measured.length;

  const flat = (trend: Trend | null): UseForecast => ({
    method: 'flat',
    observedDailyUse,
    usePerPatient: null,
    occupancyLine: null,
    trend,
    daily: new Array<number>(horizon).fill(observedDailyUse),
  });

  const occPoints = [...occByDay.entries()].map(([x, y]) => ({ x, y })).sort((a, b) => a.x - b.x);
  const line = occPoints.length >= minPoints ? leastSquares(occPoints) : null;
  if (!line) return flat(null);
  const meanOcc = occPoints.reduce((s, p) => s + p.y, 0) / occPoints.length;
  const relative = meanOcc > 0 ? (line.slope * (windowDays - 1)) / meanOcc : 0;
  const trend: Trend = relative > flatBand ? 'up' : relative < -flatBand ? 'down' : 'flat';

  const both = measured.filter(([x]) => occByDay.has(x));
  const sumOcc = both.reduce((s, [x]) => s + (occByDay.get(x) as number), 0);
  if (both.length < minPoints || sumOcc <= 0) return flat(trend);
  const usePerPatient = both.reduce((s, [, p]) => s + (p.used as number), 0) / sumOcc;
  const daily: number[] = [];
  for (let k = 1; k <= horizon; k++) daily.push(usePerPatient * Math.max(0, line.intercept + line.slope * k));
  return { method: 'occupancy', observedDailyUse, usePerPatient, occupancyLine: { intercept: line.intercept, slopePerDay: line.slope, points: occPoints.length }, trend, daily };
}

/** The forecast use and the stock-out day it gives from `onHand` at `asOf`. */
export function forecastStockOut(asOf: string, onHand: number, use: readonly UsePoint[], occupancy: readonly OccupancyPoint[], options: ForecastOptions = {}): StockOutForecast {
  const f = forecastUse(asOf, use, occupancy, options);
  const base = { ...f, asOf, onHand };
  if (f.method === 'unknown') return { ...base, stockOutDay: null, daysLeft: null, beyondHorizon: false };
  let stock = Math.max(0, onHand);
  for (let k = 0; k < f.daily.length; k++) {
    stock -= f.daily[k];
    if (stock < -1e-9) return { ...base, stockOutDay: addDays(asOf, k + 1), daysLeft: k, beyondHorizon: false };
  }
  const everUsed = f.daily.some((u) => u > 0);
  return { ...base, stockOutDay: null, daysLeft: null, beyondHorizon: everUsed };
}
