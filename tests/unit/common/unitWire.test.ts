import { describe, expect, it } from 'vitest';
import type { UnitView } from '../../../common/domain/beds/views';
import { decodeUnitChanges, encodeUnitChanges } from '../../../common/domain/beds/wire';

function view(finess: string, unitType: string, over: Partial<UnitView> = {}): UnitView {
  return {
    id: `${finess}-${unitType}`,
    finess,
    unitType,
    unitId: unitType,
    unitName: null,
    atKnown: true,
    surge: null,
    assignment: null,
    temporary: false,
    ror: null,
    installed: 20,
    staffed: 18,
    available: 4,
    covidPos: 10,
    covidNeg: null,
    extra24h: 2,
    extra72h: null,
    comment: 'Deux sorties prévues',
    source: 'feed',
    reportedBy: 'Registre ROR',
    reportedRole: 'feed:ror',
    at: '2026-03-24T08:00:00.000Z',
    version: 12,
    pending: false,
    establishmentName: 'HOSPITAL UNIVERSITAIRE PITIE SALPETRIERE',
    establishmentShortName: 'Hôpital Pitié-Salpêtrière',
    city: 'PARIS',
    dep: '75',
    region: '11',
    lat: 48.84,
    lon: 2.36,
    ...over,
  };
}

describe('unit changes on the wire', () => {
  it('decode gives back exactly the views encoded, each establishment sent once', () => {
    const changes = {
      full: false,
      units: [
        view('750100125', 'REA_MED'),
        view('750100125', 'USC_MED', { pending: true, covidPos: null, comment: '' }),
        view('2A0000014', 'REA_MED', { establishmentName: 'CH AJACCIO', establishmentShortName: 'CH Ajaccio', city: 'AJACCIO', dep: '2A', region: '94', lat: null, lon: null, source: 'app' }),
      ],
      removed: [{ finess: '920000460', unitId: 'REA_PED' }],
      cursor: 42,
    };
    const wire = encodeUnitChanges(changes);
    expect(wire.places.map((p) => p[0])).toEqual(['750100125', '2A0000014']);
    // What crosses the bridge is JSON.
    expect(decodeUnitChanges(JSON.parse(JSON.stringify(wire)) as typeof wire)).toEqual(changes);
  });

  it('is much smaller than the views for a picture of many units per establishment', () => {
    const units = Array.from({ length: 600 }, (_, i) => view(String(750000000 + Math.floor(i / 6)), `T${i % 6}`));
    const asViews = JSON.stringify({ full: true, units, removed: [], cursor: 1 }).length;
    const asWire = JSON.stringify(encodeUnitChanges({ full: true, units, removed: [], cursor: 1 })).length;
    expect(asWire).toBeLessThan(asViews / 2);
  });
});
