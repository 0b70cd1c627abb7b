import { describe, expect, it } from 'vitest';
import { addedUnit, isEdited, jumpsOf, parseCount, parseRow, shownValue, type FormUnit } from './draft';
import type { UnitView } from '../../../common/domain/beds/views';

const REA_MED: FormUnit = { unitType: 'REA_MED', unitId: 'REA_MED', unitName: null };

const current: UnitView = {
  id: 'r1',
  finess: '750100125',
  unitType: 'REA_MED',
  unitId: 'REA_MED',
  unitName: null,
  atKnown: true,
  surge: null,
  assignment: null,
  temporary: false,
  ror: null,
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
  establishmentShortName: 'Pitié-Salpêtrière',
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
    const p = parseRow('750100125', REA_MED, current, undefined);
    expect(p.errors).toEqual([]);
    expect(p.args).toMatchObject({ finess: '750100125', unitType: 'REA_MED', installed: 24, staffed: 20, available: 3, covidPos: 10, covidNeg: 7 });
  });

  it('reports the plausibility rules in French', () => {
    const p = parseRow('750100125', REA_MED, current, { available: '21', covidPos: '', covidNeg: '' });
    expect(p.args).toBeNull();
    expect(p.errors.join(' ')).toContain('Lits disponibles (21) supérieurs aux lits armés (20)');
    const q = parseRow('750100125', REA_MED, undefined, { installed: '10', staffed: 'x', available: '' });
    expect(q.errors).toHaveLength(2);
  });

  it('lists the figures that jump by more than 4 beds', () => {
    const p = parseRow('750100125', REA_MED, current, { available: '9', covidPos: '', covidNeg: '' });
    expect(p.args && jumpsOf(current, p.args)).toEqual([{ field: 'available', from: 3, to: 9 }]);
    const small = parseRow('750100125', REA_MED, current, { available: '7', covidPos: '', covidNeg: '' });
    expect(small.args && jumpsOf(current, small.args)).toEqual([]);
    expect(jumpsOf(undefined, { installed: 50, staffed: 50, available: 50 })).toEqual([]);
  });

  it('a line is edited only where a typed value differs from the current figures', () => {
    expect(isEdited(current, undefined)).toBe(false);
    expect(isEdited(current, { available: '3', comment: '' })).toBe(false);
    expect(isEdited(current, { available: ' 3 ' })).toBe(false);
    expect(isEdited(current, { available: '4' })).toBe(true);
    expect(isEdited(current, { covidPos: '' })).toBe(true);
    expect(isEdited(current, { available: 'x' })).toBe(true);
    expect(isEdited(current, { comment: 'Deux sorties' })).toBe(true);
    expect(isEdited(undefined, undefined)).toBe(true);
  });

  it('a unit being added is named by its name, or by its type when it is the first of its type', () => {
    const taken = new Set(['REA_MED', 'Babinski']);
    expect(addedUnit('REA_CHIR', '', taken)).toEqual({ unit: { unitType: 'REA_CHIR', unitId: 'REA_CHIR', unitName: null }, error: null });
    expect(addedUnit('REA_MED', '  Réa   2 ', taken)).toEqual({ unit: { unitType: 'REA_MED', unitId: 'Réa 2', unitName: 'Réa 2' }, error: null });
    expect(addedUnit('REA_MED', '', taken).error).toBe('Nommez cette unité : l’établissement a déjà une unité « Réanimation médicale ».');
    expect(addedUnit('REA_CHIR', 'Babinski', taken).error).toBe('Une autre unité de l’établissement s’appelle déjà « Babinski ».');
    expect(addedUnit('REA_MED', 'x'.repeat(61), taken).error).toBe('Nom d’unité de plus de 60 caractères.');
  });

  it('the report of a unit carries its id and name', () => {
    const p = parseRow('750100125', { unitType: 'REA_MED', unitId: 'Réa 2', unitName: 'Réa 2' }, undefined, { installed: '10', staffed: '8', available: '2' });
    expect(p.args).toMatchObject({ unitType: 'REA_MED', unitId: 'Réa 2', unitName: 'Réa 2', installed: 10 });
  });
});
