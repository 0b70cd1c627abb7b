import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../support/referential';
import { MEDICINES_FILE, MOLECULES, parsePresentation, parseProductsCsv, productsFromCsv } from '../../../../common/domain/stocks/products';

const text = readFileSync(join(REPO_ROOT, 'resources', 'medicines', MEDICINES_FILE), 'utf8');

describe('the bundled medicines referential', () => {
  it('reads every one of its 74 lines into a presentation, none excluded', () => {
    const { presentations, excluded } = parseProductsCsv(text);
    expect(excluded).toEqual([]);
    expect(presentations).toHaveLength(74);
    expect(new Set(presentations.map((p) => p.cip13)).size).toBe(74);
    for (const p of presentations) {
      expect(p.cip13).toMatch(/^\d{13}$/);
      expect(p.mgPerUnit).toBeGreaterThan(0);
      expect(p.unitsPerBox).toBeGreaterThan(0);
      expect(['ampoule', 'flacon', 'seringue']).toContain(p.unitKind);
    }
  });

  it('has the five molecules, hypnotics and curares, each with presentations', () => {
    const products = productsFromCsv(text);
    expect(MOLECULES.map((m) => `${m.code}:${m.class}`)).toEqual(['midazolam:hypnotique', 'propofol:hypnotique', 'cisatracurium:curare', 'atracurium:curare', 'rocuronium:curare']);
    const counts = Object.fromEntries(MOLECULES.map((m) => [m.code, products.of(m.code).length]));
    expect(counts).toEqual({ midazolam: 20, propofol: 15, cisatracurium: 30, atracurium: 6, rocuronium: 3 });
  });

  it('gives mg per unit from a dosage per ml times the volume, or a dosage per unit as is', () => {
    const p = productsFromCsv(text);
    // 10 mg/ml × 2,5 ml ampoule
    expect(p.presentation('3400957138745')).toMatchObject({ unitKind: 'ampoule', unitsPerBox: 5, volumeMl: 2.5, mgPerUnit: 25 });
    // « 25 mg » for « une ampoule »
    expect(p.presentation('3400956511792')).toMatchObject({ mgPerUnit: 25, volumeMl: 2.5 });
    // « 20,0 mg » per « 1 ml d'émulsion… » × 50 ml
    expect(p.presentation('3400957052836')).toMatchObject({ unitKind: 'flacon', unitsPerBox: 10, mgPerUnit: 1000 });
    // A pre-filled syringe of 50 ml at 20 mg/ml (« préremplie(s) … avec aiguille(s) »)
    expect(p.presentation('3400956361168')).toMatchObject({ unitKind: 'seringue', unitsPerBox: 1, mgPerUnit: 1000 });
    // « 1ml » with no space; « 2 mg » per ampoule of 2 ml
    expect(p.presentation('3400955977704')).toMatchObject({ mgPerUnit: 500 });
    expect(p.presentation('3400934821004')).toMatchObject({ mgPerUnit: 2, marketed: false });
    // The label tells two boxes of the same ampoule apart.
    expect(p.presentation('3400956487349')?.label).toBe('MIDAZOLAM AGUETTANT 5 mg/ml — ampoule 1 ml, boîte de 10');
    expect(p.presentation('3400956487400')?.label).toBe('MIDAZOLAM AGUETTANT 5 mg/ml — ampoule 1 ml, boîte de 50');
  });

  it('names the reason of a line it cannot use', () => {
    const base = { molecule: 'propofol', cip13: '3400000000001', presentation: '10 flacon(s) en verre de 50 ml', dosage: '10 mg', reference_dosage: '1 ml' };
    expect(parsePresentation({ ...base, molecule: 'kétamine' })).toBe('molécule inconnue « kétamine »');
    expect(parsePresentation({ ...base, cip13: '34009' })).toBe('CIP13 invalide « 34009 »');
    expect(parsePresentation({ ...base, presentation: '10 poche(s) de 50 ml' })).toBe('unité de comptage inconnue « poche »');
    expect(parsePresentation({ ...base, presentation: '10 flacon(s) en verre' })).toBe('dosage par ml sans volume d’unité (« 10 flacon(s) en verre »)');
    expect(parsePresentation({ ...base, reference_dosage: '100 ml' })).toBe('référence de dosage inconnue « 100 ml »');
    expect(parsePresentation({ ...base, dosage: '10 UI' })).toBe('dosage illisible « 10 UI »');
    const twice = parseProductsCsv(`${text.split('\n')[0]}\n${text.split('\n')[1]}\n${text.split('\n')[1]}\n`);
    expect(twice.excluded).toEqual([{ line: 3, reason: 'CIP13 3400957138745 en double' }]);
  });
});
