import { describe, expect, it } from 'vitest';
import { decodeUnitChanges, encodeUnitChanges } from '../../common/domain/beds/wire';
import { testTerritories } from '../../tests/support/referential';
import { encodeVisibleUnits, unitViews } from './handlers';
import type { UnitChanges, VisibleUnit } from './queries';

const PITIE = '750100125';
const BICHAT = '750100232';

function report(over: Partial<VisibleUnit>): VisibleUnit {
  return {
    id: 'r-1',
    finess: PITIE,
    unitId: 'REA_MED',
    unitName: null,
    unitType: 'REA_MED',
    installed: 20,
    staffed: 18,
    available: 3,
    covidPos: null,
    covidNeg: null,
    extra24h: null,
    extra72h: null,
    surge: null,
    assignment: null,
    temporary: false,
    ror: null,
    comment: '',
    source: 'app',
    reportedBy: 'Dr Martin',
    reportedRole: 'establishment:750100125',
    at: '2026-11-30T08:00:00.000Z',
    atKnown: true,
    version: 7,
    pending: false,
    ...over,
  };
}

describe('the units on the bridge (beds.changes)', () => {
  it('are written straight from the reports exactly as the views would be encoded: places once each, unknown establishments named by their FINESS', () => {
    const t = testTerritories();
    const changes: UnitChanges = {
      full: true,
      units: [
        report({}),
        report({
          id: 'r-2',
          unitId: 'USC_MED-2',
          unitName: 'USC 2',
          unitType: 'USC_MED',
          covidPos: 2,
          covidNeg: 1,
          extra24h: 1,
          extra72h: 0,
          surge: 2,
          assignment: 'covid+',
          temporary: true,
          ror: { reserved: 1, closed: 2, closedReactivable: 1 },
          comment: 'ouverture',
          source: 'import',
          atKnown: false,
          pending: true,
        }),
        report({ id: 'r-3', finess: BICHAT, source: 'feed' }),
        report({ id: 'r-4', finess: '999999999' }),
      ],
      removed: [{ finess: BICHAT, unitId: 'REA_CHIR' }],
      cursor: 42,
    };
    const wire = encodeVisibleUnits(changes, t);
    expect(wire).toEqual(encodeUnitChanges({ ...changes, units: changes.units.map(unitViews(t)) }));
    expect(wire.places.map((p) => p[0])).toEqual([PITIE, BICHAT, '999999999']);
    expect(decodeUnitChanges(wire).units[3]).toMatchObject({ establishmentName: '999999999', region: '', lat: null });
    expect(decodeUnitChanges(wire).units[0]).toMatchObject({ establishmentName: 'HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE', region: '11' });
  });
});
