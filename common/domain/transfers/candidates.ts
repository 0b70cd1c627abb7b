/**
 * Candidate destinations of a transfer: the units with a free, not-held bed of a type the
 * patient's need accepts, ranked for the regulator. Pure and deterministic: the same
 * input gives the same list in the same order, whoever computes it (renderer, main, server).
 *
 * Ranking, in order:
 *   1. fresh figures before stale ones: a unit whose last report is older than the stale
 *      delay may no longer have the bed it shows (issue 8: "stale figures ranked below fresh
 *      ones");
 *   2. estimated travel time for the chosen mode (travel.ts), unknown (no coordinates) last;
 *   3. most free beds (a unit with room to spare is less likely to be filled meanwhile);
 *   4. then establishment name, FINESS and unit id, only so that ties have one order.
 */
import { travelMinutes, type GeoPoint, type TravelMode } from './travel';

/** A unit as the bed board knows it, with the beds already held by accepted transfers. */
export interface CandidateUnit {
  finess: string;
  unitId: string;
  unitType: string;
  establishmentName: string;
  lat: number | null;
  lon: number | null;
  /** Available beds in the unit's last report. */
  available: number;
  /** Beds held by accepted transfers not yet arrived (they already count against `available`'s free beds). */
  held: number;
  /** ISO time of the unit's last report. */
  at: string;
}

export interface CandidateQuery {
  origin: GeoPoint;
  mode: TravelMode;
  /** Acceptable unit types (codes of UNIT_TYPES), e.g. adult ICU = ['REA_MED', 'REA_CHIR', 'REA_MEDCHIR']. */
  need: readonly string[];
  units: readonly CandidateUnit[];
  /** The clock, in epoch milliseconds. */
  now: number;
  /** A report older than this is stale (the bed board's setting). */
  staleAfterHours: number;
}

export interface RankedCandidate extends CandidateUnit {
  /** Estimated minutes from the origin by the chosen mode; null when either end has no coordinates. */
  minutes: number | null;
  /** Free, not-held beds: available − held (> 0 for every candidate). */
  free: number;
  /** Whole minutes since the last report (0 for a report from the future); null when `at` is not a time. */
  ageMinutes: number | null;
  /** The report is older than the stale delay, or its time cannot be read. */
  stale: boolean;
}

/** The candidate units for a transfer, best first (see the ranking at the top of this file). */
export function rankCandidates(q: CandidateQuery): RankedCandidate[] {
  const accepted = new Set(q.need);
  const staleMs = q.staleAfterHours * 3_600_000;
  const out: RankedCandidate[] = [];
  for (const u of q.units) {
    if (!accepted.has(u.unitType)) continue;
    const free = u.available - u.held;
    if (!(free > 0)) continue;
    const atMs = Date.parse(u.at);
    const known = Number.isFinite(atMs);
    out.push({
      ...u,
      minutes: travelMinutes(q.origin, u, q.mode),
      free,
      ageMinutes: known ? Math.max(0, Math.floor((q.now - atMs) / 60_000)) : null,
      stale: !known || q.now - atMs > staleMs,
    });
  }
  return out.sort(compareCandidates);
}

/** The ranking order of `rankCandidates`, exported so a view can re-sort merged lists the same way. */
export function compareCandidates(a: RankedCandidate, b: RankedCandidate): number {
  if (a.stale !== b.stale) return a.stale ? 1 : -1;
  if (a.minutes !== b.minutes) {
    if (a.minutes === null) return 1;
    if (b.minutes === null) return -1;
    return a.minutes - b.minutes;
  }
  if (a.free !== b.free) return b.free - a.free;
  return cmp(a.establishmentName, b.establishmentName) || cmp(a.finess, b.finess) || cmp(a.unitId, b.unitId);
}

// Code-unit order, not locale order: identical on every host.
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
