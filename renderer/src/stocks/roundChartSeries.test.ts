import { describe, expect, it } from 'vitest';
import { allocate, type AllocationLineInput } from '../../../common/domain/stocks/allocation';
import { roundChartSeries, type RoundChartLine } from './roundChartSeries';

const MG = 500;

/** A round as the key computes it, its lines as the chart receives them (quota = proposed unless overridden). */
function round(inputs: AllocationLineInput[], supplyUnits: number, quotas: Record<string, number> = {}) {
  const proposal = allocate({ supplyUnits, mgPerUnit: MG, lines: inputs });
  const lines: RoundChartLine[] = proposal.lines.map((f) => ({ finess: f.finess, name: `Hôpital ${f.finess}`, quota: quotas[f.finess] ?? f.quota, mgPerUnit: MG, figures: f }));
  return { proposal, lines };
}

const INPUTS: AllocationLineInput[] = [
  { finess: '750000001', onHandMg: 1_000, dailyUseMg: 2_000, targetDays: 7 }, // need 13 000 mg = 26 u.
  { finess: '750000002', onHandMg: 0, dailyUseMg: 5_000, targetDays: 7 }, // 35 000 mg = 70 u.
  { finess: '750000003', onHandMg: 50_000, dailyUseMg: 1_000, targetDays: 7 }, // none
  { finess: '750000004', onHandMg: 2_000, dailyUseMg: null, targetDays: 7 }, // unknown
  { finess: '750000005', onHandMg: 500, dailyUseMg: 1_000, targetDays: 7 }, // 6 500 mg = 13 u.
];

describe('roundChartSeries', () => {
  it('sorts by need, largest first, unknown needs last, and its totals are the round’s (supply short)', () => {
    const { proposal, lines } = round(INPUTS, 50);
    const s = roundChartSeries(lines, 50);
    // 750000003 (no need) and 750000004 (unknown need) get nothing: counted, not drawn.
    expect(s.finess).toEqual(['750000002', '750000001', '750000005']);
    expect(s.need).toEqual([70, 26, 13]);
    expect(s.totals.needUnits).toBe(proposal.totals.needUnits);
    expect(s.totals.needUnits).toBe(109);
    expect(s.totals.allocatedUnits).toBe(proposal.totals.allocatedUnits);
    expect(s.totals.allocatedUnits).toBe(50);
    expect(s.allocated.reduce((a, b) => a + b, 0)).toBe(50);
    expect(s.totals).toMatchObject({ supplyUnits: 50, withNeed: 3, servedInFull: 0, lines: 5, drawn: 3 });
    // Every series has one value per drawn line, in the same order.
    for (const k of ['names', 'need', 'allocated', 'coverBefore', 'coverAfter'] as const) expect(s[k]).toHaveLength(3);
    expect(s.names[0]).toBe('Hôpital 750000002');
  });

  it('counts the lines served in full and gives the cover after the validated quota', () => {
    const { proposal, lines } = round(INPUTS, 500);
    const s = roundChartSeries(lines, 500);
    expect(s.totals.allocatedUnits).toBe(proposal.totals.allocatedUnits);
    expect(s.totals.allocatedUnits).toBe(109);
    expect(s.totals.servedInFull).toBe(3);
    // 750000001: (1 000 + 26 × 500) ÷ 2 000 = 7 days; before: 0.5 day.
    const i = s.finess.indexOf('750000001');
    expect(s.coverBefore[i]).toBeCloseTo(0.5);
    expect(s.coverAfter[i]).toBeCloseTo(7);
    expect(s.finess).not.toContain('750000004');
  });

  it('draws a line of unknown need that was given units by hand, last, with no cover after', () => {
    const { proposal, lines } = round(INPUTS, 500, { '750000004': 7 });
    const s = roundChartSeries(lines, 500);
    expect(s.finess.at(-1)).toBe('750000004');
    expect(s.need.at(-1)).toBeNull();
    expect(s.allocated.at(-1)).toBe(7);
    expect(s.coverAfter.at(-1)).toBeNull();
    expect(s.totals.allocatedUnits).toBe(proposal.totals.allocatedUnits + 7);
    expect(s.totals.needUnits).toBe(proposal.totals.needUnits);
  });

  it('uses the validated quotas, not the proposed ones, and ties on need go by FINESS', () => {
    const tie: AllocationLineInput[] = [
      { finess: '750000009', onHandMg: 0, dailyUseMg: 1_000, targetDays: 5 },
      { finess: '750000008', onHandMg: 0, dailyUseMg: 1_000, targetDays: 5 },
    ];
    const { lines } = round(tie, 100, { '750000009': 4 });
    const s = roundChartSeries(lines, 100);
    expect(s.finess).toEqual(['750000008', '750000009']);
    expect(s.allocated).toEqual([10, 4]);
    expect(s.totals).toMatchObject({ allocatedUnits: 14, needUnits: 20, servedInFull: 1, withNeed: 2 });
  });
});
