import { describe, expect, it } from 'vitest';
import { importReports, parisWallClockToIso } from '../../../../common/domain/stocks/importApply';
import type { StockImportRow } from '../../../../common/domain/stocks/importCsv';
import { MAX_LINES_PER_REPORT } from '../../../../common/domain/stocks/model';

const row = (line: number, finess: string, cip: string, day: string, time: string | null): StockImportRow => ({
  line,
  finess,
  presentationId: cip,
  quantity: line,
  consumption7d: 7,
  dailyUse: 2,
  daysOutOfStock: null,
  deliveries: null,
  day,
  time,
});

describe('Paris wall clock to an instant', () => {
  it('follows summer and winter time', () => {
    expect(parisWallClockToIso('2020-03-24', '15:05')).toBe('2020-03-24T14:05:00.000Z');
    expect(parisWallClockToIso('2020-07-01', '15:05')).toBe('2020-07-01T13:05:00.000Z');
    expect(parisWallClockToIso('2020-10-25', '12:00')).toBe('2020-10-25T11:00:00.000Z');
  });
});

describe('import rows to reports', () => {
  let n = 0;
  const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

  it('makes one report per establishment and count time, lines in file order, the 7-day total kept over a daily figure', () => {
    const reports = importReports(
      [row(2, 'A', '1', '2020-03-24', '10:00'), row(3, 'B', '1', '2020-03-24', '10:00'), row(4, 'A', '2', '2020-03-24', '10:00'), row(5, 'A', '3', '2020-03-25', null)],
      id,
      'c',
      '2020-04-01T00:00:00Z',
    );
    expect(reports.map((r) => r.lines)).toEqual([[2, 4], [3], [5]]);
    expect(reports[0].args.lines[0]).toMatchObject({ cip13: '1', onHand: 2, used7d: 7, dailyUse: null, daysOut: 0, delivered: 0 });
    expect(reports[2].args.at).toBe('2020-03-25T11:00:00.000Z');
  });

  it('never dates a day-only count of today after now, and splits a long report', () => {
    const now = '2020-03-24T07:30:00.000Z';
    expect(importReports([row(2, 'A', '1', '2020-03-24', null)], id, '', now)[0].args.at).toBe(now);
    const many = Array.from({ length: MAX_LINES_PER_REPORT + 5 }, (_, i) => row(i + 2, 'A', String(i), '2020-03-20', '09:00'));
    expect(importReports(many, id, '', now).map((r) => r.args.lines.length)).toEqual([MAX_LINES_PER_REPORT, 5]);
  });
});
