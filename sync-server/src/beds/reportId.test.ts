import { describe, expect, it } from 'vitest';
import { UnitReportArgs } from '../../../common/domain/beds/model';
import { timeOrderedUuid } from './reportId';

describe('report ids made by the server', () => {
  it('are version-7 UUIDs the report schema accepts, carrying their millisecond', () => {
    const at = Date.parse('2026-11-30T10:00:00.123Z');
    const id = timeOrderedUuid(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
    const args = { id, finess: '750100125', unitType: 'REA_MED', installed: 10, staffed: 8, available: 2, covidPos: null, covidNeg: null, comment: '' };
    expect(UnitReportArgs.safeParse(args).success).toBe(true);
  });

  it('sort by time across milliseconds and never repeat, past many refills of their random bytes', () => {
    const start = Date.parse('2026-11-30T10:00:00Z');
    const ids: string[] = [];
    for (let ms = 0; ms < 20; ms++) for (let i = 0; i < 1_000; i++) ids.push(timeOrderedUuid(start + ms));
    expect(new Set(ids).size).toBe(ids.length);
    // Each millisecond's ids come after every id of the one before.
    for (let ms = 1; ms < 20; ms++) {
      const previous = ids.slice((ms - 1) * 1_000, ms * 1_000).sort();
      const current = ids.slice(ms * 1_000, (ms + 1) * 1_000).sort();
      expect(current[0] > previous[previous.length - 1]).toBe(true);
    }
  });
});
