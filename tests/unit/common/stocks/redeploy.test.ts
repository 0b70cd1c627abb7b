import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suggestRedeployment, type RedeployEstablishment } from '../../../../common/domain/stocks/redeploy';

/** Points along a parallel near Strasbourg: 0.1° of longitude ≈ 7.4 km. */
const at = (finess: string, lonOffset: number, onHand: number, dailyUse: number | null): RedeployEstablishment => ({ finess, lat: 48.58, lon: 7.7 + lonOffset, onHand, dailyUse });
const params = { surplusDays: 14, alertDays: 7 };

describe('redeployment suggestion', () => {
  it('suggests nothing when no one has a surplus', () => {
    const s = suggestRedeployment([at('670000001', 0, 20, 10), at('670000002', 0.1, 100, 10)], params);
    expect(s.moves).toEqual([]);
    expect(s.unmet).toEqual([{ finess: '670000001', needed: 50, received: 0, missing: 50, coverBefore: 2, coverAfter: 2 }]);
  });

  it('suggests nothing when no one is in alert', () => {
    expect(suggestRedeployment([at('670000001', 0, 100, 10), at('670000002', 0.1, 500, 10)], params).moves).toEqual([]);
  });

  it('sends from the nearest giver that can cover the whole need, in one move', () => {
    const s = suggestRedeployment(
      [
        at('670000001', 0, 20, 10), // cover 2 d: needs 70 − 20 = 50 to reach 7 d
        at('670000002', 0.1, 200, 10), // surplus 200 − 140 = 60, near: enough
        at('670000003', 0.05, 160, 10), // surplus 20, nearer but not enough alone
        at('670000004', 1.0, 900, 10), // surplus 760, far
      ],
      params,
    );
    expect(s.moves.map((m) => [m.from, m.to, m.units])).toEqual([['670000002', '670000001', 50]]);
    expect(s.moves[0]).toMatchObject({ fromCoverBefore: 20, fromCoverAfter: 15, toCoverBefore: 2, toCoverAfter: 7 });
    expect(s.moves[0].distanceKm).toBeCloseTo(7.37, 1);
    expect(s.unmet).toEqual([]);
  });

  it('takes from the largest giver first when none can cover alone (fewest moves)', () => {
    const s = suggestRedeployment(
      [
        at('670000001', 0, 0, 10), // needs 70
        at('670000002', 0.05, 170, 10), // 30, nearest
        at('670000003', 0.5, 190, 10), // 50, farther but larger
        at('670000004', 0.1, 160, 10), // 20
      ],
      params,
    );
    // 50 from the largest, then the 20 still missing from the nearest able to cover them whole
    // (670000002, 30 to spare at 3.7 km, before 670000004 at 7.4 km): two moves, not three.
    expect(s.moves.map((m) => [m.from, m.units])).toEqual([['670000003', 50], ['670000002', 20]]);
  });

  it('serves the most urgent receiver first and reports what remains unmet', () => {
    const s = suggestRedeployment([at('670000001', 0, 60, 10), at('670000002', 0.3, 10, 10), at('670000003', 0.2, 170, 10)], params);
    expect(s.moves).toEqual([expect.objectContaining({ from: '670000003', to: '670000002', units: 30 })]);
    // The giver had 30 to spare: all to the most urgent (cover 1 d), none left for the other (6 d).
    expect(s.unmet).toEqual([
      expect.objectContaining({ finess: '670000002', needed: 60, received: 30, missing: 30, coverAfter: 4 }),
      expect.objectContaining({ finess: '670000001', needed: 10, received: 0, missing: 10 }),
    ]);
    expect(s.totals).toMatchObject({ movedUnits: 30, neededUnits: 70, missingUnits: 40 });
  });

  it('leaves out establishments whose use is unknown, as givers and as receivers', () => {
    const s = suggestRedeployment([at('670000001', 0, 0, null), at('670000002', 0.1, 5000, null), at('670000003', 0.2, 0, 10)], params);
    expect(s.unknown).toEqual(['670000001', '670000002']);
    expect(s.moves).toEqual([]);
  });

  it('treats an establishment without coordinates as the farthest, with an unknown distance', () => {
    const s = suggestRedeployment([at('670000001', 0, 0, 10), { finess: '670000002', lat: null, lon: null, onHand: 500, dailyUse: 10 }, at('670000003', 2, 500, 10)], params);
    expect(s.moves.map((m) => [m.from, m.distanceKm === null])).toEqual([['670000003', false]]);
    const only = suggestRedeployment([at('670000001', 0, 0, 10), { finess: '670000002', lat: null, lon: null, onHand: 500, dailyUse: 10 }], params);
    expect(only.moves).toEqual([expect.objectContaining({ from: '670000002', distanceKm: null, units: 70 })]);
  });

  it('is the same whatever the order of the establishments', () => {
    const list = [at('670000001', 0, 0, 10), at('670000002', 0.05, 170, 10), at('670000003', 0.5, 190, 10), at('670000004', 0.1, 160, 10), at('670000005', 0.3, 5, 3)];
    expect(suggestRedeployment([...list].reverse(), params)).toEqual(suggestRedeployment(list, params));
  });

  const establishmentsArb = fc.uniqueArray(
    fc.record({
      finess: fc.integer({ min: 670000000, max: 679999999 }).map(String),
      lat: fc.option(fc.double({ min: 47.5, max: 49.5, noNaN: true }), { nil: null, freq: 10 }),
      lon: fc.option(fc.double({ min: 6, max: 8.2, noNaN: true }), { nil: null, freq: 10 }),
      onHand: fc.integer({ min: 0, max: 2000 }),
      dailyUse: fc.option(fc.double({ min: 0, max: 60, noNaN: true }), { nil: null, freq: 8 }),
    }),
    { selector: (e) => e.finess, maxLength: 40 },
  );
  const paramsArb = fc.record({ alertDays: fc.integer({ min: 0, max: 10 }), extra: fc.integer({ min: 0, max: 20 }), raise: fc.integer({ min: 0, max: 10 }) }).map((p) => ({
    alertDays: p.alertDays,
    surplusDays: p.alertDays + p.extra,
    receiverTargetDays: p.alertDays + p.raise,
  }));

  it('never pushes a giver below its surplus threshold, moves whole units, never gives a receiver more than it needs', () => {
    fc.assert(
      fc.property(establishmentsArb, paramsArb, (list, p) => {
        const s = suggestRedeployment(list, p);
        const byId = new Map(list.map((e) => [e.finess, e]));
        const out = new Map<string, number>();
        const into = new Map<string, number>();
        for (const m of s.moves) {
          expect(Number.isInteger(m.units) && m.units > 0).toBe(true);
          expect(m.from).not.toBe(m.to);
          out.set(m.from, (out.get(m.from) ?? 0) + m.units);
          into.set(m.to, (into.get(m.to) ?? 0) + m.units);
        }
        for (const [finess, units] of out) {
          const g = byId.get(finess) as RedeployEstablishment;
          expect(into.has(finess)).toBe(false);
          expect((g.onHand - units) / (g.dailyUse as number)).toBeGreaterThanOrEqual(p.surplusDays - 1e-9);
        }
        for (const [finess, units] of into) {
          const r = byId.get(finess) as RedeployEstablishment;
          expect(r.onHand / (r.dailyUse as number)).toBeLessThan(p.alertDays);
          expect((r.onHand + units - 1) / (r.dailyUse as number)).toBeLessThan(p.receiverTargetDays);
        }
        expect(s.totals.movedUnits + s.totals.missingUnits).toBe(s.totals.neededUnits);
      }),
      { numRuns: 400 },
    );
  });
});
