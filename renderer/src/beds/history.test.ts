import { describe, expect, it } from 'vitest';
import { historyChart } from './history';
import type { UnitReport } from '../../../common/domain/beds/model';

const T0 = Date.parse('2026-03-20T00:00:00Z');
const r = (h: number, available: number, staffed: number, installed: number, version: number) =>
  ({ id: `r${version}`, at: new Date(T0 + h * 3_600_000).toISOString(), available, staffed, installed, version }) as UnitReport;
const BOX = { width: 400, height: 200, left: 30, right: 10, top: 10, bottom: 20 };

describe('the history chart', () => {
  it('draws step lines in time order, holding each figure until the next report and up to now', () => {
    // Newest first, the way beds.history answers.
    const c = historyChart([r(24, 2, 10, 12, 2), r(0, 6, 10, 12, 1)], T0, T0 + 48 * 3_600_000, BOX);
    expect(c.lines.available).toBe('M30.0 112.0H210.0V157.3H390.0');
    expect(c.points.map((p) => p.report.version)).toEqual([1, 2]);
    // The scale rounds the largest installed figure up to a round step (5 here: ticks 0, 5, 10, 15).
    expect(c.yMax).toBe(15);
    expect(c.yTicks.map((t) => t.value)).toEqual([0, 5, 10, 15]);
    expect(historyChart([r(0, 10, 90, 95, 1)], T0, T0 + 3_600_000, BOX).yTicks.map((t) => t.value)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('clips reports older than the window to its left edge', () => {
    const c = historyChart([r(-100, 5, 5, 5, 1)], T0, T0 + 10 * 3_600_000, BOX);
    expect(c.lines.installed.startsWith('M30.0')).toBe(true);
  });
});
