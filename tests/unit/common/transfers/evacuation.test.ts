import { describe, expect, it } from 'vitest';
import {
  planEvacuation,
  planEvacuationGreedy,
  EVACUATION_MODE,
  type EvacuationInput,
  type EvacuationPlan,
  type EvacuationUnit,
} from '../../../../common/domain/transfers/evacuation';
import { travelMinutes } from '../../../../common/domain/transfers/travel';
import { fr } from '../../../../common/i18n/fr';
import { seededRandom } from '../../../../common/seeded';

const GARE_STRASBOURG = { lat: 48.585, lon: 7.7346 };
const ADULT_ICU = ['REA_MED', 'REA_CHIR', 'REA_MEDCHIR'];


const NEEDS = [ADULT_ICU, ['REA_MED'], ['REA_CHIR', 'REA_MEDCHIR'], ['REA_PED'], ['USC_POLY', 'USC_MED', ...ADULT_ICU], ['REA_BRULES']];
const TYPES = ['REA_MED', 'REA_CHIR', 'REA_MEDCHIR', 'REA_PED', 'USC_POLY', 'USC_MED'];

/** Patients with overlapping needs and units scattered up to ~150 km around Strasbourg, beds tight on purpose. */
function generated(seed: number, patients: number, units: number, maxFree: number): EvacuationInput {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  return {
    arrival: GARE_STRASBOURG,
    patients: Array.from({ length: patients }, (_, i) => ({ id: `p${i}`, need: pick(NEEDS) })),
    units: Array.from({ length: units }, (_, i) => ({
      key: `u${i}`,
      unitType: pick(TYPES),
      free: Math.floor(r() * (maxFree + 1)),
      lat: r() < 0.05 ? null : GARE_STRASBOURG.lat + (r() - 0.5) * 2.4,
      lon: GARE_STRASBOURG.lon + (r() - 0.5) * 3,
    })),
  };
}

/** Every property a plan must have, whatever the planner. */
function checkPlan(input: EvacuationInput, plan: EvacuationPlan) {
  const units = new Map(input.units.map((u) => [u.key, u]));
  const patients = new Map(input.patients.map((p) => [p.id, p]));
  const count = new Map<string, number>();
  for (const a of plan.assignments) {
    const u = units.get(a.unitKey) as EvacuationUnit;
    expect(patients.get(a.patientId)?.need).toContain(u.unitType);
    expect(a.minutes).toBe(travelMinutes(input.arrival, u, EVACUATION_MODE));
    count.set(a.unitKey, (count.get(a.unitKey) ?? 0) + 1);
  }
  for (const line of plan.units) {
    expect(line.assigned).toBe(count.get(line.key) ?? 0);
    expect(line.left).toBe(line.freeBefore - line.assigned);
    expect(line.left).toBeGreaterThanOrEqual(0);
    expect(line.assigned).toBeLessThanOrEqual(Math.max(0, units.get(line.key)?.free ?? 0));
  }
  // Each patient is either placed once or reported unplaced once.
  expect([...plan.assignments.map((a) => a.patientId), ...plan.unplaced.map((u) => u.patientId)].sort()).toEqual([...patients.keys()].sort());
  expect(plan.totalMinutes).toBe(plan.assignments.reduce((s, a) => s + a.minutes, 0));
  expect(plan.placed).toBe(plan.assignments.length);
}

/** The true optimum by enumeration (small cases only): most placed, then least total minutes. */
function bruteForce(input: EvacuationInput): { placed: number; total: number } {
  const minutes = input.units.map((u) => travelMinutes(input.arrival, u, EVACUATION_MODE));
  const left = input.units.map((u) => u.free);
  let best = { placed: -1, total: Infinity };
  const go = (i: number, placed: number, total: number) => {
    if (i === input.patients.length) {
      if (placed > best.placed || (placed === best.placed && total < best.total)) best = { placed, total };
      return;
    }
    go(i + 1, placed, total);
    input.units.forEach((u, k) => {
      const m = minutes[k];
      if (left[k] <= 0 || m === null || !input.patients[i].need.includes(u.unitType)) return;
      left[k] -= 1;
      go(i + 1, placed + 1, total + m);
      left[k] += 1;
    });
  };
  go(0, 0, 0);
  return best;
}

describe('the evacuation planner', () => {
  it('never exceeds a unit’s free beds and matches every need, on 200 generated cases, both planners', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const input = generated(seed, 30, 12, 4);
      checkPlan(input, planEvacuation(input));
      checkPlan(input, planEvacuationGreedy(input));
    }
  });

  it('on 200 generated cases places at least as many patients as greedy, in no more total time when as many, and does strictly better on some', () => {
    let strictlyBetter = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const input = generated(seed, 40, 15, 4);
      const plan = planEvacuation(input);
      const greedy = planEvacuationGreedy(input);
      expect(plan.placed).toBeGreaterThanOrEqual(greedy.placed);
      if (plan.placed === greedy.placed) expect(plan.totalMinutes).toBeLessThanOrEqual(greedy.totalMinutes);
      if (plan.placed > greedy.placed || plan.totalMinutes < greedy.totalMinutes) strictlyBetter += 1;
    }
    expect(strictlyBetter).toBeGreaterThan(20);
  });

  it('finds the true optimum (most placed, then least total minutes) on 150 small cases checked by enumeration', () => {
    for (let seed = 1000; seed < 1150; seed++) {
      const input = generated(seed, 6, 4, 2);
      const plan = planEvacuation(input);
      expect({ placed: plan.placed, total: plan.totalMinutes }, `seed ${seed}`).toEqual(bruteForce(input));
    }
  });

  it('places every patient whose need has enough beds, sending the flexible patient further so the specific one fits', () => {
    // Greedy sends the first patient (any adult ICU) to the near REA_MED bed; the second (REA_MED only) then has none.
    const input: EvacuationInput = {
      arrival: GARE_STRASBOURG,
      patients: [
        { id: 'flexible', need: ADULT_ICU },
        { id: 'medOnly', need: ['REA_MED'] },
      ],
      units: [
        { key: 'near-med', unitType: 'REA_MED', free: 1, lat: 48.59, lon: 7.74 },
        { key: 'far-chir', unitType: 'REA_CHIR', free: 1, lat: 48.08, lon: 7.36 },
      ],
    };
    const greedy = planEvacuationGreedy(input);
    expect(greedy.placed).toBe(1);
    expect(greedy.unplaced).toEqual([{ patientId: 'medOnly', need: ['REA_MED'], reason: 'capacity_exhausted' }]);
    const plan = planEvacuation(input);
    expect(plan.assignments.map((a) => [a.patientId, a.unitKey])).toEqual([
      ['flexible', 'far-chir'],
      ['medOnly', 'near-med'],
    ]);
    expect(plan.unplaced).toEqual([]);
  });

  it('reports the patients it cannot place, and why', () => {
    const input: EvacuationInput = {
      arrival: GARE_STRASBOURG,
      patients: [
        { id: 'a1', need: ADULT_ICU },
        { id: 'a2', need: ADULT_ICU },
        { id: 'burns', need: ['REA_BRULES'] },
        { id: 'child', need: ['REA_PED'] },
        { id: 'nothing', need: [] },
      ],
      units: [
        { key: 'med', unitType: 'REA_MED', free: 1, lat: 48.59, lon: 7.74 },
        { key: 'burnsFull', unitType: 'REA_BRULES', free: 0, lat: 48.59, lon: 7.74 },
        { key: 'pedNowhere', unitType: 'REA_PED', free: 2, lat: null, lon: null },
      ],
    };
    const plan = planEvacuation(input);
    expect(plan.assignments.map((a) => a.patientId)).toEqual(['a1']);
    expect(plan.unplaced.map((u) => [u.patientId, u.reason])).toEqual([
      ['a2', 'capacity_exhausted'],
      ['burns', 'no_accepting_unit'],
      ['child', 'no_location'],
      ['nothing', 'no_accepting_unit'],
    ]);
    expect(plan.units.map((l) => [l.key, l.freeBefore, l.assigned, l.left, l.minutes === null])).toEqual([
      ['med', 1, 1, 0, false],
      ['burnsFull', 0, 0, 0, false],
      ['pedNowhere', 2, 0, 2, true],
    ]);
  });

  it('within one need, earlier patients get the nearer beds', () => {
    const input: EvacuationInput = {
      arrival: GARE_STRASBOURG,
      patients: [{ id: 'first', need: ADULT_ICU }, { id: 'second', need: ADULT_ICU }],
      units: [
        { key: 'far', unitType: 'REA_MED', free: 1, lat: 48.08, lon: 7.36 },
        { key: 'near', unitType: 'REA_MED', free: 1, lat: 48.59, lon: 7.74 },
      ],
    };
    expect(planEvacuation(input).assignments.map((a) => [a.patientId, a.unitKey])).toEqual([
      ['first', 'near'],
      ['second', 'far'],
    ]);
  });

  it('is deterministic, and refuses an input listing a patient or a unit twice', () => {
    const input = generated(7, 200, 60, 6);
    expect(planEvacuation(input)).toEqual(planEvacuation(structuredClone(input)));
    expect(() => planEvacuation({ ...input, patients: [...input.patients, input.patients[0]] })).toThrow(/listed twice/);
    expect(() => planEvacuation({ ...input, units: [...input.units, input.units[0]] })).toThrow(/listed twice/);
  });

  it('plans 200 patients onto 60 units in well under a second', () => {
    const input = generated(42, 200, 60, 6);
    const t0 = performance.now();
    const plan = planEvacuation(input);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(plan.placed).toBeGreaterThan(0);
  });

  it('reads its arithmetic in French to the regulator', () => {
    const t = fr.transfersPlanning;
    expect(t.unitArithmetic(3, 2, 1)).toBe('3 lits libres − 2 affectés = 1 restant');
    expect(t.roadMinutes(null)).toBe('temps de route inconnu');
    expect(t.totals(198, 200, 9120, 95)).toBe('198 patients placés sur 200 — 9120 min de route au total, trajet le plus long 95 min');
    expect(t.versusGreedy(340, 1)).toBe('1 patient de plus placé, 340 min de route en moins que l’affectation au plus proche');
    expect(t.versusGreedy(0, 0)).toBe('Aussi bon que l’affectation au plus proche, sans mieux');
    expect(t.unplaced.capacity_exhausted).toMatch(/attribués à d’autres patients/);
  });
});
