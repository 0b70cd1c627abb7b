import { describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { parseRole, territoriesFromCsv } from '../../../common/territory';
import departementsCsv from '../../../resources/referential/departements_regions.csv?raw';
import establishmentsCsv from '../../../resources/referential/finess_mco_fr_2020-03.csv?raw';
import regionsCsv from '../../../resources/referential/regions.csv?raw';
import { filterTerritoryOptions, isInside, postableInEvent } from './territories';
import type { Referential, TerritoryOption } from '../../../common/app/api';

// The real bundled referential, shaped as `referential.get` answers it.
const territories = territoriesFromCsv({ regions: regionsCsv, departements: departementsCsv, establishments: establishmentsCsv });
const referential: Referential = {
  regions: territories.regionList().map((r) => ({ key: `R:${r.code}`, label: territories.label(`R:${r.code}`) })),
  departements: territories
    .departementList()
    .map((d) => ({ key: `D:${d.code}`, label: territories.label(`D:${d.code}`), region: d.region, neighbours: territories.neighboursOf(d.code) })),
};
const postableOf = (role: string): TerritoryOption[] => {
  const parsed = parseRole(role);
  if (!parsed) throw new Error(role);
  return territories.postableTerritories(parsed).map((key) => ({ key, label: territories.label(key) }));
};

describe('territories offered to the composer', () => {
  it('places départements inside their region', () => {
    expect(isInside('D:75', 'R:11', referential)).toBe(true);
    expect(isInside('D:13', 'R:11', referential)).toBe(false);
    expect(isInside('R:11', 'FR', referential)).toBe(true);
    expect(isInside('R:11', 'D:75', referential)).toBe(false);
  });

  it('offers an ARS its region and its départements in a regional event, nothing in a foreign one', () => {
    const ars = postableOf('ars:11');
    const inOwn = postableInEvent(ars, 'R:11', referential).map((t) => t.key);
    expect(inOwn[0]).toBe('R:11');
    expect(inOwn).toContain('D:75');
    expect(inOwn).toHaveLength(ars.length);
    expect(postableInEvent(ars, 'D:75', referential).map((t) => t.key)).toEqual(['D:75']);
    expect(postableInEvent(ars, 'R:93', referential)).toEqual([]);
  });

  it('offers everything when the referential is unknown (the server decides)', () => {
    const ars = postableOf('ars:11');
    expect(postableInEvent(ars, 'D:75', null)).toHaveLength(ars.length);
  });

  it('every offered territory passes the server rule (inside the event)', () => {
    for (const event of ['FR', 'R:11', 'D:75', 'D:13']) {
      for (const t of postableInEvent(postableOf('national'), event, referential)) {
        const p = territories.path(t.key);
        const e = territories.path(event);
        expect(p && e && p.startsWith(e)).toBe(true);
      }
    }
  });
});

describe('territories offered in the message filter', () => {
  it('gives a SAMU the national level, its region and its département in a national event', () => {
    const keys = filterTerritoryOptions('D:75', 'D:75', 'FR', referential, fr.territory.country).map((t) => t.key);
    expect(keys).toEqual(['FR', 'R:11', 'D:75']);
  });

  it('gives an ARS inside its own regional event its region and its départements only', () => {
    const keys = filterTerritoryOptions('R:11', null, 'R:11', referential, fr.territory.country).map((t) => t.key);
    expect(keys[0]).toBe('R:11');
    expect(keys).not.toContain('FR');
    expect(keys).toContain('D:93');
    expect(keys).not.toContain('D:13');
  });

  it('places an establishment user through its home département', () => {
    const keys = filterTerritoryOptions('E:750100125', 'D:75', 'FR', referential, fr.territory.country).map((t) => t.key);
    expect(keys).toEqual(['FR', 'R:11', 'D:75']);
  });
});

describe('who may close an event', () => {
  it('places events at or below the user territory only', () => {
    // A SAMU closes its département's events, not the national or regional ones.
    expect(isInside('D:75', 'D:75', referential)).toBe(true);
    expect(isInside('FR', 'D:75', referential)).toBe(false);
    expect(isInside('R:11', 'D:75', referential)).toBe(false);
    // An ARS closes its region's and its départements' events; the national cell, all.
    expect(isInside('D:93', 'R:11', referential)).toBe(true);
    expect(isInside('FR', 'R:11', referential)).toBe(false);
    expect(isInside('D:29', 'FR', referential)).toBe(true);
  });
});
