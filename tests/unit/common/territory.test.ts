import { describe, expect, it } from 'vitest';
import { parseRole, formatRole, roleTerritory, sameBranch } from '../../../common/territory';
import { testTerritories } from '../../support/referential';

const t = testTerritories();

describe('the referential', () => {
  it('holds the 18 regions and 101 départements, each département in a known region', () => {
    expect(t.regionList()).toHaveLength(18);
    expect(t.departementList()).toHaveLength(101);
    expect(t.info('D:2A')?.path).toEqual(['FR', 'R:94', 'D:2A']);
    expect(t.info('D:974')?.path).toEqual(['FR', 'R:04', 'D:974']);
  });

  it('places FINESS establishments under their département, overseas ones by postcode', () => {
    expect(t.info('E:750100125')?.path).toEqual(['FR', 'R:11', 'D:75', 'E:750100125']);
    expect(t.establishmentCount()).toBeGreaterThan(2200);
    // FINESS files file several overseas sites under "970": the postcode decides.
    const overseas = t.departementList().filter((d) => d.code.startsWith('97'));
    expect(overseas.map((d) => d.code).sort()).toEqual(['971', '972', '973', '974', '976']);
  });

  it('knows which départements border each other (the bundled borders file), symmetric, islands alone', () => {
    expect(t.neighboursOf('75')).toEqual(['92', '93', '94']);
    expect(t.neighboursOf('29')).toEqual(['22', '56']);
    expect(t.neighboursOf('2A')).toEqual(['2B']);
    expect(t.neighboursOf('974')).toEqual([]);
    for (const d of t.departementList()) for (const n of t.neighboursOf(d.code)) expect(t.neighboursOf(n)).toContain(d.code);
    // Every metropolitan mainland département has at least one neighbour.
    const mainland = t.departementList().filter((d) => !d.code.startsWith('97') && d.code !== '2A' && d.code !== '2B');
    expect(mainland.filter((d) => t.neighboursOf(d.code).length === 0)).toEqual([]);
    expect(() => t.withBorders([['75', '99']])).toThrow(/99/);
  });

  it('labels territories in French', () => {
    expect(t.label('R:11')).toBe('ARS Île-de-France');
    expect(t.label('D:75')).toBe('SAMU 75 — Paris');
    expect(t.label('F:75-PMA-GARE-DE-LYON')).toContain('75-PMA-GARE-DE-LYON');
  });

  it('knows nothing of unknown keys', () => {
    expect(t.info('D:99')).toBeNull();
    expect(t.info('R:00')).toBeNull();
    expect(t.info('E:000000000')).toBeNull();
    expect(t.info('F:99-X')).toBeNull();
    expect(t.info('X:1')).toBeNull();
  });
});

describe('roles', () => {
  it('round-trip between text and territory', () => {
    for (const text of ['national', 'ars:11', 'samu:2A', 'establishment:750100125', 'field:75-PMA-GARE-DE-LYON']) {
      const role = parseRole(text);
      expect(role, text).not.toBeNull();
      expect(formatRole(role!)).toBe(text);
    }
    expect(roleTerritory(parseRole('samu:75')!)).toBe('D:75');
  });

  it('refuses malformed roles', () => {
    for (const text of ['', 'admin', 'ars:', 'ars:1', 'samu:750', 'establishment:12', 'field:pma', 'field:75-pma', 'national:FR']) {
      expect(parseRole(text), text).toBeNull();
    }
  });
});

describe('scope', () => {
  const path = (k: string) => t.path(k)!;
  it('a SAMU sees national, its region and its département, not a sibling', () => {
    const samu75 = path('D:75');
    expect(sameBranch(path('FR'), samu75)).toBe(true);
    expect(sameBranch(path('R:11'), samu75)).toBe(true);
    expect(sameBranch(path('D:75'), samu75)).toBe(true);
    expect(sameBranch(path('D:92'), samu75)).toBe(false);
    expect(sameBranch(path('R:53'), samu75)).toBe(false);
  });

  it('an ARS sees every département of its region and none of another', () => {
    const arsBretagne = path('R:53');
    expect(sameBranch(path('D:29'), arsBretagne)).toBe(true);
    expect(sameBranch(path('D:75'), arsBretagne)).toBe(false);
    expect(sameBranch(path('R:11'), arsBretagne)).toBe(false);
  });

  it('a path prefix never matches a different code that merely starts the same', () => {
    // D:2 must not contain D:29; R:1 must not contain R:11 — paths end with a slash.
    expect(path('D:29').startsWith('/FR/R:53/D:2/')).toBe(false);
  });

  it('lists who may post where', () => {
    expect(t.postableTerritories(parseRole('samu:75')!)).toEqual(['D:75']);
    const ars = t.postableTerritories(parseRole('ars:11')!);
    expect(ars[0]).toBe('R:11');
    expect(ars).toContain('D:93');
    expect(ars).not.toContain('D:29');
    expect(t.postableTerritories(parseRole('establishment:750100125')!)).toEqual(['D:75']);
    expect(t.postableTerritories(parseRole('field:75-PMA-GARE-DE-LYON')!)).toEqual(['D:75']);
    expect(t.postableTerritories(parseRole('national')!)).toHaveLength(1 + 18 + 101);
  });

  it('expects acknowledgements from the level just below', () => {
    expect(t.expectedAcknowledgers('FR')).toHaveLength(18);
    expect(t.expectedAcknowledgers('R:11').sort()).toEqual(['D:75', 'D:77', 'D:78', 'D:91', 'D:92', 'D:93', 'D:94', 'D:95']);
    expect(t.expectedAcknowledgers('D:75').every((k) => k.startsWith('E:'))).toBe(true);
  });
});
