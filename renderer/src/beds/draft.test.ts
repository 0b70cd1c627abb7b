import { describe, expect, it } from 'vitest';
import { jumpsOf, parseCount, parseRow, shownValue } from './draft';
import type { UnitView } from '../../../common/domain/beds/views';

const current: UnitView = {
  id: 'r1',
  finess: '750100125',
  unitType: 'REA_MED',
  installed: 24,
  staffed: 20,
  available: 3,
  covidPos: 10,
  covidNeg: 7,
  extra24h: null,
  extra72h: null,
  comment: '',
  source: 'app',
  reportedBy: 'Dr Nadia Benali',
  reportedRole: 'establishment:750100125',
  at: '2026-03-24T10:00:00Z',
  version: 1,
  pending: false,
  establishmentName: 'Pitié-Salpêtrière',
  city: 'Paris',
  dep: '75',
  region: '11',
  lat: null,
  lon: null,
};

describe('the quick form draft', () => {
  it('shows the current figures until the user types over them', () => {
    expect(shownValue(current, undefined, 'available')).toBe('3');
    expect(shownValue(current, { available: '5' }, 'available')).toBe('5');
    expect(shownValue(current, undefined, 'extra24h')).toBe('');
  });

  it('parses bed counts typed by a person, and refuses anything else', () => {
    expect(parseCount(' 12 ')).toBe(12);
    expect(parseCount('')).toBeNull();
    expect(parseCount('-1')).toBeNaN();
    expect(parseCount('2,5')).toBeNaN();
  });

  it('an unchanged line is a valid report (a routine confirmation)', () => {
    const p = parseRow('750100125', 'REA_MED', current, undefined);
    expect(p.errors).toEqual([]);
    expect(p.args).toMatchObject({ finess: '750100125', unitType: 'REA_MED', installed: 24, staffed: 20, available: 3, covidPos: 10, covidNeg: 7 });
  });

  it('reports the plausibility rules in French', () => {
    const p = parseRow('750100125', 'REA_MED', current, { available: '21', covidPos: '', covidNeg: '' });
    expect(p.args).toBeNull();
    expect(p.errors.join(' ')).toContain('Lits disponibles (21) supérieurs aux lits armés (20)');
    const q = parseRow('750100125', 'REA_MED', undefined, { installed: '10', staffed: 'x', available: '' });
    expect(q.errors).toHaveLength(2);
  });

  it('lists the figures that jump by more than 4 beds', () => {
    const p = parseRow('750100125', 'REA_MED', current, { available: '9', covidPos: '', covidNeg: '' });
    expect(p.args && jumpsOf(current, p.args)).toEqual([{ field: 'available', from: 3, to: 9 }]);
    const small = parseRow('750100125', 'REA_MED', current, { available: '7', covidPos: '', covidNeg: '' });
    expect(small.args && jumpsOf(current, small.args)).toEqual([]);
    expect(jumpsOf(undefined, { installed: 50, staffed: 50, available: 50 })).toEqual([]);
  });
});
