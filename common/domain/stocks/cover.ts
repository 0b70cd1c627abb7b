/**
 * Days of cover, as the stocks board shows its arithmetic (issue 9).
 *
 * - Average daily use of a line: its 7-day consumption divided by the days it could be used,
 *   7 − days out of stock (a pharmacy dry for 3 days used its stock over 4 days, it did not
 *   "use less"); or the average daily use the pharmacy gave. No consumption data, or a
 *   whole period out of stock, means the use is unknown.
 * - Days of cover = on hand ÷ average daily use. Unknown use gives « inconnu », never an
 *   alarm; a known use of zero gives no stock-out (∞).
 * - Colour: red below `red` days, orange below `orange`, green otherwise (configurable per
 *   workstation; 3 and 7 by default).
 * - Projected stock-out date = count time + days of cover.
 * - Per molecule: presentations add up in units and in mg (each unit's mg from the
 *   referential); the molecule's cover is its mg on hand ÷ its mg used a day, over the
 *   presentations whose use is known (stock of presentations of unknown use still counts
 *   on hand: it is there to be used).
 */
import { USE_PERIOD_DAYS, type CoverThresholds, type StockLine } from './model';
import type { MoleculeCode, Products } from './products';

export type CoverLevel = 'red' | 'orange' | 'green' | 'unknown';

const DAY_MS = 86_400_000;

/** Average daily use in units, corrected for days out of stock; null when unknown. */
export function averageDailyUse(l: Pick<StockLine, 'used7d' | 'dailyUse' | 'daysOut'>): number | null {
  if (l.used7d !== null) {
    const usable = USE_PERIOD_DAYS - l.daysOut;
    return usable > 0 ? l.used7d / usable : null;
  }
  return l.dailyUse;
}

/** Days of cover: null when use is unknown, Infinity when nothing is used. */
export function daysOfCover(onHand: number, daily: number | null): number | null {
  if (daily === null) return null;
  if (daily === 0) return Infinity;
  return onHand / daily;
}

export function coverLevel(days: number | null, t: CoverThresholds): CoverLevel {
  if (days === null) return 'unknown';
  if (days < t.red) return 'red';
  if (days < t.orange) return 'orange';
  return 'green';
}

/** The projected stock-out instant (ISO), or null when none is foreseen (use unknown or nil). */
export function stockOutDate(at: string, days: number | null): string | null {
  if (days === null || !Number.isFinite(days)) return null;
  return new Date(Date.parse(at) + days * DAY_MS).toISOString();
}

/**
 * Cover as views carry it: `days` finite or null, `noUse` when the known use is zero (no
 * stock-out foreseen; shown ∞). Infinity never travels: JSON (the web host's bridge) would
 * turn it into null, which reads « inconnu ».
 */
export interface CoverFigures {
  days: number | null;
  noUse: boolean;
  level: CoverLevel;
  stockOut: string | null;
}

/** The cover of `onHand` at `daily` a day, counted at `at`. */
export function coverFigures(onHand: number, daily: number | null, at: string, t: CoverThresholds): CoverFigures {
  const raw = daysOfCover(onHand, daily);
  return { days: raw !== null && Number.isFinite(raw) ? raw : null, noUse: raw === Infinity, level: coverLevel(raw, t), stockOut: stockOutDate(at, raw) };
}

/** One line's cover, with every figure it comes from. */
export interface LineCover extends CoverFigures {
  daily: number | null;
}

export function lineCover(l: StockLine, t: CoverThresholds): LineCover {
  const daily = averageDailyUse(l);
  return { daily, ...coverFigures(l.onHand, daily, l.at, t) };
}

/** A molecule's stock at one place (an establishment, or a sum of them). */
export interface MoleculeTotals extends CoverFigures {
  molecule: MoleculeCode;
  onHandUnits: number;
  onHandMg: number;
  /** Units and mg used a day, over the presentations whose use is known (null: none known). */
  dailyUnits: number | null;
  dailyMg: number | null;
  /** Earliest count time among the lines summed, and latest (`days` = mg on hand ÷ mg used a day, projected from the latest). */
  oldestAt: string;
  latestAt: string;
  /** Lines summed. */
  lines: number;
}

/**
 * Sums current lines of one molecule (one establishment's, or many). The stock-out date is
 * projected from the latest count. Lines of an unknown CIP13 are left out.
 */
export function moleculeTotals(molecule: MoleculeCode, lines: readonly StockLine[], products: Products, t: CoverThresholds): MoleculeTotals | null {
  let onHandUnits = 0;
  let onHandMg = 0;
  let dailyUnits: number | null = null;
  let dailyMg: number | null = null;
  let oldest = '';
  let latest = '';
  let n = 0;
  for (const l of lines) {
    if (l.molecule !== molecule) continue;
    const p = products.presentation(l.cip13);
    if (!p) continue;
    n++;
    onHandUnits += l.onHand;
    onHandMg += l.onHand * p.mgPerUnit;
    const d = averageDailyUse(l);
    if (d !== null) {
      dailyUnits = (dailyUnits ?? 0) + d;
      dailyMg = (dailyMg ?? 0) + d * p.mgPerUnit;
    }
    if (!oldest || Date.parse(l.at) < Date.parse(oldest)) oldest = l.at;
    if (!latest || Date.parse(l.at) > Date.parse(latest)) latest = l.at;
  }
  if (n === 0) return null;
  return { molecule, onHandUnits, onHandMg, dailyUnits, dailyMg, ...coverFigures(onHandMg, dailyMg, latest, t), oldestAt: oldest, latestAt: latest, lines: n };
}

/**
 * A molecule's figures as the board view carries them to the grid (3,500 of them nationally):
 * what the grid shows, its tooltips and its group sums use. The molecule (the key it sits
 * under) and the earliest count stay in main; the daily use and days of cover are
 * rounded to 4 decimals (the grid shows one; 1.47 MB of JSON was 17 digits each).
 */
export type MoleculeCell = Omit<MoleculeTotals, 'molecule' | 'oldestAt'>;

const r4 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10_000) / 10_000);

/** A molecule's totals as the board view carries them (level and stock-out computed before rounding). */
export function moleculeCell(t: MoleculeTotals): MoleculeCell {
  return {
    onHandUnits: t.onHandUnits,
    onHandMg: t.onHandMg,
    dailyUnits: r4(t.dailyUnits),
    dailyMg: r4(t.dailyMg),
    days: r4(t.days),
    noUse: t.noUse,
    level: t.level,
    stockOut: t.stockOut,
    latestAt: t.latestAt,
    lines: t.lines,
  };
}

/** The worse of two levels (unknown is never worse than a known level). */
export function worseLevel(a: CoverLevel, b: CoverLevel): CoverLevel {
  const rank: Record<CoverLevel, number> = { unknown: 0, green: 1, orange: 2, red: 3 };
  return rank[a] >= rank[b] ? a : b;
}
