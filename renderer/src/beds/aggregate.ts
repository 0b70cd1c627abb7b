/**
 * The bed board's pure computations: ages in French, totals with staleness (a total is
 * never fresher than its stalest unit), the grid's région → département → établissement
 * tree with its filters and its sort, the tension dashboard's matrix, and the map's
 * colours. No React, no store: everything here is tested in `aggregate.test.ts`.
 */
import { ui } from '../../../common/i18n/ui.fr';
import { addToTotal, emptyTotal, occupancy, tensionOf, type BedTotal, type FreshnessSettings, type TensionLevel } from '../../../common/domain/beds/totals';
import { UNIT_GROUPS, UNIT_TYPES, unitLabel, unitType, type UnitGroup } from '../../../common/domain/beds/unitTypes';
import type { UnitView } from '../../../common/domain/beds/views';

// ---- ages ------------------------------------------------------------------------------

/** "il y a 3 h": the age of a figure, floored (a figure never looks younger than it is). */
export function ageText(at: string | null, now: number): string {
  if (!at) return ui.beds.age.unknown;
  const ms = now - Date.parse(at);
  if (Number.isNaN(ms)) return ui.beds.age.unknown;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return ui.beds.age.justNow;
  if (minutes < 60) return ui.beds.age.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return ui.beds.age.hours(hours);
  return ui.beds.age.days(Math.floor(hours / 24));
}

/** "3 unités périmées · plus ancienne il y a 31 h" (or "à jour · …"): the freshness of a total. */
export function totalFreshness(t: BedTotal, now: number): string {
  const stale = t.staleUnits > 0 ? ui.beds.staleUnits(t.staleUnits) : ui.beds.allFresh;
  return `${stale} · ${ui.beds.oldest(ageText(t.oldestAt, now))}`;
}

// ---- totals ----------------------------------------------------------------------------

/**
 * A unit view's report time in ms, parsed once per view: views keep their identity across
 * live merges, and every total of a national picture reads 18,000 of them on each change.
 */
const reportTimes = new WeakMap<UnitView, number>();
function reportTime(u: UnitView): number {
  let t = reportTimes.get(u);
  if (t === undefined) {
    t = Date.parse(u.at);
    reportTimes.set(u, t);
  }
  return t;
}

/** `isStale` for a unit view, with its report time parsed once. */
export function unitIsStale(u: UnitView, now: number, settings: FreshnessSettings): boolean {
  return now - reportTime(u) > settings.staleAfterHours * 3_600_000;
}

/**
 * Totals by key, each with its stale count and its oldest update. The same fold as
 * `totalsBy` in common/domain/beds (the same `addToTotal`, the staleness rule of `isStale`), over
 * unit views so that the key may read the département or the region.
 */
export function totalsOf<T extends UnitView, K>(
  units: readonly T[],
  keyOf: (u: T) => K | null,
  now: number,
  settings: FreshnessSettings,
): Map<K, BedTotal> {
  const out = new Map<K, BedTotal>();
  for (const u of units) {
    const k = keyOf(u);
    if (k === null) continue;
    let t = out.get(k);
    if (!t) out.set(k, (t = emptyTotal()));
    const ms = reportTime(u);
    addToTotal(t, u, now - ms > settings.staleAfterHours * 3_600_000, ms);
  }
  return out;
}

export function totalOf(units: readonly UnitView[], now: number, settings: FreshnessSettings): BedTotal {
  return totalsOf(units, () => 'all', now, settings).get('all') ?? emptyTotal();
}

// ---- the grid's tree -------------------------------------------------------------------

export type RowKind = 'region' | 'dep' | 'establishment' | 'unit';

export interface BedRow {
  id: string;
  kind: RowKind;
  /** 0 région, 1 département, 2 établissement, 3 unité. */
  level: number;
  label: string;
  /** Shown on hover: an establishment's full FINESS name. */
  title?: string;
  /** Second line or hint: the city of an establishment, the unit type's group. */
  detail: string;
  available: number;
  staffed: number;
  installed: number;
  /** Surge beds inside the staffed ones (opened beyond the installed capacity). */
  surge: number;
  occupancy: number | null;
  tension: TensionLevel;
  /** Units inside (1 for a unit row). */
  units: number;
  staleUnits: number;
  oldestAt: string | null;
  /** A unit row: its own report time; a group: its oldest unit's (never fresher than its stalest part). */
  at: string | null;
  stale: boolean;
  pending: boolean;
  expanded: boolean;
  hasChildren: boolean;
  /** The unit, for a unit row. */
  unit: UnitView | null;
  covidPos: number | null;
  /** Ancestors then the row itself: the tree-aware sort compares along it. */
  chain: BedRow[];
}

export interface GridFilter {
  text: string;
  /**
   * The unit-type group shown: always one, so that no total adds unlike beds (a réanimation
   * bed is not a surveillance-continue bed).
   */
  group: UnitGroup;
  staleOnly: boolean;
}

export const EMPTY_FILTER: GridFilter = { text: '', group: 'reanimation', staleOnly: false };

export interface TreeOptions {
  now: number;
  settings: FreshnessSettings;
  filter: GridFilter;
  /** User choices: row id → expanded. Rows without a choice follow `defaultExpanded`. */
  expanded: Readonly<Record<string, boolean>>;
  regionLabel(code: string): string;
  depLabel(code: string): string;
}

/** Lower-case, accents and punctuation dropped: "Pitié" matches "PITIE". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export function matchesFilter(u: UnitView, f: GridFilter, now: number, settings: FreshnessSettings): boolean {
  if (unitType(u.unitType)?.group !== f.group) return false;
  if (f.staleOnly && !unitIsStale(u, now, settings)) return false;
  const text = fold(f.text.trim());
  if (!text) return true;
  const def = unitType(u.unitType);
  const hay = fold([u.establishmentShortName, u.establishmentName, u.city, u.finess, u.dep, def?.label ?? u.unitType, def?.short ?? '', u.unitName ?? ''].join(' '));
  return text.split(/\s+/).every((w) => hay.includes(w));
}

/**
 * Whether a group starts open: the whole tree for a regional picture, only the régions
 * (their départements visible) for a national one, so that 18,000 units do not unfold.
 */
export function defaultExpanded(kind: RowKind, unitCount: number): boolean {
  if (unitCount <= 600) return true;
  return kind === 'region';
}

const typeOrder = new Map(UNIT_TYPES.map((t, i) => [t.code, i]));

/**
 * The visible rows of the grid, in tree order: région, its départements, their
 * establishments, their units; a collapsed group hides what is under it. Group rows carry
 * the totals of the units that pass the filter, with their stale count and oldest update.
 */
export function buildTree(units: readonly UnitView[], o: TreeOptions): BedRow[] {
  const f = o.filter;
  const shown = units.filter((u) => matchesFilter(u, f, o.now, o.settings));
  const byRegion = new Map<string, Map<string, Map<string, UnitView[]>>>();
  for (const u of shown) {
    let deps = byRegion.get(u.region);
    if (!deps) byRegion.set(u.region, (deps = new Map()));
    let ests = deps.get(u.dep);
    if (!ests) deps.set(u.dep, (ests = new Map()));
    let list = ests.get(u.finess);
    if (!list) ests.set(u.finess, (list = []));
    list.push(u);
  }
  const openOf = (id: string, kind: RowKind) => o.expanded[id] ?? defaultExpanded(kind, units.length);
  const rows: BedRow[] = [];

  const group = (
    id: string,
    kind: RowKind,
    level: number,
    label: string,
    detail: string,
    members: UnitView[],
    parent: BedRow[],
  ): BedRow => {
    const t = totalOf(members, o.now, o.settings);
    const row: BedRow = {
      id,
      kind,
      level,
      label,
      detail,
      available: t.available,
      staffed: t.staffed,
      installed: t.installed,
      surge: t.surge,
      occupancy: occupancy(t),
      tension: tensionOf(t, o.settings.thresholds),
      units: t.units,
      staleUnits: t.staleUnits,
      oldestAt: t.oldestAt,
      at: t.oldestAt,
      stale: t.staleUnits > 0,
      pending: members.some((m) => m.pending),
      expanded: openOf(id, kind),
      hasChildren: members.length > 0,
      unit: null,
      covidPos: sumNullable(members.map((m) => m.covidPos)),
      chain: [],
    };
    row.chain = [...parent, row];
    return row;
  };

  const regions = [...byRegion.entries()].sort(([a], [b]) => o.regionLabel(a).localeCompare(o.regionLabel(b), 'fr'));
  for (const [region, deps] of regions) {
    const regionUnits = [...deps.values()].flatMap((e) => [...e.values()].flat());
    const rRow = group(`R:${region}`, 'region', 0, o.regionLabel(region), '', regionUnits, []);
    rows.push(rRow);
    if (!rRow.expanded) continue;
    for (const [dep, ests] of [...deps.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const dRow = group(`D:${dep}`, 'dep', 1, o.depLabel(dep), '', [...ests.values()].flat(), rRow.chain);
      rows.push(dRow);
      if (!dRow.expanded) continue;
      const estList = [...ests.entries()].sort(([, a], [, b]) => a[0].establishmentShortName.localeCompare(b[0].establishmentShortName, 'fr'));
      for (const [finess, list] of estList) {
        const eRow = group(`E:${finess}`, 'establishment', 2, list[0].establishmentShortName, list[0].city, list, dRow.chain);
        eRow.title = list[0].establishmentName;
        rows.push(eRow);
        if (!eRow.expanded) continue;
        const byTypeThenName = (a: UnitView, b: UnitView) => (typeOrder.get(a.unitType) ?? 99) - (typeOrder.get(b.unitType) ?? 99) || unitLabel(a).localeCompare(unitLabel(b), 'fr');
        for (const u of [...list].sort(byTypeThenName)) {
          const t = { staffed: u.staffed, available: u.available, units: 1 };
          const stale = unitIsStale(u, o.now, o.settings);
          const uRow: BedRow = {
            id: `U:${u.finess}:${u.unitId}`,
            kind: 'unit',
            level: 3,
            label: unitLabel(u),
            detail: '',
            available: u.available,
            staffed: u.staffed,
            installed: u.installed,
            surge: u.surge ?? 0,
            occupancy: occupancy(t),
            tension: tensionOf(t, o.settings.thresholds),
            units: 1,
            staleUnits: stale ? 1 : 0,
            oldestAt: u.at,
            at: u.at,
            stale,
            pending: u.pending,
            expanded: false,
            hasChildren: false,
            unit: u,
            covidPos: u.covidPos,
            chain: [],
          };
          uRow.chain = [...eRow.chain, uRow];
          rows.push(uRow);
        }
      }
    }
  }
  return rows;
}

function sumNullable(values: ReadonlyArray<number | null>): number | null {
  let seen = false;
  let sum = 0;
  for (const v of values)
    if (v !== null && v !== undefined) {
      seen = true;
      sum += v;
    }
  return seen ? sum : null;
}

type SortValue = number | string | null;

function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'fr');
}

/**
 * A sort that keeps the tree: siblings are ordered by the column's value, and every row
 * stays under its parent. AG Grid negates a comparator's answer for a descending sort, so
 * the parts that must not flip (a parent before its children, the tie-break by name) are
 * pre-negated.
 */
export function treeCompare(a: BedRow, b: BedRow, valueOf: (r: BedRow) => SortValue, descending: boolean): number {
  const flip = descending ? -1 : 1;
  const ca = a.chain;
  const cb = b.chain;
  let i = 0;
  while (i < ca.length && i < cb.length && ca[i].id === cb[i].id) i++;
  if (i === ca.length || i === cb.length) return (ca.length - cb.length) * flip;
  const c = compareValues(valueOf(ca[i]), valueOf(cb[i]));
  if (c !== 0) return c;
  return (ca[i].label.localeCompare(cb[i].label, 'fr') || ca[i].id.localeCompare(cb[i].id)) * flip;
}

// ---- the tension dashboard ------------------------------------------------------------

export interface DashboardRow {
  /** A unit type's code, or `group:<code>` for a group's subtotal. */
  key: string;
  kind: 'type' | 'group';
  label: string;
  /** Per département: the total, or null where no such unit exists ("—"). */
  cells: Map<string, BedTotal | null>;
  total: BedTotal | null;
}

export interface DashboardMatrix {
  deps: string[];
  rows: DashboardRow[];
}

/**
 * The crisis cells' table (like the ROR Île-de-France "synthèse régionale"): every unit type
 * of the referential in rows, grouped with a subtotal per group, the départements in columns
 * with a total column. No row adds the groups together: a réanimation bed, a soins-intensifs
 * bed and a surveillance-continue bed are not the same bed. A cell without any unit is null.
 */
export function dashboardMatrix(
  units: readonly UnitView[],
  deps: readonly string[],
  now: number,
  settings: FreshnessSettings,
  /** What a column groups: the département by default, the region for a national bulletin. */
  columnOf: (u: UnitView) => string = (u) => u.dep,
): DashboardMatrix {
  const depSet = new Set(deps);
  // One pass: each unit's time parsed once and added to its four totals (a national
  // dashboard folds 18,000 units on every live change).
  const byTypeDep = new Map<string, BedTotal>();
  const byType = new Map<string, BedTotal>();
  const byGroupDep = new Map<string, BedTotal>();
  const byGroup = new Map<string, BedTotal>();
  const into = (m: Map<string, BedTotal>, k: string, u: UnitView, stale: boolean, ms: number) => {
    let t = m.get(k);
    if (!t) m.set(k, (t = emptyTotal()));
    addToTotal(t, u, stale, ms);
  };
  const staleMs = settings.staleAfterHours * 3_600_000;
  for (const u of units) {
    const col = columnOf(u);
    if (!depSet.has(col)) continue;
    const ms = reportTime(u);
    const stale = now - ms > staleMs;
    const group = unitType(u.unitType)?.group ?? '';
    into(byTypeDep, `${u.unitType}|${col}`, u, stale, ms);
    into(byType, u.unitType, u, stale, ms);
    into(byGroupDep, `${group}|${col}`, u, stale, ms);
    if (group) into(byGroup, group, u, stale, ms);
  }
  const rows: DashboardRow[] = [];
  for (const g of UNIT_GROUPS) {
    for (const t of UNIT_TYPES.filter((x) => x.group === g.code)) {
      rows.push({
        key: t.code,
        kind: 'type',
        label: t.label,
        cells: new Map(deps.map((d) => [d, byTypeDep.get(`${t.code}|${d}`) ?? null])),
        total: byType.get(t.code) ?? null,
      });
    }
    rows.push({
      key: `group:${g.code}`,
      kind: 'group',
      label: ui.beds.dashboard.groupTotal(g.label),
      cells: new Map(deps.map((d) => [d, byGroupDep.get(`${g.code}|${d}`) ?? null])),
      total: byGroup.get(g.code) ?? null,
    });
  }
  return { deps: [...deps], rows };
}

// ---- the map ---------------------------------------------------------------------------

/** Per département, the total of the chosen group's units (absent: no unit there). */
export function mapTotals(units: readonly UnitView[], group: UnitGroup, now: number, settings: FreshnessSettings): Map<string, BedTotal> {
  return totalsOf(units, (u) => (unitType(u.unitType)?.group === group ? u.dep : null), now, settings);
}

/** The tension of a total, `none` when absent. */
export function tensionOrNone(t: BedTotal | null | undefined, settings: FreshnessSettings): TensionLevel {
  return t ? tensionOf(t, settings.thresholds) : 'none';
}

/** "72 %", or "—" without staffed beds. */
export function percent(o: number | null): string {
  return o === null ? ui.beds.detail.none : ui.beds.percent(Math.round(o * 100));
}

/** One establishment of the SAMU's view: its units of the chosen kind, totalled. */
export interface AroundRow {
  finess: string;
  establishmentName: string;
  /** The name a regulator reads (« Bichat (AP-HP) »); the full FINESS name is the tooltip. */
  shortName: string;
  city: string;
  dep: string;
  units: UnitView[];
  total: BedTotal;
}

/** Whether a unit is of the SAMU view's choice: a type code, or `group:<group>` for every type of a group. */
export function matchesChoice(u: Pick<UnitView, 'unitType'>, choice: string): boolean {
  return choice.startsWith('group:') ? unitType(u.unitType)?.group === choice.slice('group:'.length) : u.unitType === choice;
}

/**
 * The SAMU's view: establishments with units of the chosen kind, most free beds first; among
 * equals, the fresher figures first (a regulator calls the bed that is surely there).
 */
export function aroundRows(units: readonly UnitView[], choice: string, now: number, settings: FreshnessSettings): AroundRow[] {
  const byFiness = new Map<string, UnitView[]>();
  for (const u of units) {
    if (!matchesChoice(u, choice)) continue;
    const list = byFiness.get(u.finess);
    if (list) list.push(u);
    else byFiness.set(u.finess, [u]);
  }
  const rows: AroundRow[] = [...byFiness.values()].map((list) => ({
    finess: list[0].finess,
    establishmentName: list[0].establishmentName,
    shortName: list[0].establishmentShortName,
    city: list[0].city,
    dep: list[0].dep,
    units: list,
    total: totalOf(list, now, settings),
  }));
  const newest = (r: AroundRow) => (r.total.oldestAt ? Date.parse(r.total.oldestAt) : 0);
  return rows.sort((a, b) => b.total.available - a.total.available || newest(b) - newest(a) || a.shortName.localeCompare(b.shortName, 'fr'));
}
