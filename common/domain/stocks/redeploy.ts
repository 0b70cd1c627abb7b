/**
 * A regional redeployment suggestion for one molecule in one région (issue 9): moves of whole
 * units from establishments with a surplus to those about to run out, fewest and nearest moves
 * first, never pushing a giver below its surplus threshold. Pure and deterministic.
 *
 * Quantities are whole units of the presentation being moved (the board converts a
 * molecule's mg into units of that presentation before calling), daily use in units/day.
 *
 *     cover (days)      = on hand ÷ daily use
 *     giver             : cover > surplus threshold;  can give ⌊on hand − surplus days × daily use⌋
 *     receiver          : cover < alert threshold;    needs ⌈target days × daily use − on hand⌉
 *                         (target days defaults to the alert threshold: bring it out of alert)
 *
 * Order. Receivers are served most urgent first (lowest cover, then FINESS). For each one, while
 * it still needs units and some giver can give:
 * - if one giver can cover the whole remaining need, the NEAREST such giver sends it (one move);
 * - otherwise the giver able to give the MOST sends all it can (ties: nearest, then FINESS) —
 *   taking the largest first is what makes the fewest moves reach a need.
 * Distances are great-circle km between FINESS coordinates (`greatCircleKm`, haversine, from the
 * transfers board); an establishment without coordinates is treated as farther than any known
 * distance and its moves carry a null distance.
 *
 * Establishments with an unknown daily use take no part (their cover is unknown: never an
 * alarm, never a source), and are listed. Whatever receivers still need at the end is returned
 * as unmet.
 */
import { greatCircleKm } from '../transfers/travel';

export interface RedeployEstablishment {
  finess: string;
  lat: number | null;
  lon: number | null;
  /** Whole units on hand. */
  onHand: number;
  /** Average daily use (units/day, corrected for days out of stock); null when unknown. */
  dailyUse: number | null;
}

export interface RedeployParameters {
  /** Givers have more than this many days of cover; a giver never ends below it. */
  surplusDays: number;
  /** Receivers have fewer than this many days of cover. */
  alertDays: number;
  /** Receivers are brought up to this many days of cover (≥ alertDays); default alertDays. */
  receiverTargetDays?: number;
}

export interface RedeployMove {
  from: string;
  to: string;
  units: number;
  /** Great-circle km, null when either side has no coordinates. */
  distanceKm: number | null;
  fromCoverBefore: number;
  fromCoverAfter: number;
  toCoverBefore: number;
  toCoverAfter: number;
}

export interface RedeployUnmet {
  finess: string;
  /** Units needed to reach the target cover. */
  needed: number;
  received: number;
  missing: number;
  coverBefore: number;
  coverAfter: number;
}

export interface RedeploySuggestion {
  parameters: Required<RedeployParameters>;
  moves: RedeployMove[];
  unmet: RedeployUnmet[];
  /** Establishments whose daily use is unknown (or zero, for which cover is infinite and nothing is needed). */
  unknown: string[];
  totals: { givers: number; receivers: number; movedUnits: number; neededUnits: number; missingUnits: number; totalKm: number };
}

const byFiness = (a: { finess: string }, b: { finess: string }): number => (a.finess < b.finess ? -1 : a.finess > b.finess ? 1 : 0);

/** Floating guard: 14 days × 2.5 = 35.000000000000004 must not cost a unit. */
const EPS = 1e-9;

/** Suggests the moves; see the module comment for the rules. */
export function suggestRedeployment(establishments: readonly RedeployEstablishment[], params: RedeployParameters): RedeploySuggestion {
  const parameters: Required<RedeployParameters> = { ...params, receiverTargetDays: params.receiverTargetDays ?? params.alertDays };
  const { surplusDays, alertDays, receiverTargetDays } = parameters;
  if (!(surplusDays >= alertDays) || !(alertDays >= 0) || !(receiverTargetDays >= alertDays)) {
    throw new RangeError(`redeployment thresholds must satisfy 0 ≤ alert ≤ target and alert ≤ surplus: ${JSON.stringify(parameters)}`);
  }
  const sorted = [...establishments].sort(byFiness);
  const unknown: string[] = [];
  interface Giver { e: RedeployEstablishment; available: number; onHand: number }
  interface Receiver { e: RedeployEstablishment; needed: number; received: number; cover: number }
  const givers: Giver[] = [];
  const receivers: Receiver[] = [];
  for (const e of sorted) {
    if (e.dailyUse === null || !(e.dailyUse > 0)) {
      unknown.push(e.finess);
      continue;
    }
    const onHand = Math.max(0, e.onHand);
    const cover = onHand / e.dailyUse;
    if (cover > surplusDays) {
      let available = Math.floor(onHand - surplusDays * e.dailyUse + EPS);
      // The guard above must never cost the threshold: check on the cover itself.
      while (available > 0 && (onHand - available) / e.dailyUse < surplusDays * (1 - 1e-12)) available--;
      if (available > 0) givers.push({ e, available, onHand });
    } else if (cover < alertDays) {
      const needed = Math.ceil(receiverTargetDays * e.dailyUse - onHand - EPS);
      if (needed > 0) receivers.push({ e, needed, received: 0, cover });
    }
  }
  receivers.sort((a, b) => a.cover - b.cover || byFiness(a.e, b.e));

  const distance = (g: Giver, r: Receiver): number | null => greatCircleKm(g.e, r.e);
  const far = (d: number | null): number => (d === null ? Number.POSITIVE_INFINITY : d);
  const moves: RedeployMove[] = [];
  for (const r of receivers) {
    const dailyUse = r.e.dailyUse as number;
    const start = Math.max(0, r.e.onHand);
    const dist = new Map<Giver, number | null>();
    const d = (g: Giver): number | null => {
      if (!dist.has(g)) dist.set(g, distance(g, r));
      return dist.get(g) ?? null;
    };
    while (r.received < r.needed) {
      const missing = r.needed - r.received;
      let pick: Giver | null = null;
      let pickAll = false;
      for (const g of givers) {
        if (g.available <= 0) continue;
        const covers = g.available >= missing;
        if (!pick) {
          pick = g;
          pickAll = covers;
          continue;
        }
        if (covers !== pickAll) {
          if (covers) {
            pick = g;
            pickAll = true;
          }
          continue;
        }
        const closer = far(d(g)) - far(d(pick));
        if (covers) {
          if (closer < 0 || (closer === 0 && byFiness(g.e, pick.e) < 0)) pick = g;
        } else if (g.available > pick.available || (g.available === pick.available && (closer < 0 || (closer === 0 && byFiness(g.e, pick.e) < 0)))) {
          pick = g;
        }
      }
      if (!pick) break;
      const units = Math.min(missing, pick.available);
      const giverUse = pick.e.dailyUse as number;
      const toBefore = start + r.received;
      moves.push({
        from: pick.e.finess,
        to: r.e.finess,
        units,
        distanceKm: d(pick),
        fromCoverBefore: pick.onHand / giverUse,
        fromCoverAfter: (pick.onHand - units) / giverUse,
        toCoverBefore: toBefore / dailyUse,
        toCoverAfter: (toBefore + units) / dailyUse,
      });
      pick.available -= units;
      pick.onHand -= units;
      r.received += units;
    }
  }
  const unmet: RedeployUnmet[] = receivers
    .filter((r) => r.received < r.needed)
    .map((r) => ({
      finess: r.e.finess,
      needed: r.needed,
      received: r.received,
      missing: r.needed - r.received,
      coverBefore: r.cover,
      coverAfter: (Math.max(0, r.e.onHand) + r.received) / (r.e.dailyUse as number),
    }));
  const movedUnits = moves.reduce((s, m) => s + m.units, 0);
  return {
    parameters,
    moves,
    unmet,
    unknown,
    totals: {
      givers: givers.length,
      receivers: receivers.length,
      movedUnits,
      neededUnits: receivers.reduce((s, r) => s + r.needed, 0),
      missingUnits: unmet.reduce((s, u) => s + u.missing, 0),
      totalKm: moves.reduce((s, m) => s + (m.distanceKm ?? 0), 0),
    },
  };
}

/**
 * The baseline the benchmark compares against: each receiver in turn takes from its nearest
 * giver, then the next nearest, with no preference for fewer moves. Same thresholds and units.
 */
export function suggestRedeploymentNearestFirst(establishments: readonly RedeployEstablishment[], params: RedeployParameters): { moves: number; movedUnits: number } {
  const target = params.receiverTargetDays ?? params.alertDays;
  const sorted = [...establishments].filter((e) => e.dailyUse !== null && e.dailyUse > 0).sort(byFiness);
  const givers = sorted
    .filter((e) => e.onHand / (e.dailyUse as number) > params.surplusDays)
    .map((e) => ({ e, available: Math.floor(e.onHand - params.surplusDays * (e.dailyUse as number) + EPS) }));
  const receivers = sorted.filter((e) => Math.max(0, e.onHand) / (e.dailyUse as number) < params.alertDays);
  let moves = 0;
  let movedUnits = 0;
  for (const r of receivers) {
    let missing = Math.ceil(target * (r.dailyUse as number) - Math.max(0, r.onHand) - EPS);
    const near = givers
      .filter((g) => g.available > 0)
      .map((g) => ({ g, km: greatCircleKm(g.e, r) ?? Number.POSITIVE_INFINITY }))
      .sort((a, b) => a.km - b.km || byFiness(a.g.e, b.g.e));
    for (const { g } of near) {
      if (missing <= 0) break;
      const units = Math.min(missing, g.available);
      g.available -= units;
      missing -= units;
      movedUnits += units;
      moves++;
    }
  }
  return { moves, movedUnits };
}
