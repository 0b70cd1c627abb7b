import { readFileSync } from 'node:fs';
import { fr } from '../../../common/i18n/fr';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvObjects, parseCsv } from '../../../common/csv';
import { ctx, MemoryTx, reason, runMutator, uuid } from '../../support/memoryTx';
import { REPO_ROOT } from '../../support/referential';
import type { UnitReport } from '../../../common/domain/beds/model';
import { figureErrors, jumpFrom, needsJumpConfirmation, surgeOf } from '../../../common/domain/beds/rules';
import { isStale, occupancy, tensionOf, totalsBy } from '../../../common/domain/beds/totals';
import { defaultUnitId, resolveUnitLabel, UNIT_TYPES, unitType, unitTypeFromLabel } from '../../../common/domain/beds/unitTypes';

describe('the unit-type referential', () => {
  it('knows every unit label of the real ROR Île-de-France synthesis of 2020, the COVID± crisis columns with their mark', () => {
    const snapshot = join(REPO_ROOT, 'tests', 'fixtures', 'beds', 'ror_idf_synthese_2020-03-24.csv');
    const labels = [...new Set(csvObjects(parseCsv(readFileSync(snapshot, 'utf8'))).map((r) => r.unit_type))];
    expect(labels.length).toBeGreaterThan(10);
    expect(labels.filter((l) => !resolveUnitLabel(l))).toEqual([]);
    const covid = labels.filter((l) => /COVID19/.test(l)).map((l) => [l, resolveUnitLabel(l)?.type.code, resolveUnitLabel(l)?.assignment]);
    expect(covid.sort()).toEqual([
      ['Réanimation COVID19 +', 'REA_MEDCHIR', 'covid+'],
      ['Réanimation COVID19 -', 'REA_MEDCHIR', 'covid-'],
    ]);
  });

  it('reads the marks of crisis labels: COVID±, recovery rooms and theatres used as ICUs; a mark alone is no unit type', () => {
    const r = (l: string) => {
      const x = resolveUnitLabel(l);
      return x && [x.type.code, x.assignment, x.temporary, defaultUnitId(x)];
    };
    expect(r('Réanimation COVID-19 positifs')).toEqual(['REA_MEDCHIR', 'covid+', false, 'REA_MEDCHIR COVID+']);
    expect(r('Réanimation COVID−')).toEqual(['REA_MEDCHIR', 'covid-', false, 'REA_MEDCHIR COVID-']);
    expect(r('Unité de Surveillance Continue (USC) médecine COVID19 +')).toEqual(['USC_MED', 'covid+', false, 'USC_MED COVID+']);
    expect(r('SSPI transformée en réanimation')).toEqual(['REA_MEDCHIR', null, true, 'REA_MEDCHIR TEMP']);
    expect(r('Salle de réveil convertie en réanimation')).toEqual(['REA_MEDCHIR', null, true, 'REA_MEDCHIR TEMP']);
    expect(r('Réanimation éphémère')).toEqual(['REA_MEDCHIR', null, true, 'REA_MEDCHIR TEMP']);
    expect(r('Réanimations médicales')).toEqual(['REA_MED', null, false, 'REA_MED']);
    expect(r('Cardiologie COVID+')).toBeUndefined();
    // A register's own unit names: the kind from its words, the speciality from the rest.
    expect(r('UNITE DE SURVEILLANCE CONTINUE CHIR')).toEqual(['USC_CHIR', null, false, 'USC_CHIR']);
    expect(r('REA NEONAT')).toEqual(['REA_NEONAT', null, false, 'REA_NEONAT']);
    expect(r('USI cardiologie')).toEqual(['SI_USIC', null, false, 'SI_USIC']);
    expect(r('Service de réanimation adulte')).toEqual(['REA_MEDCHIR', null, false, 'REA_MEDCHIR']);
    expect(r('USC COVID+')).toEqual(['USC_POLY', 'covid+', false, 'USC_POLY COVID+']);
    expect(r('Hôpital de jour')).toBeUndefined();
    expect(r('Urgences')).toBeUndefined();
    expect(r('Réanimation vétérinaire')).toBeUndefined();
  });

  it('resolves codes, Vigie labels and ROR labels, ignoring case and accents', () => {
    expect(unitTypeFromLabel('REA_PED')?.code).toBe('REA_PED');
    expect(unitTypeFromLabel('reanimation medico-chirurgicale pediatrique')?.code).toBe('REA_PED');
    expect(unitTypeFromLabel('  USIC ')?.code).toBe('SI_USIC');
    expect(unitTypeFromLabel('Réanimation vétérinaire')).toBeUndefined();
  });

  it('maps adult, paediatric, neonatal and burns intensive care to EDXL-HAVE types, the rest to extensions', () => {
    expect(unitType('REA_MED')?.have).toEqual({ type: 'AdultICU' });
    expect(unitType('REA_PED')?.have).toEqual({ type: 'PediatricICU' });
    expect(unitType('REA_NEONAT')?.have).toEqual({ type: 'NeonatalICU' });
    expect(unitType('REA_BRULES')?.have).toEqual({ type: 'Burn' });
    for (const u of UNIT_TYPES.filter((t) => t.group !== 'reanimation')) expect(u.have).toHaveProperty('extension');
  });
});

describe('plausibility', () => {
  it('accepts available ≤ staffed ≤ installed', () => {
    expect(figureErrors({ installed: 20, staffed: 18, available: 3 })).toEqual([]);
    expect(figureErrors({ installed: 0, staffed: 0, available: 0 })).toEqual([]);
  });

  it('says why a free bed that is not staffed is not available, and more', () => {
    expect(figureErrors({ installed: 20, staffed: 10, available: 12 })[0]).toMatch(/armé/);
    expect(figureErrors({ installed: 20, staffed: 18, available: 3, covidPos: 12, covidNeg: 4 })[0]).toMatch(/occupés/);
    expect(figureErrors({ installed: 20, staffed: 18, available: 3, extra24h: 5, extra72h: 2 })[0]).toMatch(/72 h/);
  });

  it('surge beds: staffed beyond the installed beds is surge, said or inferred; beyond installed − closed + surge is impossible', () => {
    // Spring 2020: 10 installed, 16 staffed. Not an error: 6 surge beds.
    expect(figureErrors({ installed: 10, staffed: 16, available: 2 })).toEqual([]);
    expect(surgeOf({ installed: 10, staffed: 16, available: 2 })).toBe(6);
    expect(surgeOf({ installed: 10, staffed: 8, available: 2 })).toBe(0);
    // The sender said 4 surge beds: 16 staffed cannot be.
    expect(figureErrors({ installed: 10, staffed: 16, available: 2, surge: 4 })).toEqual(['Lits armés (16) supérieurs aux lits ouverts (10 installés + 4 de renfort).']);
    expect(figureErrors({ installed: 10, staffed: 14, available: 2, surge: 4 })).toEqual([]);
    // Closed beds are counted in the installed ones and are not open.
    expect(figureErrors({ installed: 10, staffed: 10, available: 2, surge: 0, ror: { closed: 2 } })).toEqual([
      'Lits armés (10) supérieurs aux lits ouverts (10 installés − 2 fermés).',
    ]);
    expect(surgeOf({ installed: 10, staffed: 10, available: 2, ror: { closed: 2 } })).toBe(2);
    expect(figureErrors({ installed: 10, staffed: 8, available: 2, ror: { closed: 12 } })[0]).toBe('Lits fermés (12) supérieurs aux lits installés (10) qui les comptent.');
    expect(figureErrors({ installed: 10, staffed: 8, available: 2, ror: { closed: 2, closedReactivable: 3 } })).toEqual(['Lits fermés réactivables (3) supérieurs aux lits fermés (2).']);
    // Reserved beds are staffed beds that are neither free nor occupied.
    expect(figureErrors({ installed: 10, staffed: 8, available: 2, covidPos: 4, ror: { reserved: 3 } })).toEqual([
      'Lits occupés ou réservés (7) et disponibles (2) dépassent les lits armés (8).',
    ]);
  });

  it('asks for confirmation beyond a jump of 4 beds, on any of the three figures', () => {
    const prev = { installed: 20, staffed: 18, available: 3 };
    expect(jumpFrom(undefined, prev)).toBe(0);
    expect(needsJumpConfirmation(prev, { installed: 20, staffed: 18, available: 7 })).toBe(false);
    expect(needsJumpConfirmation(prev, { installed: 20, staffed: 18, available: 8 })).toBe(true);
    expect(needsJumpConfirmation(prev, { installed: 25, staffed: 18, available: 3 })).toBe(true);
  });
});

describe('unit.report', () => {
  const pitie = '750100125';
  const report = (role: string, args: Record<string, unknown>, tx = new MemoryTx(), via = 'sync') => {
    runMutator(tx, 'unit.report', { id: uuid(), finess: pitie, unitType: 'REA_MED', installed: 20, staffed: 18, available: 3, ...args }, ctx(role, via));
    return tx;
  };

  it('an establishment reports its own units; the latest report is current', () => {
    const tx = report(`establishment:${pitie}`, {});
    report(`establishment:${pitie}`, { available: 2 }, tx);
    expect(tx.getCurrentReport(pitie, 'REA_MED')?.available).toBe(2);
    expect(tx.reports).toHaveLength(2);
    expect(tx.reports[1].reportedRole).toBe(`establishment:${pitie}`);
  });

  it('the hospital pharmacy (PUI) reports stocks, not beds', () => {
    const tx = new MemoryTx();
    expect(reason(() => report(`pui:${pitie}`, {}, tx))).toBe(fr.beds.pharmacyNoBeds);
    expect(tx.reports).toHaveLength(0);
  });

  it('a unit is its id in its establishment: two medical ICUs are two units; no id is one unit per type', () => {
    const est = `establishment:${pitie}`;
    const tx = report(est, { unitId: 'Babinski', unitName: 'Réa Babinski', available: 3 });
    report(est, { unitId: 'Gosset', available: 5 }, tx);
    report(est, { available: 1 }, tx);
    expect([tx.getCurrentReport(pitie, 'Babinski')?.available, tx.getCurrentReport(pitie, 'Gosset')?.available, tx.getCurrentReport(pitie, 'REA_MED')?.available]).toEqual([3, 5, 1]);
    expect(tx.reports.map((r) => [r.unitId, r.unitName])).toEqual([
      ['Babinski', 'Réa Babinski'],
      ['Gosset', null],
      ['REA_MED', null],
    ]);
    // A unit keeps its type: another kind of unit is declared under another id.
    expect(reason(() => report(est, { unitId: 'Babinski', unitType: 'REA_CHIR' }, tx))).toBe(
      'L’unité « Babinski » est déclarée en Réanimation médicale : une autre sorte d’unité se déclare sous un autre identifiant.',
    );
  });

  it('the observation time: a form entry is observed when written; an older observation is history, not current, and no jump', () => {
    const est = `establishment:${pitie}`;
    const tx = report(est, { available: 3 });
    expect(tx.reports[0]).toMatchObject({ at: '2020-03-24T08:00:00.000Z', atKnown: true });
    // Figures observed at 6 h, arriving after those of 8 h: kept, not current; far from the current ones but not a jump.
    report('ars:11', { source: 'import', available: 15, observedAt: '2020-03-24T06:00:00+01:00' }, tx);
    expect(tx.reports).toHaveLength(2);
    expect(tx.getCurrentReport(pitie, 'REA_MED')?.available).toBe(3);
    // A push with no observation time is dated by its reception and marked so.
    report('ars:11', { source: 'import', available: 4 }, tx);
    expect(tx.reports[2]).toMatchObject({ at: '2020-03-24T08:00:00.000Z', atKnown: false, source: 'import' });
    // More than 10 minutes ahead of the clock that writes it: refused.
    expect(reason(() => report('ars:11', { source: 'import', available: 4, observedAt: '2020-03-24T08:11:00Z' }, tx))).toMatch(/^Heure d’observation \(2020-03-24T08:11:00Z\) postérieure à l’heure de saisie/);
    report('ars:11', { source: 'import', available: 4, observedAt: '2020-03-24T08:09:00Z' }, tx);
    expect(tx.getCurrentReport(pitie, 'REA_MED')?.at).toBe('2020-03-24T08:09:00Z');
  });

  it('stores surge beds as counted (said, or the staffed beds beyond the open installed ones), and the ROR detail as sent', () => {
    const est = `establishment:${pitie}`;
    const tx = report(est, { installed: 10, staffed: 16, available: 2 });
    expect(tx.reports[0]).toMatchObject({ surge: 6, assignment: null, temporary: false, ror: null });
    report(est, { unitId: 'SSPI', unitName: 'SSPI transformée', installed: 0, staffed: 8, available: 1, surge: 8, temporary: true, assignment: 'covid+', ror: { surgeStaffable: 4, crisisType: 'sse', forecast: { h24: 3 } } }, tx);
    expect(tx.reports[1]).toMatchObject({ surge: 8, temporary: true, assignment: 'covid+', ror: { surgeStaffable: 4, crisisType: 'sse', forecast: { h24: 3 } } });
    report(est, { staffed: 18, available: 3, ror: {}, confirmJump: true }, tx);
    // Nothing beyond installed, nothing said: no surge; an empty detail is no detail.
    expect(tx.reports[2]).toMatchObject({ surge: null, ror: null });
  });

  it('refuses another establishment, a SAMU, and an ARS typing in the form', () => {
    expect(reason(() => report('establishment:750100232', {}))).toMatch(/votre établissement/);
    expect(reason(() => report('samu:75', {}))).toMatch(/consulte les lits/);
    expect(reason(() => report('ars:11', {}))).toMatch(/consulte les lits/);
  });

  it('lets an ARS import for its region only', () => {
    expect(report('ars:11', { source: 'import' }).reports).toHaveLength(1);
    expect(reason(() => report('ars:53', { source: 'import' }))).toMatch(/hors de votre périmètre/);
  });

  it('refuses negative, absurd and non-integer figures with a readable reason', () => {
    expect(reason(() => report(`establishment:${pitie}`, { available: -1 }))).toMatch(/négatif/);
    expect(reason(() => report(`establishment:${pitie}`, { installed: 5000 }))).toMatch(/invraisemblable/);
    expect(reason(() => report(`establishment:${pitie}`, { staffed: 12.5 }))).toMatch(/entier/);
    expect(reason(() => report(`establishment:${pitie}`, { available: 19 }))).toMatch(/armés/);
    expect(reason(() => report(`establishment:${pitie}`, { unitType: 'REA_VETO' }))).toMatch(/type d’unité/);
    expect(reason(() => report(`establishment:${pitie}`, { finess: '750100126' }))).toMatch(/votre établissement|inconnu/);
  });

  it('a jump of more than 4 beds needs confirmation, except from a register feed', () => {
    const tx = report(`establishment:${pitie}`, {});
    expect(reason(() => report(`establishment:${pitie}`, { available: 10, staffed: 18 }, tx))).toMatch(/confirmez/);
    report(`establishment:${pitie}`, { available: 10, confirmJump: true }, tx);
    report('ars:11', { available: 0 }, tx, 'feed');
    expect(tx.getCurrentReport(pitie, 'REA_MED')?.available).toBe(0);
  });

  it('the source is the path the report came by, never the payload’s word', () => {
    const tx = report(`establishment:${pitie}`, {});
    // An establishment calling its own figures a register feed still confirms its jump, and is stored as itself.
    expect(reason(() => report(`establishment:${pitie}`, { available: 12, staffed: 18, source: 'feed' }, tx))).toMatch(/confirmez/);
    report(`establishment:${pitie}`, { available: 12, source: 'feed', confirmJump: true }, tx);
    expect(tx.getCurrentReport(pitie, 'REA_MED')?.source).toBe('app');
    // A crisis cell's push is an extract import, whatever it says; its form entry is refused.
    expect(reason(() => report('ars:11', { available: 2, source: 'feed' }, tx))).toMatch(/confirmez/);
    report('ars:11', { available: 11, source: 'feed' }, tx);
    expect(tx.getCurrentReport(pitie, 'REA_MED')?.source).toBe('import');
    expect(reason(() => report('ars:11', { available: 11 }, tx))).toMatch(/consulte les lits sans les déclarer/);
    // Only the feed's own path is a feed.
    report('ars:11', { available: 0 }, tx, 'feed');
    expect(tx.getCurrentReport(pitie, 'REA_MED')?.source).toBe('feed');
  });
});

describe('totals with freshness', () => {
  const now = Date.parse('2020-03-24T12:00:00Z');
  const r = (dep: string, available: number, staffed: number, hoursAgo: number): UnitReport => ({
    id: uuid(),
    finess: dep === '75' ? '750100125' : '930000000',
    unitType: 'REA_MED',
    unitId: 'REA_MED',
    unitName: null,
    atKnown: true,
    surge: null,
    assignment: null,
    temporary: false,
    ror: null,
    installed: staffed,
    staffed,
    available,
    covidPos: null,
    covidNeg: null,
    extra24h: null,
    extra72h: null,
    comment: '',
    source: 'app',
    reportedBy: 'x',
    reportedRole: 'x',
    at: new Date(now - hoursAgo * 3_600_000).toISOString(),
    version: 1,
  });

  it('a total is never fresher than its stalest part', () => {
    const reports = [r('75', 2, 20, 1), r('75', 0, 10, 30), r('93', 5, 10, 2)];
    const byDep = totalsBy(reports, (x) => (x.finess.startsWith('75') ? '75' : '93'), now);
    const paris = byDep.get('75')!;
    expect(paris).toMatchObject({ available: 2, staffed: 30, units: 2, staleUnits: 1 });
    expect(paris.oldestAt).toBe(new Date(now - 30 * 3_600_000).toISOString());
    expect(byDep.get('93')!.staleUnits).toBe(0);
  });

  it('oldest and newest are instants: times with other offsets are compared as moments, not as text', () => {
    // 10:00+02:00 is 08:00 UTC: earlier than 09:00Z, though later as a string.
    const reports = [
      { ...r('75', 1, 10, 0), at: '2020-03-24T09:00:00Z' },
      { ...r('75', 1, 10, 0), at: '2020-03-24T10:00:00+02:00' },
      { ...r('75', 1, 10, 0), at: '2020-03-24T09:30:00.000+00:00' },
    ];
    const t = totalsBy(reports, () => 'all', now).get('all')!;
    expect(t.oldestAt).toBe('2020-03-24T10:00:00+02:00');
    expect(t.newestAt).toBe('2020-03-24T09:30:00.000+00:00');
  });

  it('staleness follows the configured delay', () => {
    const at = new Date(now - 5 * 3_600_000).toISOString();
    expect(isStale(at, now, 24)).toBe(false);
    expect(isStale(at, now, 4)).toBe(true);
  });

  it('reads tension on free beds: none free is red, few free (≤ 2 per unit by default) orange, more green', () => {
    // 0 free of 18 and 5 free of 32 no longer look alike (both were red at 80 % occupancy).
    expect(tensionOf({ staffed: 18, available: 0 })).toBe('red');
    expect(tensionOf({ staffed: 32, available: 5 })).toBe('green');
    expect(tensionOf({ staffed: 10, available: 2 })).toBe('orange');
    expect(tensionOf({ staffed: 10, available: 3 })).toBe('green');
    expect(tensionOf({ staffed: 0, available: 0 })).toBe('none');
    // A total of 4 units: few is 8 free beds or fewer.
    expect(tensionOf({ staffed: 80, available: 8, units: 4 })).toBe('orange');
    expect(tensionOf({ staffed: 80, available: 9, units: 4 })).toBe('green');
    expect(tensionOf({ staffed: 80, available: 0, units: 4 })).toBe('red');
    // Configurable.
    expect(tensionOf({ staffed: 10, available: 3 }, { fewFree: 3 })).toBe('orange');
    expect(occupancy({ staffed: 4, available: 1 })).toBe(0.75);
  });

  it('totals count surge beds apart (inside the staffed ones)', () => {
    const t = totalsBy([r('75', 2, 10, 1), { ...r('75', 1, 14, 1), surge: 4 }], () => 'x', now).get('x');
    expect(t).toMatchObject({ staffed: 24, available: 3, surge: 4 });
  });
});
