/**
 * The national allocation round for one molecule (issue 9): a delivery of whole units of one
 * presentation shared between establishments by a written key. Pure and deterministic: the
 * same inputs, in any order, give the same lines, figure for figure.
 *
 * Quantities. An establishment's stock and use are per MOLECULE, in mg of active substance
 * (all its presentations of the molecule added up: that is what is "on hand"), while the
 * delivery is counted in whole UNITS of the presentation being shipped (vials, ampoules),
 * each holding `mgPerUnit` mg. The key is computed in mg and turned into units once:
 *
 *     need (mg)    = max(0, target days × daily use (mg/day) − on hand (mg))
 *     need (units) = ⌈need (mg) ÷ mg per unit⌉      (a partly needed vial is a needed vial)
 *
 * Key. When supply ≥ Σ need, every line gets its need exactly and the rest stays with the
 * national level. Otherwise the supply is shared in proportion to weighted need:
 *
 *     weight       = 1 + s × (COVID+ occupancy ÷ mean COVID+ occupancy)   (weighting on)
 *                  = 1                                                   (weighting off)
 *     raw quota    = supply × weight × need ÷ Σ (weight × need)
 *
 * capped at the need (a weighted share may exceed a small need: the excess is shared again
 * among the others by the same formula until no line is above its need — "water-filling").
 * `s` (strength, default 1) says how much the occupancy counts: with s = 1 an establishment
 * at the mean occupancy counts its need twice, one with no COVID+ patient once. An unknown
 * occupancy counts as the mean (neither favoured nor penalised); a mean of 0 (no COVID+
 * patient anywhere) makes every weight 1.
 *
 * Rounding (largest remainder): each line first gets ⌊raw quota⌋; the units left over
 * (supply − Σ ⌊raw⌋, an exact integer) go one each to the lines with the largest fractional
 * remainders, ties broken by FINESS ascending. No unit is lost or created, and since a need is
 * a whole number, ⌊raw⌋ + 1 never exceeds it.
 *
 * Lines whose daily use is unknown have an unknown need: they take no part in the key (never
 * an alarm, never a guess) and are listed so that the user can adjust them by hand.
 */
import { fr } from '../../i18n/fr';

/** One establishment's figures for the molecule, as the board computes them. */
export interface AllocationLineInput {
  finess: string;
  /** Stock on hand, mg of the molecule (all presentations). */
  onHandMg: number;
  /** Average daily use, mg/day, already corrected for days out of stock; null when unknown. */
  dailyUseMg: number | null;
  /** Target days of cover for this establishment. */
  targetDays: number;
  /** COVID+ patients in its critical-care units (bed board); null when unknown. */
  covidOccupied?: number | null;
}

export interface AllocationInput {
  /** Whole units of the delivered presentation available for the round. */
  supplyUnits: number;
  /** mg of the molecule in one unit of the delivered presentation. */
  mgPerUnit: number;
  lines: readonly AllocationLineInput[];
  /** Weight shares by COVID+ critical-care occupancy (see the module comment). */
  weightByOccupancy?: boolean;
  /** Strength `s` of the occupancy weight (≥ 0); default 1. */
  occupancyStrength?: number;
}

/** One line of the proposal, with every figure the UI shows to explain it. */
export interface AllocationLine {
  finess: string;
  onHandMg: number;
  dailyUseMg: number | null;
  targetDays: number;
  covidOccupied: number | null;
  /** Days of cover before the round (on hand ÷ daily use); null when use is unknown or zero. */
  coverDaysBefore: number | null;
  /** Need in mg (null when use is unknown). */
  needMg: number | null;
  /** Need in whole units of the delivered presentation (0 when unknown). */
  needUnits: number;
  /** False when daily use is unknown: the line takes no part in the key. */
  needKnown: boolean;
  /** The occupancy weight (1 when weighting is off). */
  weight: number;
  /** weight × need ÷ Σ (weight × need): the line's share of the weighted need (0 when no need). */
  share: number;
  /** The quota before rounding (units, may be fractional). */
  rawQuota: number;
  /** True when the raw quota was capped at the need (need met in full). */
  capped: boolean;
  /** ⌊raw quota⌋. */
  floorUnits: number;
  /** rawQuota − floorUnits. */
  remainder: number;
  /** 1-based rank among the lines competing for the left-over units; null when not competing. */
  remainderRank: number | null;
  /** 1 when the line received one of the left-over units, else 0. */
  bonusUnit: 0 | 1;
  /** The proposed quota, whole units: floorUnits + bonusUnit. */
  quota: number;
  /** Days of cover after delivery ((on hand + quota × mg per unit) ÷ daily use); null when unknown. */
  coverDaysAfter: number | null;
}

export interface AllocationParameters {
  supplyUnits: number;
  mgPerUnit: number;
  weightByOccupancy: boolean;
  occupancyStrength: number;
  /** Mean COVID+ occupancy used by the weight (lines with a need and a known occupancy); null when not weighted. */
  meanOccupancy: number | null;
  /** 'full': supply ≥ total need, every need met; 'proportional': shared by the key. */
  mode: 'full' | 'proportional';
  /** Water-filling passes (1 unless weights capped some lines). */
  passes: number;
}

export interface AllocationTotals {
  supplyUnits: number;
  needUnits: number;
  allocatedUnits: number;
  /** Units left with the national level (supply − allocated); 0 in proportional mode. */
  leftUnits: number;
  /** Units distributed by the largest-remainder step. */
  remainderUnits: number;
  /** Lines whose need is unknown (no consumption data). */
  unknownNeedLines: number;
}

export interface AllocationProposal {
  parameters: AllocationParameters;
  /** Sorted by FINESS. */
  lines: AllocationLine[];
  totals: AllocationTotals;
}

/** Guards against floating error: 2.0000000001 vials needed is 2, not 3. */
const UNIT_EPSILON = 1e-9;

/** Programmer errors only: the board validates what a user types (French messages) before calling. */
function assertInput(input: AllocationInput): void {
  if (!Number.isSafeInteger(input.supplyUnits) || input.supplyUnits < 0) throw new RangeError(`supplyUnits must be a whole number ≥ 0: ${input.supplyUnits}`);
  if (!(input.mgPerUnit > 0) || !Number.isFinite(input.mgPerUnit)) throw new RangeError(`mgPerUnit must be > 0: ${input.mgPerUnit}`);
  const strength = input.occupancyStrength ?? 1;
  if (!(strength >= 0) || !Number.isFinite(strength)) throw new RangeError(`occupancyStrength must be ≥ 0: ${strength}`);
  const seen = new Set<string>();
  for (const l of input.lines) {
    if (seen.has(l.finess)) throw new RangeError(`duplicate FINESS in an allocation round: ${l.finess}`);
    seen.add(l.finess);
    if (!Number.isFinite(l.onHandMg) || !Number.isFinite(l.targetDays) || l.targetDays < 0) throw new RangeError(`bad figures for ${l.finess}`);
    if (l.dailyUseMg !== null && !(Number.isFinite(l.dailyUseMg) && l.dailyUseMg >= 0)) throw new RangeError(`bad daily use for ${l.finess}`);
  }
}

const byFiness = (a: { finess: string }, b: { finess: string }): number => (a.finess < b.finess ? -1 : a.finess > b.finess ? 1 : 0);

function cover(onHandMg: number, dailyUseMg: number | null): number | null {
  return dailyUseMg === null || dailyUseMg <= 0 ? null : Math.max(0, onHandMg) / dailyUseMg;
}

/** Proposes the allocation of `supplyUnits` by the key above. */
export function allocate(input: AllocationInput): AllocationProposal {
  assertInput(input);
  const weighted = input.weightByOccupancy ?? false;
  const strength = input.occupancyStrength ?? 1;
  const { supplyUnits, mgPerUnit } = input;
  // Work in FINESS order so sums (floating point) never depend on the caller's order.
  const sorted = [...input.lines].sort(byFiness);

  const needs = sorted.map((l) => {
    if (l.dailyUseMg === null) return { needMg: null, needUnits: 0 };
    const needMg = Math.max(0, l.targetDays * l.dailyUseMg - l.onHandMg);
    return { needMg, needUnits: needMg > 0 ? Math.ceil(needMg / mgPerUnit - UNIT_EPSILON) : 0 };
  });
  const totalNeed = needs.reduce((s, n) => s + n.needUnits, 0);

  let meanOccupancy: number | null = null;
  if (weighted) {
    const known = sorted.filter((l, i) => needs[i].needUnits > 0 && l.covidOccupied != null && l.covidOccupied >= 0);
    meanOccupancy = known.length ? known.reduce((s, l) => s + (l.covidOccupied ?? 0), 0) / known.length : 0;
  }
  const weights = sorted.map((l) => {
    if (!weighted || !meanOccupancy) return 1;
    const occ = l.covidOccupied != null && l.covidOccupied >= 0 ? l.covidOccupied : meanOccupancy;
    return 1 + (strength * occ) / meanOccupancy;
  });

  const n = sorted.length;
  const raw = new Array<number>(n).fill(0);
  const capped = new Array<boolean>(n).fill(false);
  const share = new Array<number>(n).fill(0);
  const weightedNeed = needs.map((x, i) => weights[i] * x.needUnits);
  const totalWeighted = weightedNeed.reduce((s, w) => s + w, 0);
  for (let i = 0; i < n; i++) share[i] = totalWeighted > 0 ? weightedNeed[i] / totalWeighted : 0;

  const mode: AllocationParameters['mode'] = supplyUnits >= totalNeed ? 'full' : 'proportional';
  let passes = 0;
  if (mode === 'full') {
    for (let i = 0; i < n; i++) {
      raw[i] = needs[i].needUnits;
      capped[i] = needs[i].needUnits > 0;
    }
  } else {
    // Water-filling: share what is left among the uncapped lines; cap those whose share
    // reaches their need; repeat until none does. Each pass caps at least one line, so it ends.
    let remaining = supplyUnits;
    let active = needs.map((x, i) => (x.needUnits > 0 ? i : -1)).filter((i) => i >= 0);
    for (;;) {
      passes++;
      const w = active.reduce((s, i) => s + weightedNeed[i], 0);
      const over = active.filter((i) => (remaining * weightedNeed[i]) / w >= needs[i].needUnits);
      if (over.length === 0) {
        for (const i of active) raw[i] = (remaining * weightedNeed[i]) / w;
        break;
      }
      for (const i of over) {
        raw[i] = needs[i].needUnits;
        capped[i] = true;
        remaining -= needs[i].needUnits;
      }
      const overSet = new Set(over);
      active = active.filter((i) => !overSet.has(i));
      if (active.length === 0) break;
    }
  }

  // Largest remainder. Floors are clamped to the need (floating error could push a raw quota
  // a hair above it); the units left over are an exact integer.
  const floors = raw.map((r, i) => Math.min(Math.floor(r + UNIT_EPSILON * Math.max(1, r)), needs[i].needUnits));
  const remainders = raw.map((r, i) => Math.max(0, r - floors[i]));
  const target = mode === 'full' ? totalNeed : supplyUnits;
  let left = target - floors.reduce((s, f) => s + f, 0);
  const remainderUnits = left;
  const competing = floors.map((_, i) => i).filter((i) => floors[i] < needs[i].needUnits && !capped[i]);
  competing.sort((a, b) => remainders[b] - remainders[a] || byFiness(sorted[a], sorted[b]));
  const rank = new Array<number | null>(n).fill(null);
  competing.forEach((i, k) => (rank[i] = k + 1));
  const bonus = new Array<0 | 1>(n).fill(0);
  for (const i of competing) {
    if (left <= 0) break;
    bonus[i] = 1;
    left--;
  }
  // Only reachable through floating pathology (more left-over units than competing lines):
  // hand the rest out in the same order wherever a need still allows, so no unit is lost.
  for (let k = 0; left > 0 && k < n * 2; k++) {
    const i = k % n;
    if (floors[i] + bonus[i] < needs[i].needUnits) {
      floors[i]++;
      left--;
    }
  }

  const lines: AllocationLine[] = sorted.map((l, i) => {
    const quota = floors[i] + bonus[i];
    return {
      finess: l.finess,
      onHandMg: l.onHandMg,
      dailyUseMg: l.dailyUseMg,
      targetDays: l.targetDays,
      covidOccupied: l.covidOccupied ?? null,
      coverDaysBefore: cover(l.onHandMg, l.dailyUseMg),
      needMg: needs[i].needMg,
      needUnits: needs[i].needUnits,
      needKnown: l.dailyUseMg !== null,
      weight: weights[i],
      share: share[i],
      rawQuota: raw[i],
      capped: capped[i],
      floorUnits: floors[i],
      remainder: remainders[i],
      remainderRank: rank[i],
      bonusUnit: bonus[i],
      quota,
      coverDaysAfter: cover(Math.max(0, l.onHandMg) + quota * mgPerUnit, l.dailyUseMg),
    };
  });
  const allocatedUnits = lines.reduce((s, l) => s + l.quota, 0);
  return {
    parameters: { supplyUnits, mgPerUnit, weightByOccupancy: weighted, occupancyStrength: strength, meanOccupancy, mode, passes },
    lines,
    totals: {
      supplyUnits,
      needUnits: totalNeed,
      allocatedUnits,
      leftUnits: supplyUnits - allocatedUnits,
      remainderUnits,
      unknownNeedLines: lines.filter((l) => !l.needKnown).length,
    },
  };
}

/** A user's change to one line before validating: the quota they want instead of the proposal's. */
export interface AllocationAdjustment {
  finess: string;
  quota: number;
}

export type AdjustmentProblem =
  | { kind: 'unknownLine'; finess: string }
  | { kind: 'notWhole'; finess: string; quota: number }
  | { kind: 'negative'; finess: string; quota: number }
  | { kind: 'duplicate'; finess: string }
  | { kind: 'overSupply'; allocated: number; supply: number };

export interface AdjustedLine {
  finess: string;
  proposed: number;
  quota: number;
  /** quota − proposed. */
  delta: number;
  adjusted: boolean;
  needUnits: number;
  /** False when the line's need is unknown (no consumption data): any quota is the user's call. */
  needKnown: boolean;
  /** The user gave more than the key's need (allowed, shown); never set when the need is unknown. */
  aboveNeed: boolean;
}

export interface AdjustedAllocation {
  lines: AdjustedLine[];
  supplyUnits: number;
  allocatedUnits: number;
  /** supply − allocated: what is left to allocate (negative when over). */
  leftUnits: number;
  problems: AdjustmentProblem[];
  /** True when it may be validated: no problem, never above supply. */
  ok: boolean;
}

/**
 * Applies a user's adjustments to a proposal and re-checks the totals: an adjusted round may
 * leave units unallocated but never allocate more than the supply; a quota must be a whole
 * number ≥ 0 of a line of the round. Problems are data (kinds), worded in French by the UI.
 */
export function adjustAllocation(proposal: AllocationProposal, adjustments: readonly AllocationAdjustment[]): AdjustedAllocation {
  const problems: AdjustmentProblem[] = [];
  const wanted = new Map<string, number>();
  const known = new Set(proposal.lines.map((l) => l.finess));
  for (const a of [...adjustments].sort(byFiness)) {
    if (!known.has(a.finess)) problems.push({ kind: 'unknownLine', finess: a.finess });
    else if (wanted.has(a.finess)) problems.push({ kind: 'duplicate', finess: a.finess });
    else if (!Number.isFinite(a.quota) || !Number.isInteger(a.quota)) problems.push({ kind: 'notWhole', finess: a.finess, quota: a.quota });
    else if (a.quota < 0) problems.push({ kind: 'negative', finess: a.finess, quota: a.quota });
    else wanted.set(a.finess, a.quota);
  }
  const lines = proposal.lines.map((l): AdjustedLine => {
    const quota = wanted.get(l.finess) ?? l.quota;
    return { finess: l.finess, proposed: l.quota, quota, delta: quota - l.quota, adjusted: wanted.has(l.finess) && quota !== l.quota, needUnits: l.needUnits, needKnown: l.needKnown, aboveNeed: l.needKnown && quota > l.needUnits };
  });
  const allocatedUnits = lines.reduce((s, l) => s + l.quota, 0);
  const supplyUnits = proposal.totals.supplyUnits;
  if (allocatedUnits > supplyUnits) problems.push({ kind: 'overSupply', allocated: allocatedUnits, supply: supplyUnits });
  return { lines, supplyUnits, allocatedUnits, leftUnits: supplyUnits - allocatedUnits, problems, ok: problems.length === 0 };
}

/** A problem of an adjusted allocation as the French sentence the user reads. */
export function adjustmentProblemText(p: AdjustmentProblem): string {
  const t = fr.stockMethods.adjustment;
  switch (p.kind) {
    case 'unknownLine':
      return t.unknownLine(p.finess);
    case 'notWhole':
      return t.notWhole(p.finess, p.quota);
    case 'negative':
      return t.negative(p.finess, p.quota);
    case 'duplicate':
      return t.duplicate(p.finess);
    case 'overSupply':
      return t.overSupply(p.allocated, p.supply);
  }
}
