import { describe, expect, it } from 'vitest';
import { addDays, forecastStockOut, forecastUse, leastSquares, stockOutAtConstantUse, type OccupancyPoint, type UsePoint } from '../../../../common/domain/stocks/forecast';

const AS_OF = '2020-04-07';
/** Seven days ending at AS_OF, oldest first. */
const days = Array.from({ length: 7 }, (_, i) => addDays(AS_OF, i - 6));
const useOf = (values: Array<number | null>, outOfStock: boolean[] = []): UsePoint[] => values.map((used, i) => ({ day: days[i], used, outOfStock: outOfStock[i] }));
const occOf = (values: Array<number | null>): OccupancyPoint[] => values.map((covidOccupied, i) => ({ day: days[i], covidOccupied }));

describe('forecast of daily use', () => {
  it('follows rising COVID+ occupancy: use per patient × the occupancy line', () => {
    // 2 vials per patient per day; occupancy 10, 12, …, 22 (slope +2/day).
    const occ = [10, 12, 14, 16, 18, 20, 22];
    const f = forecastUse(AS_OF, useOf(occ.map((o) => 2 * o)), occOf(occ));
    expect(f.method).toBe('occupancy');
    expect(f.trend).toBe('up');
    expect(f.usePerPatient).toBeCloseTo(2, 10);
    expect(f.occupancyLine?.slopePerDay).toBeCloseTo(2, 10);
    expect(f.daily[0]).toBeCloseTo(48, 8); // tomorrow: 24 patients × 2
    expect(f.daily[2]).toBeCloseTo(56, 8);
  });

  it('follows falling occupancy down, never below zero', () => {
    const occ = [30, 25, 20, 15, 10, 5, 0];
    const f = forecastUse(AS_OF, useOf([60, 50, 40, 30, 20, 10, 0]), occOf(occ));
    expect(f.trend).toBe('down');
    expect(f.daily.slice(0, 3)).toEqual([0, 0, 0]);
  });

  it('is flat when occupancy is stable', () => {
    const f = forecastUse(AS_OF, useOf([20, 22, 18, 20, 21, 19, 20]), occOf([10, 10, 10, 10, 10, 10, 10]));
    expect(f.trend).toBe('flat');
    expect(f.daily[10]).toBeCloseTo(20, 8);
  });

  it('falls back to the mean observed use without a usable occupancy series', () => {
    const f = forecastUse(AS_OF, useOf([10, 20, 30, 10, 20, 30, 20]), occOf([null, null, null, 5, 6, null, null]));
    expect(f.method).toBe('flat');
    expect(f.trend).toBeNull();
    expect(f.observedDailyUse).toBe(20);
    expect(f.daily.every((u) => u === 20)).toBe(true);
    expect(forecastUse(AS_OF, useOf([10, 10, 10, 10, 10, 10, 10]), occOf([0, 0, 0, 0, 0, 0, 0])).method).toBe('flat');
  });

  it('leaves out days out of stock from the observed use', () => {
    const f = forecastUse(AS_OF, useOf([10, 10, 0, 0, 10, 10, 10], [false, false, true, true]), []);
    expect(f.observedDailyUse).toBe(10);
  });

  it('is unknown without consumption data, and gives no stock-out date (never an alarm)', () => {
    const none = forecastStockOut(AS_OF, 5, useOf([null, null, null, null, null, null, null]), occOf([1, 2, 3, 4, 5, 6, 7]));
    expect(none).toMatchObject({ method: 'unknown', stockOutDay: null, daysLeft: null, beyondHorizon: false, daily: [] });
    expect(forecastStockOut(AS_OF, 0, [], []).method).toBe('unknown');
    // Reports older than the window do not count.
    expect(forecastUse(AS_OF, [{ day: '2020-03-01', used: 10 }], []).method).toBe('unknown');
  });
});

describe('stock-out date', () => {
  it('at constant use is the first day the stock does not cover', () => {
    expect(stockOutAtConstantUse(AS_OF, 25, 10)).toBe('2020-04-10'); // covers the 8th and 9th, short on the 10th
    expect(stockOutAtConstantUse(AS_OF, 20, 10)).toBe('2020-04-10'); // exactly 2 days: empty after the 9th
    expect(stockOutAtConstantUse(AS_OF, 0, 10)).toBe('2020-04-08');
    expect(stockOutAtConstantUse(AS_OF, 25, 0)).toBeNull();
    expect(stockOutAtConstantUse(AS_OF, 25, null)).toBeNull();
  });

  it('comes sooner when occupancy rises than at the observed use', () => {
    const occ = [10, 12, 14, 16, 18, 20, 22];
    const use = useOf(occ.map((o) => 2 * o));
    const rising = forecastStockOut(AS_OF, 300, use, occOf(occ));
    // 48 + 52 + 56 + 60 + 64 = 280 ≤ 300; + 68 > 300: short on day 6.
    expect(rising).toMatchObject({ stockOutDay: '2020-04-13', daysLeft: 5 });
    const flat = forecastStockOut(AS_OF, 300, use, []);
    expect(flat.method).toBe('flat');
    expect(flat.stockOutDay).toBe(stockOutAtConstantUse(AS_OF, 300, flat.observedDailyUse)); // 32/day: 9 days
    expect(flat.daysLeft).toBe(9);
  });

  it('is beyond the horizon, not "never", when use continues but the stock outlasts it', () => {
    const f = forecastStockOut(AS_OF, 10_000, useOf([1, 1, 1, 1, 1, 1, 1]), [], { horizonDays: 30 });
    expect(f).toMatchObject({ stockOutDay: null, beyondHorizon: true });
    const idle = forecastStockOut(AS_OF, 10, useOf([0, 0, 0, 0, 0, 0, 0]), []);
    expect(idle).toMatchObject({ stockOutDay: null, beyondHorizon: false });
  });
});

describe('least squares', () => {
  it('fits a line and refuses a single x', () => {
    expect(leastSquares([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toEqual({ intercept: 1, slope: 2 });
    expect(leastSquares([{ x: 1, y: 1 }, { x: 1, y: 2 }])).toBeNull();
  });
});
