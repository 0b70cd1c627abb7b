/**
 * The stocks grid's rows, built from main's board view: région and département rows with
 * their molecules summed (in mg, so presentations of different strengths add up), then the
 * establishments. Row grouping is an AG Grid Enterprise feature: the tree is built here, as
 * the bed grid does. Pure.
 */
import type { EstablishmentStocks } from '../../../common/domain/stocks/api';
import { coverFigures, worseLevel, type CoverLevel, type MoleculeTotals } from '../../../common/domain/stocks/cover';
import type { CoverThresholds } from '../../../common/domain/stocks/model';
import { MOLECULES, type MoleculeCode } from '../../../common/domain/stocks/products';

export type StockRowKind = 'region' | 'dep' | 'establishment';

export interface StockRow {
  id: string;
  kind: StockRowKind;
  label: string;
  /** Région code of the row (every kind). */
  region: string;
  molecules: Partial<Record<MoleculeCode, MoleculeTotals>>;
  level: CoverLevel;
  latestAt: string;
  pending: boolean;
  /** Establishments under it (1 for an establishment). */
  count: number;
  /** Establishments under it in red for at least one molecule. */
  red: number;
  expanded: boolean;
}

/** Sums molecule totals of several places (mg and units add up; cover is recomputed from the sums). */
export function sumTotals(molecule: MoleculeCode, parts: ReadonlyArray<MoleculeTotals | undefined>, t: CoverThresholds): MoleculeTotals | undefined {
  const list = parts.filter((p): p is MoleculeTotals => p !== undefined);
  if (list.length === 0) return undefined;
  let onHandUnits = 0;
  let onHandMg = 0;
  let dailyUnits: number | null = null;
  let dailyMg: number | null = null;
  let oldest = list[0].oldestAt;
  let latest = list[0].latestAt;
  let lines = 0;
  for (const p of list) {
    onHandUnits += p.onHandUnits;
    onHandMg += p.onHandMg;
    lines += p.lines;
    if (p.dailyMg !== null) {
      dailyMg = (dailyMg ?? 0) + p.dailyMg;
      dailyUnits = (dailyUnits ?? 0) + (p.dailyUnits ?? 0);
    }
    if (Date.parse(p.oldestAt) < Date.parse(oldest)) oldest = p.oldestAt;
    if (Date.parse(p.latestAt) > Date.parse(latest)) latest = p.latestAt;
  }
  return { molecule, onHandUnits, onHandMg, dailyUnits, dailyMg, ...coverFigures(onHandMg, dailyMg, latest, t), oldestAt: oldest, latestAt: latest, lines };
}

function group(id: string, kind: StockRowKind, label: string, region: string, list: readonly EstablishmentStocks[], t: CoverThresholds, expanded: boolean): StockRow {
  const molecules: StockRow['molecules'] = {};
  let level: CoverLevel = 'unknown';
  for (const m of MOLECULES) {
    const s = sumTotals(m.code, list.map((e) => e.molecules[m.code]), t);
    if (s) {
      molecules[m.code] = s;
      level = worseLevel(level, s.level);
    }
  }
  return {
    id,
    kind,
    label,
    region,
    molecules,
    level,
    latestAt: list.reduce((a, e) => (Date.parse(e.latestAt) > Date.parse(a) ? e.latestAt : a), list[0]?.latestAt ?? ''),
    pending: list.some((e) => e.pending),
    count: list.length,
    red: list.filter((e) => e.level === 'red').length,
    expanded,
  };
}

/**
 * The tree, région → département → establishment, in main's order (région name, département,
 * name). `collapsed` holds the ids of closed group rows; a filter on names keeps matching
 * establishments and their groups.
 */
export function buildStockRows(list: readonly EstablishmentStocks[], t: CoverThresholds, collapsed: ReadonlySet<string>, text = ''): StockRow[] {
  const needle = text.trim().toLocaleLowerCase('fr');
  const shown = needle ? list.filter((e) => `${e.name} ${e.fullName} ${e.finess} ${e.depName}`.toLocaleLowerCase('fr').includes(needle)) : list;
  const rows: StockRow[] = [];
  const byRegion = new Map<string, EstablishmentStocks[]>();
  for (const e of shown) byRegion.set(e.region, [...(byRegion.get(e.region) ?? []), e]);
  for (const [region, inRegion] of byRegion) {
    const rId = `R:${region}`;
    rows.push(group(rId, 'region', inRegion[0].regionName, region, inRegion, t, !collapsed.has(rId)));
    if (collapsed.has(rId)) continue;
    const byDep = new Map<string, EstablishmentStocks[]>();
    for (const e of inRegion) byDep.set(e.dep, [...(byDep.get(e.dep) ?? []), e]);
    for (const [dep, inDep] of byDep) {
      const dId = `D:${dep}`;
      rows.push(group(dId, 'dep', `${dep} — ${inDep[0].depName}`, region, inDep, t, !collapsed.has(dId)));
      if (collapsed.has(dId)) continue;
      for (const e of inDep) {
        rows.push({ id: `E:${e.finess}`, kind: 'establishment', label: e.name, region, molecules: e.molecules, level: e.level, latestAt: e.latestAt, pending: e.pending, count: 1, red: e.level === 'red' ? 1 : 0, expanded: false });
      }
    }
  }
  return rows;
}

/** The national pivot: per molecule and région, the région's totals. */
export function pivotByRegion(list: readonly EstablishmentStocks[], t: CoverThresholds): Array<{ region: string; regionName: string; cells: Partial<Record<MoleculeCode, MoleculeTotals & { red: number }>> }> {
  const byRegion = new Map<string, EstablishmentStocks[]>();
  for (const e of list) byRegion.set(e.region, [...(byRegion.get(e.region) ?? []), e]);
  return [...byRegion].map(([region, inRegion]) => {
    const cells: Partial<Record<MoleculeCode, MoleculeTotals & { red: number }>> = {};
    for (const m of MOLECULES) {
      const s = sumTotals(m.code, inRegion.map((e) => e.molecules[m.code]), t);
      if (s) cells[m.code] = { ...s, red: inRegion.filter((e) => e.molecules[m.code]?.level === 'red').length };
    }
    return { region, regionName: inRegion[0].regionName, cells };
  });
}
