/**
 * What holds do to a unit's figures, the same everywhere (views, totals, exports, the
 * accept rule): an active hold (not expired at `now`) is a bed reserved, not available; an
 * arrived hold is an occupied bed until the unit reports figures observed after the arrival
 * (then the report counts the patient itself). Pure.
 */
import type { BedHold } from './model';

/** `finess:unitId`. */
export const holdUnitKey = (h: Pick<BedHold, 'finess' | 'unitId'>) => `${h.finess}:${h.unitId}`;

/** True while the hold takes a bed at `now` for a unit whose current figures were observed at `reportAt`. */
export function holdTakesBed(h: BedHold, now: number, reportAt: string | null): boolean {
  if (h.state === 'active') return now < Date.parse(h.expiresAt);
  if (h.state === 'arrived') return reportAt === null || h.endedAt === null || Date.parse(reportAt) < Date.parse(h.endedAt);
  return false;
}

/** Beds taken by holds, by unit key, at `now`, on `units` (their current figures' observation times). */
export function heldBeds(holds: readonly BedHold[], now: number, units: Iterable<{ finess: string; unitId: string; at: string }>): Map<string, number> {
  const out = new Map<string, number>();
  if (holds.length === 0) return out;
  const reportAt = new Map<string, string>();
  for (const u of units) reportAt.set(`${u.finess}:${u.unitId}`, u.at);
  for (const h of holds) {
    if (!holdTakesBed(h, now, reportAt.get(holdUnitKey(h)) ?? null)) continue;
    const k = holdUnitKey(h);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** A unit's figures with its held beds taken out of the available ones (never below zero). */
export function withHolds<U extends { finess: string; unitId: string; available: number }>(u: U, held: ReadonlyMap<string, number>): U & { held: number } {
  const n = held.get(`${u.finess}:${u.unitId}`) ?? 0;
  return n === 0 ? { ...u, held: 0 } : { ...u, available: Math.max(0, u.available - n), held: n };
}
