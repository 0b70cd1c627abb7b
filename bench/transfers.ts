/**
 * Transfers (issue 8).
 *
 * 1. Mass-evacuation planning: 200 patients arriving at the Gare de Strasbourg by
 *    medicalised TGV, onto 60 candidate units of Grand Est establishments (real FINESS
 *    coordinates), generated with a seeded PRNG so every run plans the same case. Target:
 *    < 1 s. Baseline: the greedy assignment (each patient in turn to its nearest unit with a
 *    free bed) on the same case in the same run; the figures are its time and the cost ratio
 *    (greedy total road minutes ÷ the plan's).
 *
 * Pure computation: no server, no process. Times are the median of 5 runs after a warm-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTerritories } from '../common/territory';
import { planEvacuation, planEvacuationGreedy, type EvacuationInput, type EvacuationPlan } from '../common/domain/transfers/evacuation';
import { REPO_ROOT } from './support/processes';
import { printAcceptRace, runAcceptRace, type AcceptRaceResult } from './transferAccepts';
import { seededRandom } from '../common/seeded';

const PATIENTS = 200;
const UNITS = 60;
const RUNS = 5;
const SEED = 2020_03_26; // the first medicalised TGV left Strasbourg on 26 March 2020
/** Gare de Strasbourg (WGS84). */
const ARRIVAL = { name: 'Gare de Strasbourg', lat: 48.5851, lon: 7.7346 };
const GRAND_EST = 'R:44';

const ADULT_ICU = ['REA_MED', 'REA_CHIR', 'REA_MEDCHIR'];
/**
 * Needs of the moved patients, mostly ventilated adults, some of whom only a medical ICU
 * takes, and stable ones a surveillance unit can take: overlapping needs are where a
 * nearest-first assignment goes wrong.
 */
const NEEDS: Array<{ need: string[]; weight: number }> = [
  { need: ADULT_ICU, weight: 45 },
  { need: ['REA_MED'], weight: 20 },
  { need: ['REA_CHIR', 'REA_MEDCHIR'], weight: 10 },
  { need: ['USC_POLY', 'USC_MED', ...ADULT_ICU], weight: 20 },
  { need: ['REA_PED'], weight: 2 },
  { need: ['REA_BRULES'], weight: 1 },
  { need: ['SI_USIC', 'USC_POLY'], weight: 2 },
];
const UNIT_TYPES_DRAWN = ['REA_MED', 'REA_MED', 'REA_CHIR', 'REA_MEDCHIR', 'REA_MEDCHIR', 'REA_MEDCHIR', 'USC_POLY', 'USC_MED', 'REA_PED', 'REA_BRULES', 'SI_USIC'];

export interface EvacuationPlanningResult {
  patients: number;
  units: number;
  freeBeds: number;
  arrival: string;
  planMs: number;
  planRunsMs: number[];
  greedyMs: number;
  greedyRunsMs: number[];
  placed: number;
  greedyPlaced: number;
  totalMinutes: number;
  greedyTotalMinutes: number;
  /** Greedy total ÷ plan total (> 1: the plan saves road time). */
  costRatio: number;
  maxMinutes: number;
  greedyMaxMinutes: number;
}

export interface TransfersBenchResult {
  planning: EvacuationPlanningResult;
  accepts: AcceptRaceResult;
}


const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** The generated case: 60 units of distinct Grand Est establishments with coordinates, 200 patients. */
export function evacuationCase(seed = SEED): EvacuationInput {
  const r = seededRandom(seed);
  const territories = loadTerritories((f) => readFileSync(join(REPO_ROOT, 'resources', 'referential', f), 'utf8'));
  const located = territories
    .establishmentsIn(GRAND_EST)
    .filter((e) => e.lat !== null && e.lon !== null)
    .sort((a, b) => (a.finess < b.finess ? -1 : 1));
  if (located.length < UNITS) throw new Error(`only ${located.length} Grand Est establishments have coordinates`);
  // Seeded Fisher–Yates, then the first 60.
  for (let i = located.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [located[i], located[j]] = [located[j], located[i]];
  }
  const units = located.slice(0, UNITS).map((e) => {
    const unitType = UNIT_TYPES_DRAWN[Math.floor(r() * UNIT_TYPES_DRAWN.length)];
    return { key: `${e.finess}/${unitType}`, unitType, free: 2 + Math.floor(r() * 9), lat: e.lat, lon: e.lon };
  });
  const totalWeight = NEEDS.reduce((s, n) => s + n.weight, 0);
  const patients = Array.from({ length: PATIENTS }, (_, i) => {
    let x = r() * totalWeight;
    const n = NEEDS.find((c) => (x -= c.weight) < 0) ?? NEEDS[0];
    return { id: `P${String(i + 1).padStart(3, '0')}`, need: n.need };
  });
  return { arrival: { lat: ARRIVAL.lat, lon: ARRIVAL.lon }, patients, units };
}

function timed(f: () => EvacuationPlan): { ms: number[]; plan: EvacuationPlan } {
  let plan = f(); // warm-up (JIT)
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    plan = f();
    ms.push(performance.now() - t0);
  }
  return { ms, plan };
}

/** Plans 200 patients onto 60 units: the planner's time (median of 5) against greedy's, and the cost ratio. */
export function runEvacuationPlanning(): EvacuationPlanningResult {
  const input = evacuationCase();
  const plan = timed(() => planEvacuation(input));
  const greedy = timed(() => planEvacuationGreedy(input));
  return {
    patients: input.patients.length,
    units: input.units.length,
    freeBeds: input.units.reduce((s, u) => s + u.free, 0),
    arrival: ARRIVAL.name,
    planMs: median(plan.ms),
    planRunsMs: plan.ms,
    greedyMs: median(greedy.ms),
    greedyRunsMs: greedy.ms,
    placed: plan.plan.placed,
    greedyPlaced: greedy.plan.placed,
    totalMinutes: plan.plan.totalMinutes,
    greedyTotalMinutes: greedy.plan.totalMinutes,
    costRatio: greedy.plan.totalMinutes / plan.plan.totalMinutes,
    maxMinutes: plan.plan.maxMinutes,
    greedyMaxMinutes: greedy.plan.maxMinutes,
  };
}

export function printEvacuationPlanning(r: EvacuationPlanningResult): void {
  const each = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(`Evacuation planning     : ${r.patients} patients from ${r.arrival} onto ${r.units} Grand Est units (${r.freeBeds} free beds)`);
  console.log(`  min-cost flow         : ${r.planMs.toFixed(2)} ms median of ${r.planRunsMs.length} (${each(r.planRunsMs)}) (target < 1,000 ms)`);
  console.log(`  greedy baseline       : ${r.greedyMs.toFixed(2)} ms median (${each(r.greedyRunsMs)}) → ×${(r.planMs / r.greedyMs).toFixed(1)} the time`);
  console.log(`  placed                : ${r.placed} (greedy ${r.greedyPlaced})`);
  console.log(`  total road time       : ${r.totalMinutes} min (greedy ${r.greedyTotalMinutes} min) → greedy ÷ plan = ${r.costRatio.toFixed(3)}; longest trip ${r.maxMinutes} min (greedy ${r.greedyMaxMinutes})`);
}

/** Every transfers benchmark (today: the evacuation planner). */
export async function runTransfers(): Promise<TransfersBenchResult> {
  return { planning: runEvacuationPlanning(), accepts: await runAcceptRace() };
}

export function printTransfers(r: TransfersBenchResult): void {
  console.log('\n## Transfers');
  printEvacuationPlanning(r.planning);
  printAcceptRace(r.accepts);
}
