import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENTIAL_FILES, loadTerritories, shortNamesCsv } from '../../../common/territory';
import { REFERENTIAL_DIR } from '../../support/referential';

const read = (file: string) => readFileSync(join(REFERENTIAL_DIR, file), 'utf8');

describe('the shipped short names', () => {
  it('are what the naming rules give today (regenerate with scripts/make-short-names.ts)', () => {
    expect(read(REFERENTIAL_FILES.shortNames)).toBe(shortNamesCsv(read));
  });

  it('are the names every process reads, without computing them', () => {
    // A shipped name that the rules would never give is the one read: the file is used.
    const shipped = read(REFERENTIAL_FILES.shortNames).replace('010000024,CH de Bourg-en-Bresse Fleyriat', '010000024,Nom livré');
    const t = loadTerritories((f) => (f === REFERENTIAL_FILES.shortNames ? shipped : read(f)));
    expect(t.establishment('010000024')?.shortName).toBe('Nom livré');
    // One missing from the file is computed, told apart in its département as before.
    const without = read(REFERENTIAL_FILES.shortNames).replace(/^010000032,.*\n/m, '');
    const t2 = loadTerritories((f) => (f === REFERENTIAL_FILES.shortNames ? without : read(f)));
    expect(t2.establishment('010000032')?.shortName).toBe('CH de Belley');
  });
});
