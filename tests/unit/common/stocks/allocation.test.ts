import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustAllocation, adjustmentProblemText, allocate, type AllocationInput, type AllocationLineInput } from '../../../../common/domain/stocks/allocation';

/** A line whose need is exactly `needUnits` vials of 10 mg (daily use 10 mg, nothing on hand). */
const line = (finess: string, needUnits: number, extra: Partial<AllocationLineInput> = {}): AllocationLineInput => ({
  finess,
  onHandMg: 0,
  dailyUseMg: 10,
  targetDays: needUnits,
  ...extra,
});
const round = (supplyUnits: number, lines: AllocationLineInput[], more: Partial<AllocationInput> = {}): AllocationInput => ({ supplyUnits, mgPerUnit: 10, lines, ...more });
const quotas = (input: AllocationInput): Record<string, number> => Object.fromEntries(allocate(input).lines.map((l) => [l.finess, l.quota]));

describe('allocation: need', () => {
  it('is target days × daily use − on hand in mg, turned into whole vials rounded up, never negative', () => {
    const p = allocate(round(1000, [
      { finess: '010000001', onHandMg: 25, dailyUseMg: 10, targetDays: 7 }, // 70 − 25 = 45 mg → 4.5 → 5 vials
      { finess: '010000002', onHandMg: 500, dailyUseMg: 10, targetDays: 7 }, // above target: 0
      { finess: '010000003', onHandMg: 0, dailyUseMg: 10, targetDays: 2 }, // 20 mg → exactly 2 vials
    ]));
    expect(p.lines.map((l) => [l.needMg, l.needUnits])).toEqual([[45, 5], [0, 0], [20, 2]]);
  });

  it('is unknown without consumption data: no share, listed, never an alarm', () => {
    const p = allocate(round(3, [line('010000001', 10), { finess: '010000002', onHandMg: 0, dailyUseMg: null, targetDays: 7 }]));
    const unknown = p.lines.find((l) => l.finess === '010000002');
    expect(unknown).toMatchObject({ needKnown: false, needMg: null, needUnits: 0, quota: 0, coverDaysBefore: null });
    expect(p.totals.unknownNeedLines).toBe(1);
    expect(p.totals.allocatedUnits).toBe(3);
  });
});

describe('allocation: key', () => {
  it('meets every need in full when supply allows and leaves the rest', () => {
    const p = allocate(round(100, [line('010000001', 30), line('010000002', 20)]));
    expect(p.parameters.mode).toBe('full');
    expect(p.lines.map((l) => l.quota)).toEqual([30, 20]);
    expect(p.totals).toMatchObject({ needUnits: 50, allocatedUnits: 50, leftUnits: 50 });
  });

  it('shares in proportion to need when short, exactly to the unit', () => {
    // 100 units for needs 300/200/100 (total 600): 50, 33.33, 16.67.
    const p = allocate(round(100, [line('010000001', 300), line('010000002', 200), line('010000003', 100)]));
    expect(p.parameters.mode).toBe('proportional');
    expect(p.lines.map((l) => l.share)).toEqual([0.5, 200 / 600, 100 / 600]);
    expect(p.lines.map((l) => l.floorUnits)).toEqual([50, 33, 16]);
    // 1 unit left: the largest remainder (.667) wins it.
    expect(p.lines.map((l) => l.quota)).toEqual([50, 33, 17]);
    expect(p.lines.map((l) => l.remainderRank)).toEqual([3, 2, 1]);
    expect(p.totals).toMatchObject({ allocatedUnits: 100, leftUnits: 0, remainderUnits: 1 });
  });

  it('breaks equal remainders by FINESS', () => {
    // 2 units for three equal needs: 0.667 each, floors 0, 2 units by rank.
    const p = allocate(round(2, [line('030000001', 5), line('010000001', 5), line('020000001', 5)]));
    expect(p.lines.map((l) => [l.finess, l.quota])).toEqual([['010000001', 1], ['020000001', 1], ['030000001', 0]]);
  });

  it('weights by COVID+ occupancy as 1 + s × occupancy ÷ mean, unknown counting as the mean', () => {
    const lines = [line('010000001', 100, { covidOccupied: 0 }), line('010000002', 100, { covidOccupied: 20 }), line('010000003', 100, { covidOccupied: null })];
    const p = allocate(round(120, lines, { weightByOccupancy: true }));
    expect(p.parameters.meanOccupancy).toBe(10);
    expect(p.lines.map((l) => l.weight)).toEqual([1, 3, 2]);
    expect(p.lines.map((l) => l.quota)).toEqual([20, 60, 40]);
    expect(allocate(round(120, lines, { weightByOccupancy: true, occupancyStrength: 0 })).lines.map((l) => l.quota)).toEqual([40, 40, 40]);
    expect(allocate(round(120, lines)).lines.map((l) => l.weight)).toEqual([1, 1, 1]);
  });

  it('caps a weighted share at the need and shares the excess again (water-filling)', () => {
    // Occupancies 0 and 200 (mean 100, s = 1): weights 1 and 3; weighted needs 100 and 30, so the
    // small line’s share 50 × 30 ÷ 130 = 11.5 exceeds its need of 10: capped, 40 go to the other.
    const p = allocate(round(50, [line('010000001', 100, { covidOccupied: 0 }), line('010000002', 10, { covidOccupied: 200 })], { weightByOccupancy: true }));
    const small = p.lines[1];
    expect(small.capped).toBe(true);
    expect(small.quota).toBe(10);
    expect(p.lines[0].quota).toBe(40);
    expect(p.parameters.passes).toBe(2);
  });

  it('gives the same lines whatever the order of the inputs', () => {
    const lines = [line('010000003', 7, { onHandMg: 3 }), line('010000001', 11), line('010000002', 13, { covidOccupied: 4 })];
    const a = allocate(round(17, lines, { weightByOccupancy: true }));
    const b = allocate(round(17, [lines[2], lines[0], lines[1]], { weightByOccupancy: true }));
    expect(b).toEqual(a);
  });

  it('refuses a fractional or negative supply (the UI checks what the user typed first)', () => {
    expect(() => allocate(round(2.5, [line('010000001', 3)]))).toThrow(RangeError);
    expect(() => allocate(round(-1, [line('010000001', 3)]))).toThrow(RangeError);
    expect(() => allocate(round(1, [line('010000001', 3), line('010000001', 2)]))).toThrow(/duplicate/);
  });
});

describe('allocation: properties over random rounds', () => {
  const lineArb = fc.record({
    onHandMg: fc.integer({ min: 0, max: 5000 }),
    dailyUseMg: fc.option(fc.double({ min: 0, max: 400, noNaN: true }), { nil: null, freq: 8 }),
    targetDays: fc.integer({ min: 0, max: 21 }),
    covidOccupied: fc.option(fc.integer({ min: 0, max: 80 }), { nil: null, freq: 6 }),
  });
  const roundArb = fc.record({
    supplyUnits: fc.integer({ min: 0, max: 5000 }),
    mgPerUnit: fc.constantFrom(5, 10, 25, 50, 100, 200, 12.5),
    weightByOccupancy: fc.boolean(),
    occupancyStrength: fc.double({ min: 0, max: 5, noNaN: true }),
    lines: fc.uniqueArray(fc.tuple(fc.integer({ min: 10000000, max: 999999999 }), lineArb), { selector: ([f]) => f, minLength: 1, maxLength: 40 }),
  }).map((r): AllocationInput => ({ ...r, lines: r.lines.map(([f, l]) => ({ finess: String(f).padStart(9, '0'), ...l })) }));

  it('allocates exactly the supply when short, exactly the need otherwise, no line above its need, whole units', () => {
    fc.assert(
      fc.property(roundArb, (input) => {
        const p = allocate(input);
        const total = p.lines.reduce((s, l) => s + l.quota, 0);
        expect(total).toBe(Math.min(input.supplyUnits, p.totals.needUnits));
        for (const l of p.lines) {
          expect(Number.isInteger(l.quota)).toBe(true);
          expect(l.quota).toBeGreaterThanOrEqual(0);
          expect(l.quota).toBeLessThanOrEqual(l.needUnits);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('unweighted, every quota is within one unit of supply × need ÷ total need', () => {
    fc.assert(
      fc.property(roundArb, (input) => {
        const p = allocate({ ...input, weightByOccupancy: false });
        if (p.parameters.mode !== 'proportional') return;
        for (const l of p.lines) expect(Math.abs(l.quota - (input.supplyUnits * l.needUnits) / p.totals.needUnits)).toBeLessThan(1);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same result for any permutation of the lines', () => {
    fc.assert(
      fc.property(roundArb, fc.infiniteStream(fc.nat()), (input, seeds) => {
        const shuffled = [...input.lines];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = seeds.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        expect(allocate({ ...input, lines: shuffled })).toEqual(allocate(input));
      }),
      { numRuns: 200 },
    );
  });

  it('never gives less to a line with more need (unweighted)', () => {
    fc.assert(
      fc.property(roundArb, (input) => {
        const lines = allocate({ ...input, weightByOccupancy: false }).lines.filter((l) => l.needKnown);
        for (const a of lines) for (const b of lines) if (a.needUnits > b.needUnits) expect(a.quota).toBeGreaterThanOrEqual(b.quota);
      }),
      { numRuns: 200 },
    );
  });
});

describe('allocation: adjusted lines', () => {
  const proposal = allocate(round(100, [line('010000001', 300), line('010000002', 200), line('010000003', 100)]));

  it('applies the user’s quotas and says what is left', () => {
    const a = adjustAllocation(proposal, [{ finess: '010000001', quota: 40 }]);
    expect(a.ok).toBe(true);
    expect(a.lines[0]).toMatchObject({ proposed: 50, quota: 40, delta: -10, adjusted: true });
    expect(a).toMatchObject({ allocatedUnits: 90, leftUnits: 10 });
  });

  it('refuses a round above the supply, and says by how much', () => {
    const a = adjustAllocation(proposal, [{ finess: '010000003', quota: 30 }]);
    expect(a.ok).toBe(false);
    expect(a.leftUnits).toBe(-13);
    expect(a.problems).toEqual([{ kind: 'overSupply', allocated: 113, supply: 100 }]);
    expect(a.problems.map(adjustmentProblemText)).toEqual(['Répartition de 113 unités pour 100 disponibles : 13 de trop, réduisez des lignes avant de valider.']);
  });

  it('refuses fractional, negative, duplicate and unknown lines, keeping the proposal for them', () => {
    const a = adjustAllocation(proposal, [
      { finess: '010000001', quota: 1.5 },
      { finess: '010000002', quota: -1 },
      { finess: '999999999', quota: 1 },
      { finess: '010000003', quota: 5 },
      { finess: '010000003', quota: 6 },
    ]);
    expect(a.ok).toBe(false);
    expect(a.problems.map((p) => p.kind).sort()).toEqual(['duplicate', 'negative', 'notWhole', 'unknownLine']);
    expect(a.lines.map((l) => l.quota)).toEqual([50, 33, 5]);
  });

  it('flags a quota above the need without refusing it', () => {
    const small = allocate(round(100, [line('010000001', 10)]));
    const a = adjustAllocation(small, [{ finess: '010000001', quota: 12 }]);
    expect(a.ok).toBe(true);
    expect(a.lines[0].aboveNeed).toBe(true);
    expect(a.leftUnits).toBe(88);
  });

  it('lets the user give to a line whose need is unknown, without calling it above need', () => {
    const p = allocate(round(10, [line('010000001', 20), { finess: '010000002', onHandMg: 0, dailyUseMg: null, targetDays: 7 }]));
    const a = adjustAllocation(p, [{ finess: '010000001', quota: 6 }, { finess: '010000002', quota: 4 }]);
    expect(a.ok).toBe(true);
    expect(a.lines[1]).toMatchObject({ needKnown: false, quota: 4, aboveNeed: false });
    expect(a.leftUnits).toBe(0);
  });
});
