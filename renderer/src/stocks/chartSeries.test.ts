import { describe, expect, it } from 'vitest';
import type { StockLine } from '../../../common/domain/stocks/model';
import { stockSeries } from './chartSeries';

const line = (finess: string, cip13: string, at: string, onHand: number, used7d: number | null): StockLine => ({
  id: `${finess}${cip13}${at}`,
  finess,
  cip13,
  molecule: 'propofol',
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
  version: 1,
});

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

  it('projects the stock-out from the last day at the observed use', () => {
    const s = stockSeries([line('A', '1', '2020-03-01T09:00:00Z', 100, 70)], '2020-03-01', '2020-03-07');
    // 100 units at 10 a day from 7 March cover the 8th to the 17th: the 18th is the first day not covered.
    expect(s.forecast?.stockOutDay).toBe('2020-03-18');
    expect(stockSeries([line('A', '1', '2020-03-01T09:00:00Z', 100, null)], '2020-03-01', '2020-03-02').forecast?.stockOutDay).toBeNull();
  });
});
