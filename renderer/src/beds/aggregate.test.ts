import { describe, expect, it } from 'vitest';
import { ageText, aroundRows, buildTree, dashboardMatrix, EMPTY_FILTER, mapTotals, totalFreshness, treeCompare, unitIsStale, type BedRow, type TreeOptions } from './aggregate';
import { DEFAULT_FRESHNESS } from '../../../common/domain/beds/totals';
import { UNIT_TYPES } from '../../../common/domain/beds/unitTypes';
import type { UnitView } from '../../../common/domain/beds/views';

const NOW = Date.parse('2026-03-24T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

let seq = 0;
function unit(p: Partial<UnitView> & Pick<UnitView, 'finess' | 'unitType'>): UnitView {
  seq += 1;
  return {
    id: `r${seq}`,
    unitId: p.unitType,
    unitName: null,
    atKnown: true,
    surge: null,
    assignment: null,
    temporary: false,
    ror: null,
    installed: 10,
    staffed: 10,
    available: 5,
    covidPos: null,
    covidNeg: null,
    extra24h: null,
    extra72h: null,
    comment: '',
    source: 'app',
    reportedBy: 'x',
    reportedRole: 'establishment:x',
    at: hoursAgo(1),
    version: seq,
    pending: false,
    establishmentName: `Hôpital ${p.finess}`,
    establishmentShortName: `Hôpital ${p.finess}`,
    city: 'Paris',
    dep: '75',
    region: '11',
    lat: 48.8,
    lon: 2.3,
    ...p,
  };
}

const opts = (over: Partial<TreeOptions> = {}): TreeOptions => ({
  now: NOW,
  settings: DEFAULT_FRESHNESS,
  filter: EMPTY_FILTER,
  expanded: {},
  regionLabel: (c) => (c === '11' ? 'Île-de-France' : `Région ${c}`),
  depLabel: (c) => `Dép. ${c}`,
  ...over,
});

describe('ages and freshness texts', () => {
  it('floors ages so that a figure never looks younger than it is', () => {
    expect(ageText(hoursAgo(0), NOW)).toBe('à l’instant');
    expect(ageText(new Date(NOW - 59 * 60_000).toISOString(), NOW)).toBe('il y a 59 min');
    expect(ageText(hoursAgo(3.9), NOW)).toBe('il y a 3 h');
    expect(ageText(hoursAgo(31), NOW)).toBe('il y a 31 h');
    expect(ageText(hoursAgo(24 * 3 + 5), NOW)).toBe('il y a 3 j');
    expect(ageText(null, NOW)).toBe('date inconnue');
  });

  it('a total says how many of its units are stale and how old its oldest is', () => {
    const t = { installed: 0, staffed: 0, available: 0, surge: 0, units: 5, staleUnits: 3, oldestAt: hoursAgo(31), newestAt: hoursAgo(1) };
    expect(totalFreshness(t, NOW)).toBe('3 unités périmées · plus ancienne il y a 31 h');
    expect(totalFreshness({ ...t, staleUnits: 0, oldestAt: hoursAgo(2) }, NOW)).toBe('à jour · plus ancienne il y a 2 h');
  });
});

describe('the grid tree', () => {
  const units = [
    unit({ finess: '750100125', unitType: 'REA_MED', available: 2, staffed: 20, installed: 24, at: hoursAgo(30) }),
    unit({ finess: '750100125', unitType: 'USC_POLY', available: 6, staffed: 12, installed: 12 }),
    unit({ finess: '920000001', unitType: 'REA_MED', dep: '92', available: 1, staffed: 10, installed: 10, establishmentName: 'Hôpital Foch', city: 'Suresnes' }),
    unit({ finess: '130000001', unitType: 'REA_CHIR', dep: '13', region: '93', available: 4, staffed: 8, installed: 8, at: hoursAgo(2) }),
  ];

  it('groups units by région, département and establishment, with totals never fresher than their stalest unit', () => {
    const rows = buildTree(units, opts());
    // One group of unit types at a time (réanimation by default): no total adds unlike beds.
    expect(rows.map((r) => `${r.level}:${r.id}`)).toEqual([
      '0:R:11',
      '1:D:75',
      '2:E:750100125',
      '3:U:750100125:REA_MED',
      '1:D:92',
      '2:E:920000001',
      '3:U:920000001:REA_MED',
      '0:R:93',
      '1:D:13',
      '2:E:130000001',
      '3:U:130000001:REA_CHIR',
    ]);
    const idf = rows[0];
    expect(idf).toMatchObject({ label: 'Île-de-France', available: 3, staffed: 30, installed: 34, units: 2, staleUnits: 1, oldestAt: hoursAgo(30) });
    expect(rows.find((r) => r.id === 'D:75')).toMatchObject({ staleUnits: 1, at: hoursAgo(30) });
    // 2 free beds: few (orange); the département of 92 has 1 free in 1 unit: few too.
    expect(rows.find((r) => r.id === 'U:750100125:REA_MED')).toMatchObject({ stale: true, tension: 'orange' });
    const usc = buildTree(units, opts({ filter: { ...EMPTY_FILTER, group: 'surveillance_continue' } }));
    expect(usc.map((r) => r.id)).toEqual(['R:11', 'D:75', 'E:750100125', 'U:750100125:USC_POLY']);
    expect(usc.find((r) => r.id === 'U:750100125:USC_POLY')).toMatchObject({ stale: false, tension: 'green', available: 6 });
    expect(usc[0]).toMatchObject({ available: 6, staffed: 12, units: 1 });
  });

  it('names establishments by their short name, sorted by it, with the FINESS name on hover, and finds them by either', () => {
    const two = [
      unit({ finess: '750100232', unitType: 'REA_MED', establishmentName: 'GRP HU PARIS NORD VAL DE SEINE SITE BICHAT APHP', establishmentShortName: 'Bichat (AP-HP)' }),
      unit({ finess: '750100091', unitType: 'REA_MED', establishmentName: 'GRP HOSP UNIVERSITAIRE EST PARISIEN SITE SAINT ANTOINE APHP', establishmentShortName: 'Saint-Antoine (AP-HP)' }),
    ];
    const rows = buildTree(two, opts()).filter((r) => r.kind === 'establishment');
    expect(rows.map((r) => [r.label, r.title])).toEqual([
      ['Bichat (AP-HP)', 'GRP HU PARIS NORD VAL DE SEINE SITE BICHAT APHP'],
      ['Saint-Antoine (AP-HP)', 'GRP HOSP UNIVERSITAIRE EST PARISIEN SITE SAINT ANTOINE APHP'],
    ]);
    const found = (text: string) => buildTree(two, opts({ filter: { ...EMPTY_FILTER, text } })).filter((r) => r.kind === 'establishment').length;
    expect([found('saint-antoine (ap'), found('EST PARISIEN')]).toEqual([1, 1]);
  });

  it('surge beds show on units and add up in totals', () => {
    const rows = buildTree([unit({ finess: '750100125', unitType: 'REA_MED', installed: 20, staffed: 30, surge: 10 }), unit({ finess: '750100133', unitType: 'REA_CHIR', staffed: 10 })], opts());
    expect(rows.find((r) => r.id === 'U:750100125:REA_MED')).toMatchObject({ surge: 10 });
    expect(rows.find((r) => r.id === 'U:750100133:REA_CHIR')).toMatchObject({ surge: 0 });
    expect(rows[0]).toMatchObject({ staffed: 40, surge: 10 });
  });

  it('two units of one type in one establishment are two rows, named apart, both counted', () => {
    const two = [
      unit({ finess: '750100125', unitType: 'REA_MED', available: 2, staffed: 20, installed: 24 }),
      unit({ finess: '750100125', unitType: 'REA_MED', unitId: '94/666', unitName: 'Babinski', available: 3, staffed: 10, installed: 10 }),
    ];
    const rows = buildTree(two, opts());
    expect(rows.filter((r) => r.kind === 'unit').map((r) => [r.id, r.label])).toEqual([
      ['U:750100125:REA_MED', 'Réanimation médicale'],
      ['U:750100125:94/666', 'Réanimation médicale — Babinski'],
    ]);
    expect(rows.find((r) => r.id === 'E:750100125')).toMatchObject({ units: 2, available: 5, staffed: 30 });
  });

  it('a collapsed group hides what is under it but keeps its totals', () => {
    const rows = buildTree(units, opts({ expanded: { 'D:75': false, 'R:93': false } }));
    expect(rows.map((r) => r.id)).toEqual(['R:11', 'D:75', 'D:92', 'E:920000001', 'U:920000001:REA_MED', 'R:93']);
    expect(rows.find((r) => r.id === 'D:75')).toMatchObject({ expanded: false, units: 1, available: 2 });
  });

  it('a national picture starts with only the régions open', () => {
    const many = Array.from({ length: 700 }, (_, i) => unit({ finess: String(750000000 + i), unitType: 'REA_MED' }));
    const rows = buildTree(many, opts());
    expect(rows.map((r) => r.kind)).toEqual(['region', 'dep']);
  });

  it('filters by text (accents ignored), by unit-type group and by staleness', () => {
    const ids = (f: Partial<typeof EMPTY_FILTER>) =>
      buildTree(units, opts({ filter: { ...EMPTY_FILTER, ...f } }))
        .filter((r) => r.kind === 'unit')
        .map((r) => r.id);
    expect(ids({ text: 'suresnes' })).toEqual(['U:920000001:REA_MED']);
    expect(ids({ text: 'réanimation chir' })).toEqual(['U:130000001:REA_CHIR']);
    expect(ids({ text: 'polyvalente' })).toEqual([]);
    expect(ids({ group: 'surveillance_continue' })).toEqual(['U:750100125:USC_POLY']);
    expect(ids({ staleOnly: true })).toEqual(['U:750100125:REA_MED']);
    // Group totals follow the filter.
    const r = buildTree(units, opts({ filter: { ...EMPTY_FILTER, staleOnly: true } }));
    expect(r[0]).toMatchObject({ units: 1, staleUnits: 1 });
  });

  it('sorting keeps every row under its parent and orders siblings by the column, both ways', () => {
    const rows = buildTree(units, opts());
    const byAvailable = (r: BedRow) => r.available;
    const sortBy = (desc: boolean) =>
      [...rows]
        .sort((a, b) => {
          const c = treeCompare(a, b, byAvailable, desc);
          return desc ? -c : c; // what AG Grid does with a comparator's answer
        })
        .map((r) => r.id);
    // Available: 93 has 4, 11 has 3 (75: 2, 92: 1).
    expect(sortBy(false)).toEqual([
      'R:11',
      'D:92',
      'E:920000001',
      'U:920000001:REA_MED',
      'D:75',
      'E:750100125',
      'U:750100125:REA_MED',
      'R:93',
      'D:13',
      'E:130000001',
      'U:130000001:REA_CHIR',
    ]);
    expect(sortBy(true)).toEqual([
      'R:93',
      'D:13',
      'E:130000001',
      'U:130000001:REA_CHIR',
      'R:11',
      'D:75',
      'E:750100125',
      'U:750100125:REA_MED',
      'D:92',
      'E:920000001',
      'U:920000001:REA_MED',
    ]);
  });
});

describe('the tension dashboard', () => {
  const units = [
    unit({ finess: '750100125', unitType: 'REA_MED', available: 2, staffed: 20, at: hoursAgo(30) }),
    unit({ finess: '750100133', unitType: 'REA_MED', available: 10, staffed: 10 }),
    unit({ finess: '920000001', unitType: 'REA_MED', dep: '92', available: 9, staffed: 10 }),
    unit({ finess: '920000001', unitType: 'SI_USIC', dep: '92', available: 1, staffed: 10 }),
    unit({ finess: '130000001', unitType: 'REA_MED', dep: '13', region: '93' }),
  ];
  const m = dashboardMatrix(units, ['75', '92', '93'], NOW, DEFAULT_FRESHNESS);
  const row = (key: string) => m.rows.find((r) => r.key === key);

  it('has every unit type of the referential and a subtotal per group, and no row adding the groups together', () => {
    expect(m.rows.filter((r) => r.kind === 'type')).toHaveLength(UNIT_TYPES.length);
    expect(m.rows.filter((r) => r.kind === 'group').map((r) => r.key)).toEqual([
      'group:reanimation',
      'group:soins_intensifs',
      'group:surveillance_continue',
    ]);
    expect(m.rows.at(-1)?.key).toBe('group:surveillance_continue');
    expect(m.rows.some((r) => r.key === 'all')).toBe(false);
  });

  it('sums available beds per cell, with the stale count and oldest update, and leaves cells without a unit empty', () => {
    expect(row('REA_MED')?.cells.get('75')).toMatchObject({ available: 12, staffed: 30, units: 2, staleUnits: 1, oldestAt: hoursAgo(30) });
    expect(row('REA_MED')?.cells.get('93')).toBeNull();
    expect(row('REA_BRULES')?.cells.get('75')).toBeNull();
    expect(row('REA_BRULES')?.total).toBeNull();
    // Row total: only the départements shown (13 is outside).
    expect(row('REA_MED')?.total).toMatchObject({ available: 21, staffed: 40, units: 3, staleUnits: 1 });
    // Group subtotals, each of its own beds.
    expect(row('group:reanimation')?.cells.get('92')).toMatchObject({ available: 9, staffed: 10, units: 1, staleUnits: 0 });
    expect(row('group:reanimation')?.total).toMatchObject({ available: 21, staffed: 40, units: 3, staleUnits: 1, oldestAt: hoursAgo(30) });
    expect(row('group:soins_intensifs')?.cells.get('92')).toMatchObject({ available: 1, units: 1 });
  });

  it('columns may be regions (national bulletin)', () => {
    const byRegion = dashboardMatrix(units, ['11', '93'], NOW, DEFAULT_FRESHNESS, (u) => u.region);
    expect(byRegion.rows.find((r) => r.key === 'REA_MED')?.cells.get('93')).toMatchObject({ units: 1 });
    expect(byRegion.rows.find((r) => r.key === 'group:reanimation')?.cells.get('11')).toMatchObject({ units: 3 });
  });
});

describe('the map', () => {
  it('colours each département by the chosen group only', () => {
    const units = [
      unit({ finess: '750100125', unitType: 'REA_MED', available: 1, staffed: 10 }),
      unit({ finess: '750100125', unitType: 'USC_POLY', available: 10, staffed: 10 }),
    ];
    expect(mapTotals(units, 'reanimation', NOW, DEFAULT_FRESHNESS).get('75')).toMatchObject({ available: 1, units: 1 });
    expect(mapTotals(units, 'surveillance_continue', NOW, DEFAULT_FRESHNESS).get('75')).toMatchObject({ available: 10 });
    expect(mapTotals(units, 'soins_intensifs', NOW, DEFAULT_FRESHNESS).has('75')).toBe(false);
  });
});

describe('staleness of a unit view', () => {
  it('follows the clock and the delay, the same view read again (its report time parsed once)', () => {
    const u = unit({ finess: '750100125', unitType: 'REA_MED', at: hoursAgo(23) });
    expect(unitIsStale(u, NOW, DEFAULT_FRESHNESS)).toBe(false);
    expect(unitIsStale(u, NOW + 2 * 3_600_000, DEFAULT_FRESHNESS)).toBe(true);
    expect(unitIsStale(u, NOW + 2 * 3_600_000, { ...DEFAULT_FRESHNESS, staleAfterHours: 48 })).toBe(false);
    // A new view of the unit (a live change) is read afresh.
    expect(unitIsStale({ ...u, at: hoursAgo(0) }, NOW + 2 * 3_600_000, DEFAULT_FRESHNESS)).toBe(false);
  });
});

describe('the SAMU view of free beds around it', () => {
  const units = [
    unit({ finess: 'A', unitType: 'REA_MED', available: 2, at: hoursAgo(1) }),
    unit({ finess: 'A', unitType: 'REA_CHIR', available: 3, at: hoursAgo(2) }),
    unit({ finess: 'A', unitType: 'SI_USIC', available: 9 }),
    unit({ finess: 'B', unitType: 'REA_MED', available: 5, dep: '92', surge: 2, staffed: 14, installed: 12 }),
    unit({ finess: 'C', unitType: 'REA_MED', available: 5, dep: '93', at: hoursAgo(30) }),
    unit({ finess: 'D', unitType: 'REA_MED', available: 0, dep: '94' }),
    unit({ finess: 'E', unitType: 'USC_POLY', available: 4 }),
  ];

  it('totals an establishment’s units of the chosen kind only, most free first, fresher first among equals', () => {
    const rows = aroundRows(units, 'group:reanimation', NOW, DEFAULT_FRESHNESS);
    expect(rows.map((r) => [r.finess, r.total.available])).toEqual([
      ['B', 5],
      ['A', 5],
      ['C', 5],
      ['D', 0],
    ]);
    // Soins intensifs and surveillance continue never join a réanimation total.
    expect(rows.find((r) => r.finess === 'A')?.units.map((u) => u.unitType)).toEqual(['REA_MED', 'REA_CHIR']);
    expect(rows[0].total.surge).toBe(2);
    expect(rows[2].total.staleUnits).toBe(1);
  });

  it('one unit type narrows the rows; a type nobody has gives none', () => {
    expect(aroundRows(units, 'REA_CHIR', NOW, DEFAULT_FRESHNESS).map((r) => r.finess)).toEqual(['A']);
    expect(aroundRows(units, 'REA_BRULES', NOW, DEFAULT_FRESHNESS)).toEqual([]);
  });
});
