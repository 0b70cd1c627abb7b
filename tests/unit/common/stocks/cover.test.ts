import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../support/referential';
import { averageDailyUse, coverLevel, daysOfCover, lineCover, moleculeTotals, stockOutDate, worseLevel } from '../../../../common/domain/stocks/cover';
import { DEFAULT_COVER_THRESHOLDS, type StockLine } from '../../../../common/domain/stocks/model';
import { MEDICINES_FILE, productsFromCsv } from '../../../../common/domain/stocks/products';

const products = productsFromCsv(readFileSync(join(REPO_ROOT, 'resources', 'medicines', MEDICINES_FILE), 'utf8'));
const T = DEFAULT_COVER_THRESHOLDS;

function line(over: Partial<StockLine>): StockLine {
  return {
    id: 'l', finess: '750100125', cip13: '3400956100163', molecule: 'propofol', onHand: 100, used7d: 70, dailyUse: null, daysOut: 0, delivered: 0,
    comment: '', source: 'pui', reportedBy: 'x', reportedRole: 'pui:750100125', at: '2020-04-06T08:00:00.000Z', version: 1, ...over,
  };
}

describe('average daily use', () => {
  it('divides the 7-day use by the days the pharmacy had stock, not by 7', () => {
    expect(averageDailyUse({ used7d: 70, dailyUse: null, daysOut: 0 })).toBe(10);
    // Dry for 3 days: 40 units over 4 days is 10 a day, not 5.7.
    expect(averageDailyUse({ used7d: 40, dailyUse: null, daysOut: 3 })).toBe(10);
  });
  it('takes a given daily average as is, and is unknown without data or when dry all week', () => {
    expect(averageDailyUse({ used7d: null, dailyUse: 12.5, daysOut: 0 })).toBe(12.5);
    expect(averageDailyUse({ used7d: null, dailyUse: null, daysOut: 0 })).toBeNull();
    expect(averageDailyUse({ used7d: 0, dailyUse: null, daysOut: 7 })).toBeNull();
  });
});

describe('days of cover', () => {
  it('is on hand ÷ daily use, coloured by the thresholds', () => {
    expect(daysOfCover(25, 10)).toBe(2.5);
    expect(coverLevel(2.5, T)).toBe('red');
    expect(coverLevel(3, T)).toBe('orange');
    expect(coverLevel(6.99, T)).toBe('orange');
    expect(coverLevel(7, T)).toBe('green');
    expect(coverLevel(5, { red: 6, orange: 10 })).toBe('red');
  });
  it('is « inconnu », never an alarm, without consumption data; no stock-out when nothing is used', () => {
    expect(daysOfCover(0, null)).toBeNull();
    expect(coverLevel(null, T)).toBe('unknown');
    expect(lineCover(line({ onHand: 0, used7d: null }), T)).toEqual({ daily: null, days: null, noUse: false, level: 'unknown', stockOut: null });
    expect(daysOfCover(10, 0)).toBe(Infinity);
    expect(coverLevel(Infinity, T)).toBe('green');
    expect(stockOutDate('2020-04-06T08:00:00.000Z', Infinity)).toBeNull();
  });
  it('projects the stock-out from the count time', () => {
    expect(lineCover(line({ onHand: 25, used7d: 40, daysOut: 3 }), T)).toEqual({ daily: 10, days: 2.5, noUse: false, level: 'red', stockOut: '2020-04-08T20:00:00.000Z' });
  });
  it('carries a use of zero as « no stock-out », never as Infinity (JSON would make it null, « inconnu »)', () => {
    const c = lineCover(line({ onHand: 25, used7d: 0 }), T);
    expect(c).toEqual({ daily: 0, days: null, noUse: true, level: 'green', stockOut: null });
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });
});

describe('per molecule', () => {
  it('adds presentations in units and in mg, cover in mg over the presentations whose use is known', () => {
    const lines = [
      // propofol 500 mg flacons: 100 on hand, 10 a day → 50 g, 5 g a day
      line({ id: 'a', cip13: '3400956100163', onHand: 100, used7d: 70 }),
      // propofol 1 g syringes: 10 on hand, use unknown → 10 g more on hand
      line({ id: 'b', cip13: '3400956361168', onHand: 10, used7d: null, at: '2020-04-05T08:00:00.000Z' }),
      // another molecule is left out
      line({ id: 'c', cip13: '3400957152123', molecule: 'rocuronium', onHand: 1, used7d: 70 }),
    ];
    const t = moleculeTotals('propofol', lines, products, T);
    expect(t).toMatchObject({ onHandUnits: 110, onHandMg: 60_000, dailyUnits: 10, dailyMg: 5_000, days: 12, level: 'green', lines: 2 });
    expect(t?.oldestAt).toBe('2020-04-05T08:00:00.000Z');
    expect(t?.stockOut).toBe('2020-04-18T08:00:00.000Z');
    expect(moleculeTotals('atracurium', lines, products, T)).toBeNull();
    expect(moleculeTotals('propofol', [lines[1]], products, T)).toMatchObject({ days: null, noUse: false, level: 'unknown', stockOut: null });
    expect(moleculeTotals('propofol', [line({ used7d: 0 })], products, T)).toMatchObject({ days: null, noUse: true, level: 'green', stockOut: null });
  });
  it('shows the worse level, unknown never hiding a known one', () => {
    expect(worseLevel('unknown', 'green')).toBe('green');
    expect(worseLevel('orange', 'red')).toBe('red');
    expect(worseLevel('red', 'unknown')).toBe('red');
  });
});
