/**
 * The stocks grid's rows, built from main's board view: région and département rows with
 * their molecules summed (in mg, so presentations of different strengths add up), then the
 * establishments. Row grouping is an AG Grid Enterprise feature: the tree is built here, as
 * the bed grid does. Pure.
 */
import type { EstablishmentStocks } from '../../../common/domain/stocks/api';
import { worseLevel, type CoverLevel, type MoleculeCell } from '../../../common/domain/stocks/cover';
import type { CoverThresholds } from '../../../common/domain/stocks/model';
import { MOLECULES, type MoleculeCode } from '../../../common/domain/stocks/products';
import { sumTotals } from '../../../common/domain/stocks/aggregate';

/** Moved to common (main's exports use them too); re-exported for the board. */
export { pivotByRegion, sumTotals } from '../../../common/domain/stocks/aggregate';

export type StockRowKind = 'region' | 'dep' | 'establishment';

export interface StockRow {
  id: string;
  kind: StockRowKind;
  label: string;
  /** Région code of the row (every kind). */
  region: string;
  molecules: Partial<Record<MoleculeCode, MoleculeCell>>;
  level: CoverLevel;
  latestAt: string;
  pending: boolean;
  /** Establishments under it (1 for an establishment). */
  count: number;
  /** Establishments under it in red for at least one molecule. */
  red: number;
  expanded: boolean;
}


function group(id: string, kind: StockRowKind, label: string, region: string, list: readonly EstablishmentStocks[], t: CoverThresholds, expanded: boolean): StockRow {
  const molecules: StockRow['molecules'] = {};
  let level: CoverLevel = 'unknown';
  for (const m of MOLECULES) {
    const s = sumTotals(list.map((e) => e.molecules[m.code]), t);
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
  for (const e of shown) {
    const inRegion = byRegion.get(e.region);
    if (inRegion) inRegion.push(e);
    else byRegion.set(e.region, [e]);
  }
  for (const [region, inRegion] of byRegion) {
    const rId = `R:${region}`;
    rows.push(group(rId, 'region', inRegion[0].regionName, region, inRegion, t, !collapsed.has(rId)));
    if (collapsed.has(rId)) continue;
    const byDep = new Map<string, EstablishmentStocks[]>();
    for (const e of inRegion) {
      const inDep = byDep.get(e.dep);
      if (inDep) inDep.push(e);
      else byDep.set(e.dep, [e]);
    }
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
