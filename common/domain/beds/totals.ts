/** The pure aggregations every bed view uses: totals with freshness (staleness) and tension. */
import { DEFAULT_STALE_AFTER_HOURS, DEFAULT_TENSION_THRESHOLDS, type UnitReport } from './model';

export interface FreshnessSettings {
  staleAfterHours: number;
  thresholds: { orange: number; red: number };
}
export const DEFAULT_FRESHNESS: FreshnessSettings = {
  staleAfterHours: DEFAULT_STALE_AFTER_HOURS,
  thresholds: { ...DEFAULT_TENSION_THRESHOLDS },
};

/**
 * True when instant `a` comes before instant `b`. Times carry their own offsets (`Z`,
 * `+01:00`, `+02:00` from registers): comparing the strings would name the wrong one oldest.
 */
export function isEarlier(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}

export function isStale(at: string, now: number, staleAfterHours: number): boolean {
  return now - Date.parse(at) > staleAfterHours * 3_600_000;
}

/** A total over units. It is never fresher than its stalest part: `oldestAt` is the oldest update inside it. */
export interface BedTotal {
  installed: number;
  staffed: number;
  available: number;
  units: number;
  staleUnits: number;
  /** The oldest report inside the total (null when empty). */
  oldestAt: string | null;
  newestAt: string | null;
}

export function emptyTotal(): BedTotal {
  return { installed: 0, staffed: 0, available: 0, units: 0, staleUnits: 0, oldestAt: null, newestAt: null };
}

export function addToTotal(t: BedTotal, r: Pick<UnitReport, 'installed' | 'staffed' | 'available' | 'at'>, stale: boolean): void {
  t.installed += r.installed;
  t.staffed += r.staffed;
  t.available += r.available;
  t.units += 1;
  if (stale) t.staleUnits += 1;
  if (t.oldestAt === null || isEarlier(r.at, t.oldestAt)) t.oldestAt = r.at;
  if (t.newestAt === null || isEarlier(t.newestAt, r.at)) t.newestAt = r.at;
}

/** Groups current reports into totals by a key (département, unit type, both…). */
export function totalsBy<K extends string>(
  reports: readonly UnitReport[],
  keyOf: (r: UnitReport) => K | null,
  now: number,
  settings: FreshnessSettings = DEFAULT_FRESHNESS,
): Map<K, BedTotal> {
  const out = new Map<K, BedTotal>();
  for (const r of reports) {
    const k = keyOf(r);
    if (k === null) continue;
    let t = out.get(k);
    if (!t) out.set(k, (t = emptyTotal()));
    addToTotal(t, r, isStale(r.at, now, settings.staleAfterHours));
  }
  return out;
}

/** Share of staffed beds in use (0..1), or null when nothing is staffed. */
export function occupancy(t: Pick<BedTotal, 'staffed' | 'available'>): number | null {
  return t.staffed > 0 ? (t.staffed - t.available) / t.staffed : null;
}

export type TensionLevel = 'green' | 'orange' | 'red' | 'none';

/** Green under the orange threshold, orange under the red one, red beyond; `none` without staffed beds. */
export function tensionOf(t: Pick<BedTotal, 'staffed' | 'available'>, thresholds = DEFAULT_FRESHNESS.thresholds): TensionLevel {
  const o = occupancy(t);
  if (o === null) return 'none';
  if (o < thresholds.orange) return 'green';
  if (o < thresholds.red) return 'orange';
  return 'red';
}
