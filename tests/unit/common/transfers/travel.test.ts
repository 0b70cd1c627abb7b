import { describe, expect, it } from 'vitest';
import { greatCircleKm, TRAVEL_MODES, TRAVEL_PROFILES, travelMinutes, type GeoPoint } from '../../../../common/domain/transfers/travel';

// City centres (WGS84), as a reader can check them on any map.
const PARIS: GeoPoint = { lat: 48.8566, lon: 2.3522 };
const LYON: GeoPoint = { lat: 45.764, lon: 4.8357 };
const MARSEILLE: GeoPoint = { lat: 43.2965, lon: 5.3698 };
const STRASBOURG: GeoPoint = { lat: 48.5734, lon: 7.7521 };
const COLMAR: GeoPoint = { lat: 48.0794, lon: 7.3585 };
const LILLE: GeoPoint = { lat: 50.6292, lon: 3.0573 };

describe('great-circle distance', () => {
  it('gives the published distances between city pairs (Paris ↔ Lyon ~392 km, Paris ↔ Marseille ~661 km, Strasbourg ↔ Colmar ~62 km)', () => {
    expect(greatCircleKm(PARIS, LYON)).toBeCloseTo(392, -1);
    expect(greatCircleKm(PARIS, MARSEILLE)).toBeCloseTo(661, -1);
    expect(greatCircleKm(STRASBOURG, COLMAR)).toBeCloseTo(62, -0.5);
  });

  it('is symmetric and zero at the same point', () => {
    expect(greatCircleKm(PARIS, LYON)).toBe(greatCircleKm(LYON, PARIS));
    expect(greatCircleKm(PARIS, PARIS)).toBe(0);
  });
});

describe('travel minutes', () => {
  it('is null, never a guess, when either point has no coordinates', () => {
    const unknown: GeoPoint = { lat: null, lon: null };
    for (const mode of TRAVEL_MODES) {
      expect(travelMinutes(PARIS, unknown, mode)).toBeNull();
      expect(travelMinutes(unknown, PARIS, mode)).toBeNull();
      expect(travelMinutes({ lat: 48.8, lon: null }, PARIS, mode)).toBeNull();
      expect(travelMinutes({ lat: Number.NaN, lon: 2 }, PARIS, mode)).toBeNull();
    }
  });

  it('orders the modes as regulators expect over Paris ↔ Lyon: helicopter, aircraft, train, SMUR, ambulance, ship', () => {
    const m = (mode: (typeof TRAVEL_MODES)[number]) => travelMinutes(PARIS, LYON, mode) as number;
    expect(m('helicoptere')).toBeLessThan(m('avion'));
    expect(m('avion')).toBeLessThan(m('train'));
    expect(m('train')).toBeLessThan(m('smur'));
    expect(m('smur')).toBeLessThan(m('ambulance'));
    expect(m('ambulance')).toBeLessThan(m('bateau'));
    // A SMUR from Paris to Lyon in about 7 h: 392 km × 1.3 at 75 km/h plus 20 min.
    expect(m('smur')).toBeGreaterThan(6 * 60);
    expect(m('smur')).toBeLessThan(8 * 60);
  });

  it('a SMUR beats the helicopter next door, the aircraft beats the helicopter across France (Lille ↔ Marseille, ~835 km)', () => {
    const nextDoor: GeoPoint = { lat: 48.86, lon: 2.4 }; // ~3.5 km
    expect(travelMinutes(PARIS, nextDoor, 'smur')).toBeLessThan(travelMinutes(PARIS, nextDoor, 'helicoptere') as number);
    expect(travelMinutes(LILLE, MARSEILLE, 'avion')).toBeLessThan(travelMinutes(LILLE, MARSEILLE, 'helicoptere') as number);
  });

  it('is the formula the header documents, in whole minutes, with the overhead even at distance zero', () => {
    const km = greatCircleKm(STRASBOURG, COLMAR) as number;
    const p = TRAVEL_PROFILES.ambulance;
    expect(travelMinutes(STRASBOURG, COLMAR, 'ambulance')).toBe(Math.round((km * p.detour * 60) / p.speedKmh + p.overheadMin));
    expect(travelMinutes(PARIS, PARIS, 'train')).toBe(TRAVEL_PROFILES.train.overheadMin);
    expect(Number.isInteger(travelMinutes(PARIS, LYON, 'smur'))).toBe(true);
  });
});
