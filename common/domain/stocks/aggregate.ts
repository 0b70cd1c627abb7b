/**
 * Sums of the stocks board's molecule totals over several establishments (a département, a
 * région, France): the grid's group rows, the national pivot and its export. Pure.
 */
import type { EstablishmentStocks } from './api';
import { coverFigures, type MoleculeTotals } from './cover';
import type { CoverThresholds } from './model';
import { MOLECULES, type MoleculeCode } from './products';

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
