import { describe, expect, it } from 'vitest';
import { mergeUnits, unitKeyOf } from './store';
import type { UnitView } from '../../../common/domain/beds/views';

function unit(finess: string, unitType: string, available: number): UnitView {
  return {
    id: `${finess}-${unitType}-${available}`,
    finess,
    unitType,
    unitId: unitType,
    unitName: null,
    atKnown: true,
    surge: null,
    assignment: null,
    temporary: false,
    ror: null,
    installed: 10,
    staffed: 10,
    available,
    covidPos: null,
    covidNeg: null,
    extra24h: null,
    extra72h: null,
    comment: '',
    source: 'app',
    reportedBy: 'x',
    reportedRole: 'establishment:x',
    at: '2026-03-24T12:00:00.000Z',
    version: 1,
    pending: false,
    establishmentName: 'Hôpital',
    establishmentShortName: 'Hôpital',
    city: 'Paris',
    dep: '75',
    region: '11',
    lat: null,
    lon: null,
  };
}

describe('merging unit changes into the bed board', () => {
  it('a change replaces its unit in place, keeps the others as they were, adds a new one at the end and drops a removed one', () => {
    const a = unit('750100125', 'REA_MED', 4);
    const b = unit('750100125', 'USC_MED', 2);
    const c = unit('750000523', 'REA_MED', 1);
    const first = mergeUnits(new Map(), { full: true, units: [a, b, c], removed: [] });
    const a2 = unit('750100125', 'REA_MED', 3);
    const d = unit('920000460', 'REA_PED', 6);
    const next = mergeUnits(first.units, { full: false, units: [a2, d], removed: [{ finess: '750000523', unitId: 'REA_MED' }] });
    expect([...next.units.values()]).toEqual([a2, b, d]);
    expect(next.units.get(unitKeyOf(b))).toBe(b);
    expect(next.delta).toEqual({ full: false, changed: [a2, d], removed: ['750000523:REA_MED'] });
  });

  it('a removal of a unit the board never had is not reported', () => {
    const a = unit('750100125', 'REA_MED', 4);
    const merged = mergeUnits(new Map([[unitKeyOf(a), a]]), { full: false, units: [], removed: [{ finess: '750000523', unitId: 'REA_MED' }] });
    expect(merged.delta.removed).toEqual([]);
    expect([...merged.units.values()]).toEqual([a]);
  });

  it('a full answer replaces the picture and names the units that are gone', () => {
    const a = unit('750100125', 'REA_MED', 4);
    const b = unit('750100125', 'USC_MED', 2);
    const before = mergeUnits(new Map(), { full: true, units: [a, b], removed: [] });
    const after = mergeUnits(before.units, { full: true, units: [b], removed: [] });
    expect([...after.units.values()]).toEqual([b]);
    expect(after.delta).toEqual({ full: true, changed: [b], removed: ['750100125:REA_MED'] });
  });
});
