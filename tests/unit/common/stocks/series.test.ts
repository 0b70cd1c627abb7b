import { describe, expect, it } from 'vitest';
import type { StockLine } from '../../../../common/domain/stocks/model';
import { chartForecasts, occupancySeries, parisDayOf, stockSeries, type OccupancyReport, type StockChartSeries } from '../../../../common/domain/stocks/series';

const line = (finess: string, cip13: string, at: string, onHand: number, used7d: number | null, version = 1): StockLine => ({
  id: `${finess}${cip13}${at}${version}`,
  finess,
  cip13,
  molecule: 'cisatracurium',
  onHand,
  used7d,
  dailyUse: null,
  daysOut: 0,
  delivered: 0,
  comment: '',
  source: 'pui',
  reportedBy: 'x',
  reportedRole: 'x',
  at,
  version,
});
const bed = (finess: string, unitId: string, at: string, covidPos: number | null, version = 1): OccupancyReport => ({ finess, unitId, at, covidPos, version });

describe('the stock chart’s series', () => {
  it('carries each presentation’s latest count forward and sums presentations and establishments', () => {
    const s = stockSeries(
      [line('A', '1', '2020-03-01T09:00:00Z', 100, 70), line('A', '1', '2020-03-03T09:00:00Z', 80, 140), line('A', '2', '2020-03-02T09:00:00Z', 10, 7), line('B', '1', '2020-03-02T20:00:00Z', 5, null)],
      '2020-02-29',
      '2020-03-04',
    );
    expect(s.days).toEqual(['2020-02-29', '2020-03-01', '2020-03-02', '2020-03-03', '2020-03-04']);
    expect(s.onHand).toEqual([null, 100, 115, 95, 95]);
    expect(s.daily).toEqual([null, 10, 11, 21, 21]);
  });

  it('tells Paris days across both clock changes', () => {
    expect(parisDayOf('2020-03-28T22:59:59Z')).toBe('2020-03-28'); // 23:59 CET
    expect(parisDayOf('2020-03-28T23:00:00Z')).toBe('2020-03-29'); // midnight CET
    expect(parisDayOf('2020-03-29T21:59:00Z')).toBe('2020-03-29'); // 23:59 CEST
    expect(parisDayOf('2020-03-29T22:00:00Z')).toBe('2020-03-30');
    expect(parisDayOf('2020-10-24T22:30:00Z')).toBe('2020-10-25'); // 00:30 CEST
    expect(parisDayOf('2020-10-25T22:30:00Z')).toBe('2020-10-25'); // 23:30 CET
    expect(parisDayOf('2020-04-07T10:00:00+02:00')).toBe('2020-04-07');
  });

  it('reads days in Paris: a count at 23:30 UTC belongs to the next day', () => {
    const s = stockSeries([line('A', '1', '2020-03-01T23:30:00Z', 40, 70)], '2020-03-01', '2020-03-02');
    expect(s.onHand).toEqual([null, 40]);
  });

  it('sums COVID+ patients over the units, each unit’s latest report of the day, and says null where no unit tells', () => {
    const days = ['2020-04-01', '2020-04-02', '2020-04-03'];
    const occ = occupancySeries(
      [
        bed('A', 'REA', '2020-04-01T08:00:00Z', 5),
        bed('A', 'REA', '2020-04-01T18:00:00Z', 7), // later the same day: replaces 5
        bed('A', 'USC', '2020-04-02T08:00:00Z', 3),
        bed('B', 'REA', '2020-04-02T09:00:00Z', null), // no COVID+ figure: adds nothing
        bed('A', 'REA', '2020-04-03T08:00:00Z', 2, 2),
        bed('A', 'REA', '2020-04-03T08:00:00Z', 4, 1), // same instant, older version: loses
      ],
      days,
    );
    expect(occ).toEqual([7, 10, 5]);
    expect(occupancySeries([bed('B', 'REA', '2020-04-01T09:00:00Z', null)], days)).toEqual([null, null, null]);
  });
});

describe('the chart’s two projections', () => {
  // Docs/stocks-method.md § 3's example: occupancy 10, 12, …, 22 over 7 days (two units sharing
  // the patients), 2 vials per patient a day, 300 vials on hand on the last day.
  const occ = [10, 12, 14, 16, 18, 20, 22];
  const days = occ.map((_, k) => `2020-04-0${k + 1}`);
  const lines = occ.map((o, k) => line('A', '1', `${days[k]}T09:00:00Z`, k === 6 ? 300 : 500, 7 * 2 * o));
  const reports = occ.flatMap((o, k) => [bed('A', 'REA', `${days[k]}T07:00:00Z`, o / 2), bed('A', 'USC', `${days[k]}T07:00:00Z`, o / 2), bed('A', 'SI', `${days[k]}T07:00:00Z`, null)]);
  const series = (): StockChartSeries => {
    const s = stockSeries(lines, days[0], days[6]);
    return { ...s, covidOccupied: occupancySeries(reports, s.days), establishments: 1 };
  };

  it('at the observed use: 32 vials a day (the mean of 20…44) run 300 out on the tenth day', () => {
    const { observed } = chartForecasts(series());
    expect(observed?.method).toBe('flat');
    expect(observed?.observedDailyUse).toBeCloseTo(32, 10);
    expect(observed?.stockOutDay).toBe('2020-04-17');
  });

  it('following the rising occupancy: 48, 52, 56, 60, 64 (= 280) then 68 run out on the sixth day', () => {
    const { occupancy } = chartForecasts(series());
    expect(occupancy?.method).toBe('occupancy');
    expect(occupancy?.trend).toBe('up');
    expect(occupancy?.usePerPatient).toBeCloseTo(2, 10);
    expect(occupancy?.occupancyLine?.slopePerDay).toBeCloseTo(2, 10);
    expect(occupancy?.daily.slice(0, 6).map((d) => Math.round(d * 1e6) / 1e6)).toEqual([48, 52, 56, 60, 64, 68]);
    expect(occupancy?.stockOutDay).toBe('2020-04-13');
  });

  it('without occupancy both projections agree (flat), and nothing counted gives no projection', () => {
    const s = { ...series(), covidOccupied: occ.map(() => null) };
    const f = chartForecasts(s);
    expect(f.occupancy?.method).toBe('flat');
    expect(f.occupancy?.stockOutDay).toBe(f.observed?.stockOutDay);
    expect(chartForecasts({ days: ['2020-04-01'], onHand: [null], daily: [null], covidOccupied: [3], establishments: 0 })).toEqual({ observed: null, occupancy: null });
  });
});
